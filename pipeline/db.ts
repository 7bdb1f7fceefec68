import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBConnection, DuckDBInstance, listValue } from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import { prepareDatabaseFile, removeMade } from './db-file.js';
import type { DatabaseMode, MadeForOpen } from './db-file.js';
import { DEFAULT_DB, databaseSettings } from './db-settings.js';
import { DatabaseError } from './errors.js';
import { tableNames } from './table-registry.js';
import { throwIfInterrupted, trackInterruptible } from './signals.js';

export { DEFAULT_DB, DEFAULT_MEMORY_LIMIT, configureDatabases } from './db-settings.js';
export type { DatabaseSettings } from './db-settings.js';

export const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'sql');

/** Read a SQL model from sql/, e.g. sqlFile('schema/10_process_events.sql'). */
export function sqlFile(relativePath: string): string {
  return readFileSync(join(SQL_DIR, relativePath), 'utf8');
}

/** AC_TRACE_SQL=1: every statement's wall time and its first 110 characters to stderr (profiling a stage); AC_TRACE_SQL=full: the whole statement. */
const TRACE = process.env['AC_TRACE_SQL'] === '1' || process.env['AC_TRACE_SQL'] === 'full';
const TRACE_CHARS = process.env['AC_TRACE_SQL'] === 'full' ? Infinity : 110;

/**
 * AC_PROFILE_SQL=DIR: DuckDB's JSON profile of every statement it profiles (those that run a query
 * plan: not SET nor CREATE MACRO), with its operators' times and rows and `query_name` the
 * statement, into DIR/<n>.json, n the statement's place in the order they ran (000001.json, ...:
 * the n-th line of AC_TRACE_SQL=1), with the planner's times (planner, planner_binding,
 * physical_planner, all_optimizers and each optimizer_*).
 */
const PROFILE_DIR = process.env['AC_PROFILE_SQL'] || undefined;
let profiled = 0;

async function traced<T>(connection: DuckDBConnection, sql: string, work: () => Promise<T>): Promise<T> {
  if (PROFILE_DIR) {
    // (a setting takes no bound value: the path is the developer's own, its quotes doubled; in an
    // aborted transaction the setting fails too, and the statement's own error is the one to show)
    const file = join(PROFILE_DIR, `${String(++profiled).padStart(6, '0')}.json`);
    await connection.run(`SET profiling_output = '${file.replaceAll("'", "''")}'`).catch(() => undefined);
  }
  if (!TRACE) return work();
  const t = performance.now();
  try {
    return await work();
  } finally {
    const text = sql.replace(/\s+/g, ' ').trim().slice(0, TRACE_CHARS);
    process.stderr.write(`[sql ${((performance.now() - t) / 1000).toFixed(3)} s] ${text}\n`);
  }
}

/**
 * `work`, then `cleanup` (dropping its temp tables). When `work` fails, inside a transaction the
 * failed statement has aborted it and the cleanup's statements fail too ("transaction is
 * aborted"): `work`'s own error is the one thrown (out of memory stays exit 3), the cleanup's is
 * dropped (the rollback that follows undoes the tables anyway).
 */
export async function withCleanup<T>(work: () => Promise<T>, cleanup: () => Promise<unknown>): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
  await cleanup();
  return result;
}

/** A DuckDB database with one connection, the time zone pinned to UTC and the schema in place. */
export class Database {
  /** Stops tracking the connection for SIGTERM / SIGINT (signals.ts). */
  private readonly untrack: () => void;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {
    this.untrack = trackInterruptible(connection);
  }

  /** What opening made (a new file, its folder): a failed first run removes them (withDatabase). */
  made: MadeForOpen = { file: false };

  static async open(path: string = DEFAULT_DB, mode: DatabaseMode = 'create'): Promise<Database> {
    const made = prepareDatabaseFile(path, mode);
    const settings = databaseSettings();
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, {
        memory_limit: settings.memoryLimit,
        ...(settings.tempDirectory ? { temp_directory: settings.tempDirectory } : {}),
      });
    } catch (err) {
      removeMade(path, made);
      const message = (err as Error).message;
      if (/memory_limit|memory limit|set config/i.test(message)) {
        throw new DatabaseError(path, `cannot apply --memory-limit ${settings.memoryLimit}${settings.tempDirectory ? ` / --temp-dir ${settings.tempDirectory}` : ''} (a size such as 2GB or 512MB): ${message.split('\n')[0]}`);
      }
      if (/read-only file system|permission denied/i.test(message)) {
        throw new DatabaseError(path, `cannot be opened for writing: the file or its folder ${dirname(path)} is read-only (${message.split('\n')[0]})`);
      }
      if (/lock/i.test(message)) {
        throw new DatabaseError(path, 'in use by another alert-context process (DuckDB allows one writer); wait for it to finish');
      }
      throw new DatabaseError(path, message.split('\n')[0] ?? message);
    }
    const connection = await instance.connect();
    const db = new Database(path, instance, connection);
    db.made = made;
    try {
      if (PROFILE_DIR) {
        mkdirSync(PROFILE_DIR, { recursive: true });
        await connection.run("PRAGMA enable_profiling = 'json'");
        // DuckDB's default metrics (the setting replaces them: read first) and the planner's: a large
        // statement's planning can outweigh its run
        const reader = await connection.runAndReadAll("SELECT current_setting('custom_profiling_settings') AS s");
        const metrics = { ...JSON.parse(String(reader.getRows()[0]?.[0] ?? '{}')) as Record<string, string>,
          PLANNER: 'true', PLANNER_BINDING: 'true', PHYSICAL_PLANNER: 'true', ALL_OPTIMIZERS: 'true' };
        await connection.run(`PRAGMA custom_profiling_settings = '${JSON.stringify(metrics).replaceAll("'", "''")}'`);
      }
      await db.exec("SET TimeZone = 'UTC'");
      // ASOF joins as DuckDB's ASOF operator, never a nested loop: the planner takes the loop when it
      // estimates few rows on the left, as it does for a CTE over a temp table (context_candidates'
      // parent_links: 22 s -> 2.9 s for 1,000 alerts; a day of 10,087 alerts: over 14 min -> 50 s).
      await db.exec('SET asof_loop_join_threshold = 0');
      await db.exec(sqlFile('macros/normalize.sql'));
      await db.exec(sqlFile('macros/tasks.sql'));
      await db.exec(sqlFile('macros/command_template.sql'));
      await db.exec(sqlFile('macros/scoring.sql'));
      await db.exec(sqlFile('macros/alerts.sql'));
      await createSchema(db);
      await dropDerivedKeys(db);
    } catch (err) {
      db.close();
      removeMade(path, made);
      throw err;
    }
    return db;
  }

  /** Run a script of one or more statements without parameters. */
  async exec(sql: string): Promise<void> {
    const statements = await this.connection.extractStatements(sql);
    for (let i = 0; i < statements.count; i++) {
      throwIfInterrupted();
      const prepared = await statements.prepare(i);
      try {
        await traced(this.connection, statements.count > 1 ? `(statement ${i + 1} of ${statements.count}) ${sql}` : sql, () => prepared.run());
      } finally {
        // A prepared statement keeps its plan's state (a materialized CTE's rows, a recursive CTE's
        // hash table) until destroyed: left to the garbage collector, a nightly catch-up held about
        // 45 MB more each day and ran out of memory at the 1 GB limit by the demo's 19th day.
        prepared.destroySync();
      }
    }
  }

  /** Run one statement with bound values. */
  async run(sql: string, values: DuckDBValue[] | Record<string, DuckDBValue> = []): Promise<void> {
    throwIfInterrupted();
    await traced(this.connection, sql, () => this.connection.run(sql, values));
  }

  /** Rows as plain JS objects (BIGINT -> bigint is converted to number when safe). */
  async all<T = Record<string, unknown>>(sql: string, values: DuckDBValue[] | Record<string, DuckDBValue> = []): Promise<T[]> {
    throwIfInterrupted();
    const reader = await traced(this.connection, sql, () => this.connection.runAndReadAll(sql, values));
    return reader.getRowObjectsJS().map((row) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' && Number.isSafeInteger(Number(v)) ? Number(v) : v;
      return out as T;
    });
  }

  /**
   * Run one statement even after SIGTERM / SIGINT (run, all and exec refuse then): for the clean-up
   * a stopped command still owes, a rollback and marking its run failed.
   */
  async runAfterSignal(sql: string, values: DuckDBValue[] = []): Promise<void> {
    await traced(this.connection, sql, () => this.connection.run(sql, values));
  }

  async one<T = Record<string, unknown>>(sql: string, values: DuckDBValue[] | Record<string, DuckDBValue> = []): Promise<T> {
    const rows = await this.all<T>(sql, values);
    if (rows.length === 0) throw new Error(`query returned no row: ${sql.slice(0, 80)}`);
    return rows[0] as T;
  }

  /**
   * Run `work` in one transaction. DuckDB's COMMIT after a failed statement silently rolls back,
   * so any error is caught here, rolled back explicitly and rethrown.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.exec('BEGIN TRANSACTION');
    let result: T;
    try {
      result = await work();
    } catch (err) {
      await this.runAfterSignal('ROLLBACK').catch(() => undefined);
      throw err;
    }
    try {
      await this.exec('COMMIT');
    } catch (err) {
      // A commit that fails (disk full writing the WAL) can leave its changes applied in memory, and
      // the checkpoint DuckDB makes when the database closes wrote them into the file: a day half
      // stored, its baseline_runs row gone from the table but not from its key index. No checkpoint
      // then: the file and WAL stay as the last good commit left them.
      await this.runAfterSignal('PRAGMA disable_checkpoint_on_shutdown').catch(() => undefined);
      await this.runAfterSignal('ROLLBACK').catch(() => undefined);
      throw new DatabaseError(this.path, `could not commit, nothing of this run was stored: ${(err as Error).message.split('\n')[0]}`, 1);
    }
    return result;
  }

  private closed = false;

  /** Close the connection and the database (a second call does nothing). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.untrack();
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * The daily aggregates and baselines are written whole by their SQL models (a day's or an as_of's
 * rows replaced at once) and had primary keys in earlier versions: the key indexes cost more than half of a
 * nightly run (index inserts, and a commit that rewrote them: 11 s of 50 at 1,000 hosts) and stay
 * in memory. A database made before drops them here, once: each table is copied without its key.
 */
const UNKEYED_TABLES = tableNames((t) => t.unkeyed);

async function dropDerivedKeys(db: Database): Promise<void> {
  const keyed = await db.all<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM duckdb_constraints()
     WHERE constraint_type = 'PRIMARY KEY' AND database_name = current_database() AND schema_name = 'main' AND list_contains($1, table_name)
     ORDER BY table_name`,
    [listValue(UNKEYED_TABLES)],
  );
  if (keyed.length === 0) return;
  await db.transaction(async () => {
    for (const { table_name: name } of keyed) await db.exec(`ALTER TABLE ${quoteIdent(name)} RENAME TO ${quoteIdent(`${name}__keyed`)}`);
    await createSchema(db); // the renamed tables come back as the schema now defines them
    for (const { table_name: name } of keyed) {
      await db.exec(`INSERT INTO ${quoteIdent(name)} SELECT * FROM ${quoteIdent(`${name}__keyed`)}; DROP TABLE ${quoteIdent(`${name}__keyed`)};`);
    }
  });
}

async function createSchema(db: Database): Promise<void> {
  for (const file of readdirSync(join(SQL_DIR, 'schema')).filter((f) => f.endsWith('.sql')).sort()) {
    await db.exec(sqlFile(join('schema', file)));
  }
}

/**
 * Open, use, close: the handle never outlives `work`. `undoNew`: for work that is one transaction
 * (load), a database this call created is removed again when `work` fails, so a failed first load
 * leaves no empty file behind; a nightly catch-up keeps the days it committed, and its failed run.
 */
export async function withDatabase<T>(path: string, work: (db: Database) => Promise<T>, mode: DatabaseMode = 'create', undoNew = false): Promise<T> {
  const db = await Database.open(path, mode);
  try {
    return await work(db);
  } catch (err) {
    if (undoNew) {
      db.close();
      removeMade(path, db.made);
    }
    throw err;
  } finally {
    db.close();
  }
}

/** Quote an identifier: the one place that builds SQL text from a name. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
