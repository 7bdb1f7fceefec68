/**
 * Detections of DFIR tools run over Windows event logs, written from their documented output:
 * Hayabusa's timelines (csv-timeline / json-timeline -L: Timestamp, Computer, Channel, EventID,
 * RecordID, RuleTitle, Level, Details) and Chainsaw's hunt output (--jsonl: name, level,
 * timestamp and the event as document.data.Event; --csv: timestamp, detections, Computer, Event Data).
 */
import type { FieldRule, JsonPick } from '../mapping-record.js';
import type { SourceMapping } from '../mapping-record.js';
import { field } from '../mapping-record.js';

/** A Hayabusa Details value: the object's key (JSONL), else 'Key: value' between ' ¦ ' (CSV). */
function hayabusaDetail(as: FieldRule['as'], ...keys: string[]): FieldRule {
  return {
    as,
    from: keys.map((k) => `Details.${k}`),
    fallback: { field: 'Details', pattern: `(?:^|¦ )(?:${keys.join('|')}): (.*?)(?: ¦ |$)` },
  };
}

/** A Windows event field of a Chainsaw hit: in its document (JSONL), else in the CSV's Event Data. */
function chainsawEventData(as: FieldRule['as'], ...names: string[]): FieldRule {
  const picks: JsonPick[] = names.map((key) => ({ field: 'Event Data', key }));
  return { as, fromJson: picks, from: names.map((n) => `document.data.Event.EventData.${n}`), absent: ['0x0'] };
}

export const DFIR_ALERT_MAPPINGS: readonly SourceMapping[] = [
  {
    name: 'hayabusa',
    format: 'hayabusa',
    table: 'alerts',
    description: 'Hayabusa csv-timeline / json-timeline detections; entities from Details (User, LID, PID, Cmdline)',
    when: [],
    fields: {
      // '2021-12-12 17:16:44.271 +09:00' (local by default, +00:00 with --UTC).
      ts: field('spaced_time', 'Timestamp'),
      alert_name: field('text', 'RuleTitle'),
      severity: field('severity', 'Level'),
      host: field('host', 'Computer'),
      user_name: hayabusaDetail('account_user', 'User', 'TgtUser', 'SrcUser'),
      logon_id: hayabusaDetail('logon_id', 'LID', 'TgtLID'),
      process_id: hayabusaDetail('pid', 'PID'),
      command_line: hayabusaDetail('text', 'Cmdline'),
    },
    required: ['ts', 'host', 'alert_name'],
    idFrom: [['Computer', 'Channel', 'RecordID', 'RuleTitle']],
  },
  {
    name: 'chainsaw',
    format: 'chainsaw',
    table: 'alerts',
    description: 'Chainsaw hunt hits (JSONL with the event, or CSV); entities from the event\'s fields',
    when: [],
    fields: {
      ts: field('spaced_time', 'timestamp'),
      alert_name: field('text', 'name', 'detections'),
      severity: field('severity', 'level'),
      host: field('host', 'document.data.Event.System.Computer', 'Computer'),
      // Sysmon's User, else 4688's new-process account, else its creator; 4688's NewProcessId (its ProcessId is the creator's).
      user_name: chainsawEventData('account_user', 'User', 'TargetUserName', 'SubjectUserName'),
      logon_id: chainsawEventData('logon_id', 'LogonId', 'TargetLogonId', 'SubjectLogonId'),
      process_id: chainsawEventData('pid', 'NewProcessId', 'ProcessId'),
      command_line: chainsawEventData('text', 'CommandLine'),
    },
    required: ['ts', 'host', 'alert_name'],
    idFrom: [
      ['id', 'document.data.Event.System.Computer', 'document.data.Event.System.EventRecordID'],
      ['detections', 'Computer', 'Record ID'],
    ],
  },
];
