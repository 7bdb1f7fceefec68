/**
 * What the commands share: the global options' type, the options several commands take (--config,
 * --from/--to, --out), declared once here, and the lazy handler. Commands import this module, never
 * cli.ts, so there is no import cycle between the CLI and its commands.
 */
import type { Argv } from 'yargs';

/** Options every command has (declared on the CLI as global options; docs/spec.md section 4). */
export interface GlobalOptions {
  db: string;
  json: boolean;
  debug: boolean;
  /** No progress and no log lines on stderr (errors are still printed). */
  quiet: boolean;
}

const CONFIG_DESCRIBE = 'thresholds and windows (JSON); the documented defaults when absent';

/** --config FILE: thresholds and windows (JSON), read by pipeline/config.ts. */
export function withConfig<T>(y: Argv<T>, describe = CONFIG_DESCRIBE): Argv<T> {
  return y.option('config', { type: 'string', describe });
}

export interface PeriodOptions {
  /** Which of --from and --to must be given (else a command's own check decides). */
  required?: 'from' | 'both';
  /** What --to means when absent. */
  to?: string;
}

/** --from DATE / --to DATE: a period of UTC days. */
export function withPeriod<T>(y: Argv<T>, { required, to = 'last UTC day (inclusive)' }: PeriodOptions = {}): Argv<T> {
  return y
    .option('from', { type: 'string', ...(required ? { demandOption: true } : {}), describe: 'first UTC day, YYYY-MM-DD' })
    .option('to', { type: 'string', ...(required === 'both' ? { demandOption: true } : {}), describe: to });
}

/** --out DIR: where a command writes its files (--out naming a file is refused by the CLI before any work). */
export function withOut<T>(y: Argv<T>, describe: string, defaultDir?: string): Argv<T> {
  return y.option('out', { type: 'string', ...(defaultDir === undefined ? {} : { default: defaultDir }), describe });
}

/**
 * A command handler that imports the command's work only when the command runs: --help and a
 * mistyped option load neither DuckDB nor any stage.
 */
export function lazyRun<A>(load: () => Promise<{ run: (args: A) => Promise<void> }>): (args: A) => Promise<void> {
  return async (args) => (await load()).run(args);
}
