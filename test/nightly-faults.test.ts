import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../pipeline/db.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';
import { outputSnapshot, runCliKilled, tablesSnapshot } from './fault-snapshot.js';
import { seeded, tempDir } from './helpers.js';

/** make soak sets AC_KILL_TRIALS=200. */
const TRIALS = Number(process.env['AC_KILL_TRIALS'] ?? 20);

describe('nothing lost, nothing stuck: reruns and kill -9 during a nightly day', () => {
  let fleet: string;
  let noDetect: string; // a config file with the nightly Sigma stage off
  let days: string[];
  let base: string; // the database after every day but the last
  let clean: { tables: Record<string, string>; outputs: Record<string, string> };
  let dayMs: number;
  const last = () => days.at(-1)!;
  const nightly = (db: string, out: string, killAfterMs?: number, killWhen?: RegExp) =>
    runCliKilled(['nightly', '--db', db, '--date', last(), '--input', fleet, '--out', out, '--config', noDetect], killAfterMs, killWhen);

  beforeAll(async () => {
    // Sigma detection is switched off here: compiling the rules adds ~5 s to each of the 40-odd
    // nightly processes, and the detect stage has its own tests (sigma-detect.test.ts).
    noDetect = join(tempDir(), 'no-detect.json');
    writeFileSync(noDetect, JSON.stringify({ detect: { nightly: false } }));
    fleet = tempDir();
    ({ days } = await generateFleet({ ...GENERATE_DEFAULTS, hosts: 8, days: 3, out: fleet, attackRate: 0.2 }));
    base = join(tempDir(), 'base.duckdb');
    expect((await runCliKilled(['nightly', '--db', base, '--date', days[0]!, '--to', days[1]!, '--input', fleet, '--config', noDetect])).code).toBe(0);
    const db = join(tempDir(), 'clean.duckdb');
    copyFileSync(base, db);
    const out = tempDir();
    const t = performance.now();
    const r = await nightly(db, out);
    dayMs = performance.now() - t;
    expect(r.code, r.stderr).toBe(0);
    clean = { tables: await tablesSnapshot(db), outputs: outputSnapshot(out) };
    expect(JSON.parse(clean.tables['context_reports']!).length).toBeGreaterThan(0);
  });

  it('rerunning a day replaces its nightly run: each alert has one report, tables and outputs equal the first run', async () => {
    const db = join(tempDir(), 'rerun.duckdb');
    copyFileSync(base, db);
    const out = tempDir();
    expect((await nightly(db, out)).code).toBe(0);
    expect((await nightly(db, out)).code).toBe(0);
    const tables = await tablesSnapshot(db);
    for (const [t, rows] of Object.entries(clean.tables)) expect(tables[t], t).toBe(rows);
    expect(outputSnapshot(out)).toEqual(clean.outputs);
    const d = await Database.open(db, 'existing');
    try {
      const dup = await d.all('SELECT alert_id, count(*) AS n FROM context_reports GROUP BY 1 HAVING count(*) > 1');
      expect(dup).toEqual([]);
    } finally {
      d.close();
    }
  });

  it('a run killed with kill -9 is marked failed by the next run, never left running', async () => {
    const db = join(tempDir(), 'killed.duckdb');
    copyFileSync(base, db);
    const out = tempDir();
    // Killed once its run is recorded as running (a stage has started), however slow the machine.
    const killed = await nightly(db, out, undefined, /nightly \d{4}-\d{2}-\d{2}: (aggregate|baseline)/);
    expect(killed.signal).toBe('SIGKILL');
    expect((await nightly(db, out)).code).toBe(0);
    const d = await Database.open(db, 'existing');
    try {
      const runs = await d.all<{ status: string; detail: string | null }>(
        `SELECT status, detail FROM run_ledger WHERE stage = 'run' AND run_date = $1::DATE ORDER BY run_id`, [last()]);
      expect(runs.map((r) => r.status)).toEqual(['failed', 'ok']);
      expect(runs[0]!.detail).toMatch(/^killed: did not finish \(found running by run \d+\)$/);
    } finally {
      d.close();
    }
  });

  it(`kill -9 at ${TRIALS} seeded random points of the day (stages, commit, publish, writing reports), each followed by a rerun: tables and outputs equal a clean run's`, async () => {
    const random = seeded(13);
    const points: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const db = join(tempDir(), 'trial.duckdb');
      copyFileSync(base, db);
      const out = tempDir();
      const at = Math.round(random() * dayMs * 1.05);
      points.push(at);
      await nightly(db, out, at);
      const rerun = await nightly(db, out);
      expect(rerun.code, `trial ${trial} killed at ${at} ms: ${rerun.stderr}`).toBe(0);
      const tables = await tablesSnapshot(db);
      for (const [t, rows] of Object.entries(clean.tables)) expect(tables[t], `trial ${trial} killed at ${at} ms: ${t}`).toBe(rows);
      expect(outputSnapshot(out), `trial ${trial} killed at ${at} ms`).toEqual(clean.outputs);
      rmSync(db, { force: true });
      if (existsSync(`${db}.wal`)) rmSync(`${db}.wal`);
    }
    expect(points.length).toBe(TRIALS);
  }, 60_000 + TRIALS * 30_000); // a trial is two processes: about 5 s on an idle 2-core machine, 15 s on a busy one

  // Root can mount a small tmpfs; elsewhere this test does not run (see docs/nightly-operations.md, Guarantees).
  it.runIf(process.getuid?.() === 0)('disk full at the commit: the run fails, stores nothing, and reruns give a clean run\'s tables', async () => {
    const mnt = tempDir();
    const kb = Math.ceil(statSync(base).size / 1024) + 256;
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', mnt]).status).toBe(0);
    const db = join(tempDir(), 'roomy.duckdb');
    try {
      copyFileSync(base, join(mnt, 'w.duckdb'));
      const full = await runCliKilled(['nightly', '--db', join(mnt, 'w.duckdb'), '--date', last(), '--input', fleet, '--temp-dir', tempDir(), '--config', noDetect]);
      expect(full.code, full.stderr).toBe(1);
      expect(full.stderr).toMatch(/could not commit, nothing of this run was stored: .*No space left on device/);
      for (const f of readdirSync(mnt)) copyFileSync(join(mnt, f), join(dirname(db), f.replace('w.duckdb', 'roomy.duckdb')));
    } finally {
      spawnSync('umount', [mnt]);
    }
    const out = tempDir();
    for (const attempt of [1, 2]) {
      const r = await nightly(db, out);
      expect(r.code, `rerun ${attempt}: ${r.stderr}`).toBe(0);
      const tables = await tablesSnapshot(db);
      for (const [t, rows] of Object.entries(clean.tables)) expect(tables[t], `rerun ${attempt}: ${t}`).toBe(rows);
    }
    expect(outputSnapshot(out)).toEqual(clean.outputs);
  });
});
