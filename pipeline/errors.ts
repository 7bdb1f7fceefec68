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
