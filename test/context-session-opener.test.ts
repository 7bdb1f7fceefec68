import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { S, caseFleet, caseReports, nightlyHistory, processRows, writeCases } from './case-fleet.js';

const SCHTASKS = `${S}\\schtasks.exe`;
const AGENT = 'C:\\Monitor\\monagent.exe';
const CHECK = `${S}\\cscript.exe`;

/**
 * Who opened the alert's network logon (models/remote-starts.ts, REMOTE_SESSION_OPENERS). The real
 * capture schtasks-remote-create: `schtasks /create ... /S WORKSTATION6` on workstation5, and
 * pgustavo's network logon on WORKSTATION6 47 ms later; a monitoring agent's script started there
 * 0.8 s after the logon was taken for the logon's doing by time alone.
 */
describe('context: the command on another host that opened the alert\'s network logon', () => {
  let reports: ReportRecord[];
  let h: string[];

  beforeAll(async () => {
    const f = await caseFleet();
    const { day, keys: hosts } = f;
    h = hosts;
    // a program every host runs every day (common in the fleet: nothing rare for its alert below)
    const TOOL = `${S}\\hostname.exe`;
    for (const d of f.days.slice(0, -1)) {
      const { out, p } = processRows(d, hosts[0]!);
      for (const [i, host] of hosts.entries()) p(`04:0${i}:00.000`, 4000 + i, 3900, TOOL, `${S}\\cmd.exe`, 'hostname', '0x3e7', 'NT AUTHORITY\\SYSTEM', host);
      writeCases(f.fleet, d, { process_events: out });
    }
    await nightlyHistory(f);
    const { out, p } = processRows(day, hosts[0]!);
    const logons: Record<string, unknown>[] = [];
    const logon = (t: string, host: string, user: string, id: string, ip: string) =>
      logons.push({ event_id: `lg-${logons.length + 1}`, ts: `${day}T${t}Z`, host, user_name: user, logon_id: id, logon_type: 3, source_ip: ip, source_host: null, outcome: 'success' });
    // an agent's check script on each target, started by the agent (as SYSTEM) half a second after the logon
    const check = (t: string, pid: number, host: string) => {
      p('09:00:00.000', pid - 10, 640, AGENT, `${S}\\services.exe`, `"${AGENT}" /service`, '0x3e7', 'NT AUTHORITY\\SYSTEM', host);
      p(t, pid, pid - 10, CHECK, AGENT, `${CHECK} /nologo check.vbs`, '0x3e7', 'NT AUTHORITY\\SYSTEM', host);
    };
    // hosts[1]: bob registers a task on hosts[0] (in capitals); bob's network logon there 50 ms later
    p('10:00:00.000', 5104, 5100, SCHTASKS, `${S}\\cmd.exe`, `schtasks /create /tn Upd /tr "c:\\users\\public\\u.exe" /sc onstart /ru system /S ${hosts[0]!.toUpperCase()}`, '0x9002', 'CONTOSO\\bob', hosts[1]!);
    logon('10:00:00.050', hosts[0]!, 'CONTOSO\\bob', '0x77001', '10.0.0.2');
    check('10:00:00.600', 7100, hosts[0]!);
    // hosts[3]: carol's network logon with no command naming the host; the agent's check after it
    logon('11:00:00.050', hosts[3]!, 'CONTOSO\\carol', '0x77002', '10.0.0.3');
    check('11:00:00.600', 7200, hosts[3]!);
    // hosts[4]: dave names hosts[5]; eve's network logon there 50 ms later (another account)
    p('12:00:00.000', 5304, 5300, SCHTASKS, `${S}\\cmd.exe`, `schtasks /query /S ${hosts[5]}`, '0x9004', 'CONTOSO\\dave', hosts[4]!);
    logon('12:00:00.050', hosts[5]!, 'CONTOSO\\eve', '0x77003', '10.0.0.5');
    check('12:00:00.600', 7300, hosts[5]!);
    // hosts[9]: frank's own tool names hosts[8] by its address, which hosts[8]'s name was seen with
    // in a logon earlier that day (as NTLM logons record the client's name and address)
    logons.push({ event_id: 'lg-addr', ts: `${day}T06:00:00Z`, host: hosts[0]!, user_name: 'CONTOSO\\frank', logon_id: '0x76000', logon_type: 3,
      source_ip: '10.0.0.9', source_host: hosts[8]!.toUpperCase(), outcome: 'success' });
    p('15:00:00.000', 5504, 5500, 'C:\\Tools\\Mover.exe', `${S}\\cmd.exe`, 'C:\\Tools\\Mover.exe 10.0.0.9 c:\\programdata\\x.xll', '0x9008', 'CONTOSO\\frank', hosts[9]!);
    logon('15:00:00.040', hosts[8]!, 'CONTOSO\\frank', '0x77004', '10.0.0.10');
    // hosts[7]: grace's own tool names hosts[9] (no program REMOTE_STARTS knows: only the session
    // ties it); in her network logon there 50 ms later, a program every host runs; the alert names
    // that process only (its session taken from it). The fleet's hosts[9] runs nothing rare in the
    // hours around (its window holds no other reason for a report).
    p('12:00:00.000', 5604, 5600, 'C:\\Tools\\Mover.exe', `${S}\\cmd.exe`, `C:\\Tools\\Mover.exe ${hosts[9]} c:\\programdata\\y.xll`, '0x9009', 'CONTOSO\\grace', hosts[7]!);
    logon('12:00:00.050', hosts[9]!, 'CONTOSO\\grace', '0x77006', '10.0.0.8');
    p('12:00:00.500', 7604, 7600, TOOL, `${S}\\cmd.exe`, 'hostname', '0x77006', 'CONTOSO\\grace', hosts[9]!);
    // hosts[2]: henry's tool names hosts[6] by the address its machine account logged on to hosts[0]
    // from that morning (a machine's own logon to a domain controller)
    logons.push({ event_id: 'lg-machine', ts: `${day}T06:30:00Z`, host: hosts[0]!, user_name: `CONTOSO\\${hosts[6]!.toUpperCase()}$`, logon_id: '0x76001',
      logon_type: 3, source_ip: '10.0.0.26', source_host: null, outcome: 'success' });
    p('16:00:00.000', 5704, 5700, 'C:\\Tools\\Mover.exe', `${S}\\cmd.exe`, 'C:\\Tools\\Mover.exe 10.0.0.26 c:\\programdata\\z.xll', '0x9010', 'CONTOSO\\henry', hosts[2]!);
    logon('16:00:00.040', hosts[6]!, 'CONTOSO\\henry', '0x77007', '10.0.0.12');
    // hosts[2] again: ivan's tool names hosts[3] by an address its name is seen with only after the
    // alert's windows end, though within the run's span (a later alert's): an alert's report is the
    // same whatever else the run covers
    p('18:00:00.000', 5804, 5800, 'C:\\Tools\\Mover.exe', `${S}\\cmd.exe`, 'C:\\Tools\\Mover.exe 10.0.0.33 c:\\programdata\\w.xll', '0x9011', 'CONTOSO\\ivan', hosts[2]!);
    logon('18:00:00.040', hosts[3]!, 'CONTOSO\\ivan', '0x77008', '10.0.0.12');
    logons.push({ event_id: 'lg-late-addr', ts: `${day}T18:30:00Z`, host: hosts[0]!, user_name: 'CONTOSO\\ivan', logon_id: '0x76002', logon_type: 3,
      source_ip: '10.0.0.33', source_host: hosts[3]!.toUpperCase(), outcome: 'success' });
    // hosts[2] again: judy's tool names 10.0.0.70, hosts[4]'s machine account's address in the
    // morning, hosts[5]'s by the afternoon (DHCP gave it to another machine): not hosts[4] any more
    for (const [t, host] of [['07:00:00', hosts[4]!], ['17:00:00', hosts[5]!]] as const) {
      logons.push({ event_id: `lg-dhcp-${host}`, ts: `${day}T${t}Z`, host: hosts[0]!, user_name: `CONTOSO\\${host.toUpperCase()}$`, logon_id: '0x76003',
        logon_type: 3, source_ip: '10.0.0.70', source_host: null, outcome: 'success' });
    }
    p('19:00:00.000', 5904, 5900, 'C:\\Tools\\Mover.exe', `${S}\\cmd.exe`, 'C:\\Tools\\Mover.exe 10.0.0.70 c:\\programdata\\v.xll', '0x9012', 'CONTOSO\\judy', hosts[2]!);
    logon('19:00:00.040', hosts[4]!, 'CONTOSO\\judy', '0x77009', '10.0.0.12');
    // hosts[2] again: kate's tool names 10.0.0.90, recorded as ::ffff:10.0.0.90 beside hosts[7]'s name
    logons.push({ event_id: 'lg-mapped', ts: `${day}T06:45:00Z`, host: hosts[0]!, user_name: 'CONTOSO\\kate', logon_id: '0x76004', logon_type: 3,
      source_ip: '::ffff:10.0.0.90', source_host: hosts[7]!.toUpperCase(), outcome: 'success' });
    p('20:30:00.000', 6004, 6000, 'C:\\Tools\\Mover.exe', `${S}\\cmd.exe`, 'C:\\Tools\\Mover.exe 10.0.0.90 c:\\programdata\\u.xll', '0x9013', 'CONTOSO\\kate', hosts[2]!);
    logon('20:30:00.040', hosts[7]!, 'CONTOSO\\kate', '0x7700a', '10.0.0.12');
    const alert = (alert_id: string, t: string, host: string, user: string, logon_id: string) =>
      ({ alert_id, ts: `${day}T${t}Z`, alert_name: 'Network logon followed by remote task registration', severity: 'Medium', host, user_name: user, logon_id });
    writeCases(f.fleet, day, {
      process_events: out, logon_events: logons,
      alerts: [alert('opened', '10:00:01', hosts[0]!, 'bob', '0x77001'), alert('no-opener', '11:00:01', hosts[3]!, 'carol', '0x77002'),
        alert('other-account', '12:00:01', hosts[5]!, 'eve', '0x77003'), alert('by-address', '15:00:01', hosts[8]!, 'frank', '0x77004'),
        alert('machine-address', '16:00:01', hosts[6]!, 'henry', '0x77007'), alert('later-address', '18:00:01', hosts[3]!, 'ivan', '0x77008'),
        alert('dhcp', '19:00:01', hosts[4]!, 'judy', '0x77009'), alert('mapped-address', '20:30:01', hosts[7]!, 'kate', '0x7700a'),
        { alert_id: 'span-end', ts: `${day}T21:30:00Z`, alert_name: 'Host name discovery', severity: 'Low', host: hosts[1]! },
        { alert_id: 'by-process', ts: `${day}T12:00:01Z`, alert_name: 'Host name discovery', severity: 'Low', host: hosts[9]!, process_id: 7604 }],
    });
    reports = await caseReports(f);
  });

  const report = (id: string) => reports.find((r) => r.alert_id === id);
  const reason = (id: string, needle: string) => report(id)?.items.find((i) => (i.command_line ?? '').includes(needle))?.reason;

  it('lists the command that opened the logon, its reason naming its host, user and session', () => {
    expect(reason('opened', 'schtasks /create')).toMatch(
      new RegExp(`^on ${h[1]}, by bob in logon session 0x9002: named this host 0\\.1 s before the alert's network logon 0x77001 began; template on 0 of \\d+ hosts .*never on ${h[1]}; `),
    );
  });

  it('a command known to start nothing (a task registered): what the host started after the logon is not the logon\'s', () => {
    // (strongly unusual here, it may stay as the host's activity, capped)
    expect(reason('opened', 'check.vbs') ?? '').not.toMatch(/network logon/);
    // (without a known opener, time ties the agent's script to the logon, as before)
    expect(reason('no-opener', 'check.vbs')).toMatch(/^started by monagent\.exe 0\.6 s after the alert's network logon 0x77002/);
  });

  it('not a command of another account than the logon\'s', () => {
    expect(reason('other-account', 'schtasks')).toBeUndefined();
    expect(reason('other-account', 'check.vbs')).toMatch(/after the alert's network logon 0x77003/);
  });

  it('a command naming the host by an address its name was seen with', () => {
    expect(reason('by-address', 'Mover.exe')).toMatch(new RegExp(`^on ${h[9]}, by frank in logon session 0x9008: named this host 0\\.0 s before the alert's network logon 0x77004 began; `));
  });

  it('an address the host\'s machine account logged on from; not one seen only after the alert\'s windows', () => {
    expect(reason('machine-address', 'Mover.exe')).toMatch(new RegExp(`^on ${h[2]}, by henry in logon session 0x9010: named this host 0\\.0 s before the alert's network logon 0x77007 began; `));
    expect(reason('later-address', 'Mover.exe')).toBeUndefined();
  });

  it('an address another machine holds by the time of the logon is not the host\'s; one recorded IPv4-mapped is', () => {
    expect(reason('dhcp', 'Mover.exe')).toBeUndefined();
    expect(reason('mapped-address', 'Mover.exe')).toMatch(new RegExp(`^on ${h[2]}, by kate in logon session 0x9013: named this host 0\\.0 s before the alert's network logon 0x7700a began; `));
  });

  it('an alert that names its process only: the session is its process\'s, and the opener alone gets it a report (context_reportable.sql)', () => {
    expect(reason('by-process', 'Mover.exe')).toMatch(new RegExp(`^on ${h[7]}, by grace in logon session 0x9009: named this host 0\\.1 s before the alert's network logon 0x77006 began; `));
  });
});
