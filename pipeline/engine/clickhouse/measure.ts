// Per-stage throughput of the fleet-wide stages on a local ClickHouse cluster of 1 and of 2 shards,
// and of DuckDB on the same events, in process, with each model's peak memory, for docs/scale-out.md.
// make bench's ClickHouse section (bench/clickhouse.ts) runs the CLI end to end instead. Run by hand:
//   node_modules/.bin/tsx pipeline/engine/clickhouse/measure.ts [--hosts 50] [--days 5] [--shards 1,2] [--buckets 1]
// Prints one JSON object per line (one per engine/shard count) and a table.
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS } from '../../../models/thresholds.js';
import { loadavg } from 'node:os';
import { aggregateDays, buildBaselines, scoreDays } from '../../baseline/build-baselines.js';
import { makeContextReports } from '../../context/make-reports.js';
import { addDays } from '../../dates.js';
import { Database } from '../../db.js';
import { GENERATE_DEFAULTS, generateFleet } from '../../generate/generate-fleet.js';
import { loadFiles } from '../../load/load-files.js';
import { ClickHouseCluster } from './cluster.js';
import { contextOnCluster } from './context-session.js';
import { copyEventsToCluster } from './load.js';
import { startLocalCluster } from './local-cluster.js';
import { aggregateDaysOnCluster, buildBaselinesOnCluster, createClickHouseSchema } from './stages.js';

const { values } = parseArgs({ options: { hosts: { type: 'string', default: '50' }, days: { type: 'string', default: '5' }, shards: { type: 'string', default: '1,2' }, buckets: { type: 'string', default: '1' } } });
const hosts = Number(values.hosts);
const nDays = Number(values.days);

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await work();
  return [r, (performance.now() - t0) / 1000];
}

const dir = mkdtempSync(join(tmpdir(), 'ac-measure-'));
try {
  const { days } = await generateFleet({ ...GENERATE_DEFAULTS, hosts, days: nDays, out: join(dir, 'fleet') });
  const [first, last] = [days[0]!, days.at(-1)!];
  const db = await Database.open(':memory:');
  const [, loadS] = await timed(() => loadFiles(db, { inputs: [join(dir, 'fleet')], format: 'auto' }));
  const ev = await db.one<{ p: number; l: number }>('SELECT (SELECT count(*) FROM process_events) AS p, (SELECT count(*) FROM logon_events) AS l');
  const [, aggS] = await timed(() => aggregateDays(db, first, last));
  const [, baseS] = await timed(() => buildBaselines(db, first, addDays(last, 1), DEFAULT_THRESHOLDS));
  // The last day's scores and context reports (what a nightly day does after its baselines).
  const [, scoreS] = await timed(() => scoreDays(db, last, last, DEFAULT_THRESHOLDS));
  const [made, ctxS] = await timed(() => makeContextReports(db, last, last, DEFAULT_THRESHOLDS, 'measure'));
  const results: Record<string, unknown>[] = [{
    engine: 'duckdb', hosts, days: nDays, process_events: ev.p, logon_events: ev.l, load_s: loadS, aggregate_s: aggS, baseline_s: baseS,
    last_day_score_context_s: scoreS + ctxS, reports: made.reports, loadavg: loadavg()[0],
  }];
  console.log(JSON.stringify(results[0]));
  for (const shards of values.shards!.split(',').map(Number)) {
    const servers = await startLocalCluster({ shards });
    try {
      const c = await ClickHouseCluster.connect({ urls: servers.urls });
      await createClickHouseSchema(c);
      const [, copyS] = await timed(() => copyEventsToCluster(c, db));
      const [, chAggS] = await timed(() => aggregateDaysOnCluster(c, first, last, Number(values.buckets)));
      const [, chBaseS] = await timed(() => buildBaselinesOnCluster(c, first, addDays(last, 1), DEFAULT_THRESHOLDS));
      const bytes = await c.query<{ table: string; rows: number; bytes: number }>(
        `SELECT table, sum(rows) AS rows, sum(bytes) AS bytes FROM system.parts WHERE active AND database = currentDatabase() AND table = 'process_events_local' GROUP BY table`);
      const onDisk = (await Promise.all(servers.urls.map((_, i) => c.query<{ bytes: number }>(
        `SELECT sum(bytes) AS bytes FROM system.parts WHERE active AND database = currentDatabase() AND table IN ('process_events_local', 'logon_events_local')`, i))))
        .reduce((a, r) => a + Number(r[0]?.bytes ?? 0), 0);
      const [ctx, chCtxS] = await timed(() => contextOnCluster(c, db, last, DEFAULT_THRESHOLDS, 'measure'));
      ctx.session.close();
      // Each shard's own statements: time, rows read and peak memory per model (system.query_log).
      const perShard = await Promise.all(servers.urls.map(async (_, i) => {
        if (process.env.AC_MEASURE_NO_LOG) return [];
        await c.commandOnShard(i, 'SYSTEM FLUSH LOGS', 'flush logs');
        return c.query<{ target: string; ms: number; read_rows: number; peak_mb: number }>(
          `SELECT extract(query, 'INSERT INTO ([a-z_]+)') AS target, sum(query_duration_ms) AS ms, sum(read_rows) AS read_rows,
                  round(max(memory_usage) / 1048576, 1) AS peak_mb
           FROM system.query_log WHERE type = 2 AND target != '' GROUP BY target ORDER BY target`, i);
      }));
      const r = {
        engine: 'clickhouse', shards, host_buckets: Number(values.buckets), hosts, days: nDays, process_events: ev.p, copy_s: copyS, aggregate_s: chAggS, baseline_s: chBaseS,
        last_day_pull_score_context_s: chCtxS, reports: ctx.result.reports, per_shard: perShard, event_bytes_on_disk: onDisk, shard1_process_rows: bytes[0]?.rows, loadavg: loadavg()[0],
      };
      results.push(r);
      console.log(JSON.stringify(r));
      await c.close();
    } finally {
      await servers.stop();
    }
  }
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
