import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { AGENT, CONSOLE, EXPLORER, S, caseFleet, caseReports, nightlyHistory, processRows, writeCases } from './case-fleet.js';

const PWSH = 'C:\\Program Files\\PowerShell\\7\\pwsh.exe';
const ADD_RULE = 'netsh  advfirewall firewall add rule name="atomic testing" action=allow dir=in protocol=TCP localport=450';
const DELETE_RULE = 'netsh  advfirewall firewall delete rule name="atomic testing" protocol=TCP localport=450';
const LOGON_SCRIPT = `${S}\\cmd.exe /c \\\\corp\\NETLOGON\\logon.bat`;
// a scheduled task's encoded command (its own text each day: the template abstracts it)
const B64 = (seed: string) => Buffer.from(`Start-Process C:\\Tools\\export.exe -ArgumentList '--since ${seed}'`, 'utf16le').toString('base64');
const NET_USE = 'net  use P: \\\\fs02\\projects /persistent:no';
const TASK_HOST = `${S}\\backgroundTaskHost.exe -ServerName:App.AppX9x2k1m0a.mca`;

/**
 * A command shell starts its commands in its own logon session (models/command-shells.ts). The real
 * capture netsh-fw-open-port: a person's shell, started long before the alert (not in its window),
 * runs `netsh advfirewall ... add rule` and 5 s later `... delete rule`; the fleet's copies of that
 * shell run as SYSTEM nearly always, so judged by its name the shell looked like the system working
 * in the person's session, and the second command was left out as the system's start.
 */
describe('context: a command shell\'s children are its session\'s commands', () => {
  let reports: ReportRecord[];

  beforeAll(async () => {
    const f = await caseFleet();
    const { day, hosts } = f;
    const wks = hosts[0]!;
    const [h1, h2, h3] = [hosts[1]!, hosts[2]!, hosts[3]!];
    const rows = (d: string) => processRows(d, wks);
    // History: an agent on every host runs its PowerShell scripts as SYSTEM a dozen times a day, so
    // the fleet's pwsh.exe runs as the machine nearly always.
    for (const d of f.days.slice(0, -1)) {
      const { out, p } = rows(d);
      for (const host of hosts) {
        for (let i = 0; i < 12; i++) {
          const t = `${String(i + 6).padStart(2, '0')}:00:00.000`;
          p(t, 300 + i, 296, PWSH, AGENT, `"${PWSH}" -NoProfile -File C:\\ProgramData\\Agent\\inventory.ps1`, '0x3e7', 'NT AUTHORITY\\SYSTEM', host);
        }
        // the day's routine: the logon script, a console, the export task's shell
        p('07:55:00.000', 400, 396, `${S}\\cmd.exe`, `${S}\\userinit.exe`, LOGON_SCRIPT, '0x8001', 'CONTOSO\\amy', host);
        p('07:55:02.000', 404, 400, `${S}\\net.exe`, `${S}\\cmd.exe`, 'net  use H: \\\\fs01\\home /persistent:no', '0x8001', 'CONTOSO\\amy', host);
        p('08:05:00.000', 410, 406, `${S}\\cmd.exe`, EXPLORER, CONSOLE, '0x8002', 'CONTOSO\\bob', host);
        p('01:00:00.000', 420, 880, PWSH, `${S}\\svchost.exe`, `"${PWSH}" -NoProfile -EncodedCommand ${B64(d)}`, '0x8003', 'CONTOSO\\svc-export', host);
      }
      writeCases(f.fleet, d, { process_events: out });
    }
    await nightlyHistory(f);
    const { out, p } = rows(day);
    // wardog's shell, opened at 09:00 (outside the alert's hour), runs the two netsh commands at
    // 12:19; between them the system starts a background task in the session (svchost.exe, not in
    // the window either)
    p('09:00:00.000', 4000, 3990, PWSH, EXPLORER, `"${PWSH}"`, '0x7a11', 'CONTOSO\\wardog');
    p('12:19:04.000', 4104, 4000, `${S}\\netsh.exe`, PWSH, ADD_RULE, '0x7a11', 'CONTOSO\\wardog');
    p('12:19:06.000', 4204, 880, `${S}\\backgroundTaskHost.exe`, `${S}\\svchost.exe`, TASK_HOST, '0x7a11', 'CONTOSO\\wardog');
    p('12:19:09.000', 4108, 4000, `${S}\\netsh.exe`, PWSH, DELETE_RULE, '0x7a11', 'CONTOSO\\wardog');
    // a logon script's shell maps a share no host mapped before; the same command typed at a
    // console on another host
    p('08:00:00.000', 5000, 4990, `${S}\\cmd.exe`, `${S}\\userinit.exe`, LOGON_SCRIPT, '0x9001', 'CONTOSO\\amy', h1);
    p('08:00:02.000', 5004, 5000, `${S}\\net.exe`, `${S}\\cmd.exe`, NET_USE, '0x9001', 'CONTOSO\\amy', h1);
    p('08:10:00.000', 5100, 5090, `${S}\\cmd.exe`, EXPLORER, CONSOLE, '0x9002', 'CONTOSO\\bob', h2);
    p('08:10:30.000', 5104, 5100, `${S}\\net.exe`, `${S}\\cmd.exe`, NET_USE, '0x9002', 'CONTOSO\\bob', h2);
    // a scheduled task, in its account's batch logon, runs a new export through a shell
    p('02:00:01.000', 5200, 880, PWSH, `${S}\\svchost.exe`, `"${PWSH}" -NoProfile -EncodedCommand ${B64(day)}`, '0x9003', 'CONTOSO\\svc-export', h3);
    p('02:00:02.000', 5204, 5200, 'C:\\Tools\\export-v2.exe', PWSH, 'C:\\Tools\\export-v2.exe --all', '0x9003', 'CONTOSO\\svc-export', h3);
    const logons = [
      { event_id: `lg-${day}-1`, ts: `${day}T02:00:00Z`, host: h3, user_name: 'CONTOSO\\svc-export', logon_id: '0x9003', logon_type: 4, source_ip: '-', outcome: 'success' },
    ];
    const alerts = [
      { alert_id: 'logon-script', ts: `${day}T08:00:03Z`, alert_name: 'Network share mapped', severity: 'Low', host: h1, user_name: 'amy', logon_id: '0x9001', process_id: 5004 },
      { alert_id: 'typed', ts: `${day}T08:10:31Z`, alert_name: 'Network share mapped', severity: 'Low', host: h2, user_name: 'bob', logon_id: '0x9002', process_id: 5104 },
      { alert_id: 'batch', ts: `${day}T02:00:03Z`, alert_name: 'Program from a tools folder', severity: 'Low', host: h3, user_name: 'svc-export', logon_id: '0x9003', process_id: 5204 },
      { alert_id: 'fw-rule', ts: `${day}T12:19:05Z`, alert_name: 'Firewall rule added with netsh', severity: 'Medium', host: wks, user_name: 'wardog', logon_id: '0x7a11', process_id: 4104 },
    ];
    writeCases(f.fleet, day, { process_events: out, alerts, logon_events: logons });
    reports = await caseReports(f);
  });

  const report = (id: string) => reports.find((r) => r.alert_id === id);
  const item = (needle: string) => reports.find((r) => r.alert_id === 'fw-rule')?.items.find((i) => (i.command_line ?? '').includes(needle));

  it('lists the shell\'s next command in the alert\'s session, though the fleet\'s copies of the shell run as SYSTEM', () => {
    expect(item(ADD_RULE)?.reason).toMatch(/^the alert process; /);
    expect(item(DELETE_RULE)?.reason).toMatch(/^in the alert's logon session 0x7a11; template on 0 of 10 hosts/);
  });

  it('while a process a service host started in the session stays the system\'s work, not the session\'s command', () => {
    expect(item(TASK_HOST)?.reason).toMatch(/^started by the system \(svchost\.exe\) /);
  });

  it('a new command typed at a person\'s console is reported on its own: the shell, then the command', () => {
    expect(report('typed')?.items.map((i) => i.reason.split(';')[0])).toEqual(['parent of the alert process', 'the alert process']);
  });

  it('not when the shell runs a script (a logon script\'s new share), nor in a batch logon (a scheduled task\'s shell)', () => {
    expect(report('logon-script')).toBeUndefined();
    expect(report('batch')).toBeUndefined();
  });

});
