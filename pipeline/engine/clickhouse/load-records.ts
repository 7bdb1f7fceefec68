import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../db.js';

/**
 * What a load keeps besides the events, copied from the scratch database DuckDB's loader wrote to
 * into the warehouse, each row once: alerts and labels (small; context and metrics read them per
 * alert), the rejected rows (keyed by file hash and line) and the ledger, under a load id of the
 * warehouse's sequence (the scratch database numbers its loads from 1). Returns the new alerts.
 */
const KEPT: { table: string; where: string }[] = [
  { table: 'alerts', where: 'NOT EXISTS (SELECT 1 FROM alerts w WHERE w.alert_id = n.alert_id)' },
  { table: 'labels', where: 'NOT EXISTS (SELECT 1 FROM labels w WHERE w.kind = n.kind AND w.id = n.id)' },
  { table: 'rejects', where: 'NOT EXISTS (SELECT 1 FROM rejects w WHERE w.file_sha256 = n.file_sha256 AND w.line = n.line)' },
  { table: 'load_ledger', where: 'true' },
];

export async function keepLoadRecords(scratch: Database, warehouse: Database): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'ac-ch-records-'));
  try {
    for (const { table } of KEPT) await scratch.run(`COPY (SELECT * FROM ${table}) TO $1 (FORMAT PARQUET)`, [join(dir, `${table}.parquet`)]);
    const before = await warehouse.one<{ n: number }>('SELECT count(*) AS n FROM alerts');
    const { id } = await warehouse.one<{ id: number }>(`SELECT nextval('load_id_seq') AS id`);
    await warehouse.transaction(async () => {
      for (const { table, where } of KEPT) {
        const loadId = table === 'rejects' || table === 'load_ledger' ? ' REPLACE ($2::BIGINT AS load_id)' : '';
        await warehouse.run(`INSERT INTO ${table} BY NAME SELECT *${loadId} FROM read_parquet($1) n WHERE ${where}`, [join(dir, `${table}.parquet`), ...(loadId ? [id] : [])]);
      }
    });
    const after = await warehouse.one<{ n: number }>('SELECT count(*) AS n FROM alerts');
    return after.n - before.n;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
