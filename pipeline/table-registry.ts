/**
 * The derived tables, one typed record each: the layer it belongs to, the stage that writes it,
 * its day or as-of column, and how a nightly day stands it in and publishes it
 * (jobs/day-shadows.ts). db.ts, the day shadows, point-in-time baselines and the tests take their
 * table lists from here, not from lists of their own.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { listValue } from '@duckdb/node-api';
import { CONTEXT_JOBS } from '../models/context-jobs.js';

/**
 * The SQL layers (docs/schema.md): staging (the inputs as loaded or staged), intermediate (daily
 * aggregates, baselines, scores, context candidates), mart (what users read: reports, metrics).
 * A model's `-- layer:` header says the same as its table's record here (test/sql-models.test.ts).
 */
export type Layer = 'staging' | 'intermediate' | 'mart';

/**
 * Which rows of a derived table, relative to a nightly day D (rendered with bound values by
 * rowFilterSql): all or none; a date column within days of D (`from`/`to` in days from D,
 * inclusive; 'window': the baseline window and the day before it, D - window_days - 1; 'reach':
 * as far back as the day's context windows reach, D - reachDays), and with `processWindows` only
 * the rows of process events the day's process windows can hold (from D - processReachMinutes: a
 * process score row is read for its event); or the context runs a rerun of D replaces (its earlier
 * nightly runs).
 */
export type RowFilter =
  | 'all'
  | 'none'
  | { column: 'day' | 'as_of'; from: number | 'window' | 'reach'; to?: number; processWindows?: true }
  | 'replaced-runs';

export interface DerivedTable {
  name: string;
  layer: Layer;
  /** The nightly stage whose SQL models write it. */
  writtenBy: 'aggregate' | 'baseline' | 'score' | 'context';
  /** The column that says which day a row is for. */
  dayColumn: 'day' | 'as_of' | 'run_id';
  /** Written whole by its SQL model: no primary key (index inserts cost half a nightly day; db.ts drops old keys). */
  unkeyed: boolean;
  /** Rebuilt into session-private tables when a past period is judged with another window or burst quantile (point-in-time/baselines.ts). */
  rebuiltForPastPeriods: boolean;
  /**
   * A nightly day: `keep`, the stored rows its stand-in starts with (the inputs of the day's
   * stages); `publish`, the rows the day produces; `replace`, the stored rows those replace
   * (default: the same rows as publish).
   */
  nightly: { keep: RowFilter; publish: RowFilter; replace?: RowFilter };
}

/** The day itself. */
const ON_DAY: RowFilter = { column: 'day', from: 0, to: 0 };
/** The baselines as of the days before the day that its context windows reach (contextReachDays). */
const REACHED: RowFilter = { column: 'as_of', from: 'reach', to: -1 };

const aggregate = (name: string): DerivedTable => ({
  name, layer: 'intermediate', writtenBy: 'aggregate', dayColumn: 'day', unkeyed: true, rebuiltForPastPeriods: false,
  // The aggregates of the baseline window, and the day before (bursts' windows start before midnight).
  nightly: { keep: { column: 'day', from: 'window' }, publish: ON_DAY },
});
const baseline = (name: string, keep: RowFilter = 'none', unkeyed = true): DerivedTable => ({
  name, layer: 'intermediate', writtenBy: 'baseline', dayColumn: 'as_of', unkeyed, rebuiltForPastPeriods: true,
  nightly: { keep, publish: { column: 'as_of', from: 0, to: 1 } },
});
const score = (name: string, keep: RowFilter, publish: RowFilter): DerivedTable => ({
  name, layer: 'intermediate', writtenBy: 'score', dayColumn: 'day', unkeyed: false, rebuiltForPastPeriods: true, nightly: { keep, publish },
});
// A rerun of a day replaces the day's earlier nightly context runs; context and retro runs stay.
const contextRun = (name: string): DerivedTable => ({
  name, layer: 'mart', writtenBy: 'context', dayColumn: 'run_id', unkeyed: false, rebuiltForPastPeriods: false,
  nightly: { keep: 'none', publish: 'all', replace: 'replaced-runs' },
});

/** In publish order. */
export const DERIVED_TABLES: readonly DerivedTable[] = [
  aggregate('agg_template_daily'), aggregate('agg_process_daily'), aggregate('agg_parent_child_daily'),
  aggregate('agg_logon_daily'), aggregate('agg_minute_daily'),
  { ...aggregate('agg_days'), unkeyed: false, nightly: { keep: 'all', publish: ON_DAY } },
  baseline('baseline_runs', 'all', false), baseline('baseline_template'), baseline('baseline_host_template'),
  // (context reads the process and parent -> child baselines as of each window event's day)
  baseline('baseline_process', REACHED), baseline('baseline_parent_child', REACHED), baseline('baseline_logon'), baseline('baseline_host_logon'),
  baseline('baseline_host_burst', { column: 'as_of', from: 'reach' }),
  // (yesterday's scores of the events the day's process windows reach, the last process_before_minutes
  // before midnight by default: all of yesterday's 1.26 M rows at 1,000 hosts were 0.6 s to copy)
  score('process_rarity', { column: 'day', from: 'reach', to: -1, processWindows: true }, ON_DAY),
  score('logon_rarity', { column: 'day', from: 'reach', to: -1 }, ON_DAY),
  contextRun('context_report_items'), contextRun('context_reports'), contextRun('context_runs'),
];

/** The names of the derived tables that pass `test`, in registry order. */
export function tableNames(test: (t: DerivedTable) => boolean = () => true): string[] {
  return DERIVED_TABLES.filter(test).map((t) => t.name);
}

/**
 * What a RowFilter is relative to: the nightly day, its baseline window, how many days back its
 * context windows reach (contextReachDays), and the run ids a rerun replaces.
 */
export interface FilterDay { day: string; windowDays: number; reachDays: number; processReachMinutes: number; replacedRuns: readonly number[] }

/**
 * How many days before a day its alerts' context windows reach (at least 1): the process and RDP
 * windows' minutes before the alert, in whole days. A nightly day's stand-ins keep the scores and
 * burst baselines of those days (the windows of an alert just after midnight start the day before;
 * with windows.process_before_minutes of two days, two days before).
 */
export function contextReachDays(windows: { process_before_minutes: number; rdp_before_minutes: number }): number {
  return Math.max(1, Math.ceil(Math.max(windows.process_before_minutes, windows.rdp_before_minutes) / (24 * 60)));
}

/** How many minutes before a day its alerts' process jobs look (CONTEXT_JOBS' windows but the RDP logons'). */
export function contextProcessReachMinutes(windows: { process_before_minutes: number; rdp_before_minutes: number }): number {
  const minutes = CONTEXT_JOBS.filter((j) => j.category !== 'RDPLogon').map((j) => windows[`${j.window}_before_minutes`]);
  return Math.max(0, ...minutes);
}

/** The SQL condition of `filter`, its values bound as $first, $first + 1, ... (the columns are the registry's fixed names). */
export function rowFilterSql(filter: RowFilter, on: FilterDay | undefined, first = 1): { sql: string; values: DuckDBValue[] } {
  if (filter === 'all') return { sql: 'true', values: [] };
  if (filter === 'none') return { sql: 'false', values: [] };
  if (!on) throw new Error(`rowFilterSql: ${JSON.stringify(filter)} is relative to a day; give the day`);
  const p = (i: number) => `$${first + i}`;
  if (filter === 'replaced-runs') {
    // An empty list cannot be bound (its item type would be unknown): no run replaced, no row.
    if (on.replacedRuns.length === 0) return { sql: 'false', values: [] };
    return { sql: `list_contains(${p(0)}::BIGINT[], run_id)`, values: [listValue([...on.replacedRuns])] };
  }
  const from = filter.from === 'window' ? -on.windowDays - 1 : filter.from === 'reach' ? -on.reachDays : filter.from;
  const lower = `${filter.column} >= ${p(0)}::DATE + ${p(1)}::INTEGER`;
  if (filter.to === undefined) return { sql: lower, values: [on.day, from] };
  const days = `${lower} AND ${filter.column} <= ${p(0)}::DATE + ${p(2)}::INTEGER`;
  if (!filter.processWindows) return { sql: days, values: [on.day, from, filter.to] };
  // (the event views, stored and staged rows, where a nightly sets them up: the times before D are the stored ones)
  const events = `event_id IN (SELECT event_id FROM process_events WHERE ts >= ${p(0)}::DATE::TIMESTAMP - to_minutes(${p(3)}::BIGINT) AND ts < ${p(0)}::DATE + ${p(2)}::INTEGER + 1)`;
  return { sql: `${days} AND ${events}`, values: [on.day, from, filter.to, on.processReachMinutes] };
}
