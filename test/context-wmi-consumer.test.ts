import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { S, SYSTEM, caseReports, caseStart, writeCases } from './case-fleet.js';

const SVCHOST = `${S}\\svchost.exe`;
const WMI = `${S}\\wbem\\WmiPrvSE.exe`;
const SCRCONS = `${S}\\wbem\\scrcons.exe`;
const MOVER = 'C:\\Users\\mallory\\Desktop\\MoveWMI.exe';

/**
 * WMI's event consumers (models/wmi-consumers.ts). The OTRF capture covenant-wmi-activescript:
 * MoveWMI.exe on workstation5 names workstation6; pgustavo's network logons there, the WMI
 * provider host started in their seconds, and WMI's script consumer host (scrcons.exe) 19.6 s later,
 * which the logon's alert did not list and whose own alert (SigmaHQ's "WMI Persistence - Script
 * Event Consumer") got no report. Not tied: a consumer host started more than CONSUMER_SECONDS
 * after the session, after a logon whose seconds started no provider host, or before the logon.
 */
describe('context: a WMI session and the event consumer host that followed it', () => {
  let reports: ReportRecord[];
  let h: string[];

  beforeAll(async () => {
    const { f, day, hosts, out, p } = await caseStart();
    h = hosts;
    const logons: Record<string, unknown>[] = [];
    const logon = (t: string, host: string, id: string, user = 'CONTOSO\\mallory', ip = '10.9.9.1') =>
      logons.push({ event_id: `lg-${id}`, ts: `${day}T${t}Z`, host, user_name: user, logon_id: id, logon_type: 3, source_ip: ip, source_host: null, outcome: 'success' });
    const provider = (t: string, pid: number, host: string) => p(t, pid, 700, WMI, SVCHOST, `${WMI} -secured -Embedding`, '0x3e4', 'NT AUTHORITY\\NETWORK SERVICE', host);
    const consumer = (t: string, pid: number, host: string) => p(t, pid, 700, SCRCONS, SVCHOST, `${SCRCONS} -Embedding`, ...SYSTEM, host);
    // hosts[1] names hosts[2]; mallory's logon there, the provider host in its seconds, the consumer
    // host 20 s later and what its script started
    p('10:00:00.000', 5004, 5000, MOVER, `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`, `"${MOVER}" ${hosts[2]}`, '0x9001', 'CONTOSO\\mallory', hosts[1]!);
    logon('10:00:00.100', hosts[2]!, '0xc01');
    provider('10:00:00.050', 6000, hosts[2]!);
    consumer('10:00:20.100', 972, hosts[2]!);
    p('10:00:21.000', 6010, 972, `${S}\\cmd.exe`, SCRCONS, 'cmd.exe /c echo owned > c:\\programdata\\o.txt', ...SYSTEM, hosts[2]!);
    // the same tool naming hosts[3], [4] and [5] before the logons below
    const mover = (t: string, pid: number, target: string) =>
      p(t, pid, 5000, MOVER, `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`, `"${MOVER}" ${target}`, '0x9001', 'CONTOSO\\mallory', hosts[1]!);
    mover('11:00:00.000', 5104, hosts[3]!);
    mover('12:00:00.000', 5204, hosts[4]!);
    mover('13:01:00.000', 5304, hosts[5]!);
    // hosts[3]: the same, the consumer host 6 minutes after the session
    logon('11:00:00.100', hosts[3]!, '0xd01');
    provider('11:00:00.050', 6100, hosts[3]!);
    consumer('11:06:00.000', 1072, hosts[3]!);
    // hosts[4]: a logon whose seconds started no provider host (a service), the consumer host 20 s after it
    logon('12:00:00.100', hosts[4]!, '0xe01');
    p('12:00:00.300', 6200, 640, 'C:\\Windows\\xsvc.exe', `${S}\\services.exe`, 'C:\\Windows\\xsvc.exe', ...SYSTEM, hosts[4]!);
    consumer('12:00:20.000', 1172, hosts[4]!);
    // hosts[5]: the consumer host a minute before the WMI session
    consumer('13:00:00.000', 1272, hosts[5]!);
    logon('13:01:00.100', hosts[5]!, '0xf01');
    provider('13:01:00.050', 6300, hosts[5]!);
    // hosts[6]: a monitoring account's WMI session every 30 s from its client, a vendor's consumer
    // firing at 14:00:20 (one of its logons falls in any start's seconds by chance)
    for (let i = -60; i <= 60; i++) {
      const at = (ms: number) => new Date(Date.parse(`${day}T14:00:00Z`) + i * 30_000 + ms).toISOString().slice(11, 23);
      logon(at(100), hosts[6]!, `0x6${String(i + 100).padStart(3, '0')}`, 'CONTOSO\\svc_mon', '10.9.9.6');
      provider(at(50), 20000 + (i + 100) * 4, hosts[6]!);
    }
    mover('14:00:00.000', 5404, hosts[6]!);
    consumer('14:00:20.000', 1372, hosts[6]!);
    // hosts[7]: bob's WMI session, then mallory's a minute later, the consumer host after both
    logon('15:00:00.100', hosts[7]!, '0x7b1', 'CONTOSO\\bob', '10.9.9.2');
    provider('15:00:00.050', 6400, hosts[7]!);
    mover('15:01:00.000', 5504, hosts[7]!);
    logon('15:01:00.100', hosts[7]!, '0x7a1');
    provider('15:01:00.050', 6410, hosts[7]!);
    consumer('15:01:30.000', 1472, hosts[7]!);
    // hosts[8]: a copy of the consumer host elsewhere, started by a person's shell after a WMI session
    mover('16:00:00.000', 5604, hosts[8]!);
    logon('16:00:00.100', hosts[8]!, '0x8a1');
    provider('16:00:00.050', 6500, hosts[8]!);
    p('16:00:30.000', 1572, 3000, 'C:\\Users\\Public\\scrcons.exe', 'C:\\Windows\\explorer.exe', 'C:\\Users\\Public\\scrcons.exe', '0x51234', 'CONTOSO\\dave', hosts[8]!);
    // hosts[9]: eve maps a share of hosts[9]: her logon there, a provider host that happens to start
    // 2 s later, a vendor's consumer at 17:02
    p('17:00:00.000', 5704, 5700, `${S}\\net.exe`, `${S}\\cmd.exe`, `net use Z: \\\\${hosts[9]}\\backup`, '0x9005', 'CONTOSO\\eve', hosts[1]!);
    logon('17:00:00.100', hosts[9]!, '0x9a1', 'CONTOSO\\eve', '10.9.9.5');
    provider('17:00:02.000', 6600, hosts[9]!);
    consumer('17:02:00.000', 1672, hosts[9]!);
    const onConsumer = (alert_id: string, t: string, host: string, pid: number) =>
      ({ alert_id, ts: `${day}T${t}Z`, alert_name: 'WMI Persistence - Script Event Consumer', severity: 'Medium', host, user_name: 'SYSTEM', logon_id: '0x3e7', process_id: pid });
    const onLogon = (alert_id: string, t: string, host: string, logon_id: string) =>
      ({ alert_id, ts: `${day}T${t}Z`, alert_name: 'Remote WMI session from a workstation', severity: 'Medium', host, user_name: 'mallory', logon_id });
    writeCases(f.fleet, day, {
      process_events: out, logon_events: logons,
      alerts: [onConsumer('consumer', '10:00:21', hosts[2]!, 972), onLogon('session', '10:00:01', hosts[2]!, '0xc01'),
        onConsumer('late', '11:06:01', hosts[3]!, 1072), onLogon('late-session', '11:00:01', hosts[3]!, '0xd01'),
        onConsumer('no-provider', '12:00:21', hosts[4]!, 1172), onConsumer('before', '13:00:01', hosts[5]!, 1272),
        { ...onConsumer('child', '10:00:22', hosts[2]!, 6010), alert_name: 'Command shell started by a WMI script consumer' },
        onConsumer('busy', '14:00:21', hosts[6]!, 1372), onLogon('busy-session', '14:00:01', hosts[6]!, '0x6100'),
        onConsumer('two', '15:01:31', hosts[7]!, 1472), onLogon('second-of-two', '15:01:01', hosts[7]!, '0x7a1'),
        { ...onConsumer('copy', '16:00:31', hosts[8]!, 1572), user_name: 'dave', logon_id: '0x51234' }, onConsumer('share', '17:02:01', hosts[9]!, 1672)],
    });
    reports = await caseReports(f);
  });

  const items = (id: string) => reports.find((r) => r.alert_id === id)?.items ?? [];
  const reason = (id: string, needle: string) => items(id).find((i) => (i.command_line ?? '').includes(needle))?.reason;

  it('an alert on the consumer host lists the command on another host that opened the WMI session before it', () => {
    expect(reason('consumer', 'MoveWMI.exe')).toMatch(new RegExp(
      `^on ${h[1]}, by mallory in logon session 0x9001: named this host 0\\.1 s before the network logon 0xc01 began, a WMI session 20\\.0 s before WMI's event consumer host, the alert process, started; `));
    expect(reason('consumer', 'echo owned')).toMatch(/^child of the alert process; /);
  });

  it('an alert on the WMI session\'s logon lists the consumer host that followed it, and what it started', () => {
    expect(reason('session', 'scrcons.exe')).toMatch(
      /^started by svchost\.exe 20\.0 s after the alert's network logon 0xc01, a WMI session: WMI's event consumer host, which runs the consumers such a session registers; /);
    expect(reason('session', 'echo owned')).toMatch(/^child of a process started after the alert's network logon 0xc01; /);
  });

  it('an alert on what the consumer\'s script started: the opener, worded for the consumer host above it', () => {
    expect(reason('child', 'MoveWMI.exe')).toMatch(/a WMI session 20\.0 s before WMI's event consumer host, the parent of the alert process, started; /);
  });

  it('not when time does not tell: a busy account\'s sessions, two people\'s, a copy of the consumer host, a share mapped', () => {
    for (const id of ['busy', 'two', 'copy', 'share']) expect(reason(id, 'MoveWMI.exe') ?? reason(id, 'net use'), id).toBeUndefined();
    // (strongly unusual, it may stay as the host's activity, capped: not as the logon's doing)
    for (const id of ['busy-session', 'second-of-two']) expect(reason(id, 'scrcons.exe') ?? '', id).not.toMatch(/network logon/);
  });

  it('not a consumer host started minutes later, after a logon that was no WMI session, or before the session', () => {
    for (const id of ['late', 'no-provider', 'before']) expect(reason(id, 'MoveWMI.exe'), id).toBeUndefined();
    // (strongly unusual, it may stay as the host's activity, capped: not as the logon's doing)
    expect(reason('late-session', 'scrcons.exe') ?? '').not.toMatch(/network logon/);
    expect(reason('late-session', 'MoveWMI.exe')).toMatch(/before the alert's network logon 0xd01 began/);
  });
});
