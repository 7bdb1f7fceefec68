import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { runNightly } from '../pipeline/jobs/nightly.js';
import { makeContextReports } from '../pipeline/context/make-reports.js';
import { readReports } from '../pipeline/context/read-reports.js';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { reportHtml } from '../pipeline/context/report-html.js';
import { reportMarkdown } from '../pipeline/context/report-markdown.js';
import { writeReports } from '../pipeline/context/write-reports.js';
import type { Database } from '../pipeline/db.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';
import { memoryDb, tempDir } from './helpers.js';

const CACLS_TARGETS = ['at.exe', 'ftp.exe', 'net.exe', 'net1.exe', 'tftp.exe', 'telnet.exe', 'reg.exe', 'regedt32.exe', 'debug.exe', 'edlin.exe',
  'xcopy.exe', 'attrib.exe', 'rcp.exe', 'rexec.exe', 'rsh.exe', 'finger.exe', 'arp.exe', 'nbtstat.exe', 'netstat.exe', 'route.exe',
  'ipconfig.exe', 'tracert.exe', 'nslookup.exe', 'runonce.exe'];

/** SPEC.md's two scripts, replayed as canonical events on one server of a generated fleet. */
function specScripts(day: string) {
  const at = (t: string) => `${day}T${t}Z`;
  let n = 0;
  const p = (t: string, image: string, cmd: string) => ({
    event_id: `spec-${++n}`, ts: at(t), host: 'sql01.contoso.local', user_name: 'CONTOSO\\xxxxxxUser', logon_id: '0x5a3f21',
    process_id: 4000 + n * 4, image, command_line: cmd, parent_process_id: 3996, parent_image: 'C:\\Windows\\System32\\cmd.exe',
  });
  const S = 'C:\\Windows\\System32';
  return {
    process: [
      p('09:37:26.100', `${S}\\ftp.exe`, '"C:\\windows\\system32\\ftp.exe" -s:C:\\WINDOWS\\system32\\us.dat'),
      p('09:37:32.200', `${S}\\ftp.exe`, 'ftp -s:xpoffice.exe'),
      p('09:37:32.600', `${S}\\ftp.exe`, 'ftp -s:c:\\RECYCLER\\xpoffice.exe'),
      p('09:37:33.100', `${S}\\ftp.exe`, 'ftp -s:c:\\xpoffice.exe'),
      p('09:37:45.100', `${S}\\net.exe`, '"C:\\Windows\\System32\\net.exe" stop CryptSvc'),
      p('09:37:45.300', `${S}\\regsvr32.exe`, '"C:\\Windows\\System32\\regsvr32.exe" urlmon.dll shdocvw.dll jscript.dll vbscript.dll /s'),
      p('09:37:45.500', `${S}\\cacls.exe`, '"C:\\Windows\\System32\\cacls.exe" C:\\Windows\\system32\\wscript.exe /e /t /g SYSTEM:F'),
      p('09:37:46.100', `${S}\\cacls.exe`, '"C:\\Windows\\System32\\cacls.exe" C:\\Windows\\system32\\cscript.exe /e /t /g SYSTEM:F'),
      // As in the original incident, cacls ran on many more programs: 24 more lines of one family.
      ...CACLS_TARGETS.map((f, i) => p(`09:37:46.${String(110 + i * 10)}`, `${S}\\cacls.exe`, `"C:\\Windows\\System32\\cacls.exe" C:\\Windows\\system32\\${f} /e /t /g SYSTEM:F`)),
      p('09:37:46.500', `${S}\\net.exe`, '"C:\\Windows\\System32\\net.exe" localgroup administrators abai$/add'),
      p('09:37:46.800', `${S}\\reg.exe`, '"C:\\Windows\\System32\\reg.exe" ADD "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server" /v fDenyTSConnections /t REG_DWORD /d 00000000 /f"'),
      p('11:44:09.300', `${S}\\regini.exe`, '"C:\\Windows\\System32\\regini.exe" c:\\windows\\system32\\1025\\run.ini'),
      p('11:44:16.000', `${S}\\SecEdit.exe`, '"C:\\Windows\\System32\\SecEdit.exe" /configure /cfg "C:\\WINDOWS\\system32\\NewAuto.inf" /db newdb.sdb /log logfile.txt /areas REGKEYS FILESTORE'),
      p('11:44:28.000', `${S}\\cacls.exe`, '"C:\\Windows\\System32\\cacls.exe" cmd.exe /e /t /g system:f'),
      p('11:44:49.000', `${S}\\net.exe`, '"C:\\Windows\\System32\\net.exe" stop CryptSvc'),
      p('11:44:50.120', `${S}\\regsvr32.exe`, '"C:\\Windows\\System32\\regsvr32.exe" urlmon.dll shdocvw.dll jscript.dll vbscript.dll /s'),
      p('11:44:50.820', `${S}\\regsvr32.exe`, '"C:\\Windows\\System32\\regsvr32.exe" urlmon.dll shdocvw.dll jscript.dll vbscript.dll /s'),
      p('11:45:01.000', `${S}\\ftp.exe`, '"C:\\Windows\\System32\\ftp.exe" -s:C:\\MG05.dll'),
      p('11:45:02.000', `${S}\\schtasks.exe`, '"C:\\Windows\\System32\\schtasks.exe" /create /tn "45645" /tr "c:\\Ttqlhcjntzllto.exe" /sc minute /mo 1 /ru "system'),
      p('11:45:03.000', `${S}\\cmd.exe`, '"C:\\Windows\\system32\\cmd.exe" /c net1 stop sharedaccess&echo open > MG06.dll&echo mix>> MG06.dll&ftp -s:MG06.dll&Ttqlhc <img src=x onerror=alert(1)><script>alert(2)</script>'),
      p('11:45:03.400', `${S}\\ftp.exe`, 'ftp  -s:MG06.dll'),
    ],
    logon: [{ event_id: 'spec-rdp', ts: at('00:47:44.000'), host: 'sql01', user_name: 'xxxxxxUser', logon_id: '0x5a3f21', logon_type: 10, source_ip: '198.51.100.23', outcome: 'success' }],
    alerts: [
      { alert_id: 'spec-a1', ts: at('09:37:47'), alert_name: 'Detected suspicious use of Cacls to lower the security state of the system', severity: 'Medium', host: 'sql01', user_name: 'xxxxxxUser', logon_id: '0x5a3f21' },
      { alert_id: 'spec-a2', ts: at('11:45:10'), alert_name: 'Unusual process execution detected', severity: 'Medium', host: 'sql01' },
      { alert_id: 'spec-quiet', ts: at('09:37:47'), alert_name: 'Detected suspicious use of Cacls to lower the security state of the system', severity: 'Medium', host: 'app01' },
    ],
  };
}

const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('context reports: the SPEC.md scripts replayed on a generated fleet', () => {
  let db: Database;
  let day: string;
  let reports: ReportRecord[];
  beforeAll(async () => {
    const fleet = tempDir();
    const m = await generateFleet({ ...GENERATE_DEFAULTS, hosts: 8, days: 5, out: fleet, attackRate: 0 });
    day = m.days.at(-1)!;
    const spec = specScripts(day);
    // The day's folder of the fleet, a subfolder of canonical files named after their tables.
    const dir = join(fleet, day, 'spec');
    mkdirSync(dir);
    writeFileSync(join(dir, 'process_events.ndjson'), ndjson(spec.process));
    writeFileSync(join(dir, 'logon_events.ndjson'), ndjson(spec.logon));
    writeFileSync(join(dir, 'alerts.ndjson'), ndjson(spec.alerts));
    db = await memoryDb();
    for (const d of m.days) await runNightly(db, { date: d, input: fleet, thresholds: DEFAULT_THRESHOLDS });
    const run = await makeContextReports(db, day, day, DEFAULT_THRESHOLDS);
    reports = await readReports(db, run.runId);
  });

  const report = (id: string) => reports.find((r) => r.alert_id === id);

  it('reports the first script in time order, with the RDP logon and the original description line', () => {
    const r = report('spec-a1')!;
    expect(r).toBeDefined();
    const lines = r.context_event_activity.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Related alert \\(dated ${day} 09:37:47Z\\)\\. \\d items in report \\((.+)\\)$`));
    expect(r.jobs).toContain('Unusual processes executed');
    expect(r.jobs).toContain('RDP Logons');
    expect(lines).toContain('00:47:44Z xxxxxxUser from 198.51.100.23 (RDPLogon)');
    expect(lines).toContain('09:37:33Z ftp -s:c:\\xpoffice.exe (UnusualProcess)');
    const times = r.items.map((i) => i.time);
    expect([...times].sort()).toEqual(times);
    for (const i of r.items) expect(i.reason.length).toBeGreaterThan(10);
    for (const i of r.items) expect(i.event_ids.length).toBe(1 + i.repeat_count);
  });

  it('seed replay: with the default maximum, one cacls family of 26 lines shows 3 and "[+23 more like this]", and the whole attack fits', () => {
    const r = report('spec-a1')!;
    const lines = r.context_event_activity.split('\n');
    expect(r.items.length).toBeLessThanOrEqual(DEFAULT_THRESHOLDS.context.max_items);
    expect(r.truncated).toBe(true);
    expect(lines.at(-1)).toBe('[Report truncated...maximum number of items exceeded]');
    const cacls = r.items.filter((i) => (i.command_line ?? '').includes('cacls.exe'));
    expect(cacls).toHaveLength(DEFAULT_THRESHOLDS.context.family_max_items);
    expect(cacls.map((i) => i.more_like_this)).toEqual([0, 0, 23]);
    expect(lines[lines.findIndex((l) => l.includes(cacls[2]!.command_line!)) + 1]).toBe('[+23 more like this]');
    // The lines that matter are all there: the account creation, the RDP opening, the service stop, regsvr32.
    for (const needle of ['net.exe" localgroup administrators abai$/add', 'fDenyTSConnections', 'net.exe" stop CryptSvc', 'regsvr32.exe" urlmon.dll']) {
      expect(lines.some((l) => l.includes(needle)), needle).toBe(true);
    }
    for (const needle of ['ftp -s:xpoffice.exe', 'ftp -s:c:\\RECYCLER\\xpoffice.exe', 'ftp -s:c:\\xpoffice.exe', 'us.dat']) {
      expect(lines.some((l) => l.includes(needle)), needle).toBe(true);
    }
    // Every line names the alert's session, and the report keeps time order.
    for (const i of r.items.filter((x) => x.category !== 'RDPLogon')) expect(i.reason).toMatch(/^in the alert's logon session 0x5a3f21; /);
    const times = r.items.map((i) => i.time);
    expect([...times].sort()).toEqual(times);
  });

  it('folds the second script\'s regsvr32 repeat into one item with its time', () => {
    const r = report('spec-a2')!;
    const line = r.context_event_activity.split('\n').find((l) => l.includes('regsvr32.exe'));
    expect(line).toBe('11:44:50Z "C:\\Windows\\System32\\regsvr32.exe" urlmon.dll shdocvw.dll jscript.dll vbscript.dll /s  [Repeats: 11:44:50.82] (UnusualProcess)');
  });

  it('makes no report for the same alert on a quiet host', () => {
    expect(report('spec-quiet')).toBeUndefined();
  });

  it('truncates past the maximum, keeping variety, still in time order', async () => {
    const t = { ...DEFAULT_THRESHOLDS, context: { ...DEFAULT_THRESHOLDS.context, max_items: 5 } };
    const run = await makeContextReports(db, day, day, t);
    const r = (await readReports(db, run.runId, 'spec-a2'))[0]!;
    expect(r.items.length).toBe(5);
    expect(r.truncated).toBe(true);
    expect(r.context_event_activity.split('\n').at(-1)).toBe('[Report truncated...maximum number of items exceeded]');
    expect(new Set(r.items.map((i) => i.command_line)).size).toBe(5);
    const times = r.items.map((i) => i.time);
    expect([...times].sort()).toEqual(times);
  });

  it('escapes attacker-controlled text in HTML and Markdown, and writes SIEM-ready records', () => {
    const r = report('spec-a2')!;
    const html = reportHtml(r);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert(2)');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    const md = reportMarkdown(r);
    const fence = md.split('\n').find((l) => l.startsWith('```'))!;
    expect(md.indexOf('<img src=x')).toBeGreaterThan(md.indexOf(fence)); // only inside the literal block
    const out = tempDir();
    writeReports(out, reports);
    const alerts = readFileSync(join(out, 'security_alerts.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const a = alerts.find((x) => JSON.parse(x.ExtendedProperties)['Related alert id'] === 'spec-a1');
    expect(a).toMatchObject({ AlertName: 'Potentially suspect behavior reported as extra context for other alerts', CompromisedEntity: 'sql01' });
    expect(JSON.parse(a.ExtendedProperties).CONTEXTEVENTACTIVITY).toBe(report('spec-a1')!.context_event_activity);
    const recs = readFileSync(join(out, 'reports.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(Object.keys(recs[0]).sort()).toEqual(expect.arrayContaining(['report_id', 'alert_id', 'alert_name', 'alert_time', 'host', 'title', 'description', 'jobs', 'items', 'truncated', 'context_event_activity']));
    expect(Object.keys(recs[0].items[0]).sort()).toEqual(['category', 'command_line', 'event_ids', 'host', 'more_like_this', 'reason', 'repeat_count', 'repeat_times', 'score', 'subject', 'time']);
  });
});
