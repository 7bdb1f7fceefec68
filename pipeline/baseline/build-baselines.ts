import { WELL_KNOWN_LOGON_IDS } from '../../models/context-jobs.js';
import type { Thresholds } from '../../models/thresholds.js';
import type { Database } from '../db.js';
import { runModel } from '../sql-model.js';

/** After period_templates, in order. */
const AGGREGATE_MODELS = [
  'aggregates/agg_template_daily.sql',
  'aggregates/agg_process_daily.sql',
  'aggregates/agg_parent_child_daily.sql',
  'aggregates/agg_logon_daily.sql',
  'aggregates/agg_minute_daily.sql',
  'aggregates/agg_days.sql',
];

/** After baseline_windows and baseline_runs, in order (a fleet table after the per-host one it sums). */
const BASELINE_MODELS = [
  'baseline/baseline_host_template.sql',
  'baseline/baseline_template.sql',
  'baseline/baseline_process.sql',
  'baseline/baseline_parent_child.sql',
  'baseline/baseline_host_logon.sql',
  'baseline/baseline_logon.sql',
];

export { addDays } from '../dates.js';

/** The period of a stage's models (the UTC days, or as-of days, [from, to]). */
const period = (from: string, to: string) => ({ ac_from: from, ac_to: to });

/**
 * The days whose command-line templates the session's period_templates holds (made by
 * aggregateDays, reused by scoreDays over the same days): kept here, per database, not in a
 * session variable.
 */
const templatedDays = new WeakMap<Database, string>();

/** The templates of the lines of [from, to] (period_templates), which scoreDays over the same days reuses. */
export async function makePeriodTemplates(db: Database, from: string, to: string): Promise<void> {
  await runModel(db, 'aggregates/period_templates.sql', period(from, to));
  templatedDays.set(db, `${from}..${to}`);
}

/** Recompute the daily aggregates of the UTC days [from, to] from the events of those days only. */
export async function aggregateDays(db: Database, from: string, to: string): Promise<number> {
  await makePeriodTemplates(db, from, to);
  for (const model of AGGREGATE_MODELS) {
    await runModel(db, model, model === 'aggregates/agg_process_daily.sql' ? { ...period(from, to), ac_well_known_logons: WELL_KNOWN_LOGON_IDS } : period(from, to));
  }
  const r = await db.one<{ n: number }>('SELECT count(*) AS n FROM agg_template_daily WHERE day BETWEEN $1::DATE AND $2::DATE', [from, to]);
  return r.n;
}

/** Build the baseline snapshots as of every day in [fromAsOf, toAsOf], merged from the aggregates. */
export async function buildBaselines(db: Database, fromAsOf: string, toAsOf: string, t: Thresholds): Promise<number> {
  const asOf = period(fromAsOf, toAsOf);
  await runModel(db, 'baseline/baseline_windows.sql', { ...asOf, ac_window_days: t.baseline.window_days });
  await runModel(db, 'baseline/baseline_runs.sql', { ...asOf, ac_window_days: t.baseline.window_days, ac_burst_quantile: t.burst.quantile });
  for (const model of BASELINE_MODELS) await runModel(db, model, asOf);
  await runModel(db, 'baseline/baseline_host_burst.sql', { ...asOf, ac_burst_quantile: t.burst.quantile });
  const r = await db.one<{ n: number }>('SELECT count(*) AS n FROM baseline_template WHERE as_of BETWEEN $1::DATE AND $2::DATE', [fromAsOf, toAsOf]);
  return r.n;
}

/**
 * Score the process events and logons of the days [from, to], each against the baseline as of
 * its own day (which must exist: buildBaselines over the same days).
 */
export async function scoreDays(db: Database, from: string, to: string, t: Thresholds): Promise<number> {
  // The templates of the period's lines: made by aggregateDays for the same days, else made here.
  const made = await db.one<{ tables: number }>(
    "SELECT count(*) AS tables FROM duckdb_tables() WHERE table_name = 'period_templates' AND temporary",
  );
  if (templatedDays.get(db) !== `${from}..${to}` || made.tables === 0) await makePeriodTemplates(db, from, to);
  const rarity = {
    ...period(from, to), ac_prior: t.rarity.prior_hosts, ac_max_fleet_hosts: t.rarity.max_fleet_hosts,
    ac_max_fleet_share: t.rarity.max_fleet_share, ac_max_host_days: t.rarity.max_host_days,
    ac_min_history_days: t.baseline.min_history_days, ac_min_fleet_hosts: t.baseline.min_fleet_hosts,
  };
  await runModel(db, 'score/process_rarity.sql', rarity);
  await runModel(db, 'score/logon_rarity.sql', rarity);
  const r = await db.one<{ n: number }>('SELECT count(*) AS n FROM process_rarity WHERE day BETWEEN $1::DATE AND $2::DATE', [from, to]);
  return r.n;
}
