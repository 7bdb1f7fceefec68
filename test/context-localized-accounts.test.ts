import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { S, caseReports, caseStart, writeCases } from './case-fleet.js';

/**
 * The machine's own accounts carry localized names (a German Windows records NETWORK SERVICE as
 * `NT-AUTORITÄT\NETZWERKDIENST`, LOCAL SERVICE as `LOKALER DIENST`): the name lists of
 * models/context-jobs.ts do not know them, but the logon session does (0x3e7, 0x3e4, 0x3e5 on every
 * machine). An alert on such a session, or on a process run in one, has no account of its own: the
 * other processes the service account ran on the host are not "run by the alert's account".
 */
describe('context: a localized service account is the machine\'s', () => {
  let reports: ReportRecord[];

  beforeAll(async () => {
    const { f, day, hosts, out, p } = await caseStart();
    const h = hosts[4]!;
    const svc = ['0x3e4', 'NT-AUTORITÄT\\NETZWERKDIENST'] as const;
    p('09:30:00.000', 300, 700, 'C:\\Tools\\poller.exe', `${S}\\svchost.exe`, 'C:\\Tools\\poller.exe --sync', ...svc, h);
    p('10:00:00.000', 304, 700, 'C:\\Tools\\probe.exe', `${S}\\svchost.exe`, 'C:\\Tools\\probe.exe --scan 10.0.0.0/24', ...svc, h);
    const alert = (alert_id: string, extra: Record<string, unknown>) =>
      ({ alert_id, ts: `${day}T10:00:01Z`, alert_name: 'Network scan from a service', severity: 'Medium', host: h, ...extra });
    writeCases(f.fleet, day, {
      process_events: out,
      alerts: [alert('named', { user_name: 'NETZWERKDIENST', logon_id: '0x3e4', process_id: 304 }), alert('by-process', { process_id: 304 })],
    });
    reports = await caseReports(f);
  });

  it('the service account\'s other processes are the host\'s, not the alert\'s account\'s: naming it changes nothing', () => {
    const lines = (id: string) => (reports.find((r) => r.alert_id === id)?.items ?? []).map((i) => `${i.command_line} | ${i.reason}`);
    expect(lines('named').join('\n')).not.toMatch(/alert's account/);
    expect(lines('named')).toEqual(lines('by-process'));
  });
});
