import type { Database } from '../db.js';
import { refuseSwallowedRows } from './csv-open-quote.js';
import { quoteIdent } from '../db.js';
import { progressAllowed } from '../progress.js';
import { visible } from '../escape.js';
import { evtxToNdjson } from './evtx.js';
import { CANONICAL_TABLES } from './stage-tables.js';
import { MAX_LINE, compressionOption, physicalLines } from './text-reader.js';

/**
 * How a file's bytes are framed into records; DuckDB does all the reading and parsing (an .evtx
 * file is first turned into JSON lines by evtxexport, evtx.ts).
 */
export type Container = 'json-lines' | 'json-array' | 'csv' | 'parquet' | 'evtx';

/**
 * Where a file's records are read from. `json`: load_records.raw (its records without a reject
 * reason), every path extracted in one call per record. `columnar`: the typed columns of a
 * Parquet file (file_rows.rec, a struct per row), read directly: no JSON is made or parsed (the
 * JSON detour cost 3/4 of a Parquet load).
 */
export type RecordSource = { kind: 'json' } | { kind: 'columnar'; path: string; columns: ReadonlyMap<string, string> };

const REJECTS = "store_rejects = true, rejects_table = 'ac_reject_errors', rejects_scan = 'ac_reject_scans'";

/**
 * The rows of a Parquet file as (line, rec): its 1-based row number and the record as a struct of
 * its columns, the same struct `SELECT t FROM read_parquet(...) t` gives. `pathParam` is the
 * placeholder the file's path is bound to.
 */
export function columnarRowsSql(source: Extract<RecordSource, { kind: 'columnar' }>, pathParam: string): string {
  const fields = [...source.columns.keys()].map((name) => `${quoteIdent(name)} := ${quoteIdent(name)}`);
  return `SELECT file_row_number + 1 AS line, struct_pack(${fields.join(', ')}) AS rec
          FROM read_parquet(${pathParam}, file_row_number = true)`;
}

/**
 * An .evtx file: converted to JSON lines by evtxexport, then read as such. Records are numbered in
 * the log's order (record k is line k of the converted file). When the file's header counts more
 * records than could be read (a file cut short after its first chunks: evtxexport reads what it can
 * and exits 0), the missing ones are one rejected row after the last read, saying how many.
 */
async function readEvtx(db: Database, fileIdx: number, path: string): Promise<RecordSource> {
  const tty = progressAllowed();
  const converted = await evtxToNdjson(path, tty ? (n) => process.stderr.write(`\r${visible(path)}: ${n.toLocaleString('en-US')} events read`) : undefined);
  try {
    const source = await readRecords(db, fileIdx, converted.path, 'json-lines');
    const missing = converted.headerRecords - converted.events;
    if (missing > 0) {
      await db.run('INSERT INTO load_records VALUES ($1, $2, $3, $4)', [fileIdx, converted.events + 1, '',
        `${missing} of the ${converted.headerRecords} records its header counts could not be read: the file is cut short or damaged`]);
    }
    return source;
  } finally {
    if (tty && converted.events >= 10_000) process.stderr.write('\n');
    converted.cleanUp();
  }
}

/**
 * A Parquet file's rows are typed records by construction: no framing or parse checks to do.
 * They are read where they lie, by each statement that needs them (copying them first into a
 * table, numbered by a window over the whole file, cost as much as mapping them).
 */
async function readParquet(db: Database, fileIdx: number, path: string): Promise<RecordSource> {
  const columns = await db.all<{ name: string; type: string }>('SELECT column_name AS name, column_type AS type FROM (DESCRIBE SELECT * FROM read_parquet($1))', [path]);
  if (columns.some((c) => c.name === 'file_row_number')) throw new Error('a column is named file_row_number, a name the Parquet reader keeps for itself');
  const source: RecordSource = { kind: 'columnar', path, columns: new Map(columns.map((c) => [c.name, c.type])) };
  await db.run(`INSERT INTO load_records SELECT $1, line, NULL, NULL FROM (${columnarRowsSql(source, '$2')})`, [fileIdx, path]);
  return source;
}

/**
 * A text file's records into raw_rows, one per line or array element (CSV rows as JSON objects),
 * in file order: row k is the table's k-th (rowid k - 1; numbering them with row_number() OVER ()
 * kept the reader to one thread). DuckDB's reader keeps the rows it cannot decode in
 * ac_reject_errors.
 */
async function frameRows(db: Database, path: string, container: 'json-lines' | 'csv' | 'json-array'): Promise<{ headerLines: number; hadRejectScan: boolean }> {
  const compression = compressionOption(path);
  let headerLines = 0;
  let hadRejectScan = true;
  switch (container) {
    case 'json-lines':
      // One VARCHAR column per physical line: no delimiter or quote can split a JSON line.
      await db.run(
        `INSERT INTO raw_rows SELECT line FROM ${physicalLines(path, '$1', `, ${REJECTS}`)}`,
        [path],
      );
      break;
    case 'csv':
      headerLines = 1;
      await db.run(
        `INSERT INTO raw_rows SELECT to_json(t)::VARCHAR
         FROM read_csv($1, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"',
                       ${MAX_LINE}, ${REJECTS}${compression}) t`,
        [path],
      );
      break;
    case 'json-array':
      hadRejectScan = false;
      await db.run(
        `INSERT INTO raw_rows SELECT json::VARCHAR
         FROM read_json_objects($1, format = 'array', maximum_object_size = 67108864${compression})`,
        [path],
      );
      break;
  }
  return { headerLines, hadRejectScan };
}

/**
 * A record's line: row k of raw_rows sits on line header + k + (rejected lines before it). With
 * rejects r_1 < r_2 < ..., that count is the number of j with (r_j - header) - j < k. Without any,
 * the line is header + k (a join per row cost more than the checks).
 */
async function lineSql(db: Database, hadRejectScan: boolean): Promise<{ rejects: string; line: string }> {
  const none = { rejects: 'SELECT NULL::BIGINT AS line, NULL::VARCHAR AS raw, NULL::VARCHAR AS reason WHERE false', line: 'r.k + $2' };
  if (!hadRejectScan || (await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM ac_reject_errors')).n === 0) return none;
  return {
    rejects: `SELECT DISTINCT line, first(trim(csv_line, e'\\r\\n')) OVER (PARTITION BY line) AS raw,
              first(CASE WHEN error_type = 'INVALID ENCODING' THEN 'invalid UTF-8' ELSE error_message END)
                OVER (PARTITION BY line) AS reason
       FROM ac_reject_errors`,
    line: 'r.k + $2 + (SELECT count(*) FROM (SELECT line, row_number() OVER (ORDER BY line) AS j FROM rejected) x WHERE (x.line - $2) - x.j < r.k)',
  };
}

/**
 * raw_rows into load_records: each record on its line of the file, checked (NUL byte, valid JSON,
 * an object), the rejected lines with their reason. A valid record that starts with '{' is an
 * object: json_type is asked only of the others (casting every record to JSON to ask it parsed
 * and printed each record twice more).
 */
async function placeRecords(db: Database, fileIdx: number, headerLines: number, hadRejectScan: boolean): Promise<void> {
  const { rejects, line } = await lineSql(db, hadRejectScan);
  const ws = "e' \\t\\r\\n'";
  await db.run(
    `INSERT INTO load_records
     WITH rejected AS (${rejects}),
     placed AS (
       SELECT ${line} AS line, r.raw
       FROM (SELECT rowid + 1 AS k, raw FROM raw_rows) r
       WHERE r.raw IS NOT NULL AND (starts_with(r.raw, '{') OR trim(r.raw, ${ws}) <> '')
     )
     SELECT $1, line, raw,
       CASE WHEN contains(raw, chr(0)) THEN 'NUL byte in record'
            WHEN NOT json_valid(raw) THEN 'not valid JSON (truncated or malformed)'
            WHEN starts_with(raw, '{') THEN NULL
            WHEN json_type(raw) <> 'OBJECT' THEN 'not a JSON object (' || json_type(raw) || ')'
       END
     FROM placed
     UNION ALL
     SELECT $1, line, raw, reason FROM rejected`,
    [fileIdx, headerLines],
  );
}

/**
 * A CSV file's records on the lines they start on when quoted fields hold line breaks (a script in
 * a command line): placeRecords numbers records, as DuckDB's reader numbers its rejects, one line
 * each; every line break inside the records before one moves it down a line. A record is a JSON
 * object there, where a line break inside a value is the escape `\n`, counted once the escaped
 * backslashes (`\\`) are taken out (a value holding a backslash and an n holds no line break). A
 * row the reader rejected keeps its text as read, with real line breaks (a quoted field spanning
 * lines in a row with a wrong column count), and the records after it move down by those lines. (A
 * quote left open that swallows lines is refused before: csv-open-quote.ts.)
 */
async function lineBreaksInFields(db: Database, fileIdx: number): Promise<void> {
  const escapes = await db.one<{ n: number }>(
    String.raw`SELECT count(*)::INTEGER AS n FROM (SELECT 1 FROM load_records WHERE file_idx = $1 AND (contains(raw, '\n') OR contains(raw, chr(10))) LIMIT 1)`,
    [fileIdx],
  );
  if (escapes.n === 0) return;
  const breaks = String.raw`CASE WHEN reject_reason IS NULL THEN (length(b) - length(replace(b, '\n', ''))) // 2
                                 ELSE length(raw) - length(replace(raw, chr(10), '')) END`;
  await db.run(
    String.raw`UPDATE load_records SET line = load_records.line + s.shift
     FROM (SELECT line, coalesce(sum(breaks) OVER (ORDER BY line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS shift
           FROM (SELECT line, ${breaks} AS breaks
                 FROM (SELECT line, reject_reason, raw, regexp_replace(raw, '\\\\', '', 'g') AS b FROM load_records WHERE file_idx = $1))) s
     WHERE load_records.file_idx = $1 AND load_records.line = s.line AND s.shift > 0`,
    [fileIdx],
  );
}

/**
 * Read one file into `load_records` (file_idx, line, raw, reject_reason). Rows DuckDB's
 * reader cannot decode (invalid UTF-8, wrong column count) arrive with a reject reason and their
 * line; blank lines are not records. A Parquet file's rows stay in the file, typed
 * (columnarRowsSql): load_records only counts them. Returns where the mappings read the records from.
 */
export async function readRecords(db: Database, fileIdx: number, path: string, container: Container): Promise<RecordSource> {
  if (container === 'evtx') return readEvtx(db, fileIdx, path);
  await db.exec('DROP TABLE IF EXISTS ac_reject_errors; DROP TABLE IF EXISTS ac_reject_scans;');
  await db.exec('CREATE OR REPLACE TEMP TABLE raw_rows (raw VARCHAR)');
  if (container === 'parquet') return readParquet(db, fileIdx, path);
  const { headerLines, hadRejectScan } = await frameRows(db, path, container);
  await placeRecords(db, fileIdx, headerLines, hadRejectScan);
  if (container === 'csv') {
    await lineBreaksInFields(db, fileIdx);
    await refuseSwallowedRows(db, fileIdx, path);
  }
  return { kind: 'json' };
}

/** A typed (Parquet) file's rejected rows keep their record, as JSON, for the rejects table. */
export async function keepRejectedRecords(db: Database, fileIdx: number, source: Extract<RecordSource, { kind: 'columnar' }>): Promise<void> {
  const rejected = CANONICAL_TABLES.map((t) => `SELECT source_line FROM ${quoteIdent(`stage_${t}`)} WHERE file_idx = $1 AND reject_reason IS NOT NULL`).join(' UNION ');
  // Most files have none: reading the file again for no row took 2 s of a 10,000-host day.
  if ((await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM (${rejected})`, [fileIdx])).n === 0) return;
  await db.run(
    `UPDATE load_records SET raw = to_json(f.rec)::VARCHAR
     FROM (${columnarRowsSql(source, '$2')}) f WHERE load_records.file_idx = $1 AND load_records.line = f.line AND f.line IN (${rejected})`,
    [fileIdx, source.path],
  );
}
