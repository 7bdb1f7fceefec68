import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { EXPLORER, S, caseFleet, caseReports, nightlyHistory, processRows, writeCases } from './case-fleet.js';

const SERVICES = `${S}\\services.exe`;
const CMD = `${S}\\cmd.exe`;
const PSEXEC = 'C:\\Tools\\PsExec.exe';
const PSEXESVC = 'C:\\windows\\PSEXESVC.exe';
const SAVE = '"reg" save HKLM\\security\\policy\\secrets C:\\Users\\wardog\\AppData\\Local\\Temp\\secrets';
const SYSTEM = ['0x3e7', 'NT AUTHORITY\\SYSTEM'] as const;

/**
 * PsExec runs its command through a service it has the Service Control Manager start
 * (models/service-control.ts SERVICE_EXEC_TOOLS; models/remote-starts.ts for another host). The
 * real capture cmd_psexec_lsa_secrets_dump (OTRF, 2020-10-19): wardog's console runs
 * `PsExec.exe -accepteula -s reg save HKLM\security\policy\secrets ...`; services.exe starts
 * C:\windows\PSEXESVC.exe as SYSTEM, which starts the `reg save`: nothing but time ties the dump to
 * the person who asked for it.
 */
describe('context: the command PsExec ran through its service', () => {
  let reports: ReportRecord[];
  let h: string[];

  beforeAll(async () => {
    const f = await caseFleet();
    const { day, keys: hosts } = f;
    h = hosts;
    await nightlyHistory(f);
    const { out, p } = processRows(day, hosts[0]!);
    const person = (t: string, pid: number, ppid: number, image: string, parent: string, cmd: string, logon: string, host: string) =>
      p(t, pid, ppid, image, parent, cmd, logon, 'CONTOSO\\wardog', host);
    // hosts[0]: the capture, on its own host
    person('02:00:00.000', 2128, 2100, CMD, EXPLORER, `"${CMD}" `, '0xc61d9', hosts[0]!);
    person('02:00:30.000', 7256, 2128, PSEXEC, CMD, `PsExec.exe  -accepteula -s ${SAVE.replaceAll('"', '')}`, '0xc61d9', hosts[0]!);
    p('02:00:30.400', 1460, 716, PSEXESVC, SERVICES, PSEXESVC, ...SYSTEM, hosts[0]!);
    p('02:00:30.600', 824, 1460, `${S}\\reg.exe`, PSEXESVC, SAVE, ...SYSTEM, hosts[0]!);
    // hosts[1] runs the same on hosts[2] (`\\host` after its options): there services.exe starts the service
    person('03:00:00.000', 3128, 3100, CMD, EXPLORER, `"${CMD}" `, '0x9a001', hosts[1]!);
    person('03:00:30.000', 3256, 3128, PSEXEC, CMD, `"${PSEXEC}" -accepteula \\\\${hosts[2]!.toUpperCase()} -s ${SAVE.replaceAll('"', '')}`, '0x9a001', hosts[1]!);
    p('03:00:30.300', 2460, 716, PSEXESVC, SERVICES, PSEXESVC, ...SYSTEM, hosts[2]!);
    p('03:00:30.500', 2824, 2460, `${S}\\reg.exe`, PSEXESVC, SAVE, ...SYSTEM, hosts[2]!);
    // hosts[3]: PsExec naming another host (fs01); a service of hosts[3] starts 0.5 s later: not its doing
    person('04:00:00.000', 4128, 4100, CMD, EXPLORER, `"${CMD}" `, '0x9a002', hosts[3]!);
    person('04:00:30.000', 4256, 4128, PSEXEC, CMD, `psexec \\\\fs01 -s ${SAVE.replaceAll('"', '')}`, '0x9a002', hosts[3]!);
    p('04:00:30.500', 4460, 716, 'C:\\Backup\\bk9.exe', SERVICES, 'C:\\Backup\\bk9.exe /service', ...SYSTEM, hosts[3]!);
    p('04:00:30.700', 4824, 4460, `${S}\\reg.exe`, 'C:\\Backup\\bk9.exe', SAVE, ...SYSTEM, hosts[3]!);
    const alert = (alert_id: string, t: string, host: string, process_id: number) =>
      ({ alert_id, ts: `${day}T${t}Z`, alert_name: 'Security hive saved with reg.exe', severity: 'High', host, user_name: 'SYSTEM', logon_id: '0x3e7', process_id });
    writeCases(f.fleet, day, {
      process_events: out,
      alerts: [alert('local', '02:00:31', hosts[0]!, 824), alert('remote', '03:00:31', hosts[2]!, 2824), alert('elsewhere', '04:00:31', hosts[3]!, 4824),
        { ...alert('psexec-source', '03:00:31', hosts[1]!, 3256), user_name: 'wardog', logon_id: '0x9a001', alert_name: 'PsExec run against another host' }],
    });
    reports = await caseReports(f);
  });

  const report = (id: string) => reports.find((r) => r.alert_id === id);
  const reason = (id: string, needle: string) => report(id)?.items.find((i) => (i.command_line ?? '').includes(needle))?.reason;

  it('an alert on the command lists the PsExec run that had its service started, and that run\'s logon session', () => {
    expect(reason('local', 'PsExec.exe')).toMatch(/^had the system \(services\.exe\) start psexesvc\.exe, the parent of the alert process, 0\.4 s later; /);
    expect(reason('local', PSEXESVC)).toMatch(/^parent of the alert process; /);
    expect(report('local')?.items.find((i) => i.command_line === `"${CMD}" `)?.reason).toMatch(
      /^in logon session 0xc61d9 of psexec\.exe, which had the system \(services\.exe\) start psexesvc\.exe, the parent of the alert process; /,
    );
  });

  it('PsExec naming another host (after its options): the command there lists the run on the host that asked, and that run what it started', () => {
    expect(reason('remote', '-accepteula \\\\')).toMatch(
      new RegExp(`^on ${h[1]}, by wardog in logon session 0x9a001: asked this host to start a service \\(services\\.exe\\) 0\\.3 s before psexesvc\\.exe, the parent of the alert process, started; `),
    );
    expect(reason('psexec-source', SAVE)).toMatch(
      new RegExp(`^on ${h[2]}: child of psexesvc\\.exe, which the system \\(services\\.exe\\) started 0\\.3 s after psexec\\.exe of the alert's process tree named it; `),
    );
  });

  it('not a service of this host started after PsExec named another', () => {
    expect(report('elsewhere')?.items.length).toBeGreaterThan(0);
    for (const i of report('elsewhere')?.items ?? []) expect(i.reason).not.toMatch(/services\.exe\) start|asked this host/);
  });
});
