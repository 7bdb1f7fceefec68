/** Where the database is and how DuckDB may use memory: what the CLI sets before any database opens (no DuckDB import, so --help stays fast). */
export const DEFAULT_DB = 'data/warehouse.duckdb';

/**
 * DuckDB's buffer pool; the process peaks about 0.3-0.6 GB above it. At 800MB the bench's 10,000-host
 * day peaks at 1.38 GB (1.65 GB at 1GB) in the same time (235 / 239 s), and its 1,000-host day too
 * (1.29-1.36 / 1.66-1.68 GB, 27.7-29.6 / 28.5-30.6 s); tune chunks its points smaller (28 -> 32 s).
 */
export const DEFAULT_MEMORY_LIMIT = '800MB';

/** DuckDB settings every database of this process opens with (the CLI's --memory-limit, --temp-dir). */
export interface DatabaseSettings {
  /** DuckDB's memory_limit: beyond it, large joins, sorts and aggregates spill to temp_directory. */
  memoryLimit: string;
  /** Where spilled data goes; undefined: DuckDB's default, <database>.tmp beside the file. */
  tempDirectory?: string;
}

let settings: DatabaseSettings = { memoryLimit: DEFAULT_MEMORY_LIMIT };

/** Set the DuckDB settings of databases opened from now on. */
export function configureDatabases(next: DatabaseSettings): void {
  settings = { ...next };
}

/** The settings a database opens with now. */
export function databaseSettings(): Readonly<DatabaseSettings> {
  return settings;
}
