import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { lazyRun, withOut } from '../cli-options.js';
import type { DemoArgs } from './demo-run.js';
import { join } from 'node:path';
import { DEFAULT_DB } from '../db-settings.js';
import { OptionError } from '../errors.js';

export const demoCommand: CommandModule<GlobalOptions, DemoArgs> = {
  command: 'demo',
  describe: 'run the pipeline end to end on a generated sample fleet (generate, nightly day by day, retro, tune, weekly), into data/demo (its database: OUT/warehouse.duckdb, not --db)',
  builder: (y) =>
    withOut(y, 'output directory (replaced on each run)', 'data/demo')
      .option('hosts', { type: 'number', default: 50, describe: 'hosts in the sample fleet' })
      .option('days', { type: 'number', default: 21, describe: 'days in the sample fleet' })
      .option('seed', { type: 'number', default: 42, describe: 'generator seed' }) as never,
  handler: async (args) => {
    // the demo replaces its own database, OUT/warehouse.duckdb, on each run: a --db given to it was
    // silently not used (and must not be replaced)
    if (args.db !== DEFAULT_DB) throw new OptionError('--db', `the demo makes its own database, ${join(args.out, 'warehouse.duckdb')} (replaced on each run): choose where with --out`);
    await lazyRun(() => import('./demo-run.js'))(args);
  },
};
