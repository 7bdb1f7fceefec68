import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { CONSOLE, EXPLORER, S, SYSTEM, caseFleet, caseReports, nightlyHistory, processRows, writeCases } from './case-fleet.js';

/**
 * A scheduled task registered from another host (`schtasks /create /s HOST ... /tr ACTION`,
 * sql/context/context_remote_tasks.sql): an alert on the process the target's Task Scheduler ran
 * (or on its child) lists the registration on the host it ran on, as it lists the `sc \\host start`
 * that had a service started (context_remote_starts.sql); an alert on the registration lists that
 * run there (context_remote_asks.sql, context_remote_started.sql). Not another program the Task
 * Scheduler started, nor a registration whose action is another.
 */
describe('context: a scheduled task registered from another host', () => {
  let reports: ReportRecord[];
  let a: string;
  let b: string;
  const SVCHOST = `${S}\\svchost.exe`;

  beforeAll(async () => {
    const f = await caseFleet();
    const { day, keys: hosts } = f;
    await nightlyHistory(f);
    a = hosts[7]!;
    b = hosts[6]!;
    const { out, p } = processRows(day, a);
    const mallory = ['0xf01', 'CONTOSO\\mallory'] as const;
    p('10:00:00.000', 8100, 8000, `${S}\\cmd.exe`, EXPLORER, CONSOLE, ...mallory);
    p('10:01:00.000', 8104, 8100, `${S}\\schtasks.exe`, `${S}\\cmd.exe`, `schtasks  /create /s \\\\${b.toUpperCase()} /ru system /tn Evil /tr "C:\\Windows\\Temp\\evil.exe -run" /sc once /st 10:05`, ...mallory);
    p('10:01:05.000', 8106, 8100, `${S}\\schtasks.exe`, `${S}\\cmd.exe`, `schtasks  /create /s ${b.toUpperCase()} /tn Other /tr "C:\\Windows\\Temp\\another.exe" /sc once /st 10:05`, ...mallory);
    p('10:01:10.000', 8108, 8100, `${S}\\schtasks.exe`, `${S}\\cmd.exe`, `schtasks  /run /s ${b.toUpperCase()} /tn Evil`, ...mallory);
    p('10:01:11.000', 7300, 1200, 'C:\\Windows\\Temp\\evil.exe', SVCHOST, '"C:\\Windows\\Temp\\evil.exe" -run', ...SYSTEM, b);
    p('10:01:12.000', 7304, 7300, `${S}\\cmd.exe`, 'C:\\Windows\\Temp\\evil.exe', 'cmd.exe /c whoami /priv', ...SYSTEM, b);
    p('10:01:13.000', 7310, 1200, 'C:\\Windows\\Temp\\unrelated.exe', SVCHOST, 'C:\\Windows\\Temp\\unrelated.exe', ...SYSTEM, b);
    // a line B's Task Scheduler runs routinely, registered from A in between: not the registration's
    p('10:00:10.000', 7320, 1200, `${S}\\cleanmgr.exe`, SVCHOST, 'cleanmgr.exe /autoclean', ...SYSTEM, b);
    p('10:01:30.000', 8110, 8100, `${S}\\schtasks.exe`, `${S}\\cmd.exe`, `schtasks  /create /s \\\\${b} /tn Clean /tr "cleanmgr.exe /autoclean" /sc daily /st 23:00`, ...mallory);
    p('10:02:00.000', 7324, 1200, `${S}\\cleanmgr.exe`, SVCHOST, 'cleanmgr.exe /autoclean', ...SYSTEM, b);
    const alert = (alert_id: string, t: string, process_id: number) =>
      ({ alert_id, ts: `${day}T${t}Z`, alert_name: 'Process run by the Task Scheduler', severity: 'High', host: b, user_name: 'SYSTEM', logon_id: '0x3e7', process_id });
    writeCases(f.fleet, day, {
      process_events: out,
      alerts: [alert('payload', '10:01:15', 7300), alert('payload-child', '10:01:15', 7304), alert('unrelated', '10:01:15', 7310), alert('routine', '10:02:05', 7324),
        { alert_id: 'registration', ts: `${day}T10:01:01Z`, alert_name: 'Scheduled task created on a remote host', severity: 'High', host: a, user_name: 'mallory', logon_id: '0xf01', process_id: 8104 }],
    });
    reports = await caseReports(f);
  });

  const remote = (id: string, host = a) => reports.find((r) => r.alert_id === id)?.items.filter((i) => i.host === host);

  it('an alert on the task\'s process, or on its child, lists the registration on the host it came from', () => {
    expect(remote('payload')?.map((i) => [i.command_line, i.reason.split(';')[0]])).toEqual([[
      expect.stringContaining('/tn Evil /tr'),
      `on ${a}, by mallory in logon session 0xf01: registered the scheduled task that ran it on this host (svchost.exe) 11.0 s before the alert process started`]]);
    expect(remote('payload-child')?.map((i) => i.reason.split(';')[0])).toEqual([
      `on ${a}, by mallory in logon session 0xf01: registered the scheduled task that ran it on this host (svchost.exe) 11.0 s before evil.exe, the parent of the alert process, started`]);
  });

  it('an alert on the registration lists what the named host\'s Task Scheduler ran with its action, and what that started', () => {
    expect(remote('registration', b)?.map((i) => [i.command_line, i.reason.split(';')[0]])).toEqual([
      ['"C:\\Windows\\Temp\\evil.exe" -run', `on ${b}: started by the system (svchost.exe) 11.0 s after schtasks.exe of the alert's process tree named it`],
      ['cmd.exe /c whoami /priv', `on ${b}: child of evil.exe, which the system (svchost.exe) started 11.0 s after schtasks.exe of the alert's process tree named it`],
    ]);
  });

  it('not another program the Task Scheduler started, nor the registration of another action, nor of a line it ran before', () => {
    expect(remote('unrelated') ?? []).toEqual([]);
    expect(remote('routine') ?? []).toEqual([]);
    expect((remote('registration', b) ?? []).filter((i) => (i.command_line ?? '').includes('cleanmgr'))).toEqual([]);
  });
});
