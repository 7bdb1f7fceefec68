import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { CONSOLE, EXPLORER, S, SYSTEM, caseFleet, caseReports, nightlyHistory, processRows, writeCases } from './case-fleet.js';

/**
 * A scheduled task's run is its registration's doing (models/scheduled-tasks.ts,
 * sql/context/context_activation_links.sql's task links): the Task Scheduler starts the `/tr`
 * action, as SYSTEM, minutes later, and process telemetry names svchost.exe as its parent. An alert
 * on the registration lists what its task ran; an alert on the task's process lists the
 * registration, its console and its session. Not another program the Task Scheduler starts, nor
 * the run of a task registered on another host (`/s`).
 */
describe('context: a scheduled task\'s run and the command that registered it', () => {
  let reports: ReportRecord[];
  const SVCHOST = `${S}\\svchost.exe`;

  beforeAll(async () => {
    const f = await caseFleet();
    const { day, keys: hosts } = f;
    await nightlyHistory(f);
    const h = hosts[7]!;
    const { out, p } = processRows(day, h);
    const mallory = ['0xe01', 'CONTOSO\\mallory'] as const;
    p('10:00:00.000', 8100, 8000, `${S}\\cmd.exe`, EXPLORER, CONSOLE, ...mallory);
    p('10:01:00.000', 8104, 8100, `${S}\\schtasks.exe`, `${S}\\cmd.exe`, 'schtasks  /create /tn "\\Microsoft\\Windows\\Upd" /tr "C:\\ProgramData\\upd.exe -k run" /sc once /st 10:03 /ru system', ...mallory);
    p('10:01:30.000', 8106, 8100, `${S}\\schtasks.exe`, `${S}\\cmd.exe`, 'schtasks  /create /s fs01 /tn Far /tr "C:\\ProgramData\\far.exe" /sc once /st 10:04', ...mallory);
    p('10:02:00.000', 8108, 8100, `${S}\\schtasks.exe`, `${S}\\cmd.exe`, 'schtasks  /create /tn T2 /tr "powershell.exe -c \\"iex (gc C:\\ProgramData\\t2.txt)\\"" /sc minute', ...mallory);
    p('10:03:00.050', 8198, 1200, `${S}\\other-task.exe`, SVCHOST, `${S}\\other-task.exe --maintenance`, ...SYSTEM);
    p('10:03:00.100', 8200, 1200, 'C:\\ProgramData\\upd.exe', SVCHOST, '"C:\\ProgramData\\upd.exe" -k run', ...SYSTEM);
    p('10:03:01.000', 8204, 8200, `${S}\\cmd.exe`, 'C:\\ProgramData\\upd.exe', 'cmd.exe /c whoami /all', ...SYSTEM);
    p('10:04:00.000', 8210, 1200, 'C:\\ProgramData\\far.exe', SVCHOST, 'C:\\ProgramData\\far.exe', ...SYSTEM);
    p('10:05:00.000', 8300, 1200, `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`, SVCHOST, 'powershell.exe -c "iex (gc C:\\ProgramData\\t2.txt)"', '0xe77', 'CONTOSO\\mallory');
    // a task's action changed, its program named by an environment variable; `-create` naming this
    // host itself; a `/s` inside the action
    p('10:06:00.000', 8110, 8100, `${S}\\schtasks.exe`, `${S}\\cmd.exe`, 'schtasks  /change /tn Upd2 /tr "%windir%\\system32\\cmd.exe /c c:\\programdata\\u2.bat"', ...mallory);
    p('10:07:00.000', 8310, 1200, `${S}\\cmd.exe`, SVCHOST, 'C:\\Windows\\system32\\cmd.exe /c c:\\programdata\\u2.bat', ...SYSTEM);
    p('10:08:00.000', 8112, 8100, `${S}\\schtasks.exe`, `${S}\\cmd.exe`, `schtasks  -create -s ${h.toUpperCase()} -tn T3 -tr C:\\ProgramData\\t3.exe -sc once -st 10:09`, ...mallory);
    p('10:09:00.000', 8312, 1200, 'C:\\ProgramData\\t3.exe', SVCHOST, 'C:\\ProgramData\\t3.exe', ...SYSTEM);
    p('10:08:30.000', 8114, 8100, `${S}\\schtasks.exe`, `${S}\\cmd.exe`, 'schtasks  /create /tn T4 /tr "C:\\ProgramData\\t4.exe /s quiet" /sc once /st 10:09', ...mallory);
    p('10:09:10.000', 8314, 1200, 'C:\\ProgramData\\t4.exe', SVCHOST, '"C:\\ProgramData\\t4.exe" /s quiet', ...SYSTEM);
    // a line the Task Scheduler ran before the registration (routine), and an action shorter than the run's line
    p('10:00:30.000', 8400, 1200, `${S}\\cleanmgr.exe`, SVCHOST, 'cleanmgr.exe /autoclean', ...SYSTEM);
    p('10:02:30.000', 8116, 8100, `${S}\\schtasks.exe`, `${S}\\cmd.exe`, 'schtasks  /create /tn Clean /tr "cleanmgr.exe /autoclean" /sc daily /st 23:00', ...mallory);
    p('10:04:00.000', 8404, 1200, `${S}\\cleanmgr.exe`, SVCHOST, 'cleanmgr.exe /autoclean', ...SYSTEM);
    p('10:02:40.000', 8118, 8100, `${S}\\schtasks.exe`, `${S}\\cmd.exe`, 'schtasks  /create /tn Defrag /tr "defrag.exe /c" /sc daily /st 23:00', ...mallory);
    p('10:04:10.000', 8408, 1200, `${S}\\defrag.exe`, SVCHOST, 'defrag.exe /c /o', ...SYSTEM);
    const alert = (alert_id: string, t: string, user_name: string, logon_id: string, process_id: number) =>
      ({ alert_id, ts: `${day}T${t}Z`, alert_name: 'Scheduled task', severity: 'High', host: h, user_name, logon_id, process_id });
    writeCases(f.fleet, day, {
      process_events: out,
      alerts: [alert('register', '10:01:01', 'mallory', '0xe01', 8104), alert('planted', '10:03:05', 'SYSTEM', '0x3e7', 8200)],
    });
    reports = await caseReports(f);
  });

  const reason = (id: string, needle: string) => reports.find((r) => r.alert_id === id)?.items.find((i) => (i.command_line ?? '').includes(needle))?.reason.split(';')[0];

  it('an alert on the registration lists what its task ran, and what that started', () => {
    expect(reason('register', 'upd.exe" -k run')).toBe('started by the system (svchost.exe) as the task that schtasks.exe of the alert\'s process tree registered, 120.1 s after it');
    expect(reason('register', 'whoami /all')).toBe('child of upd.exe, which the system (svchost.exe) started 120.1 s after schtasks.exe of the alert\'s process tree');
    // (another registration of the alert's session, its action quoted inside quotes, run as mallory later)
    expect(reason('register', '-c "iex (gc')).toBe('started by the system (svchost.exe) as the task that schtasks.exe of the alert\'s logon session 0xe01 registered, 180.0 s after it');
  });

  it('a changed action, an environment variable, `-create` naming this host, a `/s` inside the action', () => {
    const session = (after: string) => `started by the system (svchost.exe) as the task that schtasks.exe of the alert's logon session 0xe01 registered, ${after} s after it`;
    const run = (line: string) => reports.find((r) => r.alert_id === 'register')?.items.find((i) => i.command_line === line)?.reason.split(';')[0];
    expect(run('C:\\Windows\\system32\\cmd.exe /c c:\\programdata\\u2.bat')).toBe(session('60.0'));
    expect(run('C:\\ProgramData\\t3.exe')).toBe(session('60.0'));
    expect(run('"C:\\ProgramData\\t4.exe" /s quiet')).toBe(session('40.0'));
  });

  it('an alert on the task\'s process lists the registration, its console and its session', () => {
    expect(reason('planted', '/tn "\\Microsoft\\Windows\\Upd"')).toBe('registered the task that had the system (svchost.exe) start the alert process 120.1 s later');
    expect(reason('planted', CONSOLE)).toBe('parent of schtasks.exe, which registered the task that had the system (svchost.exe) start the alert process');
    expect(reason('planted', '/tn T2')).toBe('in logon session 0xe01 of schtasks.exe, which registered the task that had the system (svchost.exe) start the alert process');
  });

  it('not another program the Task Scheduler started, nor a task registered on another host, nor a routine line, nor a longer one', () => {
    for (const id of ['register', 'planted']) {
      for (const line of [`${S}\\other-task.exe --maintenance`, 'C:\\ProgramData\\far.exe', 'cleanmgr.exe /autoclean', 'defrag.exe /c /o']) {
        const item = reports.find((r) => r.alert_id === id)?.items.find((i) => i.command_line === line);
        expect(item?.reason ?? '', `${id} ${line}`).not.toMatch(/task that|registered/);
      }
    }
  });
});
