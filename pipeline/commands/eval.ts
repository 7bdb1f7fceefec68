import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli.js';
import { DEFAULT_EVAL_SET } from '../eval/eval-set.js';
import { evalSummary } from '../eval/format-eval.js';
import { runEval } from '../eval/run-eval.js';

interface EvalArgs extends GlobalOptions {
  set?: string;
  config?: string;
  out: string;
}

export const evalCommand: CommandModule<GlobalOptions, EvalArgs> = {
  command: 'eval',
  describe: 'evaluate context reports on the labeled real captures (eval/otrf): load, alerts and labels, nightly, retro; item precision, attack recall and benign report rate per case and overall',
  builder: (y) =>
    y
      .option('db', { type: 'string', default: 'data/eval/warehouse.duckdb', describe: 'the database to build (replaced on every run; never one eval did not make)' })
      .option('config', { type: 'string', describe: "thresholds and windows (JSON); default: the set's config.json (its reason inside), else the documented defaults" })
      .option('out', { type: 'string', default: 'data/eval', describe: 'write reports.ndjson, metrics.json|csv|parquet|arrow and eval.json here' })
      .option('set', { type: 'string', describe: `the evaluation set's directory (default ${DEFAULT_EVAL_SET})` })
      .example('$0 eval', "the OTRF set with its config.json")
      .example('$0 eval --config lab.json --json', 'with other thresholds, machine-readable') as never,
  handler: async (args: ArgumentsCamelCase<EvalArgs>) => {
    const tty = !args.json && process.stderr.isTTY;
    const r = await runEval({
      db: args.db, out: args.out,
      ...(args.set ? { set: args.set } : {}),
      ...(args.config ? { config: args.config } : {}),
      onStep: (s) => {
        if (tty) process.stderr.write(`\r\x1b[K${s}`);
      },
    });
    if (tty) process.stderr.write('\r\x1b[K');
    console.log(args.json ? JSON.stringify(r, null, 2) : evalSummary(r));
  },
};
