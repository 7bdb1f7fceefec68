import type { CommandModule } from 'yargs';
import { INPUT_FORMATS } from '../../models/mapping-registry.js';
import type { GlobalOptions } from '../cli-options.js';
import { lazyRun } from '../cli-options.js';
import { withEngine } from '../engine/clickhouse/engine-option.js';
import type { FormatOption } from '../load/detect.js';
import type { LoadArgs } from './load-run.js';

export const loadCommand: CommandModule<GlobalOptions, LoadArgs> = {
  command: 'load',
  describe: 'load telemetry files (process and logon events, alerts, labels) into DuckDB',
  builder: (y) =>
    withEngine(y)
      .option('input', { type: 'string', array: true, demandOption: true, alias: 'i', describe: 'files or directories (walked; .gz works)' })
      .option('format', {
        choices: ['auto', ...INPUT_FORMATS] as FormatOption[],
        default: 'auto' as FormatOption,
        describe: 'input format; auto detects it per file and skips files that are not telemetry',
      })
      .option('time-range', { type: 'string', describe: 'plausible event times FROM..TO (UTC); others are rejected. Default 2000-01-01..now+1 day' })
      .example('$0 load --input test/fixtures/otrf --input eval/otrf/captures', 'load real OTRF captures, detecting each format')
      .example('$0 load --format canonical --input day/process_events.parquet', 'load one canonical table') as never,
  handler: lazyRun(() => import('./load-run.js')),
};
