/**
 * Windows events in the evtx_dump JSON shape (`Event.System` / `Event.EventData`, one event per
 * line), a variant of `winevent`: SigmaHQ's regression samples and evtx_dump-style converters
 * write it. The same events as the flat winevent records (windows-events.ts), read from where this
 * shape keeps each field: the System block for the envelope, EventData for the event's own fields.
 */
import type { FieldRule, FieldTest, SourceMapping } from '../mapping-record.js';
import { WINDOWS_EVENTS_MAPPINGS } from './windows-events.js';

/** Flat winevent field -> its place in the evtx_dump shape (anything else is in EventData). */
const SYSTEM_FIELDS: Readonly<Record<string, string>> = {
  '@timestamp': 'Event.System.TimeCreated.#attributes.SystemTime',
  TimeCreated: 'Event.System.TimeCreated.#attributes.SystemTime',
  Hostname: 'Event.System.Computer',
  Computer: 'Event.System.Computer',
  Channel: 'Event.System.Channel',
  EventID: 'Event.System.EventID',
  RecordNumber: 'Event.System.EventRecordID',
};

const placeOf = (flat: string): string => SYSTEM_FIELDS[flat] ?? `Event.EventData.${flat}`;
const unique = (xs: string[]): string[] => [...new Set(xs)];

function placed(rule: FieldRule): FieldRule {
  // The Message fallback (NXLog's lost Sysmon ProcessId) has no counterpart: EventData keeps it.
  const { fallback: _fallback, ...rest } = rule;
  return { ...rest, from: unique(rule.from.map(placeOf)) };
}

function evtxVariant(m: SourceMapping): SourceMapping {
  return {
    ...m,
    name: `evtx-${m.name}`,
    description: `${m.description}, evtx_dump JSON shape`,
    when: m.when.map((t): FieldTest => ({ ...t, field: placeOf(t.field) })),
    fields: Object.fromEntries(Object.entries(m.fields).map(([column, rule]) => [column, placed(rule)])),
    ...(m.idFrom ? { idFrom: m.idFrom.map((fields) => unique(fields.map(placeOf))) } : {}),
  };
}

export const EVTX_JSON_MAPPINGS: readonly SourceMapping[] = WINDOWS_EVENTS_MAPPINGS.filter((m) => m.format === 'winevent').map(evtxVariant);
