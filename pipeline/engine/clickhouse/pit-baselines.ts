// Point-in-time baselines for retro and tune on a cluster. The nightly snapshots are used when
// they were built with the run's window and burst quantile (as on DuckDB: point-in-time/baselines.ts);
// otherwise they are rebuilt, as range sums over the daily rows (the baseline models of
// sql/clickhouse/baseline/), into a private database of the run, which reads the cluster's daily
// aggregates through views and is dropped at the end: the nightly tables are never touched.
import { randomBytes } from 'node:crypto';
import type { Thresholds } from '../../../models/thresholds.js';
import { UserError } from '../../errors.js';
import type { BaselineSource } from '../../point-in-time/baselines.js';
import { ClickHouseCluster } from './cluster.js';
import { chIdent } from './cluster-names.js';
import { buildBaselinesOnCluster, CLICKHOUSE_TABLES } from './stages.js';

/** The shard-local daily aggregates the baseline models read (each shard its own hosts'). */
const SHARD_AGGREGATES = ['agg_template_daily', 'agg_process_daily', 'agg_parent_child_daily', 'agg_logon_daily', 'agg_minute_daily'];

/**
 * Refuse a period nightly has not run on the cluster: a day of [from, to] with events but no daily
 * aggregates or no baseline snapshot. Then whether the stored snapshots fit `t`. ac_params holds
 * the period, the window and the quantile (setParams) when this is called.
 */
export async function storedOrRebuilt(c: ClickHouseCluster, what: string, from: string, to: string): Promise<BaselineSource> {
  const missing = await c.query<{ missing_day: string }>(`
    SELECT toString(day) AS missing_day FROM (
      SELECT DISTINCT day FROM process_events WHERE day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
    )
    WHERE day NOT IN (SELECT day FROM agg_days WHERE day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params))
       OR day NOT IN (SELECT as_of FROM baseline_runs WHERE as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params))
    ORDER BY day`);
  if (missing.length > 0) {
    const some = missing.slice(0, 3).map((m) => m.missing_day).join(', ');
    throw new UserError(`${what} ${from}..${to}: ${missing.length} day(s) with events were never run by nightly on the cluster (${some}${missing.length > 3 ? ', ...' : ''}): run nightly --engine clickhouse for them first`);
  }
  // as DuckDB's pointInTimeBaselines: the days with events read a baseline, the others none
  const [same] = await c.query<{ n: number; needed: number }>(`
    SELECT countIf(window_days = (SELECT window_days FROM ac_params) AND burst_quantile = (SELECT burst_quantile FROM ac_params)) AS n,
           (SELECT count() FROM (SELECT DISTINCT day FROM agg_days
                                 WHERE day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
                                   AND (process_events > 0 OR logon_events > 0))) AS needed
    FROM (SELECT DISTINCT as_of, window_days, burst_quantile FROM baseline_runs
          WHERE as_of GLOBAL IN (SELECT day FROM agg_days
                          WHERE day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
                            AND (process_events > 0 OR logon_events > 0)))`);
  return Number(same?.n ?? 0) === Number(same?.needed ?? 0) ? 'stored' : 'rebuilt';
}

export interface PrivateBaselines { database: string; drop: () => Promise<void> }

/**
 * The baseline snapshots as of every day of [from, to] under `t`, in a new private database on
 * every shard: views over the cluster's daily aggregates, the baseline tables, the models. The
 * caller reads them (pullSession's baselineDatabase) and calls drop.
 */
export async function rebuildPrivateBaselines(c: ClickHouseCluster, from: string, to: string, t: Thresholds): Promise<PrivateBaselines> {
  const database = `${c.database}_pit_${randomBytes(6).toString('hex')}`;
  const main = chIdent(c.database);
  const pit = await ClickHouseCluster.connect({ urls: c.urls, cluster: c.cluster, database });
  const drop = async () => {
    try {
      await pit.commandOnEveryShard(`DROP DATABASE IF EXISTS ${chIdent(database)}`, `drop ${database}`);
    } finally {
      await pit.close();
    }
  };
  try {
    for (const a of SHARD_AGGREGATES) await pit.commandOnEveryShard(`CREATE VIEW ${chIdent(`${a}_local`)} AS SELECT * FROM ${main}.${chIdent(`${a}_local`)}`, `view ${a}`);
    await pit.commandOnShard(0, `CREATE VIEW agg_days AS SELECT * FROM ${main}.agg_days`, 'view agg_days');
    for (const table of CLICKHOUSE_TABLES.filter((n) => n.startsWith('baseline_'))) {
      await Promise.all(c.urls.map((_, i) => pit.runModel(i, `schema/${table}.sql`)));
    }
    await buildBaselinesOnCluster(pit, from, to, t);
    return { database, drop };
  } catch (e) {
    await drop();
    throw e;
  }
}
