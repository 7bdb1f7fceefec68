import type { ArgumentsCamelCase } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { loadThresholds } from '../config.js';
import { withDatabase } from '../db.js';
import { aggregateDays, buildBaselines } from '../baseline/build-baselines.js';
import { addDays } from '../dates.js';
import { checkDate } from '../dates.js';
import { OptionError } from '../errors.js';

export interface BaselineArgs extends GlobalOptions {
  asOf: string;
  to?: string;
  config?: string;
}

export async function run(args: ArgumentsCamelCase<BaselineArgs>): Promise<void> {
  const t = loadThresholds(args.config);
  const from = checkDate(args.asOf, '--as-of');
  const to = args.to ? checkDate(args.to, '--to') : from;
  if (to < from) throw new OptionError('--to', `${to} is before ${from}`);
  const rows = await withDatabase(args.db, (db) =>
    db.transaction(async () => {
      await aggregateDays(db, addDays(from, -t.baseline.window_days), addDays(to, -1));
      return buildBaselines(db, from, to, t);
    }),
  );
  if (args.json) console.log(JSON.stringify({ as_of: from, to, window_days: t.baseline.window_days, template_rows: rows }));
  else console.log(`baselines as of ${from}${to === from ? '' : `..${to}`} over ${t.baseline.window_days} days: ${rows.toLocaleString('en-US')} template rows`);
}
