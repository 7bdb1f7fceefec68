import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { toSecurityAlert } from '../pipeline/context/security-alert.js';
import { AGENT, CONSOLE, EXPLORER, S, SERVICES, SYSTEM, caseFleet, caseReports, nightlyHistory, processRows, writeCases } from './case-fleet.js';

const SC = `${S}\\sc.exe`;
const IKEEXT = `${S}\\svchost.exe -k netsvcs -p -s IKEEXT`;

/**
 * A process started from another host (models/remote-starts.ts). The real
 * capture ikeext-dll-hijack: an agent on WORKSTATION5 runs `sc.exe \\WORKSTATION6 start IKEEXT`, and
 * WORKSTATION6's services.exe starts `svchost.exe -k netsvcs -p -s IKEEXT` (which loads the planted
 * DLL) 12 ms later: the alert on that service host has nothing else tied to it on its own host.
 */
describe('context: the command on another host that had the alert\'s process started', () => {
  let reports: ReportRecord[];
  let h: string[];

  beforeAll(async () => {
    const f = await caseFleet();
    const { day, keys: hosts } = f;
    h = hosts;
    // every host but hosts[3] has an agent start the spooler on hosts[3] every day (a fleet-common command)
    const routine = `sc.exe \\\\${hosts[3]} start Spooler`;
    for (const d of f.days.slice(0, -1)) {
      const { out, p } = processRows(d, hosts[0]!);
      for (const [i, host] of hosts.entries()) if (i !== 3) p(`03:0${i}:00.000`, 4000 + i, 3900, SC, AGENT, routine, ...SYSTEM, host);
      writeCases(f.fleet, d, { process_events: out });
    }
    await nightlyHistory(f);
    const { out, p } = processRows(day, f.hosts[0]!);

    const person = (t: string, pid: number, ppid: number, image: string, parent: string, cmd: string, logon: string, host: string) =>
      p(t, pid, ppid, image, parent, cmd, logon, 'CONTOSO\\bob', host);
    const service = (t: string, pid: number, image: string, cmd: string, host: string) => p(t, pid, 640, image, SERVICES, cmd, ...SYSTEM, host);
    // hosts[7]'s agent runs the routine command in a quiet hour (nothing rare on hosts[7] around it:
    // review helper-58's probe); hosts[3] starts a service binary never seen
    p('20:00:00.000', 4002, 3900, SC, AGENT, routine, ...SYSTEM, hosts[7]!);
    service('20:00:00.300', 8800, 'C:\\ProgramData\\x\\spoolsv.exe', 'C:\\ProgramData\\x\\spoolsv.exe', hosts[3]!);
    // hosts[1] asks hosts[0] (named in capitals, as typed) to start IKEEXT; the service host starts 10 ms later
    person('10:00:00.000', 5100, 5090, `${S}\\cmd.exe`, EXPLORER, CONSOLE, '0x9002', hosts[1]!);
    person('10:00:20.000', 5104, 5100, SC, `${S}\\cmd.exe`, `"${SC}" \\\\${hosts[0]!.toUpperCase()} start IKEEXT`, '0x9002', hosts[1]!);
    service('10:00:20.010', 6172, `${S}\\svchost.exe`, IKEEXT, hosts[0]!);
    // hosts[2] names hosts[3] by its FQDN; a service of its own program (no `-s`) starts 0.8 s later
    person('11:00:00.000', 5200, 5190, SC, EXPLORER, `sc.exe \\\\${hosts[3]}.contoso.local start BrSvc`, '0x9003', hosts[2]!);
    service('11:00:00.800', 6200, 'C:\\BrSvc\\brsvc.exe', 'C:\\BrSvc\\brsvc.exe /service', hosts[3]!);
    // hosts[4] starts the spooler on hosts[5]; a service host for another service starts there 0.5 s later
    person('12:00:00.000', 5300, 5290, SC, `${S}\\cmd.exe`, `sc \\\\${hosts[5]} start Spooler`, '0x9004', hosts[4]!);
    service('12:00:00.500', 6300, `${S}\\svchost.exe`, IKEEXT, hosts[5]!);
    // hosts[6]: a start on hosts[7] 9 s before its service (beyond SERVICE_START_SECONDS), and one on
    // another server (fs01) 0.5 s before
    person('13:00:00.000', 5400, 5390, SC, `${S}\\cmd.exe`, `sc \\\\${hosts[7]} start Agent9`, '0x9005', hosts[6]!);
    person('13:00:08.500', 5404, 5390, SC, EXPLORER, 'sc \\\\fs01 start Agent9', '0x9005', hosts[6]!);
    service('13:00:09.000', 6400, 'C:\\Agent9\\a9.exe', 'C:\\Agent9\\a9.exe --run', hosts[7]!);
    // hosts[8] asks hosts[9] (second in a quoted list) over WMI to create a process: the WMI provider
    // host starts to serve it, and the process is its child
    person('14:00:00.000', 5500, 5490, `${S}\\wbem\\WMIC.exe`, EXPLORER, `wmic /node:"fs01","${hosts[9]}" process call create "notepad.exe"`, '0x9006', hosts[8]!);
    p('14:00:00.050', 6500, 900, `${S}\\wbem\\WmiPrvSE.exe`, `${S}\\svchost.exe`, `${S}\\wbem\\wmiprvse.exe -secured -Embedding`, '0x3e4', 'NT AUTHORITY\\NETWORK SERVICE', hosts[9]!);
    p('14:00:00.070', 6504, 6500, `${S}\\notepad.exe`, `${S}\\wbem\\WmiPrvSE.exe`, 'notepad.exe', '0x3e4', 'NT AUTHORITY\\NETWORK SERVICE', hosts[9]!);
    p('14:05:00.000', 6500, 640, 'C:\\Upd\\upd.exe', `${S}\\services.exe`, 'C:\\Upd\\upd.exe /svc', '0x3e7', 'NT AUTHORITY\\SYSTEM', hosts[9]!);
    p('14:05:01.000', 6520, 6500, 'C:\\Upd\\updhelper.exe', 'C:\\Upd\\upd.exe', 'C:\\Upd\\updhelper.exe --check', '0x3e7', 'NT AUTHORITY\\SYSTEM', hosts[9]!);
    p('14:00:03.000', 6508, 6504, `${S}\\cmd.exe`, `${S}\\notepad.exe`, 'cmd.exe /c whoami', '0x3e4', 'NT AUTHORITY\\NETWORK SERVICE', hosts[9]!);
    // the same command line in the alert's own session on hosts[8], a second after: its own item
    person('14:00:04.000', 5508, 5490, `${S}\\cmd.exe`, EXPLORER, 'cmd.exe /c whoami', '0x9006', hosts[8]!);
    const alert = (alert_id: string, t: string, host: string, process_id: number) =>
      ({ alert_id, ts: `${day}T${t}Z`, alert_name: 'Service host loaded an unsigned DLL', severity: 'High', host, user_name: 'SYSTEM', logon_id: '0x3e7', process_id });
    writeCases(f.fleet, day, {
      process_events: out,
      alerts: [alert('ikeext', '10:00:21', hosts[0]!, 6172), alert('fqdn', '11:00:01', hosts[3]!, 6200),
        alert('other-service', '12:00:01', hosts[5]!, 6300), alert('late-or-elsewhere', '13:00:10', hosts[7]!, 6400),
        { ...alert('sc-source', '10:00:21', hosts[1]!, 5104), user_name: 'bob', logon_id: '0x9002', alert_name: 'Remote service started with sc.exe' },
        { ...alert('sc-other-service', '12:00:01', hosts[4]!, 5300), user_name: 'bob', logon_id: '0x9004', alert_name: 'Remote service started with sc.exe' },
        { ...alert('sc-late', '13:00:10', hosts[6]!, 5400), user_name: 'bob', logon_id: '0x9005', alert_name: 'Remote service started with sc.exe' },
        { ...alert('wmi-source', '14:00:01', hosts[8]!, 5500), user_name: 'bob', logon_id: '0x9006', alert_name: 'Remote process creation with WMIC' },
        { ...alert('routine-source', '20:00:01', hosts[7]!, 4002), alert_name: 'Remote service started with sc.exe' },
        alert('wmi-host', '14:00:01', hosts[9]!, 6500), alert('wmi-child', '14:00:01', hosts[9]!, 6504), alert('wmi-grandchild', '14:00:04', hosts[9]!, 6508)],
    });
    reports = await caseReports(f);
  });

  const report = (id: string) => reports.find((r) => r.alert_id === id);
  const reason = (id: string, needle: string) => report(id)?.items.find((i) => (i.command_line ?? '').includes(needle))?.reason;

  it('lists the run of sc.exe on the other host, its reason naming that host, its user and session, with its rarity there', () => {
    expect(reason('ikeext', 'start IKEEXT')).toMatch(
      new RegExp(`^on ${h[1]}, by bob in logon session 0x9002: asked this host to start a service \\(services\\.exe\\) 0\\.0 s before the alert process started; template on 0 of \\d+ hosts in \\d+ days, never on ${h[1]}; `),
    );
    expect(reason('ikeext', IKEEXT)).toMatch(/^the alert process; /);
  });

  it('finds the host named by its FQDN, and a service with no `-s` by time alone', () => {
    expect(reason('fqdn', 'start BrSvc')).toMatch(new RegExp(`^on ${h[2]}, by .* start a service \\(services\\.exe\\) 0\\.8 s before the alert process started; `));
  });

  it('not a start naming another service, beyond SERVICE_START_SECONDS, or on another host', () => {
    for (const id of ['other-service', 'late-or-elsewhere']) {
      for (const i of report(id)?.items ?? []) expect(i.reason, id).not.toMatch(/ s before .* started/);
    }
  });

  it('lists the WMI command of another host above the WMI provider host it started, that host\'s child and its grandchild', () => {
    expect(reason('wmi-host', 'process call create')).toMatch(/: asked this host's WMI \(wmiprvse\.exe\) 0\.1 s before the alert process started; /);
    expect(reason('wmi-child', 'process call create')).toMatch(
      new RegExp(`^on ${h[8]}, by bob in logon session 0x9006: asked this host's WMI \\(wmiprvse\\.exe\\) 0\\.1 s before the alert process started; `),
    );
    expect(reason('wmi-grandchild', 'process call create')).toMatch(/: asked this host's WMI \(wmiprvse\.exe\) 0\.1 s before notepad\.exe, the parent of the alert process, started; /);
  });

  it('an alert on the command lists what it started on the host it named, with that host\'s descendants', () => {
    expect(reason('sc-source', IKEEXT)).toMatch(new RegExp(`^on ${h[0]}: started by the system \\(services\\.exe\\) 0\\.0 s after sc\\.exe of the alert's process tree named it; template on 0 of \\d+ hosts .*never on ${h[0]}; `));
    expect(report('wmi-source')?.items.find((i) => i.command_line === 'notepad.exe')?.reason).toMatch(new RegExp(`^on ${h[9]}: child of wmiprvse\\.exe, which the system \\(svchost\\.exe\\) started 0\\.1 s after wmic\\.exe of the alert's process tree named it; `));
    expect(reason('wmi-source', 'cmd.exe /c whoami')).toMatch(/: descendant of wmiprvse\.exe, which the system \(svchost\.exe\) started 0\.1 s after wmic\.exe of the alert's process tree named it; /);
    // (a process that took the provider host's id 5 minutes later, and its child, are not its)
    expect(reason('wmi-source', 'updhelper.exe')).toBeUndefined();
  });

  it('each item carries the host it ran on: a line of another host is never merged with the same line of the alert\'s host', () => {
    expect(report('ikeext')?.items.find((i) => (i.command_line ?? '').includes('start IKEEXT'))?.host).toBe(h[1]);
    expect(report('ikeext')?.items.find((i) => i.command_line === IKEEXT)?.host).toBe(h[0]);
    const whoami = report('wmi-source')?.items.filter((i) => i.command_line === 'cmd.exe /c whoami') ?? [];
    expect(whoami.map((i) => [i.host, i.repeat_count])).toEqual([[h[9], 0], [h[8], 0]]);
    expect(whoami[1]?.reason).toMatch(/^in the alert's logon session 0x9006; /);
    // the SecurityAlert shape lists the other host among its entities, after the alert's
    const entities = JSON.parse(String(toSecurityAlert(report('ikeext')!)['Entities'])) as { Type: string; HostName?: string }[];
    expect(entities.filter((e) => e.Type === 'host').map((e) => e.HostName)).toEqual([h[0], h[1]]);
  });

  it('not a service host naming another service, nor a start beyond REMOTE_START_SECONDS', () => {
    expect(reason('sc-other-service', IKEEXT)).toBeUndefined();
    expect(reason('sc-late', 'a9.exe')).toBeUndefined();
    // (typed at a console: reported on their own)
    expect(report('sc-other-service')?.items.length).toBeGreaterThan(0);
    expect(report('sc-late')?.items.length).toBeGreaterThan(0);
  });

  it('an alert on a fleet-common command is judged when what it started on the named host is rare (context_reportable.sql)', () => {
    expect(reason('routine-source', 'spoolsv.exe')).toMatch(new RegExp(`^on ${h[3]}: started by the system \\(services\\.exe\\) 0\\.3 s after sc\\.exe of the alert's process tree named it; `));
  });
});
