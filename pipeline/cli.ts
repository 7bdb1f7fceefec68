import yargs from 'yargs';
import type { Argv } from 'yargs';
import { baselineCommand } from './commands/baseline.js';
import { contextCommand } from './commands/context.js';
import { demoCommand } from './commands/demo.js';
import { detectCommand } from './commands/detect.js';
import { evalCommand } from './commands/eval.js';
import { generateCommand } from './commands/generate.js';
import { loadCommand } from './commands/load.js';
import { nightlyCommand } from './commands/nightly.js';
import { retroCommand } from './commands/retro.js';
import { tuneCommand } from './commands/tune.js';
import { weeklyCommand } from './commands/weekly.js';
import type { GlobalOptions } from './cli-options.js';
import { DEFAULT_DB, DEFAULT_MEMORY_LIMIT, configureDatabases } from './db-settings.js';
import { CliUsageError, OptionError } from './errors.js';
import { silenceProgress } from './progress.js';
import { checkOutDir } from './out-dir.js';

export { CliUsageError } from './errors.js';
export type { GlobalOptions } from './cli-options.js';

/**
 * The CLI definition, without side effects: parsing is the caller's (main.ts runs it, tests call
 * `parseAsync` on it directly).
 */
export function buildCli(argv: readonly string[]): Argv<GlobalOptions> {
  return yargs([...argv])
    .scriptName('alert-context')
    .usage('$0 <command> [options]\n\nContext reports for security alerts, from fleet telemetry in DuckDB.')
    .option('db', { type: 'string', default: DEFAULT_DB, describe: 'DuckDB database file (embedded, no server)', global: true })
    .option('json', { type: 'boolean', default: false, describe: 'print a machine-readable summary on stdout', global: true })
    .option('debug', { type: 'boolean', default: false, describe: 'print stack traces on errors', global: true })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress or log lines on stderr (errors still are)', global: true })
    .option('memory-limit', { type: 'string', default: DEFAULT_MEMORY_LIMIT, describe: "DuckDB's memory limit; larger work spills to --temp-dir", global: true })
    .option('temp-dir', { type: 'string', describe: 'where DuckDB spills (default: <db>.tmp beside the database)', global: true })
    // Applies at parse time (building the CLI has no side effects).
    // --out names a folder: one that cannot be made or written is refused before any work, not found at the end.
    .middleware((a) => {
      const out = a['out'];
      if (typeof out === 'string' && !a['help']) checkOutDir(out);
    })
    // an option given twice that takes one value is refused (yargs made a list of it: 'Cannot create values of type ANY')
    .middleware(((a: Record<string, unknown>, y: { getOptions(): { array: string[]; key: Record<string, unknown> } }) => {
      const { array, key: known } = y.getOptions();
      const lists = new Set(array);
      for (const [key, value] of Object.entries(a)) {
        const option = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
        // (an unknown option is left to yargs's strict check, which names it as unknown)
        if (Array.isArray(value) && key !== '_' && !key.includes('-') && (key in known || option in known) && !lists.has(key) && !lists.has(option)) {
          throw new CliUsageError(`--${option} given more than once (${value.length} times): give it once`);
        }
      }
    }) as never, true)
    .middleware((a) => silenceProgress(Boolean(a['quiet']) || Boolean(a['json'])))
    .middleware((a) => {
      // DuckDB reads a negative limit as none at all
      if (/^\s*-/.test(String(a['memoryLimit']))) throw new OptionError('--memory-limit', `${String(a['memoryLimit'])} is not a size: give one such as 800MB or 2GB`);
    })
    .middleware((a) => configureDatabases({ memoryLimit: String(a['memoryLimit']), ...(a['tempDir'] ? { tempDirectory: String(a['tempDir']) } : {}) }))
    .command(loadCommand)
    .command(generateCommand)
    .command(baselineCommand)
    .command(nightlyCommand)
    .command(detectCommand)
    .command(contextCommand)
    .command(retroCommand)
    .command(tuneCommand)
    .command(weeklyCommand)
    .command(demoCommand)
    .command(evalCommand)
    .demandCommand(1, 'Name a command; see --help.')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw err ?? new CliUsageError(msg);
    }) as unknown as Argv<GlobalOptions>;
}
