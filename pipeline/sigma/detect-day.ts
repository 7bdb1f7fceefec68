import { showSigmaAlerts } from '../jobs/day-shadows.js';
import type { Database } from '../db.js';
import type { RuleSet } from './rule-set.js';
import { detectAlerts, storeSigmaAlerts } from './run-detect.js';

/** Nightly's detect step: the compiled rules (once per run) and the attribution their alerts carry. */
export interface DayDetection { rules: RuleSet; reference: string | null }

/**
 * Before the day's transaction (nightly computes a day against stand-ins, day-shadows.ts): run the
 * rules over the day's events, stored and staged, into sigma_alerts, and show them in the alerts
 * the context stage reads. Returns the matches.
 */
export async function detectDay(db: Database, date: string, detection: DayDetection, staged: boolean): Promise<number> {
  const r = await detectAlerts(db, detection.rules, { from: date, to: date }, detection.reference);
  await showSigmaAlerts(db, staged);
  return r.hits;
}

/** Inside the day's transaction, after the load's commit: store the day's Sigma alerts not stored yet. */
export async function publishSigmaAlerts(db: Database): Promise<number> {
  return storeSigmaAlerts(db);
}

export async function dropSigmaTables(db: Database): Promise<void> {
  await db.exec('DROP TABLE IF EXISTS sigma_alerts; DROP TABLE IF EXISTS sigma_hits; DROP TABLE IF EXISTS sigma_rules;');
}
