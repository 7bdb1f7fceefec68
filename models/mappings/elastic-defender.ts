/** Elastic Common Schema and Defender advanced hunting. */
import type { SourceMapping } from '../mapping-record.js';
import { field } from '../mapping-record.js';

export const ELASTIC_DEFENDER_MAPPINGS: readonly SourceMapping[] = [
  // ---- ecs: Elastic Common Schema (Winlogbeat, Elastic Agent); nested or dotted keys ----------
  {
    name: 'ecs-process',
    format: 'ecs',
    table: 'process_events',
    description: 'event.category process, event.type start',
    when: [{ field: 'event.category', in: ['process'] }, { field: 'event.type', in: ['start'] }],
    fields: {
      ts: field('time', '@timestamp'),
      host: field('host', 'host.name', 'host.hostname'),
      user_name: field('text', 'user.name'),
      user_domain: field('text', 'user.domain'),
      logon_id: field('logon_id', 'winlog.event_data.LogonId', 'winlog.event_data.SubjectLogonId', 'winlog.logon.id'),
      process_id: field('pid', 'process.pid'),
      image: field('text', 'process.executable'),
      command_line: field('text', 'process.command_line'),
      parent_process_id: field('pid', 'process.parent.pid'),
      parent_image: field('text', 'process.parent.executable'),
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
      ts: field('time', '@timestamp'),
      host: field('host', 'host.name', 'host.hostname'),
      user_name: field('text', 'user.name', 'winlog.event_data.TargetUserName'),
      user_domain: field('text', 'user.domain', 'winlog.event_data.TargetDomainName'),
      logon_id: field('logon_id', 'winlog.event_data.TargetLogonId', 'winlog.logon.id'),
      logon_type: field('logon_type', 'winlog.event_data.LogonType', 'winlog.logon.type'),
      source_ip: field('text', 'source.ip'),
      source_host: field('text', 'source.domain', 'winlog.event_data.WorkstationName'),
      outcome: field('outcome', 'event.outcome'),
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
      ts: field('time', 'Timestamp'),
      host: field('host', 'DeviceName'),
      user_name: field('text', 'AccountName'),
      user_domain: field('text', 'AccountDomain'),
      logon_id: field('logon_id', 'LogonId'),
      process_id: field('pid', 'ProcessId'),
      image: field('folder_file', 'FolderPath', 'FileName'),
      command_line: field('text', 'ProcessCommandLine'),
      parent_process_id: field('pid', 'InitiatingProcessId'),
      parent_image: field('folder_file', 'InitiatingProcessFolderPath', 'InitiatingProcessFileName'),
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
      ts: field('time', 'Timestamp'),
      host: field('host', 'DeviceName'),
      user_name: field('text', 'AccountName'),
      user_domain: field('text', 'AccountDomain'),
      logon_id: field('logon_id', 'LogonId'),
      logon_type: field('logon_type', 'LogonType'),
      source_ip: field('text', 'RemoteIP'),
      source_host: field('text', 'RemoteDeviceName'),
      outcome: field('outcome', 'ActionType'),
    },
    required: ['ts', 'host', 'user_name', 'outcome'],
    idFrom: [['DeviceId', 'ReportId', 'Timestamp'], ['DeviceName', 'ReportId', 'Timestamp']],
  },

];
