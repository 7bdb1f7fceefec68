import type { ArgumentsCamelCase } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { evalSummary } from '../eval/format-eval.js';
import { runEval } from '../eval/run-eval.js';
import { progressWanted } from '../progress.js';
import { visible, visibleLines } from '../escape.js';

export interface EvalArgs extends GlobalOptions {
  set?: string;
  config?: string;
  out: string;
}

export async function run(args: ArgumentsCamelCase<EvalArgs>): Promise<void> {
  const tty = progressWanted(args);
  const r = await runEval({
    db: args.db, out: args.out,
    ...(args.set ? { set: args.set } : {}),
    ...(args.config ? { config: args.config } : {}),
    onStep: (s) => {
      if (tty) process.stderr.write(`\r\x1b[K${visible(s)}`);
    },
  });
  if (tty) process.stderr.write('\r\x1b[K');
  // case ids and host names come from the evaluation set's files: shown with their controls escaped
  console.log(args.json ? JSON.stringify(r, null, 2) : visibleLines(evalSummary(r)));
}
