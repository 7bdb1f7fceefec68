import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { lazyRun, withOut } from '../cli-options.js';
import { GENERATE_DEFAULTS } from '../generate/generate-defaults.js';
import { OUTPUT_FORMATS } from '../generate/writers.js';
import type { GenerateArgs } from './generate-run.js';

export const generateCommand: CommandModule<GlobalOptions, GenerateArgs> = {
  command: 'generate',
  describe: 'write a synthetic, labeled fleet (process and logon events, alerts, labels) for testing and tuning',
  builder: (y) =>
    withOut(y
      .option('hosts', { type: 'number', default: GENERATE_DEFAULTS.hosts, describe: 'hosts in the fleet' })
      .option('days', { type: 'number', default: GENERATE_DEFAULTS.days, describe: 'days of telemetry' })
      .option('start', { type: 'string', default: GENERATE_DEFAULTS.start, describe: 'first day, YYYY-MM-DD (UTC)' })
      .option('seed', { type: 'number', default: GENERATE_DEFAULTS.seed, describe: 'same seed, same bytes' }),
      'output directory (one folder per day, manifest.json)', 'data/fleet')
      .option('format', { choices: OUTPUT_FORMATS, default: GENERATE_DEFAULTS.format, describe: 'format of the process and logon event files' })
      .option('attack-rate', { type: 'number', default: GENERATE_DEFAULTS.attackRate, describe: 'attack campaigns per host-day (at least one of each kind)' })
      .option('fp-ratio', { type: 'number', default: GENERATE_DEFAULTS.fpRatio, describe: 'false-positive alerts per true-positive alert' })
      .option('event-rate', { type: 'number', default: GENERATE_DEFAULTS.eventRate, describe: 'multiplier on background process starts (1 = about 1,000-2,000 per host-day)' })
      .option('admin-rate', { type: 'number', default: GENERATE_DEFAULTS.adminRate, describe: 'share of servers with an admin RDP session per day' })
      .example('$0 generate --hosts 20 --days 7 --out data/fleet', 'a small fleet in canonical Parquet')
      .example('$0 generate --format winevent --out data/fleet-winevent', 'the same fleet as Sysmon/Security JSON lines') as never,
  handler: lazyRun(() => import('./generate-run.js')),
};
