import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { EXPLORER, S, caseFleet, caseReports, nightlyHistory, processRows, writeCases } from './case-fleet.js';

const PS = `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`;

/**
 * A prompt that asked the person (User Account Control's consent.exe, SmartScreen's warning) before
 * a launch of the alert's logon session or account is in its report at that rank, not only one
 * before a launch of its tree (sql/context/context_window_tree.sql, members). The OTRF fodhelper
 * capture: Empire's agent (powershell) checks `whoami /groups`, then runs fodhelper.exe, whose
 * elevated instance starts after UAC's consent.exe in the elevated twin of the person's session; an
 * alert on the whoami, fodhelper's sibling, missed the prompt. SmartScreen's check, which precedes
 * every program the shell opens (and asks nothing), stays the tree's only.
 */
describe('context: a prompt before a launch of the alert\'s session or account', () => {
  let reports: ReportRecord[];

  beforeAll(async () => {
    const f = await caseFleet();
    const { day, keys: hosts } = f;
    await nightlyHistory(f);
    const h = hosts[5]!;
    const { out, p } = processRows(day, h);
    const alice = ['0xa1', 'CONTOSO\\alice'] as const;
    p('10:00:00.000', 100, 90, PS, EXPLORER, `"${PS}" -nop -w hidden -c iex`, ...alice);
    p('10:00:01.000', 104, 100, `${S}\\whoami.exe`, PS, 'whoami /groups', ...alice);
    p('10:00:02.000', 110, 720, `${S}\\consent.exe`, `${S}\\svchost.exe`, 'consent.exe 720 316 000001B0E7E20110', '0x3e7', 'NT AUTHORITY\\SYSTEM');
    p('10:00:03.000', 114, 100, `${S}\\fodhelper.exe`, PS, `"${S}\\fodhelper.exe" `, '0xa2', 'CONTOSO\\alice');
    // an hour later: SmartScreen's check, then the shell opens a program in the session
    p('11:00:00.000', 200, 716, `${S}\\smartscreen.exe`, `${S}\\svchost.exe`, `${S}\\smartscreen.exe -Embedding`, ...alice);
    p('11:00:00.500', 204, 90, 'C:\\Users\\alice\\Downloads\\notes.exe', EXPLORER, '"C:\\Users\\alice\\Downloads\\notes.exe" ', ...alice);
    p('11:00:03.000', 208, 90, `${S}\\cmd.exe`, EXPLORER, 'cmd.exe /c ver > c:\\users\\alice\\v.txt', ...alice);
    const alert = (alert_id: string, t: string, pid: number) =>
      ({ alert_id, ts: `${day}T${t}Z`, alert_name: 'Discovery command', severity: 'Low', host: h, user_name: 'alice', logon_id: '0xa1', process_id: pid });
    writeCases(f.fleet, day, { process_events: out, alerts: [alert('groups', '10:00:02', 104), alert('ver', '11:00:04', 208)] });
    reports = await caseReports(f);
  });

  const reason = (id: string, needle: string) => reports.find((r) => r.alert_id === id)?.items.find((i) => (i.command_line ?? '').includes(needle))?.reason;

  it('User Account Control\'s prompt before the elevated launch of the alert\'s account, worded so', () => {
    expect(reason('groups', 'consent.exe')).toMatch(/^User Account Control's elevation prompt 1\.0 s before fodhelper\.exe, run by the alert's account alice, started; /);
  });

  it('not SmartScreen\'s check before a program of the session', () => {
    expect(reason('ver', 'smartscreen.exe') ?? '').not.toMatch(/before notes\.exe/);
  });
});
