import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { lazyRun, withConfig, withOut, withPeriod } from '../cli-options.js';
import { CliUsageError } from '../errors.js';
import type { ContextArgs } from './context-run.js';

export const contextCommand: CommandModule<GlobalOptions, ContextArgs> = {
  command: 'context',
  describe: 'make context reports for the alerts of a period (or one alert) from scored telemetry',
  builder: (y) =>
    withConfig(withOut(withPeriod(y, { to: 'last UTC day (inclusive); default --from' })
      .option('alert-id', { type: 'string', describe: "print one alert's report in the terminal" }),
      'write reports.ndjson, security_alerts.ndjson and reports/<id>.md|.html here'))
      .check((a) => {
        if (!a['from'] && !a['alertId']) throw new CliUsageError('give --from DATE [--to DATE], or --alert-id ID');
        return true;
      })
      .example('$0 context --from 2026-11-01 --to 2026-11-14 --out data/context', 'reports for two weeks of alerts')
      .example('$0 context --alert-id al-c0004-1', 'one report in the terminal') as never,
  handler: lazyRun(() => import('./context-run.js')),
};
