import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { lazyRun, withConfig } from '../cli-options.js';
import type { BaselineArgs } from './baseline-run.js';

export const baselineCommand: CommandModule<GlobalOptions, BaselineArgs> = {
  command: 'baseline',
  describe: 'build the rarity baselines as of a day (from the window of days before it), re-aggregating that window',
  builder: (y) =>
    withConfig(y
      .option('as-of', { type: 'string', demandOption: true, describe: 'the day the baseline is for, YYYY-MM-DD: it uses only the days before' })
      .option('to', { type: 'string', describe: 'build one baseline per day from --as-of to --to' })) as never,
  handler: lazyRun(() => import('./baseline-run.js')),
};
