/** Where the database is and how DuckDB may use memory: what the CLI sets before any database opens (no DuckDB import, so --help stays fast). */
export const DEFAULT_DB = 'data/warehouse.duckdb';

export const DEFAULT_MEMORY_LIMIT = '1GB';

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
