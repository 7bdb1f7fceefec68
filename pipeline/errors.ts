/** Errors a user can act on. The CLI prints `message` as one line and exits non-zero. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}

/** A file that cannot be read or used at all (not one bad row: those go to `rejects`). */
export class InputFileError extends UserError {
  constructor(readonly file: string, detail: string, readonly line?: number) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
    this.name = 'InputFileError';
  }
}

/** A bad option or configuration value, named. */
export class OptionError extends UserError {
  constructor(readonly option: string, detail: string) {
    super(`${option}: ${detail}`);
    this.name = 'OptionError';
  }
}

/** The database is in use by another writer or cannot be opened. */
export class DatabaseError extends UserError {
  constructor(readonly dbPath: string, detail: string, exitCode = 2) {
    super(`database ${dbPath}: ${detail}`, exitCode);
    this.name = 'DatabaseError';
  }
}

/** A usage error: an unknown option, a missing argument, options that do not go together. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/**
 * DuckDB ran out of memory within `--memory-limit` (the work it cannot spill to `--temp-dir`). Not a
 * bad input: said so, with the limit, the file being read if any, and DuckDB's own words; exit 3,
 * so that a scheduler can tell it from bad input (2) and rerun with a larger limit.
 */
export function outOfMemoryMessage(err: unknown, memoryLimit: string): string | undefined {
  const message = (err as Error | undefined)?.message ?? '';
  const at = message.indexOf('Out of Memory Error: ');
  if (at < 0) return undefined;
  const detail = (message.slice(at + 'Out of Memory Error: '.length).split('\n')[0] ?? '').trim();
  const reading = err instanceof InputFileError ? ` while reading ${err.file}` : '';
  return `out of memory with --memory-limit ${memoryLimit}${reading} (DuckDB: ${detail}); rerun with a larger --memory-limit`;
}

/** Exit code of a run that ran out of memory within --memory-limit. */
export const OUT_OF_MEMORY_EXIT = 3;
