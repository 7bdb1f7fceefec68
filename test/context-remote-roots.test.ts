import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { S, SERVICES, SYSTEM, caseFleet, caseReports, nightlyHistory, processRows, writeCases } from './case-fleet.js';


/**
 * What a host starts right after a network logon whose session ran nothing is that logon's remote
 * execution (sql/context/context_window_tree.sql's remote roots), unless the host starts a session
 * then (models/os-core.ts SESSION_STARTUP_PROCESSES). The OTRF Run-key capture: the RDP client's
 * network logon from 1.2.3.4 came in the workstation's first minute after boot, and its alert
 * listed 21 of the boot's processes as "started ... after the alert's network logon". A first
 * version bounded the number of chains (3): review helper-60's probes lost an intruder's chain
 * beside an agent's routine runs, and wmiexec's several commands.
 */
describe('context: the remote execution of a network logon, on a quiet and on a busy host', () => {
  let reports: ReportRecord[];

  beforeAll(async () => {
    const f = await caseFleet();
    const { day, keys: hosts } = f;
    await nightlyHistory(f);
    const { out, p } = processRows(day, hosts[0]!);
    const logons: Record<string, unknown>[] = [];
    const logon = (t: string, host: string, id: string) =>
      logons.push({ event_id: `lg-${id}`, ts: `${day}T${t}Z`, host, user_name: 'CONTOSO\\mallory', logon_id: id, logon_type: 3, source_ip: '10.9.9.9', source_host: null, outcome: 'success' });
    // hosts[7]: the logon, then the service a remote tool installed and what it ran, beside an
    // agent's three routine runs in the same seconds
    logon('10:05:00.000', hosts[7]!, '0xbad01');
    p('10:05:00.200', 7100, 640, 'C:\\Windows\\xsvc.exe', SERVICES, 'C:\\Windows\\xsvc.exe', ...SYSTEM, hosts[7]!);
    p('10:05:00.400', 7104, 7100, `${S}\\cmd.exe`, 'C:\\Windows\\xsvc.exe', 'cmd.exe /c whoami /all', ...SYSTEM, hosts[7]!);
    for (const i of [1, 2, 3]) p(`10:05:0${i}.500`, 7200 + i, 6000, `${S}\\logman.exe`, 'C:\\Agent\\agent.exe', 'logman query -ets', ...SYSTEM, hosts[7]!);
    // hosts[6]: WMI's provider host, running before, starts four of the intruder's commands
    logon('11:05:00.000', hosts[6]!, '0xbad03');
    for (const i of [1, 2, 3, 4]) p(`11:05:0${i}.000`, 6100 + i, 900, `${S}\\cmd.exe`, `${S}\\wbem\\WmiPrvSE.exe`, `cmd.exe /Q /c step${i} 1> \\\\127.0.0.1\\ADMIN$\\__1${i} 2>&1`, '0x3e4', 'NT AUTHORITY\\NETWORK SERVICE', hosts[6]!);
    // hosts[8]: the logon in a desktop's start-up: a new session's smss, csrss, winlogon, its
    // LogonUI and dwm, and chains from many other parents
    logon('07:09:21.000', hosts[8]!, '0xbad02');
    const SMSS = `${S}\\smss.exe`;
    const WINLOGON = `${S}\\winlogon.exe`;
    p('07:09:21.300', 8200, 400, SMSS, SMSS, `\\SystemRoot\\System32\\smss.exe 00000114 000000cc `, ...SYSTEM, hosts[8]!);
    p('07:09:21.400', 8204, 8200, WINLOGON, SMSS, 'winlogon.exe', ...SYSTEM, hosts[8]!);
    p('07:09:21.600', 8208, 8204, `${S}\\dwm.exe`, WINLOGON, '"dwm.exe"', '0x3e7', 'Window Manager\\DWM-2', hosts[8]!);
    const boot = [[SERVICES, 'C:\\Windows\\bootsvc1.exe'], [SERVICES, 'C:\\Windows\\bootsvc2.exe'], [`${S}\\svchost.exe`, `${S}\\bootbroker.exe`],
      [`${S}\\netsh.exe`, `${S}\\cscript.exe`], ['C:\\Agent\\agent.exe', `${S}\\logman.exe`], [`${S}\\winlogon.exe`, `${S}\\bootui.exe`]];
    for (const [i, [parent, image]] of boot.entries()) {
      p(`07:09:2${1 + (i % 4)}.${100 + i}`, 8100 + i, 8000 + i, image!, parent!, `"${image}" --boot-step ${i}`, ...SYSTEM, hosts[8]!);
    }
    // hosts[5]: WinRM's plugin host, which the system starts in the caller's network logon session
    // 30 ms after the logon (the alert's process, nothing else); hosts[4]: the same, 30 s after it
    const WSMPROV = `${S}\\wsmprovhost.exe`;
    for (const [h, id, after] of [[hosts[5]!, '0xbad04', '00.030'], [hosts[4]!, '0xbad05', '30.030']] as const) {
      logon('12:05:00.000', h, id);
      p(`12:05:${after}`, 5280, 900, WSMPROV, `${S}\\svchost.exe`, `${WSMPROV} -Embedding`, id, 'CONTOSO\\mallory', h);
    }
    const alert = (alert_id: string, t: string, host: string, logon_id: string) =>
      ({ alert_id, ts: `${day}T${t}Z`, alert_name: 'Network logon from an unusual source', severity: 'Medium', host, user_name: 'mallory', logon_id });
    writeCases(f.fleet, day, {
      process_events: out, logon_events: logons,
      alerts: [alert('quiet', '10:05:01', hosts[7]!, '0xbad01'), alert('wmiexec', '11:05:05', hosts[6]!, '0xbad03'), alert('busy', '07:09:22', hosts[8]!, '0xbad02'),
        { ...alert('winrm', '12:05:01', hosts[5]!, '0xbad04'), process_id: 5280 }, { ...alert('winrm-later', '12:05:31', hosts[4]!, '0xbad05'), process_id: 5280 }],
    });
    reports = await caseReports(f);
  });

  const report = (id: string) => reports.find((r) => r.alert_id === id);

  it('what the host started right after the logon is its, beside other routine starts; each of several commands WMI ran', () => {
    expect(report('quiet')?.items.find((i) => i.command_line === 'C:\\Windows\\xsvc.exe')?.reason).toMatch(/^started by services\.exe 0\.2 s after the alert's network logon 0xbad01; /);
    expect(report('quiet')?.items.find((i) => i.command_line === 'cmd.exe /c whoami /all')?.reason).toMatch(/^child of a process started after the alert's network logon 0xbad01; /);
    for (const n of [1, 2, 3, 4]) {
      expect(report('wmiexec')?.items.find((i) => (i.command_line ?? '').includes(`step${n}`))?.reason).toMatch(/^started by WmiPrvSE\.exe \d\.\d s after the alert's network logon 0xbad03; /i);
    }
  });

  it('on a host starting a session then: none is taken for the logon\'s', () => {
    for (const i of report('busy')?.items ?? []) expect(i.reason).not.toMatch(/after the alert's network logon/);
  });

  it('a new program the system started for the caller right after a person\'s network logon: reported on its own (remote execution\'s entry), not later', () => {
    expect(report('winrm')?.items.map((i) => i.reason.split(';')[0])).toEqual(['the alert process, started 0.0 s after the network logon 0xbad04 of mallory from 10.9.9.9']);
    expect(report('winrm-later')).toBeUndefined();
  });
});
