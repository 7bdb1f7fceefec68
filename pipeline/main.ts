import { buildCli, CliUsageError } from './cli.js';
import { OUT_OF_MEMORY_EXIT, UserError, outOfMemoryMessage } from './errors.js';
import { databaseSettings } from './db-settings.js';
import { InterruptedError, installSignalHandlers, receivedSignal } from './signals.js';
import { visible, visibleLines } from './escape.js';

/** Run the CLI: one clear line and a non-zero exit on failure; the stack only with --debug. */
export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  installSignalHandlers();
  try {
    await buildCli(argv).parseAsync();
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (caught) {
    // A query cut short by SIGTERM / SIGINT fails with DuckDB's own error: report the signal.
    const signal = receivedSignal();
    const err = signal && !(caught instanceof InterruptedError) ? new InterruptedError(signal) : caught;
    const error = err as Error;
    const outOfMemory = outOfMemoryMessage(err, databaseSettings().memoryLimit);
    // Messages name files and quote values from the input: their control characters are shown, not sent.
    if (debug) console.error(visibleLines(error.stack ?? error.message));
    else if (outOfMemory) console.error(`alert-context: ${visible(outOfMemory)}`);
    // yargs writes its own messages on several lines ("Invalid values:\n  Argument: engine, ..."): one line
    else if (err instanceof CliUsageError) console.error(`alert-context: ${visible(error.message.trim().replace(/\s*\n\s*/g, ' '))}${/see --help/.test(error.message) ? '' : ' (see --help)'}`);
    else if (err instanceof UserError) console.error(`alert-context: ${visible(error.message)}`);
    else console.error(`alert-context: unexpected error: ${visible(error.message.split('\n')[0] ?? '')} (rerun with --debug for details)`);
    if (outOfMemory) return OUT_OF_MEMORY_EXIT;
    return err instanceof UserError ? err.exitCode : err instanceof CliUsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
