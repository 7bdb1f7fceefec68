import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli.js';
import { loadThresholds } from '../config.js';
import { withDatabase } from '../db.js';
import { aggregateDays, buildBaselines } from '../baseline/build-baselines.js';
import { addDays } from '../dates.js';
import { checkDate } from '../dates.js';
import { OptionError } from '../errors.js';

interface BaselineArgs extends GlobalOptions {
  asOf: string;
  to?: string;
  config?: string;
}

export const baselineCommand: CommandModule<GlobalOptions, BaselineArgs> = {
  command: 'baseline',
  describe: 'build the rarity baselines as of a day (from the window of days before it), re-aggregating that window',
  builder: (y) =>
    y
      .option('as-of', { type: 'string', demandOption: true, describe: 'the day the baseline is for, YYYY-MM-DD: it uses only the days before' })
      .option('to', { type: 'string', describe: 'build one baseline per day from --as-of to --to' })
      .option('config', { type: 'string', describe: 'thresholds and windows (JSON); the documented defaults when absent' }) as never,
  handler: async (args: ArgumentsCamelCase<BaselineArgs>) => {
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
  },
};
