import type { CanonicalTable } from '../../models/mapping-registry.js';
import type { Database } from '../db.js';
import { quoteIdent } from '../db.js';
import { CANONICAL_TABLES, STAGE_COLUMNS } from './stage-tables.js';

/**
 * What the load stage shows of a staged load (stageLoad) before its commit: per canonical table,
 * one view of the rows the commit will store, in that table's columns (load_id NULL until the
 * commit, source_file the file's path). Other stages read these views, never the stage tables
 * behind them (stage-tables.ts), which are the loader's own.
 */
export { CANONICAL_TABLES };

/** The view of a canonical table's staged rows. */
export function stagedRows(table: CanonicalTable): string {
  return `staged_${table}`;
}

/** Create the views (temp, over the session's stage tables): stageLoad does, after createStageTables. */
export async function createStagedRows(db: Database): Promise<void> {
  for (const table of CANONICAL_TABLES) {
    await db.exec(`
      CREATE OR REPLACE TEMP VIEW ${quoteIdent(stagedRows(table))} AS
      SELECT ${STAGE_COLUMNS[table].map((c) => `s.${quoteIdent(c)}`).join(', ')}, NULL::BIGINT AS load_id, f.file AS source_file
      FROM ${quoteIdent(`stage_${table}`)} s JOIN load_files f USING (file_idx)
      WHERE s.status IS NULL`);
  }
}
