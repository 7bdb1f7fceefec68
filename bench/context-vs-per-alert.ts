// Context generation for every alert of a period, set-based (one pass), against the same logic
// run as one query per alert. Usage: tsx bench/context-vs-per-alert.ts DB FROM TO
// (a database the nightly job has run on for FROM..TO).
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { makeContextReports } from '../pipeline/context/make-reports.js';
import { withDatabase } from '../pipeline/db.js';

const [dbPath, from, to] = process.argv.slice(2);
if (!dbPath || !from || !to) throw new Error('usage: tsx bench/context-vs-per-alert.ts DB FROM TO');

await withDatabase(dbPath, async (db) => {
  const alerts = await db.all<{ alert_id: string }>(`SELECT alert_id FROM alerts WHERE ts >= $1::TIMESTAMP AND ts < $2::DATE + 1 ORDER BY alert_id`, [from, to]);
  let t = performance.now();
  const all = await makeContextReports(db, from, to, DEFAULT_THRESHOLDS, 'bench-set');
  const setSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const perAlertRuns: number[] = [];
  for (const a of alerts) perAlertRuns.push((await makeContextReports(db, from, to, DEFAULT_THRESHOLDS, 'bench-per-alert', a.alert_id)).runId);
  const perAlertSeconds = (performance.now() - t) / 1000;
  // The two ways must give the same reports.
  const set = await db.all<{ a: string }>(`SELECT alert_id || chr(10) || context_event_activity AS a FROM context_reports WHERE run_id = $1 ORDER BY 1`, [all.runId]);
  const per = await db.all<{ a: string }>(
    `SELECT alert_id || chr(10) || context_event_activity AS a FROM context_reports WHERE run_id IN (SELECT unnest($1::BIGINT[])) ORDER BY 1`,
    [`[${perAlertRuns.join(',')}]`],
  );
  console.log(JSON.stringify({
    alerts: alerts.length, reports: all.reports, same_reports: JSON.stringify(set) === JSON.stringify(per),
    set_based_seconds: +setSeconds.toFixed(2), per_alert_seconds: +perAlertSeconds.toFixed(2), ratio: +(perAlertSeconds / setSeconds).toFixed(1),
  }, null, 2));
});
