import type { CanonicalTable } from '../../models/mapping-registry.js';
import type { Database } from '../db.js';
import { quoteIdent } from '../db.js';

export const CANONICAL_TABLES: readonly CanonicalTable[] = ['process_events', 'logon_events', 'alerts', 'labels'];

/** The columns a mapping fills; load_id and source_file are set when rows are committed. */
export const STAGE_COLUMNS: Record<CanonicalTable, readonly string[]> = {
  process_events: [
    'event_id', 'ts', 'host', 'host_fqdn', 'user_name', 'user_domain', 'logon_id', 'process_id', 'image',
    'process_name', 'command_line', 'parent_process_id', 'parent_image', 'parent_name', 'source', 'source_line',
    // Fields detections use (sql/schema/14_detection_columns.sql).
    'parent_command_line', 'original_file_name', 'integrity_level', 'hashes', 'current_directory', 'process_guid',
    'parent_process_guid', 'user_sid', 'file_description', 'product', 'company', 'file_version', 'parent_user',
  ],
  logon_events: [
    'event_id', 'ts', 'host', 'host_fqdn', 'user_name', 'user_domain', 'logon_id', 'logon_type', 'source_ip',
    'source_host', 'outcome', 'source', 'source_line',
  ],
  alerts: [
    'alert_id', 'ts', 'alert_name', 'severity', 'host', 'host_fqdn', 'user_name', 'logon_id', 'process_id',
    'command_line', 'source', 'source_line',
  ],
  labels: ['kind', 'id', 'malicious', 'campaign_id', 'campaign_kind', 'source_line'],
};

/**
 * Temporary tables of one load: the records read from each file (`load_records`) and, per
 * canonical table, the mapped rows with their fate (`stage_<table>`).
 */
export async function createStageTables(db: Database): Promise<void> {
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE load_files (file_idx INTEGER, file VARCHAR, file_sha256 VARCHAR, format VARCHAR);
    CREATE OR REPLACE TEMP TABLE load_records (
      file_idx INTEGER, line BIGINT, raw VARCHAR, reject_reason VARCHAR);`);
  for (const table of CANONICAL_TABLES) {
    await db.exec(`
      CREATE OR REPLACE TEMP TABLE ${quoteIdent(`stage_${table}`)} AS
        SELECT ${STAGE_COLUMNS[table].map(quoteIdent).join(', ')},
               NULL::INTEGER AS file_idx, NULL::VARCHAR AS row_key,
               NULL::VARCHAR AS reject_reason, NULL::BOOLEAN AS truncated, NULL::INTEGER AS preference,
               NULL::VARCHAR AS status
        FROM ${quoteIdent(table)} WHERE false`);
  }
}
