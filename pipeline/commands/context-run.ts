import type { ArgumentsCamelCase } from 'yargs';
import { checkDate } from '../dates.js';
import type { GlobalOptions } from '../cli-options.js';
import { loadThresholds } from '../config.js';
import { makeContextReports } from '../context/make-reports.js';
import { readReports } from '../context/read-reports.js';
import { writeReports } from '../context/write-reports.js';
import { withDatabase } from '../db.js';
import { OptionError, UserError } from '../errors.js';
import { visible, visibleLines } from '../escape.js';

export interface ContextArgs extends GlobalOptions {
  from?: string;
  to?: string;
  alertId?: string;
  out?: string;
  config?: string;
}

export async function run(args: ArgumentsCamelCase<ContextArgs>): Promise<void> {
  const t = loadThresholds(args.config);
  await withDatabase(args.db, async (db) => {
    let from: string;
    let to: string;
    if (args.alertId) {
      const a = await db.all<{ day: string }>(`SELECT strftime(ts, '%Y-%m-%d') AS day FROM alerts WHERE alert_id = $1`, [args.alertId]);
      if (a.length === 0) throw new OptionError('--alert-id', `no alert ${args.alertId} in ${args.db}`);
      from = to = a[0]!.day;
    } else {
      from = checkDate(args.from!, '--from');
      to = args.to ? checkDate(args.to, '--to') : from;
      if (to < from) throw new OptionError('--to', `${to} is before ${from}`);
    }
    const scored = await db.one<{ n: number }>(`SELECT count(*) AS n FROM process_rarity WHERE day BETWEEN $1::DATE AND $2::DATE`, [from, to]);
    if (scored.n === 0) throw new UserError(`no scored events for ${from}..${to}: run nightly for those days first`);
    const run = await db.transaction(() => makeContextReports(db, from, to, t));
    const reports = await readReports(db, run.runId, args.alertId);
    if (args.out) writeReports(args.out, reports);
    if (args.alertId) {
      if (args.json) console.log(JSON.stringify(reports[0] ?? null, null, 2));
      else console.log(visibleLines(reports[0] ? `${visible(reports[0].title)}\n${reports[0].context_event_activity}` : `no report for ${args.alertId}: nothing unusual around it`));
      return;
    }
    if (args.json) console.log(JSON.stringify({ run_id: run.runId, from, to, alerts: run.alerts, reports: run.reports, out: args.out ?? null }, null, 2));
    else console.log(`context run ${run.runId} for ${from}..${to}: ${run.reports} report(s) for ${run.alerts} alert(s)${args.out ? `; written to ${args.out}` : ''}`);
  }, 'existing');
}
