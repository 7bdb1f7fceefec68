/**
 * Field mappings from each input schema to the canonical tables, as data. Adding a source adds a
 * record in models/mappings/, not a branch in the loader.
 */
import { DFIR_ALERT_MAPPINGS } from './mappings/alerts-dfir.js';
import { SIEM_ALERT_MAPPINGS } from './mappings/alerts-siem.js';
import { CANONICAL_MAPPINGS } from './mappings/canonical.js';
import { ELASTIC_DEFENDER_MAPPINGS } from './mappings/elastic-defender.js';
import { EVTX_JSON_MAPPINGS } from './mappings/evtx-json.js';
import { WINDOWS_EVENTS_MAPPINGS } from './mappings/windows-events.js';
import type { CanonicalTable, InputFormat, SourceMapping } from './mapping-record.js';

export type { CanonicalTable, FieldRule, FieldTest, InputFormat, SourceMapping, Transform } from './mapping-record.js';
export { INPUT_FORMATS } from './mapping-record.js';

export const SOURCE_MAPPINGS: readonly SourceMapping[] = [...WINDOWS_EVENTS_MAPPINGS, ...EVTX_JSON_MAPPINGS, ...ELASTIC_DEFENDER_MAPPINGS, ...CANONICAL_MAPPINGS, ...SIEM_ALERT_MAPPINGS, ...DFIR_ALERT_MAPPINGS];

/** The mappings that apply to a file of `format` (for canonical, the table its name gives). */
export function mappingsFor(format: InputFormat, canonicalTable?: CanonicalTable): SourceMapping[] {
  return SOURCE_MAPPINGS.filter((m) => m.format === format && (format !== 'canonical' || m.table === canonicalTable));
}
