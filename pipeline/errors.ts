/** Errors a user can act on. The CLI prints `message` as one line and exits non-zero. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}

/** A file that cannot be read or used at all (not one bad row: those go to `rejects`). */
export class InputFileError extends UserError {
  /** `cause`: the error the file's reading failed with (DuckDB's), when there is one. */
  constructor(readonly file: string, detail: string, readonly line?: number, cause?: unknown) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
    this.name = 'InputFileError';
    if (cause !== undefined) this.cause = cause;
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

/** How DuckDB's out-of-memory errors begin. */
const OUT_OF_MEMORY = 'Out of Memory Error: ';

/**
 * DuckDB ran out of memory within `--memory-limit` (the work it cannot spill to `--temp-dir`), as
 * the error itself or as the cause of a file's reading: said so, with the limit, the file being
 * read if any, and DuckDB's own words; exit 3, so that a scheduler can tell it from bad input (2)
 * and rerun with a larger limit. When spilling itself failed (the temp directory full or capped),
 * the advice is room in --temp-dir instead.
 */
export function outOfMemoryMessage(err: unknown, memoryLimit: string): string | undefined {
  const own = err instanceof Error ? err : undefined;
  const duckdb = [own, own?.cause].find((e): e is Error => e instanceof Error && e.message.startsWith(OUT_OF_MEMORY));
  if (!duckdb) return undefined;
  const detail = (duckdb.message.slice(OUT_OF_MEMORY.length).split('\n')[0] ?? '').trim();
  const reading = err instanceof InputFileError ? ` while reading ${err.file}` : '';
  const advice = /offload|temp(orary)? (directory|file)|max_temp_directory_size/i.test(duckdb.message)
    ? 'free space where it spills (--temp-dir) or rerun with a larger --memory-limit'
    : 'rerun with a larger --memory-limit';
  return `out of memory with --memory-limit ${memoryLimit}${reading} (DuckDB: ${detail}); ${advice}`;
}

/** Exit code of a run that ran out of memory within --memory-limit. */
export const OUT_OF_MEMORY_EXIT = 3;
