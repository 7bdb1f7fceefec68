import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { addDays, aggregateDays, buildBaselines, scoreDays } from '../pipeline/baseline/build-baselines.js';
import { makeContextReports } from '../pipeline/context/make-reports.js';
import { loadFiles } from '../pipeline/load/load-files.js';
import { runNightly } from '../pipeline/jobs/nightly.js';
import { loadThresholds, resolveThresholds } from '../pipeline/config.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { Database } from '../pipeline/db.js';
import { quoteIdent } from '../pipeline/db.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';
import { tableNames } from '../pipeline/table-registry.js';
import { memoryDb, tempDir } from './helpers.js';

/** The aggregate, baseline and score tables (the registry's; context runs differ by run id). */
const TABLES = tableNames((t) => t.writtenBy !== 'context');

/** Every row of every aggregate and baseline table, in a stable order, as text. */
async function snapshot(db: Database): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) {
    const rows = await db.all(`SELECT * FROM ${t} ORDER BY ALL`);
    out[t] = JSON.stringify(rows);
  }
  return out;
}

describe('nightly runs and point-in-time baselines', () => {
  const DAYS = 5;
  let fleet: string;
  let days: string[];
  beforeAll(async () => {
    fleet = tempDir();
    const m = await generateFleet({ ...GENERATE_DEFAULTS, hosts: 8, days: DAYS, out: fleet });
    days = m.days;
  });

  it('day by day equals one catch-up run, table by table; rerunning a day changes nothing', async () => {
    const daily = await memoryDb();
    const catchUp = await memoryDb();
    try {
      for (const d of days) await runNightly(daily, { date: d, input: fleet, thresholds: DEFAULT_THRESHOLDS });
      await runNightly(catchUp, { date: days[0]!, to: days.at(-1)!, input: fleet, thresholds: DEFAULT_THRESHOLDS });
      const a = await snapshot(daily);
      const b = await snapshot(catchUp);
      for (const t of TABLES) expect(a[t], t).toBe(b[t]);
      expect(JSON.parse(a['baseline_template']!).length).toBeGreaterThan(100);

      await runNightly(daily, { date: days[2]!, input: fleet, thresholds: DEFAULT_THRESHOLDS });
      expect(await snapshot(daily)).toEqual(a);
      // The event tables and scores hold each event once (no key index: the pipeline keeps them unique).
      for (const t of ['process_events', 'logon_events', 'process_rarity', 'logon_rarity']) {
        const u = await daily.one<{ n: number; ids: number }>(`SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM ${quoteIdent(t)}`);
        expect(u.n, t).toBe(u.ids);
        expect(u.n, t).toBeGreaterThan(0);
      }
      const ledger = await daily.all<{ status: string; n: number }>("SELECT status, count(*) AS n FROM run_ledger WHERE stage = 'run' GROUP BY 1");
      expect(ledger).toEqual([{ status: 'ok', n: DAYS + 1 }]);
    } finally {
      daily.close();
      catchUp.close();
    }
  });

  // (with windows reaching two days back, a day's stand-ins must hold the scores and baselines of
  // both days before it: they held yesterday's only, and the nightly's reports lost what the
  // windows held before that)
  const TWO_DAY_WINDOWS = { ...DEFAULT_THRESHOLDS, windows: { ...DEFAULT_THRESHOLDS.windows, process_before_minutes: 2 * 24 * 60 } };
  it.each([['the default windows', DEFAULT_THRESHOLDS], ['process windows of two days', TWO_DAY_WINDOWS]])(
    'computing a day before its transaction (stand-in tables) gives what the stages give run directly on the stored rows (%s)', async (_, t) => {
    const nightly = await memoryDb();
    const direct = await memoryDb();
    try {
      for (const d of days) await runNightly(nightly, { date: d, input: fleet, thresholds: t });
      await loadFiles(direct, { inputs: [fleet], format: 'auto' });
      const [first, last] = [days[0]!, days.at(-1)!];
      await aggregateDays(direct, first, last);
      await buildBaselines(direct, first, addDays(last, 1), t);
      await scoreDays(direct, first, last, t);
      await makeContextReports(direct, first, last, t, 'direct');
      const a = await snapshot(nightly);
      const b = await snapshot(direct);
      for (const t of TABLES) expect(a[t], t).toBe(b[t]);
      const reports = (db: Database) => db.all('SELECT * EXCLUDE (run_id) FROM context_reports ORDER BY ALL');
      const items = (db: Database) => db.all('SELECT * EXCLUDE (run_id) FROM context_report_items ORDER BY ALL');
      expect((await reports(nightly)).length).toBeGreaterThan(0);
      expect(await reports(nightly)).toEqual(await reports(direct));
      expect(await items(nightly)).toEqual(await items(direct));
      // Nothing of the stand-ins is left in the session: the stored tables show through.
      expect(await nightly.all("SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name = 'process_rarity'")).toEqual([]);
      expect(await nightly.all("SELECT view_name FROM duckdb_views() WHERE temporary AND view_name = 'process_events'")).toEqual([]);
    } finally {
      nightly.close();
      direct.close();
    }
  });

  it('nothing from day D or later influences the baseline used on day D', async () => {
    const db = await memoryDb();
    try {
      await runNightly(db, { date: days[0]!, to: days.at(-1)!, input: fleet, thresholds: DEFAULT_THRESHOLDS });
      const asOf = days[3]!; // baseline for day 4 merges days 1-3
      const before = await db.all(`SELECT * FROM baseline_template WHERE as_of = $1::DATE ORDER BY ALL`, [asOf]);
      const runBefore = await db.one(`SELECT * FROM baseline_runs WHERE as_of = $1::DATE`, [asOf]);
      expect(runBefore['history_days']).toBe(3);
      // Day D and later change completely: a never-seen program everywhere, the rest deleted.
      await db.run(`DELETE FROM process_events WHERE ts >= $1::TIMESTAMP AND host <> (SELECT min(host) FROM process_events)`, [asOf]);
      await db.run(`UPDATE process_events SET command_line = 'evil.exe --now', process_name = 'evil.exe' WHERE ts >= $1::TIMESTAMP`, [asOf]);
      await aggregateDays(db, asOf, days.at(-1)!);
      await buildBaselines(db, asOf, addDays(days.at(-1)!, 1), DEFAULT_THRESHOLDS);
      expect(await db.all(`SELECT * FROM baseline_template WHERE as_of = $1::DATE ORDER BY ALL`, [asOf])).toEqual(before);
      expect(await db.one(`SELECT * FROM baseline_runs WHERE as_of = $1::DATE`, [asOf])).toEqual(runBefore);
      // ... while the next day's baseline does see day D.
      const next = await db.one<{ n: number }>(`SELECT count(*) AS n FROM baseline_template WHERE as_of = $1::DATE AND template = 'evil.exe --now'`, [addDays(asOf, 1)]);
      expect(next.n).toBe(1);
    } finally {
      db.close();
    }
  });

  it('a failure midway leaves the previous state and is recorded as failed', async () => {
    const db = await memoryDb();
    try {
      await runNightly(db, { date: days[0]!, input: fleet, thresholds: DEFAULT_THRESHOLDS });
      const before = await snapshot(db);
      const counts = await db.one('SELECT (SELECT count(*) FROM process_events) p, (SELECT count(*) FROM load_ledger) l');
      // Day 2's baseline stage fails (a window no table can hold).
      const bad = { ...DEFAULT_THRESHOLDS, burst: { ...DEFAULT_THRESHOLDS.burst, quantile: Number.NaN } };
      await expect(runNightly(db, { date: days[1]!, input: fleet, thresholds: bad })).rejects.toThrow();
      expect(await snapshot(db)).toEqual(before);
      expect(await db.one('SELECT (SELECT count(*) FROM process_events) p, (SELECT count(*) FROM load_ledger) l')).toEqual(counts);
      const failed = await db.all("SELECT run_date, status FROM run_ledger WHERE stage = 'run' AND status = 'failed'");
      expect(failed.length).toBe(1);
    } finally {
      db.close();
    }
  });

  it('scores events against the baseline of their day, with a reason built from the same numbers', async () => {
    const db = await memoryDb();
    try {
      await runNightly(db, { date: days[0]!, to: days.at(-1)!, input: fleet, thresholds: DEFAULT_THRESHOLDS });
      const rows = await db.all<{ malicious: boolean; unusual: boolean; n: number }>(
        `SELECT l.id IS NOT NULL AS malicious, r.unusual, count(*) AS n
         FROM process_rarity r LEFT JOIN labels l ON l.kind = 'event' AND l.id = r.event_id
         WHERE r.history_days >= 3 GROUP BY ALL ORDER BY ALL`,
      );
      const get = (m: boolean, u: boolean) => rows.find((r) => r.malicious === m && r.unusual === u)?.n ?? 0;
      expect(get(true, true)).toBeGreaterThan(0);
      expect(get(true, true) / (get(true, true) + get(true, false))).toBeGreaterThan(0.5); // most attack steps are unusual
      expect(get(false, true) / (get(false, true) + get(false, false))).toBeLessThan(0.01); // few benign events are
      const r = await db.one<{ reason: string; template_hosts: number; fleet_hosts: number; history_days: number; score: number }>(
        // the reason in words, built from the stored features as report items get it (min_history_days 3)
        `SELECT ac_process_reason(r.template_hosts, r.fleet_hosts, r.history_days, r.host_days, r.host_history_days, r.pair_hosts, p.parent_name, p.process_name, 3) AS reason, r.template_hosts, r.fleet_hosts, r.history_days, r.score
         FROM process_rarity r JOIN process_events p USING (event_id) WHERE r.unusual ORDER BY r.score DESC, r.event_id LIMIT 1`,
      );
      expect(r.reason).toMatch(new RegExp(`^template on ${r.template_hosts} of ${r.fleet_hosts} hosts in ${r.history_days} days, (never on this host|new host); \\S+ -> \\S+ seen on \\d+ hosts`));
      expect(r.score).toBeGreaterThan(0.5);
      // A cold start is said so and damped.
      const cold = await db.one<{ reason: string; score: number }>(
        `SELECT ac_process_reason(r.template_hosts, r.fleet_hosts, r.history_days, r.host_days, r.host_history_days, r.pair_hosts, p.parent_name, p.process_name, 3) AS reason, r.score FROM process_rarity r JOIN process_events p USING (event_id) WHERE r.day = $1::DATE ORDER BY r.event_id LIMIT 1`, [days[0]!]);
      expect(cold.reason).toMatch(/cold start: 0 days of history/);
      expect(cold.score).toBe(0);
      // From the fleet's first day of history on processes are judged by the fleet, their scores damped
      // (history / min_history_days); on its first day none is unusual
      const byHistory = await db.all<{ history_days: number; unusual: number; max_score: number }>(
        `SELECT history_days, count(*) FILTER (WHERE unusual)::INTEGER AS unusual, max(score) AS max_score
         FROM process_rarity WHERE history_days < 3 GROUP BY 1 ORDER BY 1`);
      expect(byHistory.map((d) => d.history_days)).toEqual([0, 1, 2]);
      expect(byHistory[0]!.unusual).toBe(0);
      expect(byHistory[1]!.unusual).toBeGreaterThan(0);
      expect(byHistory[1]!.max_score).toBeLessThanOrEqual(1 / 3 + 1e-9);
      expect(byHistory[2]!.max_score).toBeLessThanOrEqual(2 / 3 + 1e-9);
      // One of a thing is said in the singular ("seen on 1 hosts" read as a slip in every report).
      const one = await db.one<{ reason: string }>(`SELECT ac_process_reason(0, 1, 1, 0, 1, 1, 'cmd.exe', 'x.exe', 3) AS reason`);
      expect(one.reason).toBe('host has 1 day of history, judged by the fleet: template on 0 of 1 host in 1 day; cmd.exe -> x.exe seen on 1 host (cold start: 1 day of history)');
      const cold1 = await db.one<{ reason: string }>(`SELECT ac_process_reason(0, 2, 5, 0, 1, 2, 'cmd.exe', 'x.exe', 3) AS reason`);
      expect(cold1.reason).toBe('host has 1 day of history, judged by the fleet: template on 0 of 2 hosts in 5 days; cmd.exe -> x.exe seen on 2 hosts');
    } finally {
      db.close();
    }
  });

  it('per host, a high quantile of distinct processes per minute', async () => {
    const db = await memoryDb();
    try {
      await runNightly(db, { date: days[0]!, to: days.at(-1)!, input: fleet, thresholds: DEFAULT_THRESHOLDS });
      const b = await db.all<{ host: string; q: number; mx: number; minutes: number }>(
        `SELECT host, quantile_distinct AS q, max_distinct AS mx, active_minutes AS minutes FROM baseline_host_burst WHERE as_of = $1::DATE`, [addDays(days.at(-1)!, 1)],
      );
      expect(b.length).toBe(8);
      for (const r of b) {
        expect(r.q).toBeGreaterThanOrEqual(1);
        expect(r.q).toBeLessThanOrEqual(r.mx);
        expect(r.minutes).toBeGreaterThan(500);
      }
    } finally {
      db.close();
    }
  });
});

describe('thresholds config', () => {
  it('uses the documented defaults when absent and overlays a file', () => {
    expect(loadThresholds()).toEqual(DEFAULT_THRESHOLDS);
    const file = join(tempDir(), 'c.json');
    writeFileSync(file, JSON.stringify({ baseline: { window_days: 14 }, burst: { factor: 3 } }));
    const t = loadThresholds(file);
    expect(t.baseline.window_days).toBe(14);
    expect(t.burst.factor).toBe(3);
    expect(t.rarity).toEqual(DEFAULT_THRESHOLDS.rarity);
  });

  it('names an unknown or bad key', () => {
    expect(() => resolveThresholds({ baseline: { window: 3 } }, 'c.json')).toThrow(/c.json: baseline.window: unknown key/);
    expect(() => resolveThresholds({ rarity: { max_fleet_share: 2 } }, 'c.json')).toThrow(/rarity.max_fleet_share: must be between 0 and 1/);
    expect(() => resolveThresholds({ burst: { min_distinct: 'many' } }, 'c.json')).toThrow(/burst.min_distinct: must be a number/);
    expect(() => resolveThresholds({ scoring: {} }, 'c.json')).toThrow(/scoring: unknown section/);
    const file = join(tempDir(), 'bad.json');
    writeFileSync(file, '{ "baseline": ');
    expect(() => loadThresholds(file)).toThrow(`--config: ${file}: not valid JSON (line 1, column 15: Unexpected end of JSON input)`);
    // where the text goes wrong, by line and column (JSON.parse says "at position 33")
    writeFileSync(file, '{\n  "context": {\n    "max_items": 3,\n  }\n}\n');
    expect(() => loadThresholds(file)).toThrow(/--config: .*bad.json: not valid JSON \(line 4, column 3: /);
  });
});

/** A database file made by an earlier version: `sql` run on a fresh file, closed; its path. */
async function oldWarehouse(sql: string): Promise<string> {
  const path = join(tempDir(), 'old.duckdb');
  const old = await DuckDBInstance.create(path);
  const c = await old.connect();
  await c.run(sql);
  c.closeSync();
  old.closeSync();
  return path;
}

describe('databases made before process_rarity lost its reason in words', () => {
  it('open with the column dropped, every row kept, and the columns in the order the score model inserts them', async () => {
    const path = await oldWarehouse(`CREATE TABLE process_rarity (
      event_id VARCHAR NOT NULL, day DATE NOT NULL, host VARCHAR NOT NULL, template VARCHAR NOT NULL, fleet_hosts BIGINT NOT NULL,
      history_days INTEGER NOT NULL, template_hosts BIGINT NOT NULL, host_days BIGINT NOT NULL, host_is_new BOOLEAN NOT NULL,
      pair_hosts BIGINT NOT NULL, template_score DOUBLE NOT NULL, pair_score DOUBLE NOT NULL, score DOUBLE NOT NULL,
      unusual BOOLEAN NOT NULL, reason VARCHAR NOT NULL, host_history_days INTEGER);
      INSERT INTO process_rarity VALUES ('e1', '2026-11-02', 'ws1', 'whoami', 50, 10, 0, 0, false, 0, 1, 1, 1, true,
        'template on 0 of 50 hosts in 10 days, never on this host; cmd.exe -> whoami.exe seen on 0 hosts', 10);`);
    const db = await Database.open(path);
    try {
      const cols = await db.all<{ column_name: string }>(
        `SELECT column_name FROM duckdb_columns() WHERE table_name = 'process_rarity' AND schema_name = 'main' ORDER BY column_index`);
      expect(cols.map((x) => x.column_name)).toEqual(['event_id', 'day', 'host', 'template', 'fleet_hosts', 'history_days', 'template_hosts',
        'host_days', 'host_is_new', 'pair_hosts', 'template_score', 'pair_score', 'score', 'unusual', 'host_history_days']);
      expect(await db.all(`SELECT event_id, ac_process_reason(template_hosts, fleet_hosts, history_days, host_days, host_history_days, pair_hosts,
                                  'cmd.exe', 'whoami.exe', 3) AS reason FROM process_rarity`)).toEqual([
        { event_id: 'e1', reason: 'template on 0 of 50 hosts in 10 days, never on this host; cmd.exe -> whoami.exe seen on 0 hosts' },
      ]);
    } finally {
      db.close();
    }
  });
});

describe('databases made before the aggregates lost their keys', () => {
  it('open with the keys dropped and every row and NOT NULL kept', async () => {
    const path = await oldWarehouse(`CREATE TABLE baseline_host_logon (
      as_of DATE NOT NULL, host VARCHAR NOT NULL, user_name VARCHAR NOT NULL, source VARCHAR NOT NULL, days BIGINT NOT NULL, events BIGINT NOT NULL,
      PRIMARY KEY (as_of, host, user_name, source));
      INSERT INTO baseline_host_logon VALUES ('2026-11-02', 'ws1', 'alice', '10.0.0.1', 1, 3), ('2026-11-02', 'ws2', 'bob', '10.0.0.2', 1, 1);`);
    const db = await Database.open(path);
    try {
      const kinds = await db.all<{ constraint_type: string; n: number }>(
        `SELECT constraint_type, count(*) AS n FROM duckdb_constraints() WHERE table_name = 'baseline_host_logon' GROUP BY ALL ORDER BY ALL`);
      expect(kinds).toEqual([{ constraint_type: 'NOT NULL', n: 6 }]);
      expect(await db.all('SELECT host, user_name, events FROM baseline_host_logon ORDER BY host')).toEqual([
        { host: 'ws1', user_name: 'alice', events: 3 }, { host: 'ws2', user_name: 'bob', events: 1 },
      ]);
    } finally {
      db.close();
    }
  });
});
