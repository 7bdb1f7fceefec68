import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Database } from '../pipeline/db.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const OTRF = join(ROOT, '..', 'shared', 'datasets', 'otrf');

/** A real DuckDB database in memory, schema in place, time zone pinned to UTC. */
export function memoryDb(): Promise<Database> {
  return Database.open(':memory:');
}

export function tempDir(prefix = 'ac-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
