import { CONTEXT_JOBS } from '../../models/context-jobs.js';
import type { Thresholds } from '../../models/thresholds.js';
import { setAlertJobs } from '../context/context-candidates.js';
import { addDays, isoWeekOf, isoWeekRange } from '../dates.js';
import type { Database } from '../db.js';
import { UserError } from '../errors.js';
import { computeMetrics, isLabeled, metricInputsFromRuns } from '../metrics/context-metrics.js';
import type { MetricRow } from '../metrics/context-metrics.js';

/** The numbers of one weekly coverage report: what the HTML, Markdown and JSON all show. */
export interface WeeklyData {
  week: string;
  from: string;
  to: string;
  /** The trend covers this many weeks, ending with `week`. */
  trend_weeks: number;
  /** The ISO weeks of the trend, oldest first (a week without alerts has no figures). */
  weeks: string[];
  /** The stored context runs the reports come from (nightly's, or the one --run). */
  source: { kind: string; run_ids: number[] };
  labeled: boolean;
  /** The week's figures: overall, per alert name, per job, per category. */
  figures: Omit<MetricRow, 'point_id'>[];
  /** Per week of the trend: coverage (and, with labels, item precision and benign report rate). */
  trend: Omit<MetricRow, 'point_id'>[];
  /** How many of the week's reports have 1, 2, ... items. */
  items_histogram: { items: number; reports: number }[];
  /** The week's most unusual reports (at most 10), their lines as stored. */
  top_reports: { alert_id: string; alert_name: string; host: string; alert_time: string; score: number; items: number; activity: string }[];
  /** Job name of each report category. */
  jobs: Record<string, string>;
}

const strip = ({ point_id: _p, ...r }: MetricRow) => r;

/**
 * The weekly report's numbers, from the reports the scheduled runs made (or one stored run),
 * measured with the same SQL as retro (sql/metrics/context_metrics.sql).
 */
export async function weeklyData(db: Database, opts: { week: string; trendWeeks: number; runId?: number; t: Thresholds }): Promise<WeeklyData> {
  const { from, to } = isoWeekRange(opts.week);
  const trendFrom = addDays(from, -7 * (opts.trendWeeks - 1));
  const runs = opts.runId !== undefined
    ? await db.all<{ run_id: number; kind: string }>('SELECT run_id, kind FROM context_runs WHERE run_id = $1', [opts.runId])
    : await db.all<{ run_id: number; kind: string }>(
      `SELECT run_id, kind FROM context_runs WHERE kind = 'nightly' AND period_to >= $1::DATE AND period_from <= $2::DATE ORDER BY run_id`,
      [trendFrom, to]);
  if (runs.length === 0) {
    throw new UserError(opts.runId !== undefined
      ? `no context run ${opts.runId} in ${db.path}`
      : `no nightly context runs for ${trendFrom}..${to} in ${db.path}: run nightly for those days (or give --run ID of a retro run)`);
  }
  const runIds = runs.map((r) => r.run_id);
  const measure = async (a: string, b: string) => {
    await setAlertJobs(db, a, b, opts.t);
    await metricInputsFromRuns(db, a, b, runIds);
    return computeMetrics(db);
  };
  const trendRows = await measure(trendFrom, to);
  const weekRows = await measure(from, to);
  // metric_reports / metric_runs now hold the week: its histogram and its most unusual reports.
  const items_histogram = await db.all<{ items: number; reports: number }>(
    'SELECT items::INTEGER AS items, count(*)::INTEGER AS reports FROM metric_reports GROUP BY 1 ORDER BY 1');
  const top_reports = await db.all<WeeklyData['top_reports'][number]>(
    `SELECT r.alert_id, r.alert_name, r.host, strftime(r.alert_time, '%Y-%m-%d %H:%M:%SZ') AS alert_time, r.score, r.items::INTEGER AS items,
            r.context_event_activity AS activity
     FROM context_reports r JOIN metric_runs USING (run_id, alert_id)
     ORDER BY r.score DESC, r.items DESC, r.alert_id LIMIT 10`);
  return {
    week: opts.week, from, to, trend_weeks: opts.trendWeeks,
    weeks: Array.from({ length: opts.trendWeeks }, (_, i) => isoWeekOf(addDays(trendFrom, 7 * i))),
    source: { kind: opts.runId !== undefined ? runs[0]!.kind : 'nightly', run_ids: runIds },
    labeled: isLabeled(trendRows),
    figures: weekRows.filter((r) => r.group_by !== 'week').map(strip),
    trend: trendRows.filter((r) => r.group_by === 'week' && ['coverage', 'item_precision', 'benign_report_rate', 'items_per_report'].includes(r.metric)).map(strip),
    items_histogram, top_reports,
    jobs: Object.fromEntries(CONTEXT_JOBS.map((j) => [j.category, j.name])),
  };
}
