import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../db.js';

/** The tables of a context run, and of a retro run (its context run, then its record and metrics). */
export const CONTEXT_RUN_TABLES = ['context_runs', 'context_reports', 'context_report_items'] as const;
export const RETRO_RUN_TABLES = [...CONTEXT_RUN_TABLES, 'retro_runs', 'retro_metrics'] as const;

/**
 * Copy a run made in a pulled session (its rows of `tables`, by run_id) into the warehouse under a
 * new run id, in one transaction. `replaceNightlyDay`: first remove that day's earlier nightly
 * runs, as a DuckDB nightly rerun does. Returns the warehouse's run id.
 */
export async function publishRun(warehouse: Database, session: Database, sessionRunId: number, tables: readonly string[], replaceNightlyDay?: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'ac-ch-publish-'));
  try {
    for (const t of tables) await session.run(`COPY (SELECT * FROM ${t} WHERE run_id = $2) TO $1 (FORMAT PARQUET)`, [join(dir, `${t}.parquet`), sessionRunId]);
    const { run_id: runId } = await warehouse.one<{ run_id: number }>(`SELECT nextval('context_run_seq') AS run_id`);
    await warehouse.transaction(async () => {
      if (replaceNightlyDay) {
        const old = `SELECT run_id FROM context_runs WHERE kind = 'nightly' AND period_from = $1::DATE AND period_to = $1::DATE`;
        for (const t of ['context_report_items', 'context_reports', 'context_runs']) await warehouse.run(`DELETE FROM ${t} WHERE run_id IN (${old})`, [replaceNightlyDay]);
      }
      for (const t of tables) {
        await warehouse.run(`INSERT INTO ${t} BY NAME SELECT * REPLACE ($2::BIGINT AS run_id) FROM read_parquet($1)`, [join(dir, `${t}.parquet`), runId]);
      }
    });
    return runId;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
