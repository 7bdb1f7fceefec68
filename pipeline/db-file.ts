import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseError } from './errors.js';

/**
 * How a command uses --db. `create`: load, nightly and baseline make the database (and its folder)
 * when it is missing, and remove what they made when they fail. `existing`: context, retro, tune
 * and weekly read what those stored; a missing database is an error, never a new empty one.
 */
export type DatabaseMode = 'create' | 'existing';

/** What opening made, so that a failed first run can take it away again. */
export interface MadeForOpen { file: boolean; folder?: string }

/** A DuckDB database file carries "DUCK" at byte 8 of its header. */
function isDuckDbFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(12);
    const n = readSync(fd, head, 0, 12, 0);
    return n === 12 && head.subarray(8, 12).toString('latin1') === 'DUCK';
  } finally {
    closeSync(fd);
  }
}

/**
 * Before DuckDB opens `path`: refuse what is not a DuckDB database (DuckDB opened an NDJSON file as
 * an empty throwaway database, and a load into it kept nothing), refuse a missing database in
 * `existing` mode, and make the folder in `create` mode.
 */
export function prepareDatabaseFile(path: string, mode: DatabaseMode): MadeForOpen {
  if (path === ':memory:') return { file: false };
  if (existsSync(path)) {
    const st = statSync(path);
    if (!st.isFile()) throw new DatabaseError(path, 'is not a file (a DuckDB database file is expected)');
    if (st.size > 0 && !isDuckDbFile(path)) throw new DatabaseError(path, 'is not a DuckDB database file; refused (name a new path or an existing database)');
    return { file: false };
  }
  if (mode === 'existing') throw new DatabaseError(path, 'no such database: load telemetry or run nightly first (this command does not create one)');
  const parent = dirname(path);
  if (existsSync(parent) && !statSync(parent).isDirectory()) throw new DatabaseError(path, `its folder ${parent} is not a directory`);
  let folder: string | undefined;
  try {
    folder = mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw new DatabaseError(path, `cannot create its folder ${parent} (read-only or not writable): ${(err as Error).message.split('\n')[0]}`);
  }
  return { file: true, ...(folder ? { folder } : {}) };
}

/** After a failed first run: remove the database file (and WAL) and the folders that opening made. */
export function removeMade(path: string, made: MadeForOpen): void {
  if (!made.file) return;
  for (const p of [path, `${path}.wal`]) rmSync(p, { force: true });
  if (made.folder) rmSync(made.folder, { recursive: true, force: true });
}
