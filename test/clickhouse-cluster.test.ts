import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listValue } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { runNightly } from '../pipeline/jobs/nightly.js';
import { Database } from '../pipeline/db.js';
import { ClickHouseCluster, ClickHouseError } from '../pipeline/engine/clickhouse/cluster.js';
import { runNightlyOnCluster } from '../pipeline/engine/clickhouse/nightly.js';
import { runRetroOnCluster, runTuneOnCluster } from '../pipeline/engine/clickhouse/retro-tune.js';
import { resolveThresholds } from '../pipeline/config.js';
import { runRetro } from '../pipeline/retro/run-retro.js';
import { runTune } from '../pipeline/tune/run-tune.js';
import type { LocalCluster } from '../pipeline/engine/clickhouse/local-cluster.js';
import { startLocalCluster } from '../pipeline/engine/clickhouse/local-cluster.js';
import { createClickHouseSchema } from '../pipeline/engine/clickhouse/stages.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';
import { COMPARED_TABLES, clusterRows, duckRows } from './clickhouse-compare.js';
import { chTemplateExpression } from '../pipeline/engine/clickhouse/template-sql.js';
import { FIXTURES, memoryDb, runCli, tempDir } from './helpers.js';

// A real two-shard ClickHouse cluster (Debian's clickhouse-server 18.16, two processes on loopback
// ports, each its own data folder, one remote_servers config) against DuckDB on the same fleet.
describe('the fleet-wide stages on a two-shard ClickHouse cluster', () => {
  let servers: LocalCluster;
  let cluster: ClickHouseCluster;
  let duck: Database;
  let days: string[];
  let fleet: string;
  let warehouse: Database;
  const HOSTS = 8;

  beforeAll(async () => {
    fleet = tempDir();
    [servers, { days }] = await Promise.all([
      startLocalCluster({ shards: 2 }),
      generateFleet({ ...GENERATE_DEFAULTS, hosts: HOSTS, days: 5, out: fleet, attackRate: 0.1 }),
    ]);
    // Eight broken rows in the first day's files: both engines' loads must reject and record them.
    // (latin1 keeps the bytes: the invalid UTF-8 line stays invalid.)
    const broken = readFileSync(join(FIXTURES, 'bad', 'winevent_bad.jsonl'), 'latin1').split('\n').slice(1, 9);
    writeFileSync(join(fleet, days[0]!, 'sysmon_bad.jsonl'), `${broken.join('\n')}\n`, 'latin1');
    duck = await memoryDb();
    warehouse = await memoryDb();
    await runNightly(duck, { date: days[0]!, to: days.at(-1)!, input: fleet, thresholds: DEFAULT_THRESHOLDS });
    cluster = await ClickHouseCluster.connect({ urls: servers.urls });
    await createClickHouseSchema(cluster);
  });
  afterAll(async () => {
    await cluster?.close();
    duck?.close();
    warehouse?.close();
    await servers?.stop();
  });

  const expectEqualToDuckDB = async (c: ClickHouseCluster) => {
    for (const t of COMPARED_TABLES) {
      const [a, b] = await Promise.all([duckRows(duck, t), clusterRows(c, t)]);
      expect(b.length, t).toBe(a.length);
      expect(b, t).toEqual(a);
    }
  };

  it('templates the golden lines as DuckDB\'s ac_template does (one rule set: models/template-rules.ts)', async () => {
    const golden = JSON.parse(readFileSync(join(FIXTURES, 'templates.golden.json'), 'utf8')) as { otrf: { in: string; out: string }[]; spec: { in: string; out: string }[] };
    const lines = [...golden.otrf, ...golden.spec].map((g) => g.in)
      .concat(['a § b', 'C:\\Users\\x\\§1234567890abcdefXYZ.tmp', '  \\??\\C:\\Windows\\Temp\\ab12cd34\\ab12cd34.cmdline', '\\??\\\\??\\x 123 456 7890', 'ÄÖ C:\\USERS\\Ünïcode\\a.exe',
        // Unicode space separators at the ends: stripped by both (DuckDB's trim, ClickHouse's \p{Zs})
        '\u00a0cmd.exe /c dir\u3000', '\u2009\u202f C:\\x.exe 1234\u00a0 ', 'a\u200b',
        // a byte-order mark after the leading spaces: DuckDB's trim drops one, and only there
        '\ufeffcmd.exe /c dir', ' \ufeff cmd.exe', '\ufeff\ufeffx.exe', 'x.exe \ufeff', '\u3000\ufeff\u3000x.exe 1234', '\ufeff']);
    await cluster.commandOnShard(0, 'CREATE TEMPORARY TABLE IF NOT EXISTS golden_lines (i UInt32, line String) ENGINE = Memory', 'golden lines');
    await cluster.insert('golden_lines', lines.map((line, i) => ({ i, line })));
    const ch = await cluster.query<{ i: number; t: string }>(`SELECT i, ${chTemplateExpression('line')} AS t FROM golden_lines ORDER BY i`);
    const duckTemplates = await duck.all<{ t: string }>('SELECT ac_template(line) AS t FROM unnest($1::VARCHAR[]) WITH ORDINALITY AS u(line, i) ORDER BY i', [listValue(lines)]);
    expect(ch.map((r) => r.t)).toEqual(duckTemplates.map((r) => r.t));
    expect(ch.slice(0, golden.otrf.length + golden.spec.length).map((r) => r.t)).toEqual([...golden.otrf, ...golden.spec].map((g) => g.out));
  });

  const fleetDir = () => fleet;
  const expectReportsEqual = async (warehouse: Database, day: string) => {
    const runOf = async (db: Database) => (await db.one<{ run_id: number }>(
      "SELECT max(run_id) AS run_id FROM context_runs WHERE kind = 'nightly' AND period_from = $1::DATE", [day])).run_id;
    const [a, b] = await Promise.all([runOf(duck), runOf(warehouse)]);
    let reports = 0;
    for (const [table, order] of [['context_reports', 'report_id'], ['context_report_items', 'report_id, item_no']] as const) {
      const sql = `SELECT * EXCLUDE (run_id) FROM ${table} WHERE run_id = $1 ORDER BY ${order}`;
      const [x, y] = await Promise.all([duck.all(sql, [a]), warehouse.all(sql, [b])]);
      expect(y, `${table} ${day}`).toEqual(x);
      if (table === 'context_reports') reports = x.length;
    }
    return reports;
  };

  it('runs nightly on the cluster: every host on one shard, aggregates, baselines and every report equal to DuckDB\'s', async () => {
    // In three host buckets per shard (the memory split of docs/scale-out.md): the same rows.
    const nightly = await runNightlyOnCluster(cluster, warehouse, { date: days[0]!, to: days.at(-1)!, input: fleetDir(), thresholds: DEFAULT_THRESHOLDS, hostBuckets: 3 });
    expect(nightly.stages.map((s) => s.stage)).toEqual(['load', 'aggregate', 'baseline', 'context']);
    const events = await duck.one<{ p: number }>('SELECT count(*) AS p FROM process_events');
    const perShard = await Promise.all([0, 1].map((i) => cluster.query<{ hosts: number; n: number }>('SELECT uniqExact(host) AS hosts, count() AS n FROM process_events_local', i)));
    expect(perShard.every((r) => r[0]!.hosts > 0)).toBe(true);
    expect(perShard[0]![0]!.hosts + perShard[1]![0]!.hosts).toBe(HOSTS);
    expect(perShard[0]![0]!.n + perShard[1]![0]!.n).toBe(events.p);
    await expectEqualToDuckDB(cluster);
    expect((await clusterRows(cluster, 'baseline_template')).length).toBeGreaterThan(100);
    // The load's records stay in the warehouse as with DuckDB: the ledger, file by file, and the rejects.
    const ledger = 'SELECT file, format, read, loaded_process, loaded_logon, loaded_alerts, loaded_labels, skipped, rejected, truncated FROM load_ledger ORDER BY file';
    const [duckLedger, clusterLedger] = [await duck.all(ledger), await warehouse.all(ledger)];
    expect(duckLedger.length).toBeGreaterThan(0);
    expect(clusterLedger).toEqual(duckLedger);
    const rejects = 'SELECT * EXCLUDE (load_id) FROM rejects ORDER BY file_sha256, line';
    const duckRejects = await duck.all(rejects);
    expect(duckRejects).toHaveLength(8);
    expect(await warehouse.all(rejects)).toEqual(duckRejects);
    let reports = 0;
    for (const day of days) reports += await expectReportsEqual(warehouse, day);
    expect(reports).toBeGreaterThan(0);
  });

  it('reruns a day (its files loaded again) to the same tables and reports', async () => {
    await runNightlyOnCluster(cluster, warehouse, { date: days[2]!, input: fleetDir(), thresholds: DEFAULT_THRESHOLDS });
    await expectEqualToDuckDB(cluster);
    await expectReportsEqual(warehouse, days[2]!);
    expect((await warehouse.one<{ n: number }>("SELECT count(*) AS n FROM context_runs WHERE kind = 'nightly'")).n).toBe(days.length);
  });

  // A retro run's record, metrics, reports and items, without its run id (each database numbers its
  // own), time and code version (another engineer's commit during the test changes it).
  const retroRows = async (db: Database, runId: number) => {
    const q = (sql: string) => db.all(sql, [runId]);
    return {
      run: await q('SELECT * EXCLUDE (run_id, created_at, code_version) FROM retro_runs WHERE run_id = $1'),
      metrics: await q('SELECT * EXCLUDE (run_id) FROM retro_metrics WHERE run_id = $1 ORDER BY group_by, group_value, metric'),
      reports: await q('SELECT * EXCLUDE (run_id) FROM context_reports WHERE run_id = $1 ORDER BY report_id'),
      items: await q('SELECT * EXCLUDE (run_id) FROM context_report_items WHERE run_id = $1 ORDER BY report_id, item_no'),
    };
  };
  const expectRetroEqual = async (thresholds: typeof DEFAULT_THRESHOLDS, baselines: string) => {
    const period = { from: days[0]!, to: days.at(-1)!, thresholds };
    const [a, b] = [await runRetro(duck, period), await runRetroOnCluster(cluster, warehouse, period)];
    expect([a.run.baselines, b.run.baselines]).toEqual([baselines, baselines]);
    const [x, y] = [await retroRows(duck, a.run.run_id), await retroRows(warehouse, b.run.run_id)];
    expect(x.reports.length).toBeGreaterThan(0);
    expect(x.metrics.length).toBeGreaterThan(0);
    expect(y.run).toEqual(x.run);
    expect(y.metrics).toEqual(x.metrics);
    expect(y.reports.length).toBe(x.reports.length);
    for (const [i, r] of x.reports.entries()) expect(y.reports[i], `report ${String((r as { report_id: string }).report_id)}`).toEqual(r);
    expect(y.items).toEqual(x.items);
    return a;
  };

  it('runs retro on the cluster: the same run, metrics and reports as DuckDB\'s retro, report by report', async () => {
    const a = await expectRetroEqual(DEFAULT_THRESHOLDS, 'stored');
    expect(a.run.labeled).toBe(true);
  });

  it('retro under another window rebuilds the baselines privately on the cluster: equal to DuckDB\'s, the nightly tables untouched', async () => {
    await expectRetroEqual(resolveThresholds({ baseline: { window_days: 2 }, burst: { quantile: 0.9 } }), 'rebuilt');
    await expectEqualToDuckDB(cluster);
    const dbs = await cluster.query<{ name: string }>("SELECT name FROM system.databases WHERE name LIKE 'alert_context_pit_%'");
    expect(dbs).toEqual([]);
  });

  it('runs tune on the cluster to the same grid points as DuckDB', async () => {
    const opts = { from: days[1]!, to: days.at(-1)!, base: DEFAULT_THRESHOLDS, axes: [{ key: 'rarity.max_fleet_hosts', values: [1, 3] }, { key: 'burst.factor', values: [2, 3] }] };
    const [a, b] = [await runTune(duck, opts), await runTuneOnCluster(cluster, warehouse, opts)];
    expect(a.points).toHaveLength(4);
    expect(b).toEqual(a);
  });

  it('is what `nightly --engine clickhouse --clickhouse-url URL,URL` runs; DuckDB stays the default', async () => {
    const db = join(tempDir(), 'warehouse.duckdb');
    const day = days[1]!;
    const r = runCli('nightly', '--engine', 'clickhouse', '--clickhouse-url', servers.urls.join(','), '--db', db, '--date', day, '--input', fleet, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ engine: 'clickhouse', date: day });
    const warehouseFile = await Database.open(db, 'existing');
    try {
      await expectReportsEqual(warehouseFile, day);
    } finally {
      warehouseFile.close();
    }
    // retro --engine clickhouse over that day: stored in the same warehouse, the nightly's reports again.
    const retro = runCli('retro', '--engine', 'clickhouse', '--clickhouse-url', servers.urls.join(','), '--db', db, '--from', day, '--to', day, '--json');
    expect([retro.code, retro.stderr]).toEqual([0, '']);
    const nightlyReports = await duck.one<{ n: number }>("SELECT count(*) AS n FROM context_reports r JOIN context_runs c USING (run_id) WHERE c.kind = 'nightly' AND c.period_from = $1::DATE", [day]);
    expect(JSON.parse(retro.stdout).run).toMatchObject({ period_from: day, baselines: 'stored', reports: nightlyReports.n });
    const misuse = runCli('nightly', '--clickhouse-url', servers.urls[0]!, '--db', db, '--date', day);
    expect([misuse.code, misuse.stderr.trim()]).toEqual([2, 'alert-context: --clickhouse-url: needs --engine clickhouse']);
  });

  it('fails cleanly, naming the shard, when one shard is killed mid-run; a rerun after its restart gives the same result', async () => {
    const day = days[3]!;
    let killed: Promise<void> | undefined;
    const failed = await runNightlyOnCluster(cluster, warehouse, {
      date: day, input: fleetDir(), thresholds: DEFAULT_THRESHOLDS,
      onStage: (stage) => { if (stage === 'baseline') killed ??= servers.kill(1); },
    }).then(() => undefined, (e: unknown) => e);
    await killed;
    expect(failed).toBeInstanceOf(ClickHouseError);
    expect((failed as Error).message).toMatch(/^clickhouse http:\/\/127\.0\.0\.1:\d+: /);
    await servers.restart(1);
    const again = await ClickHouseCluster.connect({ urls: servers.urls });
    try {
      await runNightlyOnCluster(again, warehouse, { date: day, input: fleetDir(), thresholds: DEFAULT_THRESHOLDS });
      await expectEqualToDuckDB(again);
      await expectReportsEqual(warehouse, day);
    } finally {
      await again.close();
    }
  });
});
