// make bench, the ClickHouse section (issue 18): one generated fleet through the CLI on DuckDB (the
// reference) and with --engine clickhouse on a local cluster of one shard and of two, every server
// on this machine. Per engine: nightly over every day (per stage, summed over the days), retro over
// the period and a small tune sweep, each a process under /usr/bin/time; per shard, its events and
// its statements' time and peak memory from system.query_log. Skipped, with the reason, when
// clickhouse-server is not installed.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../pipeline/dates.js';
import { ClickHouseCluster } from '../pipeline/engine/clickhouse/cluster.js';
import { CLICKHOUSE_SERVER, startLocalCluster } from '../pipeline/engine/clickhouse/local-cluster.js';

interface Timed { seconds: number; peak_rss_mb: number; stdout: string }

/** What run-bench.ts lends this section: its CLI runner, its fleet cache, its log, its folders. */
export interface BenchTools {
  cli(args: string[]): Timed;
  fleet(hosts: number, days: number): { dir: string };
  log(message: string): void;
  dbDir: string;
  start: string;
}

const TUNE_GRID = ['--grid', 'rarity.max_fleet_hosts=1,2,3', '--grid', 'burst.factor=2,3'];

/** nightly, retro and tune over the fleet on one engine (engineArgs: none for DuckDB). */
function engineRun(t: BenchTools, name: string, fleetDir: string, days: number, engineArgs: string[]): Record<string, unknown> {
  const db = join(t.dbDir, `clickhouse-bench-${name}.duckdb`);
  for (const p of [db, `${db}.wal`]) rmSync(p, { force: true });
  // The cluster's nightly has no Sigma stage: DuckDB's runs without it too, like for like.
  const config = join(t.dbDir, 'clickhouse-bench-config.json');
  writeFileSync(config, '{ "detect": { "nightly": false } }\n');
  const period = ['--from', t.start, '--to', addDays(t.start, days - 1)];
  const common = ['--db', db, '--config', config, ...engineArgs, '--json'];
  const nightly = t.cli(['nightly', '--date', t.start, '--to', addDays(t.start, days - 1), '--input', fleetDir, ...common]);
  const stages = (JSON.parse(nightly.stdout) as { stages: { stage: string; seconds: number }[] }).stages;
  t.log(`clickhouse bench ${name}: nightly ${nightly.seconds} s`);
  const retro = t.cli(['retro', ...period, ...common]);
  const run = (JSON.parse(retro.stdout) as { run: { alerts: number; reports: number } }).run;
  t.log(`clickhouse bench ${name}: retro ${retro.seconds} s`);
  const tune = t.cli(['tune', ...period, ...TUNE_GRID, ...common]);
  t.log(`clickhouse bench ${name}: tune ${tune.seconds} s`);
  return {
    engine: name, loadavg_after: +loadavg()[0]!.toFixed(1),
    nightly: { seconds: nightly.seconds, peak_rss_mb: nightly.peak_rss_mb, stages: Object.fromEntries(stages.map((s) => [s.stage, +s.seconds.toFixed(2)])) },
    retro: { seconds: retro.seconds, peak_rss_mb: retro.peak_rss_mb, alerts: run.alerts, reports: run.reports },
    tune: { seconds: tune.seconds, peak_rss_mb: tune.peak_rss_mb, points: (JSON.parse(tune.stdout) as { points: unknown[] }).points.length },
  };
}

/** Each shard's events and its own statements (INSERT ... SELECT of the models): time, rows read, peak memory. */
async function perShard(urls: string[]): Promise<Record<string, unknown>[]> {
  const c = await ClickHouseCluster.connect({ urls });
  try {
    return await Promise.all(urls.map(async (_, i) => {
      await c.commandOnShard(i, 'SYSTEM FLUSH LOGS', 'flush logs');
      const [events] = await c.query<{ n: number; hosts: number }>('SELECT count() AS n, uniqExact(host) AS hosts FROM process_events_local', i);
      const [q] = await c.query<{ seconds: number; read_rows: number; peak_mb: number }>(
        `SELECT round(sum(query_duration_ms) / 1000, 2) AS seconds, sum(read_rows) AS read_rows, round(max(memory_usage) / 1048576, 1) AS peak_mb
         FROM system.query_log WHERE type = 2 AND match(query, '^INSERT INTO [a-z_]+[[:space:]]+SELECT')`, i);
      return { shard: i + 1, hosts: Number(events?.hosts), process_events: Number(events?.n), statements_seconds: q?.seconds, read_rows: Number(q?.read_rows), peak_statement_mb: q?.peak_mb };
    }));
  } finally {
    await c.close();
  }
}

/** The section's results (results.json clickhouse): DuckDB, one shard, two shards. */
export async function clickhouseBench(t: BenchTools, hosts: number, days: number): Promise<Record<string, unknown>> {
  if (!existsSync(CLICKHOUSE_SERVER)) {
    const skipped = `${CLICKHOUSE_SERVER} is not installed (Debian's clickhouse-server; make test installs it): the ClickHouse section is skipped`;
    t.log(skipped);
    return { skipped };
  }
  const f = t.fleet(hosts, days);
  mkdirSync(t.dbDir, { recursive: true });
  const runs: Record<string, unknown>[] = [engineRun(t, 'duckdb', f.dir, days, [])];
  for (const shards of [1, 2]) {
    const servers = await startLocalCluster({ shards });
    try {
      const run = engineRun(t, `clickhouse-${shards}-shard${shards > 1 ? 's' : ''}`, f.dir, days, ['--engine', 'clickhouse', '--clickhouse-url', servers.urls.join(',')]);
      runs.push({ ...run, shards: await perShard(servers.urls) });
    } finally {
      await servers.stop();
    }
  }
  return { hosts, days, note: 'every server on this machine: the shards share its cores', runs };
}
