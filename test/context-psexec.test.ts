import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import { EXPLORER, S, SERVICES, SYSTEM, caseFleet, caseReports, nightlyHistory, processRows, writeCases } from './case-fleet.js';

const CMD = `${S}\\cmd.exe`;
const PSEXEC = 'C:\\Tools\\PsExec.exe';
const PSEXESVC = 'C:\\windows\\PSEXESVC.exe';
const SAVE = '"reg" save HKLM\\security\\policy\\secrets C:\\Users\\wardog\\AppData\\Local\\Temp\\secrets';

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
    // review helper-59's probes. hosts[4]: a local run whose command holds a UNC path naming hosts[5],
    // where a service starts 1 s later
    const BK9 = 'C:\\Backup\\bk9.exe';
    const service = (t: string, pid: number, image: string, host: string) => p(t, pid, 716, image, SERVICES, `${image} /service`, ...SYSTEM, host);
    person('05:00:30.000', 5256, 5128, PSEXEC, CMD, `PsExec.exe -accepteula -s cmd /c copy \\\\${hosts[5]}\\tools\\x.exe c:\\x.exe`, '0x9a003', hosts[4]!);
    p('05:00:30.300', 5460, 716, PSEXESVC, SERVICES, PSEXESVC, ...SYSTEM, hosts[4]!);
    p('05:00:30.500', 5824, 5460, CMD, PSEXESVC, 'cmd /c copy \\\\x\\tools\\x.exe c:\\x.exe', ...SYSTEM, hosts[4]!);
    service('05:00:31.000', 5960, BK9, hosts[5]!);
    p('05:00:31.200', 5964, 5960, `${S}\\reg.exe`, BK9, SAVE, ...SYSTEM, hosts[5]!);
    // hosts[6]: PsExec's own service, then another service 1 s later; hosts[7]: a host list in a file;
    // hosts[8]: a service named with -r
    person('06:00:30.000', 6256, 6128, PSEXEC, CMD, 'psexec -accepteula -s whoami', '0x9a004', hosts[6]!);
    p('06:00:30.300', 6460, 716, PSEXESVC, SERVICES, PSEXESVC, ...SYSTEM, hosts[6]!);
    service('06:00:31.300', 6960, BK9, hosts[6]!);
    p('06:00:31.500', 6964, 6960, `${S}\\reg.exe`, BK9, SAVE, ...SYSTEM, hosts[6]!);
    person('07:00:30.000', 7256, 7128, PSEXEC, CMD, `psexec @c:\\tools\\hosts.txt -s ${SAVE.replaceAll('"', '')}`, '0x9a005', hosts[7]!);
    service('07:00:30.500', 7960, BK9, hosts[7]!);
    p('07:00:30.700', 7964, 7960, `${S}\\reg.exe`, BK9, SAVE, ...SYSTEM, hosts[7]!);
    person('08:00:30.000', 8256, 8128, PSEXEC, CMD, 'psexec -r updsvc -s cmd /c whoami', '0x9a006', hosts[8]!);
    service('08:00:30.300', 8460, 'C:\\Windows\\updsvc.exe', hosts[8]!);
    p('08:00:30.500', 8824, 8460, CMD, 'C:\\Windows\\updsvc.exe', 'cmd /c whoami', ...SYSTEM, hosts[8]!);
    // hosts[3] asks hosts[9]; there another service starts 0.4 s later (PsExec's own is not recorded)
    person('09:00:30.000', 9256, 9128, PSEXEC, CMD, `psexec \\\\${hosts[9]} -s whoami`, '0x9a007', hosts[3]!);
    service('09:00:30.400', 9960, BK9, hosts[9]!);
    p('09:00:30.600', 9964, 9960, `${S}\\reg.exe`, BK9, SAVE, ...SYSTEM, hosts[9]!);
    // hosts[2]: a local run, then another command that starts a service, nearer to PSEXESVC.exe's start
    person('10:00:30.000', 2556, 2528, PSEXEC, CMD, 'psexec -accepteula -s whoami', '0x9a008', hosts[2]!);
    p('10:00:30.200', 2560, 2500, `${S}\\sc.exe`, 'C:\\Agent\\agent.exe', 'sc start wuauserv', ...SYSTEM, hosts[2]!);
    p('10:00:30.400', 2660, 716, PSEXESVC, SERVICES, PSEXESVC, ...SYSTEM, hosts[2]!);
    p('10:00:30.600', 2664, 2660, `${S}\\whoami.exe`, PSEXESVC, 'whoami', ...SYSTEM, hosts[2]!);
    const alert = (alert_id: string, t: string, host: string, process_id: number) =>
      ({ alert_id, ts: `${day}T${t}Z`, alert_name: 'Security hive saved with reg.exe', severity: 'High', host, user_name: 'SYSTEM', logon_id: '0x3e7', process_id });
    writeCases(f.fleet, day, {
      process_events: out,
      alerts: [alert('local', '02:00:31', hosts[0]!, 824), alert('remote', '03:00:31', hosts[2]!, 2824), alert('elsewhere', '04:00:31', hosts[3]!, 4824),
        { ...alert('psexec-source', '03:00:31', hosts[1]!, 3256), user_name: 'wardog', logon_id: '0x9a001', alert_name: 'PsExec run against another host' },
        alert('unc', '05:00:31', hosts[4]!, 5824), alert('unc-named', '05:00:32', hosts[5]!, 5964), alert('other-service', '06:00:32', hosts[6]!, 6964),
        alert('at-file', '07:00:31', hosts[7]!, 7964), alert('renamed-service', '08:00:31', hosts[8]!, 8824),
        alert('remote-other-service', '09:00:31', hosts[9]!, 9964), alert('exec-nearest', '10:00:31', hosts[2]!, 2664)],
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

  it('the tool\'s own words only: a UNC path in its command names no host; its own service only, or the one its -r names', () => {
    expect(reason('unc', 'PsExec.exe')).toMatch(/^had the system \(services\.exe\) start psexesvc\.exe, the parent of the alert process, 0\.3 s later; /);
    // (its own service is its, though another command that starts one came nearer: review helper-60)
    expect(reason('exec-nearest', 'psexec -accepteula -s whoami')).toMatch(/^had the system \(services\.exe\) start psexesvc\.exe, the parent of the alert process, 0\.4 s later; /);
    expect(reason('renamed-service', 'psexec -r updsvc')).toMatch(/^had the system \(services\.exe\) start updsvc\.exe, the parent of the alert process, 0\.3 s later; /);
    for (const id of ['unc-named', 'other-service', 'at-file', 'remote-other-service']) {
      expect(report(id)?.items.length, id).toBeGreaterThan(0);
      for (const i of report(id)?.items ?? []) expect(i.reason, id).not.toMatch(/services\.exe\) start|asked this host/);
    }
  });
});
