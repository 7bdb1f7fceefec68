import type { Thresholds } from '../../models/thresholds.js';
import type { Database } from '../db.js';
import { sqlFile } from '../db.js';

const AGGREGATE_MODELS = [
  'aggregates/period_templates.sql',
  'aggregates/agg_template_daily.sql',
  'aggregates/agg_process_daily.sql',
  'aggregates/agg_parent_child_daily.sql',
  'aggregates/agg_logon_daily.sql',
  'aggregates/agg_minute_daily.sql',
  'aggregates/agg_days.sql',
];
const BASELINE_MODELS = [
  'baseline/baseline_runs.sql',
  'baseline/baseline_template.sql',
  'baseline/baseline_process.sql',
  'baseline/baseline_logon.sql',
  'baseline/baseline_burst.sql',
];

export { addDays } from '../dates.js';

async function setRange(db: Database, from: string, to: string): Promise<void> {
  await db.run('SET VARIABLE ac_from = $1::DATE', [from]);
  await db.run('SET VARIABLE ac_to = $1::DATE', [to]);
}

/** Recompute the daily aggregates of the UTC days [from, to] from the events of those days only. */
export async function aggregateDays(db: Database, from: string, to: string): Promise<number> {
  await setRange(db, from, to);
  for (const model of AGGREGATE_MODELS) await db.exec(sqlFile(model));
  // Remember, in this session, which days period_templates covers.
  await db.run('SET VARIABLE ac_templates_range = $1', [`${from}..${to}`]);
  const r = await db.one<{ n: number }>('SELECT count(*) AS n FROM agg_template_daily WHERE day BETWEEN $1::DATE AND $2::DATE', [from, to]);
  return r.n;
}

/** Build the baseline snapshots as of every day in [fromAsOf, toAsOf], merged from the aggregates. */
export async function buildBaselines(db: Database, fromAsOf: string, toAsOf: string, t: Thresholds): Promise<number> {
  await setRange(db, fromAsOf, toAsOf);
  await db.run('SET VARIABLE ac_window_days = $1::INTEGER', [t.baseline.window_days]);
  await db.run('SET VARIABLE ac_burst_quantile = $1::DOUBLE', [t.burst.quantile]);
  for (const model of BASELINE_MODELS) await db.exec(sqlFile(model));
  const r = await db.one<{ n: number }>('SELECT count(*) AS n FROM baseline_template WHERE as_of BETWEEN $1::DATE AND $2::DATE', [fromAsOf, toAsOf]);
  return r.n;
}

const SCORE_MODELS = ['score/process_rarity.sql', 'score/logon_rarity.sql', 'score/host_bursts.sql'];

/**
 * Score the process events, logons and busy minutes of the days [from, to], each against the
 * baseline as of its own day (which must exist: buildBaselines over the same days).
 */
export async function scoreDays(db: Database, from: string, to: string, t: Thresholds): Promise<number> {
  await setRange(db, from, to);
  await db.run('SET VARIABLE ac_prior = $1::DOUBLE', [t.rarity.prior_hosts]);
  await db.run('SET VARIABLE ac_max_fleet_hosts = $1::INTEGER', [t.rarity.max_fleet_hosts]);
  await db.run('SET VARIABLE ac_max_fleet_share = $1::DOUBLE', [t.rarity.max_fleet_share]);
  await db.run('SET VARIABLE ac_max_host_days = $1::INTEGER', [t.rarity.max_host_days]);
  await db.run('SET VARIABLE ac_min_history_days = $1::INTEGER', [t.baseline.min_history_days]);
  await db.run('SET VARIABLE ac_min_fleet_hosts = $1::INTEGER', [t.baseline.min_fleet_hosts]);
  await db.run('SET VARIABLE ac_burst_factor = $1::DOUBLE', [t.burst.factor]);
  await db.run('SET VARIABLE ac_burst_min_distinct = $1::INTEGER', [t.burst.min_distinct]);
  await db.run('SET VARIABLE ac_burst_quantile = $1::DOUBLE', [t.burst.quantile]);
  // The templates of the period's lines: made by aggregateDays for the same days, else made here.
  const made = await db.one<{ range: string | null; tables: number }>(
    `SELECT getvariable('ac_templates_range') AS range,
            (SELECT count(*) FROM duckdb_tables() WHERE table_name = 'period_templates' AND temporary) AS tables`,
  );
  if (made.range !== `${from}..${to}` || made.tables === 0) {
    await db.exec(sqlFile('aggregates/period_templates.sql'));
    await db.run('SET VARIABLE ac_templates_range = $1', [`${from}..${to}`]);
  }
  for (const model of SCORE_MODELS) await db.exec(sqlFile(model));
  const r = await db.one<{ n: number }>('SELECT count(*) AS n FROM process_rarity WHERE day BETWEEN $1::DATE AND $2::DATE', [from, to]);
  return r.n;
}
