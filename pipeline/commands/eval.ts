import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { lazyRun, withConfig, withOut } from '../cli-options.js';
import { DEFAULT_EVAL_SET } from '../eval/eval-set.js';
import type { EvalArgs } from './eval-run.js';

export const evalCommand: CommandModule<GlobalOptions, EvalArgs> = {
  command: 'eval',
  describe: 'evaluate context reports on the labeled real captures (eval/otrf): load, alerts and labels, nightly, retro; item precision, attack recall and benign report rate per case and overall',
  builder: (y) =>
    withOut(withConfig(y
      .option('db', { type: 'string', default: 'data/eval/warehouse.duckdb', describe: 'the database to build (replaced on every run; never one eval did not make)' }),
      "thresholds and windows (JSON); default: the set's config.json (its reason inside), else the documented defaults"),
      'write reports.ndjson, metrics.json|csv|parquet|arrow and eval.json here', 'data/eval')
      .option('set', { type: 'string', describe: `the evaluation set's directory (default ${DEFAULT_EVAL_SET})` })
      .example('$0 eval', "the OTRF set with its config.json")
      .example('$0 eval --config lab.json --json', 'with other thresholds, machine-readable') as never,
  handler: lazyRun(() => import('./eval-run.js')),
};
