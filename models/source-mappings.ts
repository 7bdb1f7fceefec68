/**
 * Field mappings from each input schema to the canonical tables, as data (one record per source,
 * after pySigma's processing pipelines and msticpy's ProcSchema). Adding a source adds a record
 * here, not a branch in the loader. The loader turns each record into one set-based SQL statement.
 */

export type CanonicalTable = 'process_events' | 'logon_events' | 'alerts' | 'labels';
export type InputFormat = 'canonical' | 'winevent' | 'sentinel' | 'ecs' | 'mde';
export const INPUT_FORMATS: readonly InputFormat[] = ['canonical', 'winevent', 'sentinel', 'ecs', 'mde'];

/** How a source value becomes a canonical value (each is a SQL macro in sql/macros/normalize.sql). */
export type Transform =
  | 'text' // free text, NULs removed, cut at 32,767 characters
  | 'lower' // text, lowercased
  | 'time' // ISO 8601 or zone-less UTC text -> TIMESTAMP (UTC)
  | 'host' // host name -> lowercase short name (and host_fqdn keeps the whole name)
  | 'logon_id' // hex or decimal -> lowercase hex without leading zeros
  | 'pid' // decimal or 0x-hex -> BIGINT
  | 'logon_type' // '10' or 'RemoteInteractive' -> 10
  | 'bool'
  | 'account_user' // 'DOMAIN\user' -> 'user'
  | 'account_domain' // 'DOMAIN\user' -> 'DOMAIN'
  | 'file_name' // path -> lowercase file name
  | 'folder_file' // Defender: FolderPath (+ FileName when FolderPath is only the folder)
  | 'outcome'; // 'success' / 'LogonSuccess' / 'failure' / 'LogonFailed' -> success | failure

export interface FieldRule {
  /** Source field paths (dots walk nested objects), tried in order: the first present value wins. */
  readonly from: readonly string[];
  readonly as: Transform;
  /** Values that mean "absent" for this field beyond the usual '', '-' (e.g. logon id '0x0'). */
  readonly absent?: readonly string[];
  /**
   * When every `from` field is absent: a regular expression over another field's text, group 1
   * (some NXLog exports drop Sysmon's ProcessId, which then survives only in Message).
   */
  readonly fallback?: { readonly field: string; readonly pattern: string };
  /** The only values allowed after the transform; anything else rejects the row. */
  readonly oneOf?: readonly string[];
}

/** A test on one source field: its text (or, for arrays, any element) is one of `in`. */
export interface FieldTest {
  readonly field: string;
  readonly in: readonly string[];
  /** Compare case-insensitively ('Security' and 'security' both occur in real exports). */
  readonly ignoreCase?: boolean;
}

export interface SourceMapping {
  /** Stored in the `source` column of every row it produces. */
  readonly name: string;
  readonly format: InputFormat;
  readonly table: CanonicalTable;
  readonly description: string;
  /** The event filter: every test must hold. Rows of the format that no mapping takes are skipped. */
  readonly when: readonly FieldTest[];
  /** Canonical column -> how to compute it. */
  readonly fields: Readonly<Record<string, FieldRule>>;
  /** Canonical columns set to a fixed value. */
  readonly constants?: Readonly<Record<string, string | number>>;
  /** Canonical columns that must be present; a row without one is rejected, naming the field. */
  readonly required: readonly string[];
  /**
   * Source fields that identify a record (alternatives, first complete one wins), hashed into a
   * stable event_id. Without any, the id is a hash of the whole record.
   */
  readonly idFrom?: readonly (readonly string[])[];
  /** When two sources describe the same process creation, the higher preference is kept. */
  readonly preference?: number;
}

const f = (as: Transform, ...from: string[]): FieldRule => ({ from, as });
const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const WINEVENT_ID = [['Hostname', 'Channel', 'RecordNumber', 'EventID']] as const;

export const SOURCE_MAPPINGS: readonly SourceMapping[] = [
  // ---- winevent: flat Windows event JSON (NXLog, Winlogbeat flat export), as in OTRF -----------
  {
    name: 'sysmon-1',
    format: 'winevent',
    table: 'process_events',
    description: 'Sysmon EventID 1 (process creation)',
    when: [{ field: 'Channel', in: [SYSMON], ignoreCase: true }, { field: 'EventID', in: ['1'] }],
    fields: {
      ts: f('time', '@timestamp', 'TimeCreated'),
      host: f('host', 'Hostname', 'Computer'),
      user_name: f('account_user', 'User'),
      user_domain: f('account_domain', 'User'),
      logon_id: f('logon_id', 'LogonId'),
      process_id: { from: ['ProcessId'], as: 'pid', fallback: { field: 'Message', pattern: '\\bProcessId:\\s*(\\d+)' } },
      image: f('text', 'Image'),
      command_line: f('text', 'CommandLine'),
      parent_process_id: f('pid', 'ParentProcessId'),
      parent_image: f('text', 'ParentImage'),
    },
    required: ['ts', 'host', 'image'],
    idFrom: WINEVENT_ID,
    preference: 2,
  },
  {
    name: 'security-4688',
    format: 'winevent',
    table: 'process_events',
    description: 'Security 4688 (a new process has been created)',
    when: [{ field: 'Channel', in: ['Security'], ignoreCase: true }, { field: 'EventID', in: ['4688'] }],
    fields: {
      ts: f('time', '@timestamp', 'TimeCreated'),
      host: f('host', 'Hostname', 'Computer'),
      // Target* names the new process's account when it differs from the creator's.
      user_name: f('text', 'TargetUserName', 'SubjectUserName'),
      user_domain: f('text', 'TargetDomainName', 'SubjectDomainName'),
      logon_id: { from: ['TargetLogonId', 'SubjectLogonId'], as: 'logon_id', absent: ['0x0'] },
      process_id: f('pid', 'NewProcessId'),
      image: f('text', 'NewProcessName'),
      command_line: f('text', 'CommandLine'),
      parent_process_id: f('pid', 'ProcessId'),
      parent_image: f('text', 'ParentProcessName'),
    },
    required: ['ts', 'host', 'image'],
    idFrom: WINEVENT_ID,
    preference: 1,
  },
  {
    name: 'security-4624',
    format: 'winevent',
    table: 'logon_events',
    description: 'Security 4624 (successful logon)',
    when: [{ field: 'Channel', in: ['Security'], ignoreCase: true }, { field: 'EventID', in: ['4624'] }],
    fields: {
      ts: f('time', '@timestamp', 'TimeCreated'),
      host: f('host', 'Hostname', 'Computer'),
      user_name: f('text', 'TargetUserName'),
      user_domain: f('text', 'TargetDomainName'),
      logon_id: f('logon_id', 'TargetLogonId'),
      logon_type: f('logon_type', 'LogonType'),
      source_ip: f('text', 'IpAddress'),
      source_host: f('text', 'WorkstationName'),
    },
    constants: { outcome: 'success' },
    required: ['ts', 'host', 'user_name'],
    idFrom: WINEVENT_ID,
  },
  {
    name: 'security-4625',
    format: 'winevent',
    table: 'logon_events',
    description: 'Security 4625 (failed logon)',
    when: [{ field: 'Channel', in: ['Security'], ignoreCase: true }, { field: 'EventID', in: ['4625'] }],
    fields: {
      ts: f('time', '@timestamp', 'TimeCreated'),
      host: f('host', 'Hostname', 'Computer'),
      user_name: f('text', 'TargetUserName'),
      user_domain: f('text', 'TargetDomainName'),
      logon_type: f('logon_type', 'LogonType'),
      source_ip: f('text', 'IpAddress'),
      source_host: f('text', 'WorkstationName'),
    },
    constants: { outcome: 'failure' },
    required: ['ts', 'host'],
    idFrom: WINEVENT_ID,
  },
  {
    name: 'security-4778',
    format: 'winevent',
    table: 'logon_events',
    description: 'Security 4778 (an RDP session was reconnected): logon type 10',
    when: [{ field: 'Channel', in: ['Security'], ignoreCase: true }, { field: 'EventID', in: ['4778'] }],
    fields: {
      ts: f('time', '@timestamp', 'TimeCreated'),
      host: f('host', 'Hostname', 'Computer'),
      user_name: f('text', 'AccountName'),
      user_domain: f('text', 'AccountDomain'),
      logon_id: f('logon_id', 'LogonID'),
      source_ip: f('text', 'ClientAddress'),
      source_host: f('text', 'ClientName'),
    },
    constants: { outcome: 'reconnect', logon_type: 10 },
    required: ['ts', 'host', 'user_name'],
    idFrom: WINEVENT_ID,
  },

  // ---- sentinel: Log Analytics SecurityEvent rows ---------------------------------------------
  {
    name: 'sentinel-4688',
    format: 'sentinel',
    table: 'process_events',
    description: 'SecurityEvent, EventID 4688',
    when: [{ field: 'EventID', in: ['4688'] }],
    fields: {
      ts: f('time', 'TimeGenerated'),
      host: f('host', 'Computer'),
      user_name: f('account_user', 'Account', 'SubjectAccount'),
      user_domain: f('account_domain', 'Account', 'SubjectAccount'),
      logon_id: { from: ['TargetLogonId', 'SubjectLogonId'], as: 'logon_id', absent: ['0x0'] },
      process_id: f('pid', 'NewProcessId'),
      image: f('text', 'NewProcessName', 'Process'),
      command_line: f('text', 'CommandLine'),
      parent_process_id: f('pid', 'ProcessId'),
      parent_image: f('text', 'ParentProcessName'),
    },
    required: ['ts', 'host', 'image'],
    idFrom: [['Computer', 'EventOriginId'], ['Computer', 'EventRecordId', 'EventID']],
    preference: 1,
  },
  {
    name: 'sentinel-logon',
    format: 'sentinel',
    table: 'logon_events',
    description: 'SecurityEvent, EventID 4624 (outcome success) and 4625 (failure)',
    when: [{ field: 'EventID', in: ['4624', '4625'] }],
    fields: {
      ts: f('time', 'TimeGenerated'),
      host: f('host', 'Computer'),
      user_name: f('text', 'TargetUserName', 'TargetAccount'),
      user_domain: f('text', 'TargetDomainName'),
      logon_id: f('logon_id', 'TargetLogonId'),
      logon_type: f('logon_type', 'LogonType'),
      source_ip: f('text', 'IpAddress'),
      source_host: f('text', 'WorkstationName'),
      outcome: f('outcome', 'EventID'),
    },
    required: ['ts', 'host', 'outcome'],
    idFrom: [['Computer', 'EventOriginId'], ['Computer', 'EventRecordId', 'EventID']],
  },

  // ---- ecs: Elastic Common Schema (Winlogbeat, Elastic Agent); nested or dotted keys ----------
  {
    name: 'ecs-process',
    format: 'ecs',
    table: 'process_events',
    description: 'event.category process, event.type start',
    when: [{ field: 'event.category', in: ['process'] }, { field: 'event.type', in: ['start'] }],
    fields: {
      ts: f('time', '@timestamp'),
      host: f('host', 'host.name', 'host.hostname'),
      user_name: f('text', 'user.name'),
      user_domain: f('text', 'user.domain'),
      logon_id: f('logon_id', 'winlog.event_data.LogonId', 'winlog.event_data.SubjectLogonId', 'winlog.logon.id'),
      process_id: f('pid', 'process.pid'),
      image: f('text', 'process.executable'),
      command_line: f('text', 'process.command_line'),
      parent_process_id: f('pid', 'process.parent.pid'),
      parent_image: f('text', 'process.parent.executable'),
    },
    required: ['ts', 'host', 'image'],
    idFrom: [['event.id'], ['host.name', 'winlog.channel', 'winlog.record_id']],
    preference: 2,
  },
  {
    name: 'ecs-logon',
    format: 'ecs',
    table: 'logon_events',
    description: 'event.category authentication with a Windows logon type (4624, 4625)',
    when: [{ field: 'event.category', in: ['authentication'] }, { field: 'event.code', in: ['4624', '4625'] }],
    fields: {
      ts: f('time', '@timestamp'),
      host: f('host', 'host.name', 'host.hostname'),
      user_name: f('text', 'user.name', 'winlog.event_data.TargetUserName'),
      user_domain: f('text', 'user.domain', 'winlog.event_data.TargetDomainName'),
      logon_id: f('logon_id', 'winlog.event_data.TargetLogonId', 'winlog.logon.id'),
      logon_type: f('logon_type', 'winlog.event_data.LogonType', 'winlog.logon.type'),
      source_ip: f('text', 'source.ip'),
      source_host: f('text', 'source.domain', 'winlog.event_data.WorkstationName'),
      outcome: f('outcome', 'event.outcome'),
    },
    required: ['ts', 'host', 'outcome'],
    idFrom: [['event.id'], ['host.name', 'winlog.channel', 'winlog.record_id']],
  },

  // ---- mde: Defender advanced hunting (DeviceProcessEvents, DeviceLogonEvents) -----------------
  {
    name: 'mde-process',
    format: 'mde',
    table: 'process_events',
    description: 'DeviceProcessEvents, ActionType ProcessCreated',
    when: [{ field: 'ActionType', in: ['ProcessCreated'] }],
    fields: {
      ts: f('time', 'Timestamp'),
      host: f('host', 'DeviceName'),
      user_name: f('text', 'AccountName'),
      user_domain: f('text', 'AccountDomain'),
      logon_id: f('logon_id', 'LogonId'),
      process_id: f('pid', 'ProcessId'),
      image: f('folder_file', 'FolderPath', 'FileName'),
      command_line: f('text', 'ProcessCommandLine'),
      parent_process_id: f('pid', 'InitiatingProcessId'),
      parent_image: f('folder_file', 'InitiatingProcessFolderPath', 'InitiatingProcessFileName'),
    },
    required: ['ts', 'host', 'image'],
    idFrom: [['DeviceId', 'ReportId', 'Timestamp'], ['DeviceName', 'ReportId', 'Timestamp']],
    preference: 2,
  },
  {
    name: 'mde-logon',
    format: 'mde',
    table: 'logon_events',
    description: 'DeviceLogonEvents, ActionType LogonSuccess / LogonFailed',
    when: [{ field: 'ActionType', in: ['LogonSuccess', 'LogonFailed'] }],
    fields: {
      ts: f('time', 'Timestamp'),
      host: f('host', 'DeviceName'),
      user_name: f('text', 'AccountName'),
      user_domain: f('text', 'AccountDomain'),
      logon_id: f('logon_id', 'LogonId'),
      logon_type: f('logon_type', 'LogonType'),
      source_ip: f('text', 'RemoteIP'),
      source_host: f('text', 'RemoteDeviceName'),
      outcome: f('outcome', 'ActionType'),
    },
    required: ['ts', 'host', 'user_name', 'outcome'],
    idFrom: [['DeviceId', 'ReportId', 'Timestamp'], ['DeviceName', 'ReportId', 'Timestamp']],
  },

  // ---- canonical: the tables' own columns (NDJSON, CSV, Parquet); the file name names the table
  {
    name: 'canonical',
    format: 'canonical',
    table: 'process_events',
    description: 'process_events.{ndjson,jsonl,json,csv,parquet}[.gz]',
    when: [],
    fields: {
      event_id: f('text', 'event_id'),
      ts: f('time', 'ts'),
      host: f('host', 'host'),
      user_name: f('account_user', 'user_name'),
      user_domain: f('text', 'user_domain'),
      logon_id: f('logon_id', 'logon_id'),
      process_id: f('pid', 'process_id'),
      image: f('text', 'image'),
      process_name: f('file_name', 'process_name', 'image'),
      command_line: f('text', 'command_line'),
      parent_process_id: f('pid', 'parent_process_id'),
      parent_image: f('text', 'parent_image'),
      parent_name: f('file_name', 'parent_name', 'parent_image'),
    },
    required: ['ts', 'host', 'image'],
    preference: 3,
  },
  {
    name: 'canonical',
    format: 'canonical',
    table: 'logon_events',
    description: 'logon_events.{ndjson,jsonl,json,csv,parquet}[.gz]',
    when: [],
    fields: {
      event_id: f('text', 'event_id'),
      ts: f('time', 'ts'),
      host: f('host', 'host'),
      user_name: f('account_user', 'user_name'),
      user_domain: f('text', 'user_domain'),
      logon_id: f('logon_id', 'logon_id'),
      logon_type: f('logon_type', 'logon_type'),
      source_ip: f('text', 'source_ip'),
      source_host: f('text', 'source_host'),
      outcome: f('outcome', 'outcome'),
    },
    required: ['ts', 'host', 'outcome'],
  },
  {
    name: 'canonical',
    format: 'canonical',
    table: 'alerts',
    description: 'alerts.{ndjson,jsonl,json,csv,parquet}[.gz]',
    when: [],
    fields: {
      alert_id: f('text', 'alert_id'),
      ts: f('time', 'ts'),
      alert_name: f('text', 'alert_name'),
      severity: f('text', 'severity'),
      host: f('host', 'host'),
      user_name: f('account_user', 'user_name'),
      logon_id: f('logon_id', 'logon_id'),
      process_id: f('pid', 'process_id'),
      command_line: f('text', 'command_line'),
    },
    required: ['alert_id', 'ts', 'alert_name', 'host'],
  },
  {
    name: 'canonical',
    format: 'canonical',
    table: 'labels',
    description: 'labels.{ndjson,jsonl,json,csv,parquet}[.gz]',
    when: [],
    fields: {
      kind: { from: ['kind'], as: 'lower', oneOf: ['event', 'alert'] },
      id: f('text', 'id'),
      malicious: f('bool', 'malicious'),
      campaign_id: f('text', 'campaign_id'),
      campaign_kind: f('text', 'campaign_kind'),
    },
    required: ['kind', 'id', 'malicious'],
  },
];

/** The mappings that apply to a file of `format` (for canonical, the table its name gives). */
export function mappingsFor(format: InputFormat, canonicalTable?: CanonicalTable): SourceMapping[] {
  return SOURCE_MAPPINGS.filter((m) => m.format === format && (format !== 'canonical' || m.table === canonicalTable));
}
