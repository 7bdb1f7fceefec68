/**
 * Alerts from SIEMs and XDRs, written from the vendors' published field references (Microsoft's
 * SecurityAlert, AlertInfo and AlertEvidence table references; Elastic's alert schema). The
 * alert's entities (host, account, logon id, process) fill the alert row where the source has them.
 */
import type { SourceMapping } from '../mapping-record.js';
import { field } from '../mapping-record.js';

const ALERT_REQUIRED = ['ts', 'host', 'alert_name'];

export const SIEM_ALERT_MAPPINGS: readonly SourceMapping[] = [
  // ---- Microsoft Sentinel / Defender for Cloud: SecurityAlert rows (Log Analytics export) ------
  {
    name: 'securityalert',
    format: 'securityalert',
    table: 'alerts',
    description: 'SecurityAlert rows; entities from the Entities JSON, else ExtendedProperties, else CompromisedEntity',
    when: [],
    fields: {
      alert_id: field('text', 'SystemAlertId'),
      // StartTime: when the activity began (the context is around it); TimeGenerated: when logged.
      ts: field('time', 'StartTime', 'TimeGenerated', 'EndTime'),
      alert_name: field('text', 'AlertName', 'DisplayName'),
      severity: field('severity', 'AlertSeverity'),
      host: {
        as: 'host',
        fromJson: [{ field: 'Entities', entity: 'host', key: 'HostName' }, { field: 'ExtendedProperties', key: 'Compromised Host' }],
        from: ['CompromisedEntity'],
      },
      user_name: {
        as: 'account_user',
        fromJson: [{ field: 'Entities', entity: 'account', key: 'Name' }, { field: 'ExtendedProperties', key: 'User Name' }],
        from: [],
      },
      logon_id: {
        as: 'logon_id',
        fromJson: [{ field: 'Entities', entity: 'account', key: 'LogonId' }, { field: 'ExtendedProperties', key: 'Account Session Id' }],
        from: [],
      },
      process_id: {
        as: 'pid',
        fromJson: [{ field: 'Entities', entity: 'process', key: 'ProcessId' }, { field: 'ExtendedProperties', key: 'Suspicious Process Id' }],
        from: [],
      },
      command_line: {
        as: 'text',
        fromJson: [{ field: 'Entities', entity: 'process', key: 'CommandLine' }, { field: 'ExtendedProperties', key: 'Suspicious Command Line' }],
        from: [],
      },
    },
    required: ALERT_REQUIRED,
    idFrom: [['SystemAlertId'], ['VendorOriginalId', 'ProviderName']],
  },

  // ---- Defender XDR advanced hunting: AlertInfo + AlertEvidence, joined by AlertId -------------
  // The rows of one AlertId in a load are parts of one alert (merge_alert_parts.sql): the AlertInfo
  // row gives title, severity and time; evidence rows give the device, the account and the process.
  {
    name: 'xdr-alertinfo',
    format: 'xdr-alerts',
    table: 'alerts',
    description: 'AlertInfo rows (no EntityType), merged with their AlertEvidence rows',
    when: [{ field: 'EntityType', present: false }],
    fields: {
      alert_id: field('text', 'AlertId'),
      ts: field('time', 'Timestamp'),
      alert_name: field('text', 'Title'),
      severity: field('severity', 'Severity'),
    },
    required: ALERT_REQUIRED,
    alertParts: true,
    preference: 2,
  },
  {
    name: 'xdr-alertevidence',
    format: 'xdr-alerts',
    table: 'alerts',
    description: 'AlertEvidence rows: Machine (DeviceName), User (AccountName), Process (ProcessCommandLine)',
    when: [{ field: 'EntityType', present: true }],
    fields: {
      alert_id: field('text', 'AlertId'),
      ts: field('time', 'Timestamp'),
      alert_name: field('text', 'Title'),
      severity: field('severity', 'Severity'),
      host: field('host', 'DeviceName'),
      user_name: field('account_user', 'AccountName', 'AccountUpn'),
      // AdditionalFields holds the evidence entity's own JSON (its process id, its account's logon id).
      logon_id: { as: 'logon_id', fromJson: [{ field: 'AdditionalFields', key: 'LogonId' }, { field: 'AdditionalFields', entity: 'account', key: 'LogonId' }], from: [] },
      process_id: { as: 'pid', fromJson: [{ field: 'AdditionalFields', key: 'ProcessId' }], from: [] },
      command_line: field('text', 'ProcessCommandLine'),
    },
    required: ALERT_REQUIRED,
    alertParts: true,
    preference: 1,
  },

  // ---- Elastic Security detection alerts (.alerts-security.alerts-*; 7.x signals) -------------
  {
    name: 'elastic-alert',
    format: 'elastic-alerts',
    table: 'alerts',
    description: 'kibana.alert.* documents, nested or dotted keys; the source event\'s ECS fields give the entities',
    when: [],
    fields: {
      alert_id: field('text', 'kibana.alert.uuid', '_id'),
      // The source event's time (the alert's @timestamp is when the rule ran, minutes later).
      ts: field('time', 'kibana.alert.original_time', '@timestamp'),
      alert_name: field('text', 'kibana.alert.rule.name', 'signal.rule.name'),
      severity: field('severity', 'kibana.alert.severity', 'signal.rule.severity'),
      host: field('host', 'host.name', 'host.hostname'),
      user_name: field('account_user', 'user.name'),
      logon_id: field('logon_id', 'winlog.logon.id', 'winlog.event_data.LogonId', 'winlog.event_data.SubjectLogonId'),
      process_id: field('pid', 'process.pid'),
      command_line: field('text', 'process.command_line'),
    },
    required: ALERT_REQUIRED,
  },
];
