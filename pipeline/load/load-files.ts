import { mappingsFor } from '../../models/mapping-registry.js';
import type { CanonicalTable, InputFormat } from '../../models/mapping-registry.js';
import type { Database } from '../db.js';
import { quoteIdent } from '../db.js';
import { runModel } from '../sql-model.js';
import { InputFileError } from '../errors.js';
import { expandInputs, planFile } from './detect.js';
import type { FilePlan, FormatOption } from './detect.js';
import { throwIfQuoteOpen } from './csv-open-quote.js';
import { columnarInsertSql, jsonGroupSql } from './mapping-sql.js';
import { mergeAlertParts } from './merge-alert-parts.js';
import type { RecordSource } from './read-records.js';
import { keepRejectedRecords, readRecords } from './read-records.js';
import { readWhole } from './read-whole.js';
import { defaultTimeRange, type TimeRange } from './time-range.js';
import { CANONICAL_TABLES, STAGE_COLUMNS, createStageTables } from './stage-tables.js';
import { createStagedRows } from './staged-rows.js';

export interface FileCounts {
  /** Records in the file (blank lines are not records). read = sum of loaded + skipped + rejected + duplicates. */
  read: number;
  loaded: Record<CanonicalTable, number>;
  /** Records of a known format that no mapping takes (e.g. Windows events other than 1/4688/4624/4625/4778). */
  skipped: number;
  rejected: number;
  duplicates: number;
  /** Loaded rows whose command line was cut at 32,767 characters (counted within `loaded`). */
  truncated: number;
}

export interface FileSummary extends FileCounts {
  file: string;
  format: string;
}

export interface LoadSummary {
  loadId: number;
  files: FileSummary[];
  skippedFiles: { file: string; reason: string }[];
  totals: FileCounts;
  /** The UTC days (YYYY-MM-DD, in order) of the process and logon events the load stored: what to pass to detect, nightly or retro. */
  days: string[];
}

export interface LoadOptions {
  inputs: readonly string[];
  format: FormatOption;
  /** Times outside it are rejected; default 2000-01-01 .. now + 1 day. */
  timeRange?: TimeRange;
  /** Called once per file as it is read. */
  onFile?: (file: string, index: number, count: number) => void;
}

const KEY_OF: Record<CanonicalTable, string> = {
  process_events: 'event_id',
  logon_events: 'event_id',
  alerts: 'alert_id',
  labels: "kind || ':' || id",
};

export function emptyCounts(): FileCounts {
  return {
    read: 0,
    loaded: { process_events: 0, logon_events: 0, alerts: 0, labels: 0 },
    skipped: 0,
    rejected: 0,
    duplicates: 0,
    truncated: 0,
  };
}

/** a + b, count by count (per-file counts into totals, consecutive loads into one run's). */
export function addCounts(a: FileCounts, b: FileCounts): FileCounts {
  const loaded = { ...a.loaded };
  for (const t of CANONICAL_TABLES) loaded[t] += b.loaded[t];
  return {
    read: a.read + b.read, loaded, skipped: a.skipped + b.skipped, rejected: a.rejected + b.rejected,
    duplicates: a.duplicates + b.duplicates, truncated: a.truncated + b.truncated,
  };
}

/**
 * Mark each staged row rejected, duplicate or to be loaded (set-based, one statement each). A
 * stored duplicate has the staged row's time, so the stored rows are read only over the staged
 * rows' time span (the scan skips the row groups of other days: the tables grow every night).
 */
async function resolveDuplicates(db: Database): Promise<void> {
  for (const table of CANONICAL_TABLES) {
    const stage = quoteIdent(`stage_${table}`);
    await db.exec(`UPDATE ${stage} SET status = 'rejected' WHERE reject_reason IS NOT NULL;`);
    // alerts and labels are few: looked up among all stored (an alert sent again later is a duplicate)
    const timed = table === 'process_events' || table === 'logon_events';
    const span = timed
      ? await db.one<{ lo: string | null; hi: string | null }>(
        `SELECT strftime(min(ts) - INTERVAL 60 SECOND, '%Y-%m-%d %H:%M:%S.%f') AS lo, strftime(max(ts) + INTERVAL 60 SECOND, '%Y-%m-%d %H:%M:%S.%f') AS hi
         FROM ${stage} WHERE status IS NULL`)
      : { lo: null, hi: null };
    if (timed && span.lo === null) continue; // nothing staged for this table
    await db.run(
      `UPDATE ${stage} SET status = 'duplicate'
       WHERE status IS NULL AND row_key IN (
         SELECT ${KEY_OF[table]} FROM ${quoteIdent(table)} ${timed ? 'WHERE ts BETWEEN $1::TIMESTAMP AND $2::TIMESTAMP' : ''})`,
      timed ? [span.lo, span.hi] : [],
    );
    // Repeats within the load: the first in file and line order stays. The window runs over the
    // rows of repeated keys only (a hash aggregate finds them; most loads have none): over every
    // staged row it sorted the whole load (a traced 10,000-host day, 12.5 M rows: 5.0 -> 3.5 s).
    await db.exec(`
      UPDATE ${stage} SET status = 'duplicate' WHERE rowid IN (
        SELECT rowid FROM (
          SELECT rowid, row_number() OVER (PARTITION BY row_key ORDER BY file_idx, source_line) AS rn
          FROM ${stage} WHERE status IS NULL AND (row_key IS NULL OR row_key IN (
            SELECT row_key FROM ${stage} WHERE status IS NULL GROUP BY row_key HAVING count(*) > 1)))
        WHERE rn > 1);`);
    // Twins are one process described by two sources: with one source in play (the staged rows and
    // the stored rows of their span), there is none to pair (a traced 10,000-host day: 4.4 -> 0.25 s).
    if (table === 'process_events' && (await sourcesInPlay(db, span)) > 1) {
      await runModel(db, 'load/process_event_twins.sql', { ac_stage_lo: span.lo, ac_stage_hi: span.hi });
    }
  }
}

/** How many sources (mappings) wrote the staged process rows still to load and the stored ones of their span. */
async function sourcesInPlay(db: Database, span: { lo: string | null; hi: string | null }): Promise<number> {
  const r = await db.one<{ n: number }>(
    `SELECT count(DISTINCT source)::INTEGER AS n FROM (
       SELECT DISTINCT source FROM stage_process_events WHERE status IS NULL
       UNION ALL
       SELECT DISTINCT source FROM process_events WHERE ts BETWEEN $1::TIMESTAMP AND $2::TIMESTAMP)`,
    [span.lo, span.hi],
  );
  return r.n;
}

/** Per file: how many records went where. */
async function countPerFile(db: Database): Promise<Map<number, FileCounts>> {
  const counts = new Map<number, FileCounts>();
  const get = (idx: number): FileCounts => {
    let c = counts.get(idx);
    if (!c) counts.set(idx, (c = emptyCounts()));
    return c;
  };
  const records = await db.all<{ file_idx: number; read: number; rejected: number }>(
    `SELECT file_idx, count(*) AS read, count(reject_reason) AS rejected FROM load_records GROUP BY file_idx`,
  );
  for (const r of records) Object.assign(get(r.file_idx), { read: r.read, rejected: r.rejected, skipped: r.read - r.rejected });
  for (const table of CANONICAL_TABLES) {
    const rows = await db.all<{ file_idx: number; status: string; n: number; truncated: number }>(
      `SELECT file_idx, status, count(*) AS n, count(*) FILTER (WHERE truncated) AS truncated
       FROM ${quoteIdent(`stage_${table}`)} GROUP BY ALL`,
    );
    for (const r of rows) {
      const c = get(r.file_idx);
      c.skipped -= r.n; // a mapped record is not skipped
      if (r.status === 'rejected') c.rejected += r.n;
      else if (r.status === 'duplicate') c.duplicates += r.n;
      else {
        c.loaded[table] += r.n;
        c.truncated += r.truncated;
      }
    }
  }
  return counts;
}

async function commitRows(db: Database, loadId: number, staged: StagedLoad): Promise<void> {
  const { anyRejected, inFileOrder } = staged;
  // Joining every staged row to its record costs seconds on a large file: only when something was rejected.
  if (anyRejected) await db.run(
    `INSERT INTO rejects (file_sha256, line, file, format, reason, raw, load_id)
     SELECT f.file_sha256, r.line, f.file, f.format, r.reason, left(r.raw, 65536), $1
     FROM (
       SELECT file_idx, line, reject_reason AS reason, raw FROM load_records WHERE reject_reason IS NOT NULL
       ${CANONICAL_TABLES.map((t) => `UNION ALL SELECT s.file_idx, s.source_line, s.reject_reason, lr.raw FROM ${quoteIdent(`stage_${t}`)} s
            JOIN load_records lr ON lr.file_idx = s.file_idx AND lr.line = s.source_line WHERE s.status = 'rejected'`).join('\n')}
     ) r JOIN load_files f USING (file_idx)
     ON CONFLICT DO NOTHING`,
    [loadId],
  );
  for (const table of CANONICAL_TABLES) {
    const cols = STAGE_COLUMNS[table].map(quoteIdent).join(', ');
    await db.run(
      `INSERT INTO ${quoteIdent(table)} (${cols}, load_id, source_file)
       SELECT ${cols}, $1, f.file FROM ${quoteIdent(`stage_${table}`)} s JOIN load_files f USING (file_idx)
       WHERE s.status IS NULL
       ${inFileOrder.has(table) ? '' : 'ORDER BY s.file_idx, s.source_line'}`,
      [loadId],
    );
  }
}

/** A load read, mapped and deduplicated into the session's stage tables, not yet committed. */
export interface StagedLoad {
  files: FileSummary[];
  skippedFiles: { file: string; reason: string }[];
  startedAt: Date;
  anyRejected: boolean;
  /**
   * The tables whose staged rows are already in file and line order: each file had at most one
   * mapping into them (a canonical file always), and a mapping inserts in line order. The others
   * (Sysmon and Security events of one file into process_events) are sorted when committed.
   */
  inFileOrder: ReadonlySet<CanonicalTable>;
}

/**
 * Read, map and deduplicate telemetry files into session-private stage tables. Nothing permanent
 * changes: run it outside a transaction, where DuckDB scans the stage tables in parallel (inside
 * one, a table made in the same transaction is scanned by one thread: twice the time), then
 * commitLoad inside one.
 */
export async function stageLoad(db: Database, options: LoadOptions): Promise<StagedLoad> {
  const inputs = expandInputs(options.inputs);
  const plans: FilePlan[] = [...inputs.files.map((file) => planFile(file, options.format)), ...inputs.skipped.map((s) => ({ ...s, kind: 'skipped' as const }))];
  const telemetry = plans.filter((p): p is Extract<FilePlan, { kind: 'telemetry' }> => p.kind === 'telemetry');
  const skippedFiles = plans.filter((p): p is Extract<FilePlan, { kind: 'skipped' }> => p.kind === 'skipped').map(({ file, reason }) => ({ file, reason }));
  const startedAt = new Date();
  const inFileOrder = new Set(CANONICAL_TABLES);
  await createStageTables(db);
  await createStagedRows(db);
  const range = options.timeRange ?? defaultTimeRange();
  // JSON-framed files of one format are mapped together, each mapping in one statement over all of
  // them: planning a mapping's statement costs more than running it on a small file (a folder of 134
  // .evtx samples loaded in 38 s file by file). Parquet files are read in place, one by one.
  const jsonGroups = new Map<string, { format: InputFormat; table: CanonicalTable | undefined; files: number[] }>();
  for (const [idx, plan] of telemetry.entries()) {
    options.onFile?.(plan.file, idx, telemetry.length);
    await db.run('INSERT INTO load_files VALUES ($1, $2, $3, $4)', [idx, plan.file, (await readWhole(plan.file)).sha256, plan.format]);
    let source: RecordSource;
    try {
      source = await readRecords(db, idx, plan.file, plan.container);
    } catch (err) {
      if (err instanceof InputFileError) throw err; // already names the file and what is wrong
      if (plan.container === 'csv') await throwIfQuoteOpen(db, plan.file, err);
      throw new InputFileError(plan.file, `cannot be read as ${plan.container}: ${(err as Error).message.split('\n')[0]}`, undefined, err);
    }
    const mappings = mappingsFor(plan.format, plan.table);
    for (const table of CANONICAL_TABLES) if (mappings.filter((m) => m.table === table).length > 1) inFileOrder.delete(table);
    if (source.kind === 'columnar') {
      for (const mapping of mappings) {
        const { sql, values } = columnarInsertSql(mapping, idx, source, range);
        await db.run(sql, values).catch((err: Error) => { // a damaged page, found as the rows are read
          throw /^(Invalid Input|IO) Error/.test(err.message) ? new InputFileError(plan.file, `cannot be read as parquet: ${err.message.split('\n')[0]}`, undefined, err) : err;
        });
      }
      await keepRejectedRecords(db, idx, source);
    } else {
      const key = `${plan.format}|${plan.table ?? ''}`;
      const group = jsonGroups.get(key) ?? { format: plan.format, table: plan.table, files: [] };
      group.files.push(idx);
      jsonGroups.set(key, group);
    }
  }
  for (const group of jsonGroups.values()) {
    const { select, taken, inserts } = jsonGroupSql(mappingsFor(group.format, group.table), group.files, range);
    if (select) await db.run(select.sql, select.values);
    const takes = taken ? await db.one<Record<string, boolean>>(taken) : undefined;
    for (const { sql, values, flag } of inserts) if (!takes || takes[flag]) await db.run(sql, values);
  }
  await db.exec('DROP TABLE IF EXISTS load_fields');
  await mergeAlertParts(db);
  await resolveDuplicates(db);
  const counts = await countPerFile(db);
  const files: FileSummary[] = telemetry.map((plan, idx) => ({ file: plan.file, format: plan.format, ...(counts.get(idx) ?? emptyCounts()) }));
  return { files, skippedFiles, startedAt, anyRejected: files.some((f) => f.rejected > 0), inFileOrder };
}

/** Commit a staged load: its rows, its rejects and its ledger rows. Call inside a transaction. */
export async function commitLoad(db: Database, staged: StagedLoad): Promise<LoadSummary> {
  const { load_id: loadId } = await db.one<{ load_id: number }>(`SELECT nextval('load_id_seq') AS load_id`);
  const days = (await db.all<{ day: string }>(
    `SELECT strftime(day, '%Y-%m-%d') AS day FROM (SELECT DISTINCT ts::DATE AS day FROM (
       SELECT ts FROM stage_process_events WHERE status IS NULL UNION ALL SELECT ts FROM stage_logon_events WHERE status IS NULL)) ORDER BY day`,
  )).map((r) => r.day);
  await commitRows(db, loadId, staged);
  const finishedAt = new Date();
  for (const s of staged.files) {
    await db.run(
      `INSERT INTO load_ledger SELECT $1, $2, f.file_sha256, $3, $4::TIMESTAMPTZ, $5::TIMESTAMPTZ, $6, $7, $8, $9, $10, $11, $12, $13, $14
       FROM load_files f WHERE f.file = $2`,
      [
        loadId, s.file, s.format, staged.startedAt.toISOString(), finishedAt.toISOString(), s.read,
        s.loaded.process_events, s.loaded.logon_events, s.loaded.alerts, s.loaded.labels,
        s.skipped, s.rejected, s.duplicates, s.truncated,
      ],
    );
  }
  const totals = staged.files.reduce<FileCounts>((sum, f) => addCounts(sum, f), emptyCounts());
  return { loadId, files: staged.files, skippedFiles: staged.skippedFiles, totals, days };
}

/**
 * Load telemetry files into the canonical tables; the commit is one transaction: a failure
 * anywhere leaves the database as it was. Loading the same file again adds nothing.
 */
export async function loadFiles(db: Database, options: LoadOptions): Promise<LoadSummary> {
  const staged = await stageLoad(db, options);
  return db.transaction(() => commitLoad(db, staged));
}
