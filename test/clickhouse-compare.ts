import type { Database } from '../pipeline/db.js';
import type { ClickHouseCluster } from '../pipeline/engine/clickhouse/cluster.js';

/**
 * The aggregate and baseline tables of both engines as comparable rows: the same columns in the
 * same order, days as text, times as microseconds (ClickHouse 18.16 stores them so), sorted.
 */
const TABLES: Record<string, { duck: string; ch: string }> = {
  agg_template_daily: { duck: 'day::VARCHAR, host, template, process_name, events, epoch_us(first_ts)', ch: 'toString(day), host, template, process_name, events, first_ts_us' },
  agg_process_daily: { duck: 'day::VARCHAR, host, process_name, events, machine_events', ch: 'toString(day), host, process_name, events, machine_events' },
  agg_parent_child_daily: { duck: 'day::VARCHAR, host, parent_name, process_name, events', ch: 'toString(day), host, parent_name, process_name, events' },
  agg_logon_daily: { duck: 'day::VARCHAR, host, user_name, source, logon_type, outcome, events', ch: 'toString(day), host, user_name, source, logon_type, outcome, events' },
  agg_minute_daily: { duck: 'day::VARCHAR, host, distinct_processes, minutes', ch: 'toString(day), host, distinct_processes, minutes' },
  agg_days: { duck: 'day::VARCHAR, process_events, logon_events, hosts', ch: 'toString(day), process_events, logon_events, hosts' },
  baseline_runs: {
    duck: 'as_of::VARCHAR, window_days, history_days, fleet_hosts, first_day::VARCHAR, last_day::VARCHAR, burst_quantile',
    ch: 'toString(as_of), window_days, history_days, fleet_hosts, toString(first_day), toString(last_day), burst_quantile',
  },
  baseline_template: { duck: 'as_of::VARCHAR, template, hosts, host_days, events, epoch_us(first_seen)', ch: 'toString(as_of), template, hosts, host_days, events, first_seen_us' },
  baseline_host_template: { duck: 'as_of::VARCHAR, host, template, days, events, epoch_us(first_seen)', ch: 'toString(as_of), host, template, days, events, first_seen_us' },
  baseline_process: { duck: 'as_of::VARCHAR, process_name, hosts, events, machine_events', ch: 'toString(as_of), process_name, hosts, events, machine_events' },
  baseline_parent_child: { duck: 'as_of::VARCHAR, parent_name, process_name, hosts, events, host_days', ch: 'toString(as_of), parent_name, process_name, hosts, events, host_days' },
  baseline_logon: { duck: 'as_of::VARCHAR, user_name, source, hosts, events', ch: 'toString(as_of), user_name, source, hosts, events' },
  baseline_host_logon: { duck: 'as_of::VARCHAR, host, user_name, source, days, events', ch: 'toString(as_of), host, user_name, source, days, events' },
  baseline_host_burst: { duck: 'as_of::VARCHAR, host, active_minutes, quantile_distinct, max_distinct', ch: 'toString(as_of), host, active_minutes, quantile_distinct, max_distinct' },
};
export const COMPARED_TABLES = Object.keys(TABLES);

function rowsText(rows: Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify(Object.values(r).map((v) => (typeof v === 'bigint' ? Number(v) : v)))).sort();
}

/** Every row of a table in DuckDB, as sorted JSON lines. */
export async function duckRows(db: Database, table: string): Promise<string[]> {
  return rowsText(await db.all(`SELECT ${TABLES[table]!.duck} FROM ${table}`));
}

/** Every row of a table across the cluster (its Distributed table), as sorted JSON lines. */
export async function clusterRows(c: ClickHouseCluster, table: string): Promise<string[]> {
  return rowsText(await c.query<Record<string, unknown>>(`SELECT ${TABLES[table]!.ch} FROM ${table}`));
}
