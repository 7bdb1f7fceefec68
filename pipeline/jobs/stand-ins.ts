import type { Database } from '../db.js';
import { quoteIdent } from '../db.js';

/**
 * Session-private stand-ins of stored tables: temp tables of the same names, which DuckDB resolves
 * first, so that SQL models written against the stored tables read and write the stand-ins instead
 * (retro's rebuilt baselines; a nightly day computed before its transaction). `keep`: a predicate
 * choosing the stored rows the stand-in starts with ('false': none).
 */
export interface StandIn { table: string; keep: string }

/** The stored tables' schema, qualified by the database (inside the temp catalog, `main.` names temp's own schema). */
export async function storedSchema(db: Database): Promise<string> {
  const { name } = await db.one<{ name: string }>('SELECT current_database() AS name');
  return `${quoteIdent(name)}.main`;
}

export async function createStandIns(db: Database, standIns: readonly StandIn[]): Promise<void> {
  const stored = await storedSchema(db);
  for (const { table, keep } of standIns) {
    await db.exec(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS SELECT * FROM ${stored}.${quoteIdent(table)} WHERE ${keep}`);
  }
}

/** Drop the stand-ins, if any: the stored tables show through again. */
export async function dropStandIns(db: Database, tables: readonly string[]): Promise<void> {
  for (const table of tables) await db.exec(`DROP TABLE IF EXISTS temp.main.${quoteIdent(table)}`);
}
