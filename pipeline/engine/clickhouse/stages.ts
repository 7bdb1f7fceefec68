import { WELL_KNOWN_LOGON_IDS } from '../../../models/context-jobs.js';
import type { Thresholds } from '../../../models/thresholds.js';
import { addDays, checkDate } from '../../dates.js';
import type { ClickHouseCluster } from './cluster.js';
import { chIdent } from './cluster-names.js';

/** Every table of sql/clickhouse/schema/, in creation order (a local table, then its Distributed). */
export const CLICKHOUSE_TABLES = [
  'process_events', 'logon_events',
  'agg_template_daily', 'agg_process_daily', 'agg_parent_child_daily', 'agg_logon_daily', 'agg_minute_daily', 'agg_days',
  'baseline_runs', 'baseline_template', 'baseline_host_template', 'baseline_process', 'baseline_parent_child',
  'baseline_logon', 'baseline_host_logon', 'baseline_host_burst', 'baseline_process_state', 'baseline_parent_child_state',
] as const;

const AGGREGATE_TABLES = ['agg_template_daily', 'agg_process_daily', 'agg_parent_child_daily', 'agg_logon_daily', 'agg_minute_daily', 'agg_days'];
const BASELINE_TABLES = CLICKHOUSE_TABLES.filter((t) => t.startsWith('baseline_'));

/** Made on each shard from its own hosts' rows: nothing crosses the network. */
const SHARD_AGGREGATES = ['agg_template_daily', 'agg_process_daily', 'agg_parent_child_daily', 'agg_logon_daily', 'agg_minute_daily'];
/** Fleet-wide: the coordinator reads every shard through the Distributed tables. */
const FLEET_AGGREGATES = ['agg_days'];
const SHARD_BASELINES = ['baseline_host_template', 'baseline_host_logon', 'baseline_host_burst', 'baseline_process_state', 'baseline_parent_child_state'];
const FLEET_BASELINES = ['baseline_runs', 'baseline_template', 'baseline_process', 'baseline_parent_child', 'baseline_logon'];

/** Create every table where missing, once per connection. */
export async function createClickHouseSchema(c: ClickHouseCluster): Promise<void> {
  if (c.schemaReady) return;
  for (const t of CLICKHOUSE_TABLES) {
    await Promise.all(Array.from({ length: c.shardCount }, (_, i) => c.runModel(i, `schema/${t}.sql`)));
  }
  c.schemaReady = true;
}

function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = checkDate(from, 'from'); d <= checkDate(to, 'to'); d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * Remove the rows of the days [from, to] from tables partitioned by day (or as_of), on every shard:
 * a rerun replaces them. The partition id is the day's digits, from a checked date: it is the only
 * value-like text written into ClickHouse SQL (DROP PARTITION takes no parameter).
 */
export async function dropDays(c: ClickHouseCluster, tables: readonly string[], from: string, to: string): Promise<void> {
  const ids = daysOf(from, to).map((day) => day.replace(/-/g, ''));
  if (!ids.every((id) => /^\d{8}$/.test(id))) throw new Error(`not days: ${from}..${to}`);
  const drops = ids.map((id) => `DROP PARTITION ID '${id}'`).join(', ');
  for (const t of tables) await c.commandOnEveryShard(`ALTER TABLE ${chIdent(`${t}_local`)} ${drops}`, `drop ${t} ${from}..${to}`);
}

/** The aggregates whose memory grows with a statement's events: run host bucket by host bucket. */
const BUCKETED_AGGREGATES = new Set(['agg_template_daily', 'agg_minute_daily']);

/**
 * Recompute the daily aggregates of the UTC days [from, to]: each shard from its own events, then
 * agg_days. `hostBuckets` splits the two memory-heavy statements by host hash (docs/scale-out.md):
 * peak memory divides by it, the rows are the same.
 */
export async function aggregateDaysOnCluster(c: ClickHouseCluster, from: string, to: string, hostBuckets = 1): Promise<void> {
  if (!Number.isInteger(hostBuckets) || hostBuckets < 1) throw new Error(`host buckets: ${hostBuckets}`);
  await dropDays(c, AGGREGATE_TABLES, from, to);
  const params = { from, to, well_known_logons: WELL_KNOWN_LOGON_IDS };
  for (const m of SHARD_AGGREGATES) {
    const buckets = BUCKETED_AGGREGATES.has(m) ? hostBuckets : 1;
    for (let bucket = 0; bucket < buckets; bucket++) {
      await c.setParams({ ...params, host_buckets: buckets, host_bucket: bucket });
      await c.runOnEveryShard(`aggregates/${m}.sql`);
    }
  }
  await c.setParams(params);
  for (const m of FLEET_AGGREGATES) await c.runOnCoordinator(`aggregates/${m}.sql`);
}

/** The baseline snapshots as of every day in [fromAsOf, toAsOf]: per-host ones on each shard, then the fleet's. */
export async function buildBaselinesOnCluster(c: ClickHouseCluster, fromAsOf: string, toAsOf: string, t: Thresholds): Promise<void> {
  await dropDays(c, BASELINE_TABLES, fromAsOf, toAsOf);
  await c.setParams({ from: fromAsOf, to: toAsOf, window_days: t.baseline.window_days, burst_quantile: t.burst.quantile });
  for (const m of SHARD_BASELINES) await c.runOnEveryShard(`baseline/${m}.sql`);
  for (const m of FLEET_BASELINES) await c.runOnCoordinator(`baseline/${m}.sql`);
}
