/**
 * How each output format writes a day's events (COPY from the day tables, set-based), and the id
 * the loader will give each written event, so that labels point at loaded rows in every format.
 * The ids mirror pipeline/load/mapping-sql.ts: substr(md5('<table>|' || key), 1, 24), key = the
 * lowercased idFrom fields of the format's mapping joined with '|'.
 */

export type OutputFormat = 'canonical-parquet' | 'canonical-ndjson' | 'winevent' | 'sentinel' | 'ecs' | 'mde';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['canonical-parquet', 'canonical-ndjson', 'winevent', 'sentinel', 'ecs', 'mde'];

export interface FormatWriter {
  processFile: string;
  logonFile: string;
  copyOptions: string;
  /** SELECT producing the file's records from out_process (rows already in time order). */
  processSelect: string;
  logonSelect: string;
  /** Per-row expression: the event_id the loader derives for the written record. */
  processId: string;
  logonId: string;
}

const ISO = "strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ')";
const MDE_TS = "strftime(ts, '%Y-%m-%dT%H:%M:%S.%f') || '0Z'";
const hashed = (table: string, parts: string[]) => `substr(md5('${table}|' || concat_ws('|', ${parts.map((p) => `lower(${p})`).join(', ')})), 1, 24)`;
const origin = 'gen_guid(md5(event_id))';
const deviceId = 'substr(md5(fqdn), 1, 24)';

const canonicalProcess = `SELECT event_id, ts, fqdn AS host, user_name, user_domain, logon_id, process_id, image, process_name, command_line,
  parent_process_id, parent_image, parent_name FROM out_process`;
const canonicalLogon = `SELECT event_id, ts, fqdn AS host, user_name, user_domain, logon_id, logon_type, source_ip, source_host, outcome FROM out_logon`;

export const WRITERS: Record<OutputFormat, FormatWriter> = {
  'canonical-parquet': {
    processFile: 'process_events.parquet', logonFile: 'logon_events.parquet', copyOptions: "(FORMAT parquet, COMPRESSION zstd)",
    processSelect: canonicalProcess, logonSelect: canonicalLogon, processId: 'event_id', logonId: 'event_id',
  },
  'canonical-ndjson': {
    processFile: 'process_events.ndjson', logonFile: 'logon_events.ndjson', copyOptions: "(FORMAT json)",
    processSelect: canonicalProcess.replace('event_id, ts,', `event_id, ${ISO} AS ts,`),
    logonSelect: canonicalLogon.replace('event_id, ts,', `event_id, ${ISO} AS ts,`),
    processId: 'event_id', logonId: 'event_id',
  },
  winevent: {
    processFile: 'winevent_sysmon.json', logonFile: 'winevent_security.json', copyOptions: '(FORMAT json)',
    processSelect: `SELECT ${ISO} AS "@timestamp", 1 AS "EventID", 'Microsoft-Windows-Sysmon/Operational' AS "Channel",
      fqdn AS "Hostname", rec AS "RecordNumber", process_id::VARCHAR AS "ProcessId", image AS "Image", command_line AS "CommandLine",
      parent_process_id::VARCHAR AS "ParentProcessId", parent_image AS "ParentImage", user_domain || '\\' || user_name AS "User",
      logon_id AS "LogonId", 'process creation' AS "Category" FROM out_process`,
    logonSelect: `SELECT ${ISO} AS "@timestamp", CASE outcome WHEN 'success' THEN 4624 ELSE 4625 END AS "EventID", 'Security' AS "Channel",
      fqdn AS "Hostname", rec AS "RecordNumber", user_name AS "TargetUserName", user_domain AS "TargetDomainName",
      coalesce(logon_id, '0x0') AS "TargetLogonId", logon_type::VARCHAR AS "LogonType", source_ip AS "IpAddress",
      coalesce(source_host, '-') AS "WorkstationName" FROM out_logon`,
    processId: hashed('process_events', ['fqdn', "'Microsoft-Windows-Sysmon/Operational'", 'rec::VARCHAR', "'1'"]),
    logonId: hashed('logon_events', ['fqdn', "'Security'", 'rec::VARCHAR', "CASE outcome WHEN 'success' THEN '4624' ELSE '4625' END"]),
  },
  sentinel: {
    processFile: 'SecurityEvent_4688.json', logonFile: 'SecurityEvent_logon.json', copyOptions: '(FORMAT json)',
    processSelect: `SELECT ${ISO} AS "TimeGenerated", fqdn AS "Computer", 4688 AS "EventID", 'Security' AS "Channel", 'SecurityEvent' AS "Type",
      user_domain || '\\' || user_name AS "Account", user_name AS "SubjectUserName", logon_id AS "SubjectLogonId", '0x0' AS "TargetLogonId",
      image AS "NewProcessName", '0x' || lower(hex(process_id)) AS "NewProcessId", command_line AS "CommandLine",
      parent_image AS "ParentProcessName", '0x' || lower(hex(parent_process_id)) AS "ProcessId", ${origin} AS "EventOriginId" FROM out_process`,
    logonSelect: `SELECT ${ISO} AS "TimeGenerated", fqdn AS "Computer", CASE outcome WHEN 'success' THEN 4624 ELSE 4625 END AS "EventID",
      'Security' AS "Channel", 'SecurityEvent' AS "Type", user_domain || '\\' || user_name AS "Account", user_name AS "TargetUserName",
      user_domain AS "TargetDomainName", logon_id AS "TargetLogonId", logon_type AS "LogonType", source_ip AS "IpAddress",
      source_host AS "WorkstationName", ${origin} AS "EventOriginId" FROM out_logon`,
    processId: hashed('process_events', ['fqdn', origin]),
    logonId: hashed('logon_events', ['fqdn', origin]),
  },
  ecs: {
    processFile: 'ecs_process.ndjson', logonFile: 'ecs_authentication.ndjson', copyOptions: '(FORMAT json)',
    processSelect: `SELECT ${ISO} AS "@timestamp", {'version': '8.11.0'} AS ecs,
      {'id': event_id, 'category': ['process'], 'type': ['start'], 'code': '1', 'kind': 'event', 'module': 'sysmon'} AS event,
      {'name': fqdn, 'hostname': host} AS host, {'name': user_name, 'domain': user_domain} AS "user",
      {'pid': process_id, 'executable': image, 'name': process_name, 'command_line': command_line,
       'parent': {'pid': parent_process_id, 'executable': parent_image, 'name': parent_name}} AS process,
      {'channel': 'Microsoft-Windows-Sysmon/Operational', 'record_id': rec, 'event_data': {'LogonId': logon_id}} AS winlog FROM out_process`,
    logonSelect: `SELECT ${ISO} AS "@timestamp", {'version': '8.11.0'} AS ecs,
      {'id': event_id, 'category': ['authentication'], 'type': ['start'], 'code': CASE outcome WHEN 'success' THEN '4624' ELSE '4625' END,
       'outcome': outcome, 'module': 'security'} AS event,
      {'name': fqdn} AS host, {'name': user_name, 'domain': user_domain} AS "user", {'ip': source_ip, 'domain': source_host} AS source,
      {'channel': 'Security', 'record_id': rec, 'logon': {'id': logon_id, 'type': logon_type::VARCHAR},
       'event_data': {'TargetLogonId': logon_id, 'LogonType': logon_type::VARCHAR}} AS winlog FROM out_logon`,
    processId: hashed('process_events', ['event_id']),
    logonId: hashed('logon_events', ['event_id']),
  },
  mde: {
    processFile: 'DeviceProcessEvents.csv', logonFile: 'DeviceLogonEvents.csv', copyOptions: '(FORMAT csv, HEADER true)',
    processSelect: `SELECT ${MDE_TS} AS "Timestamp", ${deviceId} AS "DeviceId", fqdn AS "DeviceName", 'ProcessCreated' AS "ActionType",
      regexp_extract(image, '([^\\\\]+)$', 1) AS "FileName", image AS "FolderPath", process_id AS "ProcessId",
      command_line AS "ProcessCommandLine", lower(user_domain) AS "AccountDomain", user_name AS "AccountName",
      try_cast(logon_id AS UBIGINT) AS "LogonId", regexp_extract(parent_image, '([^\\\\]+)$', 1) AS "InitiatingProcessFileName",
      parent_image AS "InitiatingProcessFolderPath", parent_process_id AS "InitiatingProcessId", rec AS "ReportId" FROM out_process`,
    logonSelect: `SELECT ${MDE_TS} AS "Timestamp", ${deviceId} AS "DeviceId", fqdn AS "DeviceName",
      CASE outcome WHEN 'success' THEN 'LogonSuccess' ELSE 'LogonFailed' END AS "ActionType",
      ['System', '1', 'Interactive', 'Network', 'Batch', 'Service', '6', 'Unlock', 'NetworkCleartext', 'NewCredentials', 'RemoteInteractive'][logon_type + 1] AS "LogonType",
      lower(user_domain) AS "AccountDomain", user_name AS "AccountName", try_cast(logon_id AS UBIGINT) AS "LogonId",
      source_ip AS "RemoteIP", source_host AS "RemoteDeviceName", rec AS "ReportId" FROM out_logon`,
    processId: hashed('process_events', [deviceId, 'rec::VARCHAR', MDE_TS]),
    logonId: hashed('logon_events', [deviceId, 'rec::VARCHAR', MDE_TS]),
  },
};
