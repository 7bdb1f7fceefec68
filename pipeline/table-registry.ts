/**
 * The derived tables, one typed record each: the layer it belongs to, the stage that writes it,
 * its day or as-of column, and how a nightly day stands it in and publishes it
 * (jobs/day-shadows.ts). db.ts, the day shadows, point-in-time baselines and the tests take their
 * table lists from here, not from lists of their own.
 */

export type Layer = 'aggregate' | 'baseline' | 'score' | 'context';

/** SQL over the session variables ac_day, ac_window_days and ac_replaced_runs (jobs/day-shadows.ts). */
type Predicate = string;

export interface DerivedTable {
  name: string;
  layer: Layer;
  /** The nightly stage whose SQL models write it. */
  writtenBy: 'aggregate' | 'baseline' | 'score' | 'context';
  /** The column that says which day a row is for. */
  dayColumn: 'day' | 'as_of' | 'minute' | 'run_id';
  /** Written whole by its SQL model: no primary key (index inserts cost half a nightly day; db.ts drops old keys). */
  unkeyed: boolean;
  /** Rebuilt into session-private tables when a past period is judged with another window or burst quantile (point-in-time/baselines.ts). */
  rebuiltForPastPeriods: boolean;
  /**
   * A nightly day: `keep`, the stored rows its stand-in starts with (the inputs of the day's
   * stages); `publish`, the rows the day produces; `replace`, the stored rows those replace
   * (default: the same predicate as publish).
   */
  nightly: { keep: Predicate; publish: Predicate; replace?: Predicate };
}

const DAY = "getvariable('ac_day')::DATE";
/** The aggregates of the baseline window, and the day before (bursts' windows start before midnight). */
const WINDOW = `day >= ${DAY} - getvariable('ac_window_days') - 1`;
/** A rerun of a day replaces the day's earlier nightly context runs (ac_replaced_runs, set by publishDay); context and retro runs stay. */
const REPLACED_RUNS = "coalesce(list_contains(getvariable('ac_replaced_runs'), run_id), false)";

const aggregate = (name: string): DerivedTable => ({
  name, layer: 'aggregate', writtenBy: 'aggregate', dayColumn: 'day', unkeyed: true, rebuiltForPastPeriods: false,
  nightly: { keep: WINDOW, publish: `day = ${DAY}` },
});
const baseline = (name: string, keep = 'false', unkeyed = true): DerivedTable => ({
  name, layer: 'baseline', writtenBy: 'baseline', dayColumn: 'as_of', unkeyed, rebuiltForPastPeriods: true,
  nightly: { keep, publish: `as_of BETWEEN ${DAY} AND ${DAY} + 1` },
});
const score = (name: string, dayColumn: 'day' | 'minute', keep: Predicate, publish: Predicate): DerivedTable => ({
  name, layer: 'score', writtenBy: 'score', dayColumn, unkeyed: false, rebuiltForPastPeriods: true, nightly: { keep, publish },
});
const contextRun = (name: string): DerivedTable => ({
  name, layer: 'context', writtenBy: 'context', dayColumn: 'run_id', unkeyed: false, rebuiltForPastPeriods: false,
  nightly: { keep: 'false', publish: 'true', replace: REPLACED_RUNS },
});

/** In publish order. */
export const DERIVED_TABLES: readonly DerivedTable[] = [
  aggregate('agg_template_daily'), aggregate('agg_process_daily'), aggregate('agg_parent_child_daily'),
  aggregate('agg_logon_daily'), aggregate('agg_minute_daily'),
  { ...aggregate('agg_days'), unkeyed: false, nightly: { keep: 'true', publish: `day = ${DAY}` } },
  baseline('baseline_runs', 'true', false), baseline('baseline_template'), baseline('baseline_host_template'),
  baseline('baseline_process'), baseline('baseline_parent_child'), baseline('baseline_logon'), baseline('baseline_host_logon'),
  baseline('baseline_host_burst', `as_of >= ${DAY} - 1`),
  score('process_rarity', 'day', `day = ${DAY} - 1`, `day = ${DAY}`),
  score('logon_rarity', 'day', `day = ${DAY} - 1`, `day = ${DAY}`),
  score('host_bursts', 'minute', 'false', `minute >= ${DAY} AND minute < ${DAY} + 1`),
  contextRun('context_report_items'), contextRun('context_reports'), contextRun('context_runs'),
];

/** The names of the derived tables that pass `test`, in registry order. */
export function tableNames(test: (t: DerivedTable) => boolean = () => true): string[] {
  return DERIVED_TABLES.filter(test).map((t) => t.name);
}
