import type { Thresholds } from '../../models/thresholds.js';
import type { Database } from '../db.js';
import { runModel } from '../sql-model.js';
import { assembleContextInPasses } from './context-candidates.js';

export interface ContextRunResult {
  runId: number;
  alerts: number;
  reports: number;
}

/**
 * Make the context reports of every alert of the UTC days [from, to] as one stored run: candidate
 * items set-based, then assembly in SQL (merging, repeats, truncation, lines), in passes of about
 * `alertsPerPass` alerts (assembleContextInPasses).
 * The events of those days must have been scored (nightly does it).
 */
export async function makeContextReports(
  db: Database, from: string, to: string, t: Thresholds, kind = 'context', alertId: string | null = null, alertsPerPass?: number,
): Promise<ContextRunResult> {
  await assembleContextInPasses(db, from, to, [{ pointId: 0, t }], alertId, alertsPerPass);
  const { run_id: runId } = await db.one<{ run_id: number }>(`SELECT nextval('context_run_seq') AS run_id`);
  await runModel(db, 'context/context_report_items.sql', { ac_run_id: runId, ac_max_line: t.context.max_line_chars });
  await runModel(db, 'context/context_reports.sql', { ac_run_id: runId, ac_from: from, ac_to: to, ac_alert_id: alertId });
  const c = await db.one<{ alerts: number; reports: number }>(
    `SELECT (SELECT count(*) FROM alerts WHERE ts >= $1::TIMESTAMP AND ts < $2::DATE + 1
               AND ($4::VARCHAR IS NULL OR alert_id = $4::VARCHAR)) AS alerts,
            (SELECT count(*) FROM context_reports WHERE run_id = $3) AS reports`,
    [from, to, runId, alertId],
  );
  await db.run(
    `INSERT INTO context_runs VALUES ($1, now()::TIMESTAMP, $2::DATE, $3::DATE, $4, $5, $6, $7)`,
    [runId, from, to, t.context.max_items, c.alerts, c.reports, kind],
  );
  return { runId, alerts: c.alerts, reports: c.reports };
}
