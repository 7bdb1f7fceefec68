import type { Database } from '../db.js';
import { quoteIdent } from '../db.js';
import { rowFilterSql } from '../table-registry.js';
import type { FilterDay, RowFilter } from '../table-registry.js';

/**
 * Session-private stand-ins of stored tables: temp tables of the same names, which DuckDB resolves
 * first, so that SQL models written against the stored tables read and write the stand-ins instead
 * (retro's rebuilt baselines; a nightly day computed before its transaction). `keep`: the stored
 * rows the stand-in starts with ('none', or rows relative to a nightly day: table-registry.ts).
 */
export interface StandIn { table: string; keep: RowFilter }

/** The stored tables' schema, qualified by the database (inside the temp catalog, `main.` names temp's own schema). */
export async function storedSchema(db: Database): Promise<string> {
  const { name } = await db.one<{ name: string }>('SELECT current_database() AS name');
  return `${quoteIdent(name)}.main`;
}

/** `on`: the nightly day the filters are relative to (none needed when every stand-in keeps 'all' or 'none'). */
export async function createStandIns(db: Database, standIns: readonly StandIn[], on?: FilterDay): Promise<void> {
  const stored = await storedSchema(db);
  for (const { table, keep } of standIns) {
    const where = rowFilterSql(keep, on);
    await db.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS SELECT * FROM ${stored}.${quoteIdent(table)} WHERE ${where.sql}`, where.values);
  }
}

/** Drop the stand-ins, if any: the stored tables show through again. */
export async function dropStandIns(db: Database, tables: readonly string[]): Promise<void> {
  for (const table of tables) await db.exec(`DROP TABLE IF EXISTS temp.main.${quoteIdent(table)}`);
}
