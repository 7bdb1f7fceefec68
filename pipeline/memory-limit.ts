import type { Database } from './db.js';
import { DEFAULT_MEMORY_LIMIT } from './db-settings.js';

/** DuckDB's memory_limit in bytes, from its own text (e.g. "953.6 MiB"). */
export async function memoryLimitBytes(db: Database): Promise<number> {
  const { m } = await db.one<{ m: string }>(`SELECT current_setting('memory_limit') AS m`);
  return parseMemory(m);
}

const UNITS: Record<string, number> = { bytes: 1, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };

/** "953.6 MiB" → bytes; a text DuckDB does not print (or no limit) reads as the default limit. */
export function parseMemory(text: string): number {
  return readMemory(text) ?? readMemory(DEFAULT_MEMORY_LIMIT)!;
}

function readMemory(text: string): number | undefined {
  const m = /^\s*([\d.]+)\s*([a-z]+)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  return m && unit ? Number(m[1]) * unit : undefined;
}
