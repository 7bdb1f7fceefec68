import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseCluster } from './cluster.js';
import type { Database } from '../../db.js';
import { chIdent } from './cluster-names.js';

// The canonical columns ClickHouse stores (sql/clickhouse/schema/*_events.sql), read from DuckDB:
// times as microseconds and their UTC day.
const PROCESS_COLUMNS = `event_id, ts::DATE::VARCHAR AS day, epoch_us(ts) AS ts_us, host, host_fqdn, user_name, user_domain,
  logon_id, process_id, image, process_name, command_line, parent_process_id, parent_image, parent_name, source`;
const LOGON_COLUMNS = `event_id, ts::DATE::VARCHAR AS day, epoch_us(ts) AS ts_us, host, host_fqdn, user_name, user_domain,
  logon_id, logon_type, source_ip, source_host, outcome, source`;

export interface CopyCounts { process_events: number; logon_events: number; days: string[] }

/**
 * Copy the canonical events DuckDB's load produced (every row of `db`'s event tables) into the
 * cluster, routed to each host's shard, then merge the days they touched so that an event loaded
 * twice is kept once (ReplacingMergeTree by event id; OPTIMIZE ... FINAL per day partition).
 */
export async function copyEventsToCluster(c: ClickHouseCluster, db: Database): Promise<CopyCounts> {
  const counts: CopyCounts = { process_events: 0, logon_events: 0, days: [] };
  const days = new Set<string>();
  // The day partitions each shard holds before this load.
  const held = await Promise.all(Array.from({ length: c.shardCount }, (_, i) => c.query<{ t: string; id: string }>(
    `SELECT DISTINCT table AS t, partition_id AS id FROM system.parts
     WHERE active AND database = currentDatabase() AND table IN ('process_events_local', 'logon_events_local')`, i)));
  // DuckDB writes the rows as NDJSON (its own JSON writer: no row passes through JavaScript) and
  // the file streams into one INSERT ... FORMAT JSONEachRow, which the Distributed table splits
  // by host to the shards.
  const dir = mkdtempSync(join(tmpdir(), 'ac-ch-load-'));
  try {
    for (const [table, columns] of [['process_events', PROCESS_COLUMNS], ['logon_events', LOGON_COLUMNS]] as const) {
      const perDay = await db.all<{ day: string; n: number }>(`SELECT ts::DATE::VARCHAR AS day, count(*) AS n FROM ${table} GROUP BY 1 ORDER BY 1`);
      for (const { day, n } of perDay) { days.add(day); counts[table] += n; }
      const file = join(dir, `${table}.ndjson`);
      await db.run(`COPY (SELECT ${columns} FROM ${table}) TO $1 (FORMAT JSON)`, [file]);
      await c.insertFile(table, file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  counts.days = [...days].sort();
  // Only a day that held rows before this load can now hold an event twice (DuckDB's load
  // dedupes within its own rows): merge those days' partitions, where they are.
  for (const [i, parts] of held.entries()) {
    for (const { t, id } of parts.filter((p) => counts.days.includes(`${p.id.slice(0, 4)}-${p.id.slice(4, 6)}-${p.id.slice(6)}`))) {
      if (!/^\d{8}$/.test(id)) throw new Error(`not a day partition: ${id}`);
      await c.commandOnShard(i, `OPTIMIZE TABLE ${chIdent(t)} PARTITION ID '${id}' FINAL`, `merge ${t} ${id}`);
    }
  }
  return counts;
}
