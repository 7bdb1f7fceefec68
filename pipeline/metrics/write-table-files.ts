import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listValue } from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../db.js';
import { quoteIdent } from '../db.js';
import { csvText } from './csv-text.js';

/** The rows to write: a table's (or view's), those where a column equals a value, in an order. */
export interface TableRows {
  table: string;
  /** Default: every column. */
  columns?: readonly string[];
  where?: { column: string; equals: DuckDBValue };
  /** Columns, in order; a column with `ranks` sorts by its value's place in that list. */
  orderBy: readonly (string | { column: string; ranks: readonly string[] })[];
}

function tableRowsSql(rows: TableRows): { sql: string; values: DuckDBValue[] } {
  const values: DuckDBValue[] = [];
  const bind = (v: DuckDBValue) => `$${values.push(v)}`;
  const where = rows.where ? ` WHERE ${quoteIdent(rows.where.column)} = ${bind(rows.where.equals)}` : '';
  const order = rows.orderBy.map((o) => (typeof o === 'string' ? quoteIdent(o) : `list_position(${bind(listValue([...o.ranks]))}::VARCHAR[], ${quoteIdent(o.column)})`));
  const columns = rows.columns ? rows.columns.map(quoteIdent).join(', ') : '*';
  return { sql: `SELECT ${columns} FROM ${quoteIdent(rows.table)}${where} ORDER BY ${order.join(', ')}`, values };
}

/**
 * Write `rows` as DIR/NAME.csv (csv-text.ts: quoted, formulas neutralised), DIR/NAME.parquet (DuckDB's COPY) and
 * DIR/NAME.arrow (Arrow IPC file, for notebooks: DuckDB here has no arrow extension, so the file is
 * built with apache-arrow from the same rows). Numbers become float64 columns, the rest utf8.
 * Returns the paths written.
 */
export async function writeTableFiles(db: Database, dir: string, name: string, rows: TableRows): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const query = tableRowsSql(rows);
  await db.run(`CREATE OR REPLACE TEMP TABLE export_rows AS ${query.sql}`, query.values);
  const csv = join(dir, `${name}.csv`);
  const parquet = join(dir, `${name}.parquet`);
  const arrow = join(dir, `${name}.arrow`);
  await db.run(`COPY export_rows TO $1 (FORMAT parquet)`, [parquet]);
  const columns = await db.all<{ column_name: string; data_type: string }>('SELECT column_name, column_type AS data_type FROM (DESCRIBE export_rows)');
  const exported = await db.all<Record<string, unknown>>('SELECT * FROM export_rows');
  const numeric = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;
  // CSV written here, not by DuckDB's COPY: text cells quoted and neutralised against spreadsheet formulas (csv-text.ts).
  writeFileSync(csv, csvText(columns.map((c) => c.column_name), new Set(columns.filter((c) => numeric.test(c.data_type)).map((c) => c.column_name)), exported));
  const { Float64, Table, Utf8, tableToIPC, vectorFromArray } = await import('apache-arrow'); // loaded when needed (start-up)
  const vectors = Object.fromEntries(columns.map(({ column_name: c, data_type: type }) => [
    c,
    numeric.test(type)
      ? vectorFromArray(exported.map((r) => (r[c] === null || r[c] === undefined ? null : Number(r[c]))), new Float64())
      : vectorFromArray(exported.map((r) => (r[c] === null || r[c] === undefined ? null : String(r[c]))), new Utf8()),
  ]));
  writeFileSync(arrow, tableToIPC(new Table(vectors), 'file'));
  await db.exec('DROP TABLE IF EXISTS export_rows');
  return [csv, parquet, arrow];
}
