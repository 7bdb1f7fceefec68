import type { Database } from '../db.js';
import { UserError } from '../errors.js';

/** The days of [from, to] that have events but no scores: nightly has not run for them. */
export async function checkScored(db: Database, from: string, to: string): Promise<void> {
  const missing = await db.all<{ day: string }>(
    `SELECT strftime(e.day, '%Y-%m-%d') AS day
     FROM (SELECT DISTINCT ts::DATE AS day FROM process_events WHERE ts >= $1::TIMESTAMP AND ts < $2::DATE + 1) e
     WHERE e.day NOT IN (SELECT DISTINCT day FROM process_rarity WHERE day BETWEEN $1::DATE AND $2::DATE)
     ORDER BY 1`,
    [from, to],
  );
  if (missing.length > 0) {
    throw new UserError(`retro ${from}..${to}: ${missing.length} day(s) with events were never run by nightly (${missing.slice(0, 3).map((m) => m.day).join(', ')}${missing.length > 3 ? ', ...' : ''}): run nightly for them first`);
  }
  const alerts = await db.one<{ n: number }>('SELECT count(*) AS n FROM alerts WHERE ts >= $1::TIMESTAMP AND ts < $2::DATE + 1', [from, to]);
  if (alerts.n === 0) throw new UserError(`retro ${from}..${to}: no alerts in the period`);
}
