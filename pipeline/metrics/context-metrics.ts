import { windowSpan } from '../context/context-candidates.js';
import type { Database } from '../db.js';
import { runModel } from '../sql-model.js';

/** One figure: k of n, its value and 95% Wilson interval (proportions), for a point and a group. */
export interface MetricRow {
  point_id: number;
  /** overall | alert_name | job | category | week */
  group_by: string;
  group_value: string;
  /** coverage | item_precision | attack_recall | true_alert_coverage | benign_report_rate | items_per_report | truncation_rate | items */
  metric: string;
  k: number;
  n: number | null;
  value: number | null;
  low: number | null;
  high: number | null;
}

/**
 * The figures SPEC.md section 5 defines, in the order a summary shows them, and the share of true
 * alerts with a report (labeled runs: issue 12 asks every true alert reported).
 */
export const HEADLINE_METRICS = ['coverage', 'item_precision', 'attack_recall', 'true_alert_coverage', 'benign_report_rate', 'items_per_report', 'truncation_rate'] as const;

/** Every figure in the order tables list them (the metrics SQL and retro's comparison sort by it). */
export const METRIC_ORDER: readonly string[] = [...HEADLINE_METRICS, 'items'];

/** The groupings in the order tables list them (the metrics SQL, retro's files and its comparison). */
export const GROUP_ORDER: readonly string[] = ['overall', 'alert_name', 'job', 'category', 'week'];

/**
 * Metric inputs from the assembled context of every threshold point (context_kept, after
 * collectContextCandidates + assembleContext over the days [from, to]). `append` adds the points
 * of threshold_points to the inputs already made (a sweep assembled a few points at a time).
 */
export async function metricInputsFromKept(db: Database, from: string, to: string, append = false): Promise<void> {
  const into = (table: string): string => (append ? `INSERT INTO ${table}` : `CREATE OR REPLACE TEMP TABLE ${table} AS`);
  await db.exec(`
    ${into('metric_points')} SELECT point_id FROM threshold_points;
    ${into('metric_items')}
      SELECT point_id, alert_id, repeat_key AS item_key, category, event_ids FROM context_kept WHERE kept;
    ${into('metric_reports')}
      SELECT point_id, alert_id, count(*) FILTER (WHERE kept) AS items, max(candidates) > max(max_items) AS truncated
      FROM context_kept GROUP BY ALL;`);
  await periodAlerts(db, from, to);
}

/**
 * Metric inputs from stored context runs: per alert of [from, to], the report of the latest of
 * `runIds` that covers the alert's day (point 0). context_alert_jobs must be set for the period.
 */
export async function metricInputsFromRuns(db: Database, from: string, to: string, runIds: readonly number[]): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE metric_runs AS
     WITH runs AS (SELECT * FROM context_runs WHERE list_contains($1::BIGINT[], run_id)),
     latest AS (
       SELECT a.alert_id, max(r.run_id) AS run_id
       FROM alerts a JOIN runs r ON a.ts >= r.period_from AND a.ts < r.period_to + 1
       WHERE a.ts >= $2::TIMESTAMP AND a.ts < $3::DATE + 1
       GROUP BY 1)
     SELECT * FROM latest`,
    [`[${runIds.join(',')}]`, from, to],
  );
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE metric_points AS SELECT 0 AS point_id;
    CREATE OR REPLACE TEMP TABLE metric_reports AS
      SELECT 0 AS point_id, r.alert_id, r.items, r.truncated FROM context_reports r JOIN metric_runs USING (run_id, alert_id);
    CREATE OR REPLACE TEMP TABLE metric_items AS
      SELECT 0 AS point_id, r.alert_id, i.item_no::VARCHAR AS item_key, i.category, i.event_ids
      FROM context_report_items i JOIN context_reports r USING (run_id, report_id) JOIN metric_runs USING (run_id, alert_id);`);
  await periodAlerts(db, from, to);
}

async function periodAlerts(db: Database, from: string, to: string): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE metric_alerts AS
     SELECT alert_id FROM alerts WHERE ts >= $1::TIMESTAMP AND ts < $2::DATE + 1`,
    [from, to],
  );
}

/** Compute the metrics (sql/metrics/context_metrics.sql) from the inputs set above. */
export async function computeMetrics(db: Database): Promise<MetricRow[]> {
  await runModel(db, 'metrics/context_metrics.sql', { ...(await windowSpan(db)), ac_metric_order: [...METRIC_ORDER], ac_group_order: [...GROUP_ORDER] });
  return db.all<MetricRow>('SELECT * FROM context_metrics');
}

/** The labeled figures exist only when the period's alerts carry labels. */
export function isLabeled(rows: readonly MetricRow[]): boolean {
  return rows.some((r) => r.metric === 'item_precision');
}
