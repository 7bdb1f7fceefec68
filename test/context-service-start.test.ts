import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { CONSOLE, EXPLORER, S, caseFleet, caseReports, nightlyHistory, processRows, writeCases } from './case-fleet.js';

const SERVICES = `${S}\\services.exe`;
const PS = `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`;
const PAYLOAD = `${PS} -noexit -c "write-host 'T1543.003 Test'"`;
const CONFIG = `sc  config Fax binPath= "${PAYLOAD.replaceAll('"', '\\"')}"`;
// a service Windows starts on a trigger, on every host every day
const TRIGGERED = `${S}\\svchost.exe -k LocalService -p -s fdPHost`;

/**
 * A service's process is started by the Service Control Manager, whoever asked
 * (models/service-control.ts). The real capture fax-service-binpath: a person's console runs
 * `sc config Fax binPath= <powershell ...>` then `sc start Fax`, and services.exe starts the
 * PowerShell as NETWORK SERVICE in the same second: nothing but time ties the payload to the command.
 */
describe('context: the service a command started', () => {
  let reports: ReportRecord[];

  beforeAll(async () => {
    const f = await caseFleet();
    const { day, hosts } = f;
    const [wks, h1, h2] = [hosts[0]!, hosts[1]!, hosts[2]!];
    for (const d of f.days.slice(0, -1)) {
      const { out, p } = processRows(d, wks);
      for (const host of hosts) p('09:00:00.000', 700, 640, `${S}\\svchost.exe`, SERVICES, TRIGGERED, '0x3e5', 'NT AUTHORITY\\LOCAL SERVICE', host);
      writeCases(f.fleet, d, { process_events: out });
    }
    await nightlyHistory(f);
    const { out, p } = processRows(day, wks);
    // the attack: the console, the new binary path, the start, the payload as the service
    p('08:45:00.000', 8692, 8600, `${S}\\cmd.exe`, EXPLORER, CONSOLE, '0xc61d9', 'CONTOSO\\wardog');
    p('08:45:33.000', 3112, 8692, `${S}\\sc.exe`, `${S}\\cmd.exe`, CONFIG, '0xc61d9', 'CONTOSO\\wardog');
    p('08:45:35.100', 9176, 8692, `${S}\\sc.exe`, `${S}\\cmd.exe`, 'sc  start Fax', '0xc61d9', 'CONTOSO\\wardog');
    p('08:45:35.400', 1548, 640, PS, SERVICES, PAYLOAD, '0x3e4', 'NT AUTHORITY\\NETWORK SERVICE');
    // another host: a console starts a service on a remote server; the local trigger service starts a second later
    p('10:00:00.000', 5100, 5090, `${S}\\cmd.exe`, EXPLORER, CONSOLE, '0x9002', 'CONTOSO\\bob', h1);
    p('10:00:20.000', 5104, 5100, `${S}\\sc.exe`, `${S}\\cmd.exe`, 'sc  \\\\fs01 start Spooler', '0x9002', 'CONTOSO\\bob', h1);
    p('10:00:21.000', 5108, 640, `${S}\\svchost.exe`, SERVICES, TRIGGERED, '0x3e5', 'NT AUTHORITY\\LOCAL SERVICE', h1);
    // a third: `sc start` of a service, and a service started by itself 9 s later (beyond windows.remote_exec_seconds)
    p('11:00:00.000', 6100, 6090, `${S}\\cmd.exe`, EXPLORER, CONSOLE, '0x9003', 'CONTOSO\\cy', h2);
    p('11:00:20.000', 6104, 6100, `${S}\\sc.exe`, `${S}\\cmd.exe`, 'sc  start Backup7', '0x9003', 'CONTOSO\\cy', h2);
    p('11:00:29.000', 6108, 640, 'C:\\Backup\\agent7.exe', SERVICES, 'C:\\Backup\\agent7.exe --service', '0x3e7', 'NT AUTHORITY\\SYSTEM', h2);
    const alerts = [
      { alert_id: 'sc-start', ts: `${day}T08:45:36Z`, alert_name: 'Service started right after its binary path changed', severity: 'Medium', host: wks, user_name: 'wardog', logon_id: '0xc61d9', process_id: 9176 },
      { alert_id: 'service-ps', ts: `${day}T08:45:36Z`, alert_name: 'PowerShell started as a service', severity: 'High', host: wks, user_name: 'NETWORK SERVICE', logon_id: '0x3e4', process_id: 1548 },
      { alert_id: 'remote-start', ts: `${day}T10:00:21Z`, alert_name: 'Remote service started with sc.exe', severity: 'Medium', host: h1, user_name: 'bob', logon_id: '0x9002', process_id: 5104 },
      { alert_id: 'late-service', ts: `${day}T11:00:21Z`, alert_name: 'Service started with sc.exe', severity: 'Low', host: h2, user_name: 'cy', logon_id: '0x9003', process_id: 6104 },
    ];
    writeCases(f.fleet, day, { process_events: out, alerts });
    reports = await caseReports(f);
  });

  const report = (id: string) => reports.find((r) => r.alert_id === id);
  // (the payload's line is also inside the `sc config` line: the payload is matched whole)
  const reason = (id: string, needle: string) => report(id)?.items.find((i) => needle === PAYLOAD ? i.command_line === PAYLOAD : (i.command_line ?? '').includes(needle))?.reason;

  it('an alert on `sc start` lists the payload the service ran, started by services.exe in the service\'s own session', () => {
    expect(reason('sc-start', PAYLOAD)).toMatch(/^started by the system \(services\.exe\) 0\.3 s after sc\.exe of the alert's process tree; /);
    expect(reason('sc-start', 'sc  start Fax')).toMatch(/^the alert process; /);
  });

  it('an alert on the service\'s process lists the command that had it started, and that command\'s console', () => {
    expect(reason('service-ps', 'sc  start Fax')).toMatch(/^had the system \(services\.exe\) start the alert process 0\.3 s later; /);
    expect(reason('service-ps', PAYLOAD)).toMatch(/^the alert process; /);
    expect(report('service-ps')?.items.map((i) => i.reason.split(';')[0])).toContain('ancestor of the alert process');
  });

  it('not a service that started by itself: after `sc \\\\host start` (another host\'s service), nor beyond remote_exec_seconds', () => {
    for (const id of ['remote-start', 'late-service']) {
      for (const i of report(id)?.items ?? []) expect(i.reason, id).not.toMatch(/services\.exe\) .* (after|start the alert process)/);
    }
    // (both commands were typed at a console and are new: each is reported, with its console)
    expect(reason('remote-start', 'sc  \\\\fs01 start Spooler')).toMatch(/^the alert process; /);
    expect(reason('late-service', 'sc  start Backup7')).toMatch(/^the alert process; /);
    expect(reason('remote-start', TRIGGERED)).toBeUndefined();
    expect(reason('late-service', 'agent7.exe --service')).not.toMatch(/^started by the system/);
  });
});
