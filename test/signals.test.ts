import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../pipeline/db.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';
import { ROOT, tempDir } from './helpers.js';

/** Start a command, send `signal` once its stderr shows `when`; its exit code, stderr and seconds from the signal to the exit. */
function stopWhen(args: string[], when: RegExp, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string; seconds: number; sent: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'bin', 'alert-context'), args, { cwd: ROOT, env: { ...process.env, TZ: 'UTC' } });
    let stderr = '';
    let sentAt = 0;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sentAt && when.test(stderr)) {
        sentAt = performance.now();
        child.kill(signal);
      }
    });
    child.on('exit', (code) => resolve({ code, stderr, seconds: (performance.now() - sentAt) / 1000, sent: sentAt > 0 }));
  });
}

describe('SIGTERM and SIGINT', () => {
  it.each([['SIGTERM', 143], ['SIGINT', 130]] as const)('%s ends a nightly run within seconds, rolled back and marked failed', async (signal, code) => {
    const fleet = tempDir();
    const { days } = await generateFleet({ ...GENERATE_DEFAULTS, hosts: 12, days: 3, out: fleet });
    const db = join(tempDir(), 'w.duckdb');
    const r = await stopWhen(['nightly', '--db', db, '--date', days[0]!, '--to', days[2]!, '--input', fleet], new RegExp(`${days[1]}: (aggregate|baseline)`), signal);
    expect(r.sent).toBe(true);
    expect(r.code).toBe(code);
    expect(r.seconds).toBeLessThan(5);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`alert-context: stopped by ${signal}: the work in progress was rolled back and the run marked failed`);
    const d = await Database.open(db);
    try {
      expect(await d.all(`SELECT strftime(run_date, '%Y-%m-%d') AS day, status FROM run_ledger WHERE stage = 'run' ORDER BY run_id`))
        .toEqual([{ day: days[0], status: 'ok' }, { day: days[1], status: 'failed' }]);
      expect((await d.one<{ n: number }>(`SELECT count(*) AS n FROM agg_days WHERE day = $1::DATE`, [days[1]!])).n).toBe(0);
    } finally {
      d.close();
    }
  });
});
