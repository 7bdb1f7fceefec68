import { existsSync, rmSync } from 'node:fs';
import { Database } from '../db.js';
import { OptionError } from '../errors.js';

/**
 * A new, empty database at `path` for one evaluation run. A database already there is replaced only
 * when an earlier eval made it (it holds the `eval_sets` table) or it is empty: eval never deletes
 * a warehouse given to --db by mistake.
 */
export async function freshEvalDatabase(path: string, setDir: string): Promise<Database> {
  if (existsSync(path)) {
    const old = await Database.open(path);
    try {
      const { marked, rows } = await old.one<{ marked: number; rows: number }>(
        `SELECT (SELECT count(*) FROM information_schema.tables WHERE table_name = 'eval_sets') AS marked,
                (SELECT count(*) FROM process_events) + (SELECT count(*) FROM logon_events) + (SELECT count(*) FROM alerts) AS rows`,
      );
      if (marked === 0 && rows > 0) {
        throw new OptionError('--db', `${path} holds a database eval did not make (eval replaces its database on every run); give another path`);
      }
    } finally {
      old.close();
    }
  }
  for (const p of [path, `${path}.wal`, `${path}.tmp`]) rmSync(p, { recursive: true, force: true });
  const db = await Database.open(path);
  await db.exec('CREATE TABLE eval_sets (set_dir VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)');
  await db.run('INSERT INTO eval_sets VALUES ($1, now()::TIMESTAMP)', [setDir]);
  return db;
}
