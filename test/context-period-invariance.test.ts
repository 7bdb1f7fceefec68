import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { makeContextReports } from '../pipeline/context/make-reports.js';
import { readReports } from '../pipeline/context/read-reports.js';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { S, SERVICES, SYSTEM, caseFleet, caseReports, nightlyHistory, processRows, writeCases } from './case-fleet.js';
import type { CaseFleet } from './case-fleet.js';

/**
 * An alert's report is the same whatever period the context run covers (review helper-64): a run
 * over a day spans every alert's windows, and a lookup bounded by that span instead of the alert's
 * own windows made a report depend on the other alerts of the run. Each case below differed between
 * the alert run alone (`context --alert-id`) and the day's run before its fix.
 */
describe('context: an alert\'s report alone equals its report in the day\'s run', () => {
  let f: CaseFleet;
  let day: ReportRecord[];
  const alone = async (id: string) => {
    const run = await makeContextReports(f.db, f.day, f.day, DEFAULT_THRESHOLDS, 'context', id);
    return (await readReports(f.db, run.runId)).find((r) => r.alert_id === id);
  };
  const items = (r: ReportRecord | undefined) => (r?.items ?? []).map((i) => `${i.time} ${i.host} ${i.command_line ?? ''} | ${i.reason}`);

  beforeAll(async () => {
    f = await caseFleet();
    const { day: d, keys: hosts } = f;
    await nightlyHistory(f);
    const { out, p } = processRows(d, hosts[0]!);
    const logons: Record<string, unknown>[] = [];
    const logon = (t: string, host: string, id: string, user: string, ip: string, type = 3) =>
      logons.push({ event_id: `lg-${logons.length + 1}`, ts: `${d}T${t}Z`, host, user_name: user, logon_id: id, logon_type: type, source_ip: ip, source_host: null, outcome: 'success' });
    // hosts[7]: bob's network logon enters alice's RDP session (a process there 0.5 s after it whose
    // parent was never recorded); hours later the session's own logon id records bob from the same
    // address (a reconnect), inside the span of a later alert only: the session's clients are read in
    // the alert's own windows (context_alert_scope.sql)
    logon('09:00:00.000', hosts[7]!, '0xa01', 'CONTOSO\\alice', '10.1.1.1', 10);
    logon('10:00:00.000', hosts[7]!, '0xb01', 'CONTOSO\\bob', '10.2.2.2');
    p('10:00:00.500', 7700, 4444, 'C:\\Tools\\dropper.exe', 'C:\\Tools\\unseen.exe', 'C:\\Tools\\dropper.exe -x', '0xa01', 'CONTOSO\\alice', hosts[7]!);
    p('10:00:02.000', 7704, 7700, `${S}\\cmd.exe`, 'C:\\Tools\\dropper.exe', 'cmd.exe /c whoami /priv', '0xa01', 'CONTOSO\\alice', hosts[7]!);
    logon('15:00:00.000', hosts[7]!, '0xa01', 'CONTOSO\\bob', '10.2.2.2');
    // hosts[6]: an alert on a network logon whose session ran nothing, the next logon of its client 30 s
    // later and the service the host started then; that client logs on every 20 s from a quarter of an
    // hour after, past the alert's windows but in the hour around (the chance count reads the span's
    // logons with the half hour before and after it: context_span_logons.sql)
    logon('11:00:00.000', hosts[6]!, '0xc01', 'CONTOSO\\carol', '10.3.3.3');
    logon('11:00:30.000', hosts[6]!, '0xc02', 'CONTOSO\\carol', '10.3.3.3');
    p('11:00:30.100', 7800, 640, 'C:\\Windows\\csvc.exe', SERVICES, 'C:\\Windows\\csvc.exe', ...SYSTEM, hosts[6]!);
    for (let i = 0; i < 50; i++) {
      const at = new Date(Date.parse(`${d}T11:15:00Z`) + i * 20_000).toISOString().slice(11, 23);
      logon(at, hosts[6]!, `0xc${String(100 + i)}`, 'CONTOSO\\carol', '10.3.3.3');
    }
    writeCases(f.fleet, d, {
      process_events: out, logon_events: logons,
      alerts: [
        { alert_id: 'entered', ts: `${d}T10:00:03Z`, alert_name: 'Privilege discovery', severity: 'Low', host: hosts[7]!, user_name: 'alice', logon_id: '0xa01', process_id: 7704 },
        { alert_id: 'later', ts: `${d}T15:00:30Z`, alert_name: 'Host name discovery', severity: 'Low', host: hosts[7]! },
        { alert_id: 'copy', ts: `${d}T11:00:01Z`, alert_name: 'DLL written through an admin share', severity: 'High', host: hosts[6]!, user_name: 'carol', logon_id: '0xc01' },
        { alert_id: 'stretch', ts: `${d}T11:40:00Z`, alert_name: 'Host name discovery', severity: 'Low', host: hosts[6]! },
      ],
    });
    day = await caseReports(f);
  });

  it('the session\'s clients are those of the alert\'s own windows (a later reconnect is not one)', async () => {
    const r = day.find((x) => x.alert_id === 'entered');
    expect(items(r).join('\n')).toMatch(/after network logon 0xb01 of bob from 10\.2\.2\.2/);
    expect(items(await alone('entered'))).toEqual(items(r));
  });

  it('the logons counted around a time of the alert\'s windows are the same alone and in the day\'s run', async () => {
    expect(items(await alone('copy'))).toEqual(items(day.find((x) => x.alert_id === 'copy')));
  });
});
