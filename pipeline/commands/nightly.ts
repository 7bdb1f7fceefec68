import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { lazyRun, withConfig, withOut } from '../cli-options.js';
import { withEngine } from '../engine/clickhouse/engine-option.js';
import type { NightlyArgs } from './nightly-run.js';

export const nightlyCommand: CommandModule<GlobalOptions, NightlyArgs> = {
  command: 'nightly',
  describe: "the scheduled run for a day: load its files, update its aggregates, build the next day's baseline",
  builder: (y) =>
    withOut(withConfig(withEngine(y)
      .option('date', { type: 'string', demandOption: true, describe: 'the UTC day to process, YYYY-MM-DD' })
      .option('to', { type: 'string', describe: 'catch up: process every day from --date to --to (inclusive) in one run' })
      .option('input', { type: 'string', describe: "directory of telemetry: DIR/<date>/ (the generator's layout) or the day's files" }))
      .option('time-range', { type: 'string', describe: 'plausible event times FROM..TO (UTC); others are rejected. Default 2000-01-01..now+1 day' }),
      "write the day's reports (reports.ndjson, security_alerts.ndjson, reports/) here")
      .example('$0 nightly --date 2026-11-14 --input /var/telemetry', 'the cron job for one day')
      .example('$0 nightly --date 2026-11-01 --to 2026-11-14 --input data/fleet', 'catch up on two weeks') as never,
  handler: lazyRun(() => import('./nightly-run.js')),
};
