import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { lazyRun, withConfig, withOut, withPeriod } from '../cli-options.js';
import { CliUsageError } from '../errors.js';
import { withEngine } from '../engine/clickhouse/engine-option.js';
import type { RetroArgs } from './retro-run.js';

export const retroCommand: CommandModule<GlobalOptions, RetroArgs> = {
  command: 'retro',
  describe: 're-run context generation for every alert of a past period with point-in-time baselines; store the run and its precision metrics',
  builder: (y) =>
    withOut(withConfig(withPeriod(withEngine(y, { buckets: false })), 'thresholds and windows (JSON) to re-run with; the documented defaults when absent'),
      'write reports.ndjson, metrics.json, metrics.csv|parquet|arrow here')
      .option('compare', { type: 'number', array: true, describe: 'show two stored retro runs side by side: --compare RUN_A RUN_B' })
      .check((a) => {
        if (a.compare) {
          if (a.compare.length !== 2 || a.compare.some((n) => !Number.isInteger(n))) throw new CliUsageError('--compare takes two run ids: --compare RUN_A RUN_B');
          return true;
        }
        if (!a['from'] || !a['to']) throw new CliUsageError('give --from DATE --to DATE (or --compare RUN_A RUN_B)');
        return true;
      })
      .example('$0 retro --from 2026-11-08 --to 2026-11-21 --out data/retro', 'a stored run with metrics over two weeks')
      .example('$0 retro --from 2026-11-08 --to 2026-11-21 --config strict.json', 'the same with other thresholds')
      .example('$0 retro --from 2026-11-08 --to 2026-11-21 --engine clickhouse --clickhouse-url http://ch1:8123,http://ch2:8123', 'with the telemetry and baselines on a ClickHouse cluster')
      .example('$0 retro --compare 12 15', 'two runs side by side') as never,
  handler: lazyRun(() => import('./retro-run.js')),
};
