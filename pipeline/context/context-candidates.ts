import { listValue } from '@duckdb/node-api';
import { CONTEXT_JOBS, WELL_KNOWN_ACCOUNTS, WELL_KNOWN_LOGON_IDS } from '../../models/context-jobs.js';
import type { ContextJob } from '../../models/context-jobs.js';
import type { Thresholds } from '../../models/thresholds.js';
import type { Database } from '../db.js';
import { runModel } from '../sql-model.js';

/** One set of thresholds judged against the stored features: a context run has one, a tune sweep one per grid point. */
export interface ThresholdPoint {
  pointId: number;
  t: Thresholds;
}

/** The job table (data) with each job's window in minutes, from the config's windows. */
export async function setContextJobs(db: Database, t: Thresholds, jobs: readonly ContextJob[] = CONTEXT_JOBS): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE context_jobs AS
     SELECT * FROM (SELECT unnest(from_json($1, '[{"ord":"INTEGER","name":"VARCHAR","category":"VARCHAR","needs_any_of":["VARCHAR"],"alert_names":["VARCHAR"],"before_minutes":"INTEGER","after_minutes":"INTEGER"}]'), recursive := true))`,
    [JSON.stringify(jobs.map((j, i) => ({
      ord: i + 1, name: j.name, category: j.category, needs_any_of: j.needsAnyOf, alert_names: j.alertNames,
      before_minutes: t.windows[`${j.window}_before_minutes`], after_minutes: t.windows[`${j.window}_after_minutes`],
    })))],
  );
}

/** The thresholds points as a table, one row each (threshold_points). */
export async function setThresholdPoints(db: Database, points: readonly ThresholdPoint[]): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE threshold_points AS
     SELECT * FROM (SELECT unnest(from_json($1, '[{"point_id":"INTEGER","max_fleet_hosts":"INTEGER","max_fleet_share":"DOUBLE","max_host_days":"INTEGER","min_history_days":"INTEGER","min_fleet_hosts":"INTEGER","prior_hosts":"DOUBLE","burst_factor":"DOUBLE","burst_min_distinct":"INTEGER","burst_min_rare_share":"DOUBLE","max_items":"INTEGER","supplemental_min_score":"DOUBLE","family_max_items":"INTEGER","host_min_score":"DOUBLE","host_max_items":"INTEGER","churn_min_share":"DOUBLE","churn_min_daily_events":"DOUBLE"}]'), recursive := true))`,
    [JSON.stringify(points.map(({ pointId, t }) => ({
      point_id: pointId, max_fleet_hosts: t.rarity.max_fleet_hosts, max_fleet_share: t.rarity.max_fleet_share,
      max_host_days: t.rarity.max_host_days, min_history_days: t.baseline.min_history_days, min_fleet_hosts: t.baseline.min_fleet_hosts, prior_hosts: t.rarity.prior_hosts,
      burst_factor: t.burst.factor, burst_min_distinct: t.burst.min_distinct, burst_min_rare_share: t.burst.min_rare_share,
      max_items: t.context.max_items, supplemental_min_score: t.context.supplemental_min_score, family_max_items: t.context.family_max_items,
      host_min_score: t.context.host_min_score, host_max_items: t.context.host_max_items, churn_min_share: t.context.churn_min_share,
      churn_min_daily_events: t.context.churn_min_daily_events,
    })))],
  );
}

/**
 * Which jobs run for which alert of the days [from, to] (or the one alert), with their windows:
 * context_alert_jobs (sql/context/context_alert_jobs.sql). The metrics read it too.
 */
export async function setAlertJobs(db: Database, from: string, to: string, t: Thresholds, alertId: string | null = null, jobs: readonly ContextJob[] = CONTEXT_JOBS): Promise<void> {
  await setContextJobs(db, t, jobs);
  // One alert only (the benchmark's per-alert floor); NULL: every alert of the period.
  await runModel(db, 'context/context_alert_jobs.sql', { ac_from: from, ac_to: to, ac_alert_id: alertId, ...WELL_KNOWN });
}

/** The machine's own sessions and accounts (models/context-jobs.ts): never the alert's. */
const WELL_KNOWN = { ac_well_known_logons: WELL_KNOWN_LOGON_IDS, ac_well_known_accounts: WELL_KNOWN_ACCOUNTS };

/**
 * The span of all the alert jobs' windows (context_alert_jobs), as constants the event scans are
 * pruned with: ac_span_lo and ac_span_hi (1970-01-01 when there is no window). Read as text, so
 * that the microseconds stay.
 */
export async function windowSpan(db: Database): Promise<{ ac_span_lo: string; ac_span_hi: string }> {
  return db.one<{ ac_span_lo: string; ac_span_hi: string }>(
    `SELECT coalesce(min(win_start), TIMESTAMP '1970-01-01')::VARCHAR AS ac_span_lo,
            coalesce(max(win_end), TIMESTAMP '1970-01-01')::VARCHAR AS ac_span_hi
     FROM context_alert_jobs`,
  );
}

/**
 * Collect the candidate context items of every alert of the days [from, to] in one set-based pass
 * (sql/context/context_window_keys.sql, context_event_features.sql, then context_candidates.sql), for every threshold point at
 * once. The events must be scored (nightly) for those days. Returns the number of candidates.
 */
export async function collectContextCandidates(
  db: Database, from: string, to: string, points: readonly ThresholdPoint[], alertId: string | null = null, jobs: readonly ContextJob[] = CONTEXT_JOBS,
): Promise<number> {
  const windows = new Set(points.map((p) => JSON.stringify(p.t.windows)));
  if (points.length === 0 || windows.size !== 1) throw new Error('collectContextCandidates: give one or more threshold points with the same windows');
  await setAlertJobs(db, from, to, points[0]!.t, alertId, jobs);
  await setThresholdPoints(db, points);
  const span = await windowSpan(db);
  await runModel(db, 'context/context_window_keys.sql', span);
  await runModel(db, 'context/context_event_features.sql', span);
  await runModel(db, 'context/context_candidates.sql', { ...span, ...WELL_KNOWN });
  // The windows' rows live in memory (temp tables) until dropped: free them for the steps after.
  await db.exec('DROP TABLE IF EXISTS context_window_keys; DROP TABLE IF EXISTS context_event_features;');
  return (await db.one<{ n: number }>('SELECT count(*) AS n FROM context_candidates')).n;
}

/** Assemble the candidates into kept items per threshold point and alert (sql/context/context_kept.sql). */
export async function assembleContext(db: Database): Promise<void> {
  await runModel(db, 'context/context_kept.sql', {});
}
