import type { Database } from '../db.js';
import { InputFileError } from '../errors.js';
import { physicalLines } from './text-reader.js';

/**
 * The line of a CSV file's quoted field that is never closed, or undefined when every quote is
 * matched. DuckDB's reader refuses such a file as a whole ("Error when sniffing file", or an
 * unterminated quote) without saying where; this names the line to fix. RFC 4180: a field's quotes
 * and its doubled quotes ("") come in pairs, so the quotes before a line's end are even exactly when
 * no field is open there; the field left open is the one opened on the last line where the running
 * count turns odd. Read as one column per physical line (as JSON lines are framed), set-based.
 */
export async function csvOpenQuoteLine(db: Database, path: string): Promise<number | undefined> {
  // A table keeps the file's order in its rowid (a window over the reader's rows may not).
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ac_csv_lines AS
     SELECT length(line) - length(replace(line, '"', '')) AS quotes FROM ${physicalLines(path, '$1')}`,
    [path],
  );
  try {
    const r = await db.one<{ line: number | null }>(
      `WITH running AS (
         SELECT rowid + 1 AS line, sum(coalesce(quotes, 0)) OVER (ORDER BY rowid) % 2 AS open_after,
                coalesce(sum(coalesce(quotes, 0)) OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) % 2 AS open_before
         FROM ac_csv_lines
       )
       SELECT CASE WHEN (SELECT open_after FROM running ORDER BY line DESC LIMIT 1) = 1
                   THEN (SELECT max(line) FROM running WHERE open_before = 0 AND open_after = 1) END::INTEGER AS line`,
    );
    return r.line ?? undefined;
  } finally {
    await db.run('DROP TABLE IF EXISTS ac_csv_lines');
  }
}

/** When the reader failed on a CSV file whose quote is never closed: the error naming that line. */
export async function throwIfQuoteOpen(db: Database, path: string, readerError: unknown): Promise<void> {
  const line = await csvOpenQuoteLine(db, path).catch(() => undefined);
  if (line !== undefined) throw new InputFileError(path, `a quoted field opened on this line is never closed (a '"' is missing); nothing was loaded`, line, readerError);
}

/**
 * After the reader: a row it rejected for an unterminated quote may have swallowed the lines up to
 * the next quote, rows lost inside one reject (whose text DuckDB cuts at 10,000 characters). The
 * file is refused, naming the line: the quote never closed, or the rejected row that spans lines.
 */
export async function refuseSwallowedRows(db: Database, fileIdx: number, path: string): Promise<void> {
  const r = await db.one<{ n: number; spanning: number | null }>(
    `SELECT count(*)::INTEGER AS n, min(line) FILTER (WHERE contains(raw, chr(10)))::INTEGER AS spanning
     FROM load_records WHERE file_idx = $1 AND reject_reason ILIKE '%unterminated quote%'`,
    [fileIdx],
  );
  if (r.n === 0) return;
  await throwIfQuoteOpen(db, path, undefined);
  if (r.spanning !== null) {
    throw new InputFileError(path, `a quoted field opened on this line runs on to the next quote, lines later (a '"' missing or one too many); nothing was loaded`, r.spanning);
  }
}
