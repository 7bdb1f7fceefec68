import { listValue } from '@duckdb/node-api';
import { CONTEXT_JOBS, WELL_KNOWN_ACCOUNTS, WELL_KNOWN_LOGON_IDS } from '../../models/context-jobs.js';
import type { ContextJob } from '../../models/context-jobs.js';
import type { Thresholds } from '../../models/thresholds.js';
import type { Database } from '../db.js';
import { sqlFile } from '../db.js';

/**
 * Collect the candidate context items of every alert of the days [from, to] in one set-based pass
 * (sql/context/context_candidates.sql). The events must be scored (nightly) for those days.
 */
export async function collectContextCandidates(
  db: Database, from: string, to: string, t: Thresholds, jobs: readonly ContextJob[] = CONTEXT_JOBS, alertId: string | null = null,
): Promise<number> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE context_jobs AS
     SELECT * FROM (SELECT unnest(from_json($1, '[{"name":"VARCHAR","category":"VARCHAR","needs_any_of":["VARCHAR"],"alert_names":["VARCHAR"],"before_minutes":"INTEGER","after_minutes":"INTEGER"}]'), recursive := true))`,
    [JSON.stringify(jobs.map((j) => ({
      name: j.name, category: j.category, needs_any_of: j.needsAnyOf, alert_names: j.alertNames,
      before_minutes: j.beforeMinutes, after_minutes: j.afterMinutes,
    })))],
  );
  await db.run('SET VARIABLE ac_from = $1::DATE', [from]);
  await db.run('SET VARIABLE ac_to = $1::DATE', [to]);
  // One alert only (the benchmark's per-alert floor); NULL: every alert of the period.
  await db.run('SET VARIABLE ac_alert_id = $1::VARCHAR', [alertId]);
  await db.run('SET VARIABLE ac_well_known_logons = $1', [listValue([...WELL_KNOWN_LOGON_IDS])]);
  await db.run('SET VARIABLE ac_well_known_accounts = $1', [listValue([...WELL_KNOWN_ACCOUNTS])]);
  await db.run('SET VARIABLE ac_burst_factor = $1::DOUBLE', [t.burst.factor]);
  await db.run('SET VARIABLE ac_burst_min_distinct = $1::INTEGER', [t.burst.min_distinct]);
  await db.exec(sqlFile('context/context_candidates.sql'));
  const r = await db.one<{ n: number }>(
    `SELECT count(*) AS n FROM context_candidates WHERE alert_id IN (SELECT alert_id FROM alerts WHERE ts >= $1::TIMESTAMP AND ts < $2::DATE + 1)`,
    [from, to],
  );
  return r.n;
}
