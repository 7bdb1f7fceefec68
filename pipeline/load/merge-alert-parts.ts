import { listValue } from '@duckdb/node-api';
import { SOURCE_MAPPINGS } from '../../models/mapping-registry.js';
import type { Database } from '../db.js';
import { runModel } from '../sql-model.js';
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
  await runModel(db, 'load/merge_alert_parts.sql', {
    ac_alert_part_sources: parts.map((m) => m.name),
    ac_alert_part_missing: { ts: reason('ts'), host: reason('host'), alert_name: reason('alert_name') },
  });
}
