import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { S, SERVICES, SYSTEM, caseFleet, caseReports, nightlyHistory, processRows, writeCases } from './case-fleet.js';

/**
 * A tool that copies its payload over one network connection runs it over the next ones: an alert
 * on the copy's logon (its session ran nothing) gets what the host started right after the next
 * network logons of its account from its client within FOLLOW_ON_SECONDS
 * (sql/context/context_remote_roots.sql, remote_logons). The OTRF captures: the DLL written through C$, then the WMI query (wbemcomn) or
 * `sc start IKEEXT` (ikeext) 30 and 82 s later, in other logons. Another client's logon, another
 * account's, a logon whose session ran a process of its own, one minutes later, or a busy account's
 * (review helper-62's probes) is not the alert's.
 */
describe('context: the next network logons of the alert\'s account from its client', () => {
  let reports: ReportRecord[];

  beforeAll(async () => {
    const f = await caseFleet();
    const { day, keys: hosts } = f;
    await nightlyHistory(f);
    const { out, p } = processRows(day, hosts[0]!);
    const logons: Record<string, unknown>[] = [];
    const logon = (t: string, host: string, id: string, user = 'CONTOSO\\mallory', ip = '10.9.9.9') =>
      logons.push({ event_id: `lg-${id}`, ts: `${day}T${t}Z`, host, user_name: user, logon_id: id, logon_type: 3, source_ip: ip, source_host: null, outcome: 'success' });
    const h = hosts[7]!;
    // the copy's logon (the alert's), then the run's logon 30 s later and the service it started
    logon('10:05:00.000', h, '0xc01');
    logon('10:05:30.000', h, '0xc02');
    p('10:05:30.100', 7100, 640, 'C:\\Windows\\xsvc.exe', SERVICES, 'C:\\Windows\\xsvc.exe', ...SYSTEM, h);
    p('10:05:30.300', 7104, 7100, `${S}\\cmd.exe`, 'C:\\Windows\\xsvc.exe', 'cmd.exe /c whoami /all', ...SYSTEM, h);
    // not the alert's: another client, another account, a session that ran its own process, after the window
    logon('10:06:00.000', h, '0xc03', 'CONTOSO\\mallory', '10.8.8.8');
    p('10:06:00.100', 7200, 640, 'C:\\Windows\\other-client.exe', SERVICES, 'C:\\Windows\\other-client.exe', ...SYSTEM, h);
    logon('10:06:30.000', h, '0xc04', 'CONTOSO\\bob');
    p('10:06:30.100', 7300, 640, 'C:\\Windows\\other-account.exe', SERVICES, 'C:\\Windows\\other-account.exe', ...SYSTEM, h);
    logon('10:07:00.000', h, '0xc05');
    p('10:07:00.050', 7400, 7390, `${S}\\own-session.exe`, `${S}\\wsmprovhost.exe`, 'own-session.exe --run', '0xc05', 'CONTOSO\\mallory', h);
    p('10:07:00.100', 7410, 640, 'C:\\Windows\\beside-own-session.exe', SERVICES, 'C:\\Windows\\beside-own-session.exe', ...SYSTEM, h);
    logon('10:25:00.000', h, '0xc06');
    p('10:25:00.100', 7500, 640, 'C:\\Windows\\after-window.exe', SERVICES, 'C:\\Windows\\after-window.exe', ...SYSTEM, h);
    // hosts[6]: a start in the seconds of both the alert's logon and the next one: the alert's
    logon('11:00:00.000', hosts[6]!, '0xd01');
    logon('11:00:00.500', hosts[6]!, '0xd02');
    p('11:00:00.600', 7600, 640, 'C:\\Windows\\both-logons.exe', SERVICES, 'C:\\Windows\\both-logons.exe', ...SYSTEM, hosts[6]!);
    // hosts[5]: a busy account, logging on from its client every 20 s, the host starting a service 3 s after each
    logon('12:00:00.000', hosts[5]!, '0xb00', 'CONTOSO\\bob', '10.2.2.2');
    for (let i = 1; i <= 30; i++) {
      const t = new Date(Date.parse(`${day}T12:00:00Z`) + i * 20_000).toISOString().slice(11, 23);
      logon(t, hosts[5]!, `0xb${String(i).padStart(2, '0')}`, 'CONTOSO\\bob', '10.2.2.2');
      const at = new Date(Date.parse(`${day}T12:00:00Z`) + i * 20_000 + 3_000).toISOString().slice(11, 23);
      p(at, 9000 + i * 4, 640, `C:\\Windows\\busy-${i}.exe`, SERVICES, `C:\\Windows\\busy-${i}.exe -tick`, ...SYSTEM, hosts[5]!);
    }
    // hosts[4]: the same person's routine logon 7 min after the alert's, an agent's update 1.5 s after it
    logon('13:00:00.000', hosts[4]!, '0xa00', 'CONTOSO\\alice', '10.1.1.5');
    logon('13:07:12.000', hosts[4]!, '0xa01', 'CONTOSO\\alice', '10.1.1.5');
    p('13:07:13.500', 9300, 640, 'C:\\Program Files\\Agent\\agent-updater.exe', SERVICES, '"C:\\Program Files\\Agent\\agent-updater.exe" --selfupdate', ...SYSTEM, hosts[4]!);
    // hosts[3]: a chain of the alert's logon whose child falls in the next logon's seconds too
    logon('14:00:00.000', hosts[3]!, '0xe00', 'CONTOSO\\carol', '10.3.3.3');
    logon('14:00:03.000', hosts[3]!, '0xe01', 'CONTOSO\\carol', '10.3.3.3');
    p('14:00:01.000', 9400, 640, 'C:\\Windows\\psx.exe', SERVICES, 'C:\\Windows\\psx.exe', ...SYSTEM, hosts[3]!);
    p('14:00:02.500', 9404, 9400, `${S}\\cmd.exe`, 'C:\\Windows\\psx.exe', 'cmd.exe /c echo straddle', ...SYSTEM, hosts[3]!);
    p('14:00:04.000', 9408, 9404, `${S}\\whoami.exe`, `${S}\\cmd.exe`, 'whoami /groups', ...SYSTEM, hosts[3]!);
    const alert = (alert_id: string, t: string, host: string, logon_id: string, user_name = 'mallory') =>
      ({ alert_id, ts: `${day}T${t}Z`, alert_name: 'DLL written through an admin share', severity: 'High', host, user_name, logon_id });
    writeCases(f.fleet, day, {
      process_events: out, logon_events: logons,
      alerts: [alert('copy', '10:05:01', h, '0xc01'), alert('both', '11:00:01', hosts[6]!, '0xd01'), alert('busy', '12:00:01', hosts[5]!, '0xb00', 'bob'),
        alert('late', '13:00:01', hosts[4]!, '0xa00', 'alice'), alert('straddle', '14:00:01', hosts[3]!, '0xe00', 'carol')],
    });
    reports = await caseReports(f);
  });

  const items = () => reports.find((r) => r.alert_id === 'copy')?.items ?? [];

  it('what the host started right after the next logon from the alert\'s client, and its children, each saying which logon', () => {
    const tail = 'the network logon 0xc02 of mallory from 10.9.9.9, 30.0 s after the alert\'s network logon 0xc01 from the same client; ';
    expect(items().find((i) => i.command_line === 'C:\\Windows\\xsvc.exe')?.reason).toContain(`started by services.exe 0.1 s after ${tail}`);
    expect(items().find((i) => i.command_line === 'cmd.exe /c whoami /all')?.reason).toContain(`child of a process started after ${tail}`);
  });

  it('a start in the seconds of the alert\'s own logon is that logon\'s, whatever follows', () => {
    const both = reports.find((r) => r.alert_id === 'both')?.items.find((i) => i.command_line === 'C:\\Windows\\both-logons.exe');
    expect(both?.reason.split(';')[0]).toBe('started by services.exe 0.6 s after the alert\'s network logon 0xd01');
  });

  it('not a busy account\'s logons, nor a routine one minutes later: nothing tied to those alerts, no report', () => {
    expect(reports.find((r) => r.alert_id === 'busy')?.items.map((i) => i.reason)).toBeUndefined();
    expect(reports.find((r) => r.alert_id === 'late')?.items.map((i) => i.reason)).toBeUndefined();
  });

  it('a chain of the alert\'s own logon stays its, whatever logon follows in its seconds', () => {
    const reason = (line: string) => reports.find((r) => r.alert_id === 'straddle')?.items.find((i) => i.command_line === line)?.reason.split(';')[0];
    expect(reason('C:\\Windows\\psx.exe')).toBe('started by services.exe 1.0 s after the alert\'s network logon 0xe00');
    expect(reason('cmd.exe /c echo straddle')).toBe('child of a process started after the alert\'s network logon 0xe00');
    expect(reason('whoami /groups')).toBe('descendant of a process started after the alert\'s network logon 0xe00');
  });

  it('not another client\'s, another account\'s, a session\'s that ran its own process, nor one after the window (the host\'s rare activity at most)', () => {
    for (const name of ['other-client', 'other-account', 'beside-own-session', 'after-window']) {
      for (const i of items().filter((x) => (x.command_line ?? '').includes(name))) expect(i.reason).toMatch(/^on the host, outside the alert's session; /);
    }
    expect(items().filter((i) => /0xc0[3-6]/.test(i.reason))).toEqual([]);
  });
});
