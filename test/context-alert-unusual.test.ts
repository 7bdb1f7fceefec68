import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { AGENT, CONSOLE as CMD, EXPLORER, S, caseFleet, caseReports, nightlyHistory, processRows, writeCases } from './case-fleet.js';

const PS = `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`;
const WMIPRVSE = `${S}\\wbem\\WmiPrvSE.exe`;
const STAGER = 'powershell -noP -sta -w 1 -enc SQBGACgAJABQAFMAVgBlAHIAcwBJAG8ATgBUAEEAQgBsAGUA';
const CONHOST = '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1';
const HELPER = 'C:\\Tools\\helper.exe';
const REG_ADD = 'REG  ADD HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\EventLog /t REG_DWORD /v Start /d 4';

/**
 * An intruder's stager that ran on a workstation before (rare in the fleet, familiar to the host),
 * started again by a WMI provider host, which no host ever started it from (the real capture
 * empire-wmi-invoke: Empire's launcher, the same on every run, on a host the lab attacked before),
 * beside the same stager run its usual way; and alerts on a process that is the only unusual thing
 * around it, with and without something its process went on to do, a command shell or a prompt
 * above it.
 */
describe('context: a familiar program started a new way, and the alert\'s own unusual process', () => {
  let reports: ReportRecord[];

  beforeAll(async () => {
    const f = await caseFleet();
    const { day, hosts } = f;
    const [wks, srv] = [hosts[0]!, hosts.at(-1)!];
    const rows = (d: string) => processRows(d, wks);
    // History: every host runs whoami every day (an administrator's routine); the workstation's
    // owner runs the stager from the shell on two of the four days (a lab attacking the same host).
    for (const [i, d] of f.days.slice(0, -1).entries()) {
      const { out, p } = rows(d);
      for (const host of hosts) {
        p('08:00:00.000', 700, 696, `${S}\\whoami.exe`, `${S}\\cmd.exe`, 'whoami', '0x4e1d', 'CONTOSO\\helpdesk', host);
        p('08:30:00.000', 720, 716, `${S}\\cmd.exe`, EXPLORER, CMD, '0x4e2d', 'CONTOSO\\clerk', host);
        // an operator's tool every host runs, which opens a prompt
        p('07:00:00.000', 600, 590, HELPER, EXPLORER, `${HELPER} /run`, '0x5e1d', 'CONTOSO\\ops', host);
        p('07:00:01.000', 604, 600, `${S}\\cmd.exe`, HELPER, CMD, '0x5e1d', 'CONTOSO\\ops', host);
        // a management agent every host runs as the machine, with its shell
        p('06:00:00.000', 500, 496, AGENT, `${S}\\services.exe`, `${AGENT} /service`, '0x3e7', 'NT AUTHORITY\\SYSTEM', host);
        p('06:00:01.000', 504, 500, `${S}\\cmd.exe`, AGENT, CMD, '0x3e7', 'NT AUTHORITY\\SYSTEM', host);
        // and an elevation every host asks for now and then (UAC's prompt is familiar)
        p('07:30:00.000', 610, 720, `${S}\\consent.exe`, `${S}\\svchost.exe`, `consent.exe 720 316 000001B0E7E2${i}${host.length}`, '0x3e7', 'NT AUTHORITY\\SYSTEM', host);
      }
      if (i < 2) {
        p('09:00:00.000', 800, 790, PS, EXPLORER, STAGER, '0xc0de', 'CONTOSO\\owner');
        p('09:00:18.000', 804, 800, `${S}\\whoami.exe`, PS, 'whoami', '0xc0de', 'CONTOSO\\owner');
      }
      writeCases(f.fleet, d, { process_events: out });
    }
    await nightlyHistory(f);
    const { out, p } = rows(day);
    // the owner's usual way, today too
    p('09:00:00.000', 800, 790, PS, EXPLORER, STAGER, '0xc0de', 'CONTOSO\\owner');
    p('09:00:18.000', 804, 800, `${S}\\whoami.exe`, PS, 'whoami', '0xc0de', 'CONTOSO\\owner');
    // the WMI provider host (the machine's) starts the stager in mallory's network session; its
    // console host at once, whoami 18 seconds later
    p('10:00:00.000', 900, 600, WMIPRVSE, `${S}\\svchost.exe`, 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', '0x3e4', 'NT AUTHORITY\\NETWORK SERVICE');
    p('10:00:00.100', 904, 900, PS, WMIPRVSE, STAGER, '0xbeef', 'CONTOSO\\mallory');
    p('10:00:00.120', 908, 904, `${S}\\conhost.exe`, PS, CONHOST, '0xbeef', 'CONTOSO\\mallory');
    p('10:00:18.000', 912, 904, `${S}\\whoami.exe`, PS, 'whoami', '0xbeef', 'CONTOSO\\mallory');
    // on the server: a program new to the fleet whose only company is the console host it gets at once
    p('11:00:00.000', 1000, 990, 'C:\\Tools\\odd.exe', EXPLORER, 'C:\\Tools\\odd.exe /scan', '0xd00d', 'CONTOSO\\dave', srv);
    p('11:00:00.010', 1004, 1000, `${S}\\conhost.exe`, 'C:\\Tools\\odd.exe', CONHOST, '0xd00d', 'CONTOSO\\dave', srv);
    // and SmartScreen's check 2 s later that lets nothing through (a prompt, not odd.exe's COM activation)
    p('11:00:02.000', 1008, 700, `${S}\\smartscreen.exe`, `${S}\\svchost.exe`, `${S}\\smartscreen.exe -Embedding`, '0xd00d', 'CONTOSO\\dave', srv);
    // on the server: a command prompt every host opens starts a program new to the fleet, and nothing
    // follows (the real captures dumpert-lsass-dump and seatbelt-group-user: the tool run from cmd.exe)
    p('12:00:00.000', 1100, 1090, `${S}\\cmd.exe`, EXPLORER, CMD, '0xd00e', 'CONTOSO\\erin', srv);
    p('12:00:05.000', 1104, 1100, 'C:\\Tools\\odd2.exe', `${S}\\cmd.exe`, 'C:\\Tools\\odd2.exe /x', '0xd00e', 'CONTOSO\\erin', srv);
    // on the workstation: the operator's tool and its command prompt, familiar everywhere, and at
    // that prompt a REG ADD no host ran, nothing after it
    p('13:00:00.000', 1200, 1190, HELPER, EXPLORER, `${HELPER} /run`, '0x5e2d', 'CONTOSO\\ops');
    p('13:00:01.000', 1204, 1200, `${S}\\cmd.exe`, HELPER, CMD, '0x5e2d', 'CONTOSO\\ops');
    p('13:00:05.000', 1208, 1204, `${S}\\reg.exe`, `${S}\\cmd.exe`, REG_ADD, '0x5e2d', 'CONTOSO\\ops');
    // the tool starting that REG ADD itself (no shell), started elevated through User Account
    // Control's prompt (the real capture msf-eventlog-startup-disabled: a payload the lab's hosts ran
    // before, let through UAC, and the command disabling the event log)
    p('14:00:00.000', 1300, 720, `${S}\\consent.exe`, `${S}\\svchost.exe`, 'consent.exe 720 316 000001B0E7E21300', '0x3e7', 'NT AUTHORITY\\SYSTEM');
    p('14:00:05.000', 1304, 1190, HELPER, EXPLORER, `${HELPER} /run`, '0x5e3d', 'CONTOSO\\ops');
    p('14:00:10.000', 1312, 1304, `${S}\\reg.exe`, HELPER, REG_ADD, '0x5e3d', 'CONTOSO\\ops');
    // on the server: frank's new sync tool; SmartScreen's check, then the tool's robocopy 0.3 s
    // later, then the download Explorer opens 1.1 s after the check (the program it checked)
    p('15:00:00.000', 1400, 1390, 'C:\\Tools\\sync.exe', EXPLORER, 'C:\\Tools\\sync.exe /mirror', '0xf00f', 'CONTOSO\\frank', srv);
    p('15:10:00.000', 1404, 700, `${S}\\smartscreen.exe`, `${S}\\svchost.exe`, `${S}\\smartscreen.exe -Embedding`, '0xf00f', 'CONTOSO\\frank', srv);
    p('15:10:00.300', 1408, 1400, `${S}\\Robocopy.exe`, 'C:\\Tools\\sync.exe', 'robocopy C:\\data D:\\mirror /mir', '0xf00f', 'CONTOSO\\frank', srv);
    p('15:10:01.100', 1412, 1390, 'C:\\Users\\frank\\Downloads\\setup-y.exe', EXPLORER, '"C:\\Users\\frank\\Downloads\\setup-y.exe" ', '0xf00f', 'CONTOSO\\frank', srv);
    // on the server: the operator's tool starts a REG ADD no host ran itself, no shell between them
    p('17:00:00.000', 1500, 1490, HELPER, EXPLORER, `${HELPER} /run`, '0x5e4d', 'CONTOSO\\ops', srv);
    p('17:00:04.000', 1504, 1500, `${S}\\reg.exe`, HELPER, REG_ADD, '0x5e4d', 'CONTOSO\\ops', srv);
    // on the server: the agent's shell, as the machine, starts an installer no host ran
    p('19:00:00.000', 1600, 1596, AGENT, `${S}\\services.exe`, `${AGENT} /service`, '0x3e7', 'NT AUTHORITY\\SYSTEM', srv);
    p('19:00:01.000', 1604, 1600, `${S}\\cmd.exe`, AGENT, CMD, '0x3e7', 'NT AUTHORITY\\SYSTEM', srv);
    p('19:00:02.000', 1608, 1604, 'C:\\Program Files\\Agent\\update\\setup-2.exe', `${S}\\cmd.exe`, '"C:\\Program Files\\Agent\\update\\setup-2.exe" /quiet', '0x3e7', 'NT AUTHORITY\\SYSTEM', srv);
    const at = (t: string) => `${day}T${t}Z`;
    const alerts = [
      { alert_id: 'session', ts: at('10:00:01'), alert_name: 'Remote WMI process creation', severity: 'High', host: wks, user_name: 'mallory', logon_id: '0xbeef' },
      { alert_id: 'stager', ts: at('10:00:01'), alert_name: 'WMI provider host started encoded PowerShell', severity: 'High', host: wks, user_name: 'mallory', logon_id: '0xbeef', process_id: 904 },
      { alert_id: 'usual', ts: at('09:00:20'), alert_name: 'Encoded PowerShell', severity: 'Medium', host: wks, user_name: 'owner', logon_id: '0xc0de' },
      { alert_id: 'usual-pid', ts: at('09:00:01'), alert_name: 'Encoded PowerShell', severity: 'Medium', host: wks, user_name: 'owner', logon_id: '0xc0de', process_id: 800 },
      { alert_id: 'before-only', ts: at('12:00:06'), alert_name: 'Program from a tools folder', severity: 'Low', host: srv, user_name: 'erin', logon_id: '0xd00e', process_id: 1104 },
      { alert_id: 'chain', ts: at('13:00:06'), alert_name: 'Event Log service disabled', severity: 'High', host: wks, user_name: 'ops', logon_id: '0x5e2d', process_id: 1208 },
      { alert_id: 'elevated-chain', ts: at('14:00:11'), alert_name: 'Event Log service disabled', severity: 'High', host: wks, user_name: 'ops', logon_id: '0x5e3d', process_id: 1312 },
      { alert_id: 'sync', ts: at('15:10:02'), alert_name: 'Program from a tools folder', severity: 'Low', host: srv, user_name: 'frank', logon_id: '0xf00f', process_id: 1400 },
      { alert_id: 'tool-chain', ts: at('17:00:05'), alert_name: 'Event Log service disabled', severity: 'High', host: srv, user_name: 'ops', logon_id: '0x5e4d', process_id: 1504 },
      { alert_id: 'machine-shell', ts: at('19:00:03'), alert_name: 'Program from a tools folder', severity: 'Low', host: srv, user_name: 'SYSTEM', logon_id: '0x3e7', process_id: 1608 },
      { alert_id: 'lone', ts: at('11:00:01'), alert_name: 'Program from a tools folder', severity: 'Low', host: srv, user_name: 'dave', logon_id: '0xd00d', process_id: 1000 },
    ];
    writeCases(f.fleet, day, { process_events: out, alerts });
    reports = await caseReports(f);
  });

  const report = (id: string) => reports.find((r) => r.alert_id === id);
  const item = (r: ReportRecord, needle: string) => r.items.find((i) => (i.command_line ?? '').includes(needle));

  it('a program the host knows is unusual when no host ever started it from that parent', () => {
    const r = report('session');
    expect(r).toBeDefined();
    const stager = item(r!, STAGER)!;
    expect(stager.category).toBe('UnusualProcess');
    expect(stager.reason).toMatch(/^in the alert's logon session 0xbeef; template on [12] of 10 hosts in 4 days, on this host 2 of 4 days; wmiprvse\.exe -> powershell\.exe seen on 0 hosts/);
    expect(item(r!, 'whoami')!.category).toBe('SupplementalProcess');
  });

  it('the same program run its usual way stays familiar: no report, even for an alert on it that its whoami follows', () => {
    expect(report('usual')).toBeUndefined();
    expect(report('usual-pid')).toBeUndefined();
  });

  it('an alert whose own process is the unusual one gets a report of what that process went on to do', () => {
    const r = report('stager');
    expect(r).toBeDefined();
    expect(item(r!, STAGER)!.reason).toMatch(/^the alert process; /);
    expect(item(r!, 'whoami')!.reason).toMatch(/^child of the alert process; /);
  });

  it('not when its only company is a child shaped like a part of it (the console host, at once), nor a SmartScreen check after it', () => {
    expect(report('lone')).toBeUndefined();
  });

  it('a command a person\'s shell started, new to the host and the fleet, is reported on its own: the shell, then the command', () => {
    const lines = (id: string) => report(id)?.items.map((i) => [i.command_line, i.reason.split(';')[0]]);
    expect(lines('before-only')).toEqual([
      [CMD, 'parent of the alert process'],
      ['C:\\Tools\\odd2.exe /x', 'the alert process'],
    ]);
    expect(item(report('before-only')!, 'odd2.exe')!.reason).toBe('the alert process; template on 0 of 10 hosts in 4 days, never on this host; cmd.exe -> odd2.exe seen on 0 hosts');
    // under a tool every host runs too: the shell is where the command was typed
    expect(lines('chain')).toEqual([
      [`${HELPER} /run`, 'ancestor of the alert process'],
      [CMD, 'parent of the alert process'],
      [REG_ADD, 'the alert process'],
    ]);
  });

  it('not for a new command that a chain of familiar programs started without a shell: a tool every host runs', () => {
    expect(report('tool-chain')).toBeUndefined();
  });

  it('nor for one the machine\'s shell started: an agent every host runs deploying a new installer', () => {
    expect(report('machine-shell')).toBeUndefined();
  });

  it('ties SmartScreen\'s check to the download the shell opened, not to the tree\'s process that started first', () => {
    const r = report('sync')!;
    expect(item(r, 'robocopy')!.reason).toMatch(/^child of the alert process; /);
    const check = item(r, 'smartscreen.exe -Embedding')!.reason;
    expect(check).not.toMatch(/process tree/);
    expect(check).toMatch(/^started by the system \(svchost\.exe\) in the alert's logon session 0xf00f; /);
  });

  it('but when User Account Control\'s prompt let that tool start: the prompt, the tool, the command', () => {
    const r = report('elevated-chain');
    expect(r).toBeDefined();
    expect(r!.items.map((i) => [i.command_line, i.reason.split(';')[0]])).toEqual([
      ['consent.exe 720 316 000001B0E7E21300', "User Account Control's elevation prompt 5.0 s before helper.exe of the alert's process tree started"],
      [`${HELPER} /run`, 'parent of the alert process'],
      [REG_ADD, 'the alert process'],
    ]);
  });
});
