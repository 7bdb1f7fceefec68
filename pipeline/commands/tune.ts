import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { lazyRun, withConfig, withOut, withPeriod } from '../cli-options.js';
import { withEngine } from '../engine/clickhouse/engine-option.js';
import { SWEEPABLE } from '../tune/grid.js';
import { DEFAULT_OBJECTIVE } from '../tune/objective.js';
import type { TuneArgs } from './tune-run.js';

export const tuneCommand: CommandModule<GlobalOptions, TuneArgs> = {
  command: 'tune',
  describe: 'sweep thresholds over a labeled period from one scoring pass; write the precision/recall/coverage table and chart, and name the best point',
  builder: (y) =>
    withOut(withConfig(withPeriod(withEngine(y, { buckets: false }), { required: 'both' })
      .option('grid', { type: 'string', array: true, demandOption: true, describe: `key=v1,v2,... (repeat for more keys; all combinations). Keys: ${SWEEPABLE.join(', ')}` }),
      'the base thresholds the grid varies (JSON); the documented defaults when absent'),
      'write tune.csv|parquet|arrow, tune.json and tune.svg here')
      .option('min-precision', { type: 'number', default: DEFAULT_OBJECTIVE.minItemPrecision, describe: 'objective: item precision at least this' })
      .option('max-benign-rate', { type: 'number', default: DEFAULT_OBJECTIVE.maxBenignReportRate, describe: 'objective: benign report rate at most this' })
      .example('$0 tune --from 2026-11-08 --to 2026-11-21 --grid rarity.max_fleet_hosts=1,2,3,5,8 --grid rarity.max_host_days=0,1 --out data/tune', 'ten points')
      .example('$0 tune --from 2026-11-08 --to 2026-11-21 --grid burst.factor=2,3 --engine clickhouse --clickhouse-url http://ch1:8123,http://ch2:8123', 'with the telemetry and baselines on a ClickHouse cluster') as never,
  handler: lazyRun(() => import('./tune-run.js')),
};
