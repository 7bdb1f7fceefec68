import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { makeContextReports } from '../pipeline/context/make-reports.js';
import { readReports } from '../pipeline/context/read-reports.js';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { EXPLORER, S, SYSTEM, caseFleet, caseReports, nightlyHistory, processRows, writeCases } from './case-fleet.js';

const AGENT = 'C:\\WindowsAzure\\GuestAgent\\CollectGuestLogs.exe';

/**
 * A Sigma alert names the process event it matched (alerts.matched_event_id). Some of the OTRF
 * captures' Sysmon events were exported without their ProcessId: a rule's match on such an event
 * named no process, and the alert (on SYSTEM's `"cmd"`, started by the Azure agent) got the host's
 * 30 unusual processes of a desktop logon as its report. The matched event is the alert's process.
 */
describe('context: the process event a Sigma alert matched is the alert\'s process', () => {
  let reports: ReportRecord[];
  let jobs: { alert_id: string; process_event_id: string | null }[];

  beforeAll(async () => {
    const f = await caseFleet();
    const { day, keys: hosts } = f;
    await nightlyHistory(f);
    const { out, p } = processRows(day, hosts[0]!);
    const noPid = null as unknown as number;
    // hosts[7]: the agent's shell, recorded without its process id, amid new programs of the host
    p('17:08:00.000', 8268, 700, AGENT, `${S}\\services.exe`, `${AGENT} -Mode:ga`, ...SYSTEM, hosts[7]!);
    p('17:08:18.850', noPid, 8268, `${S}\\cmd.exe`, AGENT, '"cmd"', ...SYSTEM, hosts[7]!);
    for (let i = 0; i < 6; i++) p(`17:0${i}:30.000`, 9100 + i, 900, `C:\\Apps\\new${i}\\tool${i}.exe`, EXPLORER, `"C:\\Apps\\new${i}\\tool${i}.exe" --first-run ${i}`, '0x55001', 'CONTOSO\\sbeavers', hosts[7]!);
    // hosts[8]: a person's command recorded without its process id, after the session's console
    p('10:00:00.000', 5100, 5090, `${S}\\cmd.exe`, EXPLORER, `"${S}\\cmd.exe" `, '0x9b001', 'CONTOSO\\bob', hosts[8]!);
    p('10:00:20.000', noPid, 5100, 'C:\\Users\\bob\\x\\probe.exe', `${S}\\cmd.exe`, 'probe.exe --scan 10.0.0.0/24', '0x9b001', 'CONTOSO\\bob', hosts[8]!);
    // hosts[9]: a logon and, two minutes later, a process that happen to share an event id (ids are
    // unique per table only: review helper-60's probe); a Sigma-style alert matched the logon
    p('12:02:00.000', 9100, 9090, `${S}\\notepad.exe`, EXPLORER, 'notepad.exe', '0x9c001', 'CONTOSO\\bob', hosts[9]!);
    out.at(-1)!['event_id'] = 'dup-1';
    const logons = [{ event_id: 'dup-1', ts: `${day}T12:00:00Z`, host: hosts[9]!, user_name: 'CONTOSO\\mallory', logon_id: '0x9c002', logon_type: 3, source_ip: '10.9.9.9', source_host: null, outcome: 'success' }];
    writeCases(f.fleet, day, { process_events: out, logon_events: logons });
    await caseReports(f);
    // the alerts as detect stores them: the matched event's id, its user and session, no process id
    for (const [id, host, line, user, logon] of [['shell', hosts[7]!, '"cmd"', 'SYSTEM', '0x3e7'], ['probe', hosts[8]!, 'probe.exe --scan 10.0.0.0/24', 'bob', '0x9b001']] as const) {
      await f.db.run(
        `INSERT INTO alerts (alert_id, ts, alert_name, severity, host, user_name, logon_id, process_id, command_line, source, matched_event_id)
         SELECT $1, ts, 'Sigma rule match', 'medium', host, $3, $4, NULL, command_line, 'sigma', event_id FROM process_events WHERE host = $2 AND command_line = $5`,
        [id, host, user, logon, line],
      );
    }
    await f.db.run(
      `INSERT INTO alerts (alert_id, ts, alert_name, severity, host, user_name, logon_id, process_id, command_line, source, matched_event_id)
       VALUES ('logon', $1::TIMESTAMP, 'Sigma logon rule match', 'medium', $2, 'mallory', '0x9c002', NULL, NULL, 'sigma', 'dup-1')`,
      [`${day} 12:00:00`, hosts[9]!],
    );
    reports = await readReports(f.db, (await makeContextReports(f.db, day, day, DEFAULT_THRESHOLDS)).runId);
    jobs = await f.db.all<{ alert_id: string; process_event_id: string | null }>('SELECT DISTINCT alert_id, process_event_id FROM context_alert_jobs ORDER BY alert_id');
  });

  const report = (id: string) => reports.find((r) => r.alert_id === id);

  it('a person\'s command without a process id is the alert process, not only a line of its session', () => {
    expect(report('probe')?.items.find((i) => i.command_line === 'probe.exe --scan 10.0.0.0/24')?.reason).toMatch(/^the alert process; /);
  });

  it('SYSTEM\'s shell without a process id is the alert process: the host\'s other new programs are capped, not the report', () => {
    const host = (report('shell')?.items ?? []).filter((i) => /^on the alert's host/.test(i.reason));
    expect(host.length).toBeLessThanOrEqual(DEFAULT_THRESHOLDS.context.host_max_items);
  });

  it('an id the alert matched names a process only when the process is the event (its time): not a logon\'s namesake', () => {
    expect(jobs.find((j) => j.alert_id === 'logon')?.process_event_id).toBeNull();
    expect(jobs.find((j) => j.alert_id === 'probe')?.process_event_id).not.toBeNull();
  });
});
