import type { ClickHouseCluster } from './cluster.js';
import type { Database } from '../../db.js';
import { chIdent } from './cluster-names.js';

/** Rows per INSERT: a batch is one block on the coordinator, split by host hash to the shards. */
const BATCH = 50_000;

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
  for (const [table, columns] of [['process_events', PROCESS_COLUMNS], ['logon_events', LOGON_COLUMNS]] as const) {
    const perDay = await db.all<{ day: string; n: number }>(`SELECT ts::DATE::VARCHAR AS day, count(*) AS n FROM ${table} GROUP BY 1 ORDER BY 1`);
    for (const { day, n } of perDay) {
      days.add(day);
      for (let offset = 0; offset < n; offset += BATCH) {
        const rows = await db.all(
          `SELECT ${columns} FROM ${table} WHERE ts >= $1::DATE AND ts < $1::DATE + 1 ORDER BY event_id LIMIT $2 OFFSET $3`,
          [day, BATCH, offset],
        );
        await c.insert(table, rows);
        counts[table] += rows.length;
      }
    }
  }
  counts.days = [...days].sort();
  for (const day of counts.days) {
    const id = day.replace(/-/g, '');
    if (!/^\d{8}$/.test(id)) throw new Error(`not a day: ${day}`);
    for (const t of ['process_events', 'logon_events']) {
      await c.commandOnEveryShard(`OPTIMIZE TABLE ${chIdent(`${t}_local`)} PARTITION ID '${id}' FINAL`, `merge ${t} ${day}`);
    }
  }
  return counts;
}
