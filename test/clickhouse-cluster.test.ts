import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listValue } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { runNightly } from '../pipeline/jobs/nightly.js';
import { addDays } from '../pipeline/dates.js';
import type { Database } from '../pipeline/db.js';
import { ClickHouseCluster, ClickHouseError } from '../pipeline/engine/clickhouse/cluster.js';
import { contextOnCluster, spanDays } from '../pipeline/engine/clickhouse/context-session.js';
import { copyEventsToCluster } from '../pipeline/engine/clickhouse/load.js';
import type { LocalCluster } from '../pipeline/engine/clickhouse/local-cluster.js';
import { startLocalCluster } from '../pipeline/engine/clickhouse/local-cluster.js';
import { aggregateDaysOnCluster, buildBaselinesOnCluster, createClickHouseSchema } from '../pipeline/engine/clickhouse/stages.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';
import { COMPARED_TABLES, clusterRows, duckRows } from './clickhouse-compare.js';
import { chTemplateExpression } from '../pipeline/engine/clickhouse/template-sql.js';
import { FIXTURES, memoryDb, tempDir } from './helpers.js';

// A real two-shard ClickHouse cluster (Debian's clickhouse-server 18.16, two processes on loopback
// ports, each its own data folder, one remote_servers config) against DuckDB on the same fleet.
describe('the fleet-wide stages on a two-shard ClickHouse cluster', () => {
  let servers: LocalCluster;
  let cluster: ClickHouseCluster;
  let duck: Database;
  let days: string[];

  beforeAll(async () => {
    const fleet = tempDir();
    [servers, { days }] = await Promise.all([
      startLocalCluster({ shards: 2 }),
      generateFleet({ ...GENERATE_DEFAULTS, hosts: 10, days: 5, out: fleet, attackRate: 0.1 }),
    ]);
    duck = await memoryDb();
    await runNightly(duck, { date: days[0]!, to: days.at(-1)!, input: fleet, thresholds: DEFAULT_THRESHOLDS });
    cluster = await ClickHouseCluster.connect({ urls: servers.urls });
    await createClickHouseSchema(cluster);
  });
  afterAll(async () => {
    await cluster?.close();
    duck?.close();
    await servers?.stop();
  });

  const runOnCluster = async (c: ClickHouseCluster) => {
    await aggregateDaysOnCluster(c, days[0]!, days.at(-1)!);
    await buildBaselinesOnCluster(c, days[0]!, addDays(days.at(-1)!, 1), DEFAULT_THRESHOLDS);
  };
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
      .concat(['a § b', 'C:\\Users\\x\\§1234567890abcdefXYZ.tmp', '  \\??\\C:\\Windows\\Temp\\ab12cd34\\ab12cd34.cmdline', '\\??\\\\??\\x 123 456 7890', 'ÄÖ C:\\USERS\\Ünïcode\\a.exe']);
    await cluster.commandOnShard(0, 'CREATE TEMPORARY TABLE IF NOT EXISTS golden_lines (i UInt32, line String) ENGINE = Memory', 'golden lines');
    await cluster.insert('golden_lines', lines.map((line, i) => ({ i, line })));
    const ch = await cluster.query<{ i: number; t: string }>(`SELECT i, ${chTemplateExpression('line')} AS t FROM golden_lines ORDER BY i`);
    const duckTemplates = await duck.all<{ t: string }>('SELECT ac_template(line) AS t FROM unnest($1::VARCHAR[]) WITH ORDINALITY AS u(line, i) ORDER BY i', [listValue(lines)]);
    expect(ch.map((r) => r.t)).toEqual(duckTemplates.map((r) => r.t));
    expect(ch.slice(0, golden.otrf.length + golden.spec.length).map((r) => r.t)).toEqual([...golden.otrf, ...golden.spec].map((g) => g.out));
  });

  it('holds every host on one shard, both shards used', async () => {
    const copied = await copyEventsToCluster(cluster, duck);
    const events = await duck.one<{ p: number; l: number }>('SELECT (SELECT count(*) FROM process_events) AS p, (SELECT count(*) FROM logon_events) AS l');
    expect(copied.process_events).toBe(events.p);
    expect(copied.logon_events).toBe(events.l);
    const perShard = await Promise.all([0, 1].map((i) => cluster.query<{ hosts: number; n: number }>('SELECT uniqExact(host) AS hosts, count() AS n FROM process_events_local', i)));
    expect(perShard.every((r) => r[0]!.hosts > 0)).toBe(true);
    expect(perShard[0]![0]!.hosts + perShard[1]![0]!.hosts).toBe(10);
    expect(perShard[0]![0]!.n + perShard[1]![0]!.n).toBe(events.p);
  });

  it('gives DuckDB\'s daily aggregates and point-in-time baselines, table by table; a rerun changes nothing', async () => {
    await runOnCluster(cluster);
    await expectEqualToDuckDB(cluster);
    expect((await clusterRows(cluster, 'baseline_template')).length).toBeGreaterThan(100);
    // Loading the same events again and rerunning a day: the same tables.
    await copyEventsToCluster(cluster, duck);
    await aggregateDaysOnCluster(cluster, days[2]!, days[2]!);
    await buildBaselinesOnCluster(cluster, days[2]!, days[3]!, DEFAULT_THRESHOLDS);
    await expectEqualToDuckDB(cluster);
  });

  it('gives DuckDB\'s scores and every context report, each alert\'s context made from its host\'s rows pulled into DuckDB', async () => {
    let reports = 0;
    for (const day of days) {
      const { session, result } = await contextOnCluster(cluster, duck, day, DEFAULT_THRESHOLDS);
      try {
        const hosts = (await session.all<{ host: string }>('SELECT DISTINCT host FROM alerts')).map((r) => r.host);
        const from = addDays(day, -spanDays(DEFAULT_THRESHOLDS));
        const scored = [
          ['process_rarity', 'day BETWEEN $1::DATE AND $2::DATE'],
          ['logon_rarity', 'day BETWEEN $1::DATE AND $2::DATE'],
          ['host_bursts', 'minute::DATE BETWEEN $1::DATE AND $2::DATE'],
        ] as const;
        for (const [table, when] of scored) {
          const sql = `SELECT * FROM ${table} WHERE ${when} AND list_contains($3::VARCHAR[], host) ORDER BY ALL`;
          const [a, b] = await Promise.all([duck.all(sql, [from, day, listValue(hosts)]), session.all(sql, [from, day, listValue(hosts)])]);
          expect(b, `${table} ${day}`).toEqual(a);
        }
        const run = await duck.one<{ run_id: number }>("SELECT run_id FROM context_runs WHERE kind = 'nightly' AND period_from = $1::DATE", [day]);
        for (const [table, order] of [['context_reports', 'report_id'], ['context_report_items', 'report_id, item_no']] as const) {
          const sql = `SELECT * EXCLUDE (run_id) FROM ${table} WHERE run_id = $1 ORDER BY ${order}`;
          const [a, b] = await Promise.all([duck.all(sql, [run.run_id]), session.all(sql, [result.runId])]);
          expect(b, `${table} ${day}`).toEqual(a);
          if (table === 'context_reports') reports += a.length;
        }
      } finally {
        session.close();
      }
    }
    expect(reports).toBeGreaterThan(0);
  });

  it('fails cleanly, naming the shard, when one shard is down; a rerun after its restart gives the same tables', async () => {
    await servers.kill(1);
    const failed = await runOnCluster(cluster).then(() => undefined, (e: unknown) => e);
    expect(failed).toBeInstanceOf(ClickHouseError);
    expect((failed as Error).message).toMatch(/^clickhouse http:\/\/127\.0\.0\.1:\d+: /);
    await servers.restart(1);
    const again = await ClickHouseCluster.connect({ urls: servers.urls });
    try {
      await runOnCluster(again);
      await expectEqualToDuckDB(again);
    } finally {
      await again.close();
    }
  });
});
