import type { Thresholds } from '../../models/thresholds.js';
import { buildBaselines, scoreDays } from '../baseline/build-baselines.js';
import type { Database } from '../db.js';
import { createStandIns, dropStandIns } from '../jobs/stand-ins.js';
import { addDays } from '../dates.js';
import { contextReachDays, tableNames } from '../table-registry.js';

/** The tables a baseline rebuild and a rescoring write. */
const SHADOWED = tableNames((t) => t.rebuiltForPastPeriods);

export type BaselineSource = 'stored' | 'rebuilt';

/**
 * Point-in-time baselines and scores for the days [from, to] under thresholds `t`. The nightly
 * snapshots are used when every day of the period with events has one built with the same window and
 * burst quantile; otherwise they
 * are rebuilt from the daily aggregates into session-private tables of the same names (DuckDB
 * resolves temp tables first), so a retro with another window never touches the nightly tables.
 * Call dropShadows when done.
 */
export async function pointInTimeBaselines(db: Database, from: string, to: string, t: Thresholds): Promise<BaselineSource> {
  // The period's context windows reach into the days before it (an alert just after midnight):
  // their events are judged by those days' scores and baselines, rebuilt too.
  const first = addDays(from, -contextReachDays(t.windows));
  // Only the days with events read a baseline (every score and window is of an event's day): a
  // period of sparse days (the OTRF set's cases span two years of a lab that recorded a few days a
  // month) uses the stored ones when each of its days with events has one of the same settings.
  const stored = await db.one<{ same: number; needed: number }>(
    `SELECT count(*) FILTER (WHERE r.window_days = $3 AND r.burst_quantile = $4) AS same, count(*) AS needed
     FROM agg_days d LEFT JOIN baseline_runs r ON r.as_of = d.day
     WHERE d.day BETWEEN $1::DATE AND $2::DATE AND (d.process_events > 0 OR d.logon_events > 0)`,
    [first, to, t.baseline.window_days, t.burst.quantile],
  );
  if (stored.same === stored.needed) return 'stored';
  await createStandIns(db, SHADOWED.map((table) => ({ table, keep: 'none' as const })));
  await buildBaselines(db, first, to, t);
  await scoreDays(db, first, to, t);
  return 'rebuilt';
}

/** Drop the session-private copies, if any: the nightly tables show through again. */
export async function dropShadows(db: Database): Promise<void> {
  await dropStandIns(db, SHADOWED);
}
