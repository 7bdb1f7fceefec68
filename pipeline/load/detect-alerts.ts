import type { InputFormat } from '../../models/mapping-registry.js';

/**
 * Which alert source a record's fields (flattened with dots) belong to: the tell-tale fields of
 * each alert mapping (models/mappings/alerts-*.ts). Alerts are told apart before events, because
 * they carry event fields too (a Hayabusa row has EventID, Channel and Computer; an Elastic alert
 * the source event's ECS fields). CSV headers and JSON keys alike.
 */
export function alertFormatOfKeys(keys: ReadonlySet<string>, record?: Record<string, unknown>): InputFormat | undefined {
  const has = (...names: string[]) => names.every((n) => keys.has(n));
  if (record?.['Type'] === 'SecurityAlert' || has('SystemAlertId') || has('AlertName', 'AlertSeverity')) return 'securityalert';
  if (has('AlertId', 'Timestamp') && (has('Title') || has('EntityType'))) return 'xdr-alerts';
  if (has('kibana.alert.rule.name') || has('kibana.alert.uuid') || has('signal.rule.name')) return 'elastic-alerts';
  if (has('Timestamp', 'RuleTitle', 'Computer')) return 'hayabusa';
  if (has('name', 'level', 'timestamp', 'document.kind') || has('timestamp', 'detections')) return 'chainsaw';
  return undefined;
}
