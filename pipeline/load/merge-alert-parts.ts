import { listValue } from '@duckdb/node-api';
import { SOURCE_MAPPINGS } from '../../models/mapping-registry.js';
import type { Database } from '../db.js';
import { sqlFile } from '../db.js';
import { ruleSources } from './field-sql.js';

/**
 * Merge the staged parts of each alert (mappings with `alertParts`: Defender XDR's AlertInfo and
 * AlertEvidence rows of one AlertId) into one alert row, then check its required columns
 * (sql/load/merge_alert_parts.sql). Run after every file of the load is mapped, so evidence and
 * info rows meet whatever their files' order.
 */
export async function mergeAlertParts(db: Database): Promise<void> {
  const parts = SOURCE_MAPPINGS.filter((m) => m.alertParts);
  const reason = (column: string): string => {
    const names = [...new Set(parts.flatMap((m) => (m.fields[column] ? [ruleSources(m.fields[column]!)] : [])))];
    return `missing ${column} (${names.join(' / ') || column}, in none of the alert's rows)`;
  };
  const { n } = await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM stage_alerts WHERE list_contains($1, source)', [listValue(parts.map((m) => m.name))]);
  if (n === 0) return;
  await db.run('SET VARIABLE ac_alert_part_sources = $1', [listValue(parts.map((m) => m.name))]);
  await db.run('SET VARIABLE ac_alert_part_missing = MAP {\'ts\': $1, \'host\': $2, \'alert_name\': $3}', [reason('ts'), reason('host'), reason('alert_name')]);
  await db.exec(sqlFile('load/merge_alert_parts.sql'));
}
