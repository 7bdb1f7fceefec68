/**
 * The benign world of the synthetic fleet, as data: host roles, the processes each role runs with
 * their parent chains and command-line variability, scheduled tasks, rollouts and admin tools.
 * Placeholders in command lines are filled per event in SQL (sql/generate/benign_process_events.sql):
 *   {GUID} {GUID2} a GUID; {VER} a version a.b.c.d; {TEMP} a temp file name; {DATE} yyyyMMdd of
 *   the event; {TIME} HHmmss; {USER} the host's user; {HASH} 64 hex chars; {NUM} a long number;
 *   {PORT} a port; {RAND} a random-looking token; {HOSTN} another host of the fleet; {SVC} a service name.
 */

export type Role = 'dc' | 'sql' | 'iis' | 'file' | 'app' | 'wks' | 'jump';
export type Account = 'system' | 'network_service' | 'local_service' | 'service' | 'user';

export interface ProcessTemplate {
  readonly id: string;
  /** Roles that run it ('*' = every role). */
  readonly roles: readonly (Role | '*')[];
  /** Relative frequency among the role's background processes. */
  readonly weight: number;
  readonly image: string;
  readonly parent: string;
  readonly command: string;
  readonly account: Account;
  /** Hours (UTC) it runs in; absent = any time. */
  readonly hours?: readonly [number, number];
}

const SYS32 = 'C:\\Windows\\System32';
const AZ = 'C:\\WindowsAzure\\GuestAgent_2.7.41491.1010_2026-10-02_091211\\GuestAgent';

/** Background processes, by role. */
export const BACKGROUND: readonly ProcessTemplate[] = [
  { id: 'svchost-netsvcs', roles: ['*'], weight: 30, image: `${SYS32}\\svchost.exe`, parent: `${SYS32}\\services.exe`, command: 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s {RAND}', account: 'system' },
  { id: 'svchost-unistack', roles: ['*'], weight: 10, image: `${SYS32}\\svchost.exe`, parent: `${SYS32}\\services.exe`, command: 'C:\\Windows\\system32\\svchost.exe -k UnistackSvcGroup -s CDPUserSvc_{RAND}', account: 'local_service' },
  { id: 'conhost', roles: ['*'], weight: 25, image: `${SYS32}\\conhost.exe`, parent: `${SYS32}\\cmd.exe`, command: '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1', account: 'system' },
  { id: 'wmiprvse', roles: ['*'], weight: 12, image: `${SYS32}\\wbem\\WmiPrvSE.exe`, parent: `${SYS32}\\svchost.exe`, command: 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', account: 'network_service' },
  { id: 'taskhostw', roles: ['*'], weight: 8, image: `${SYS32}\\taskhostw.exe`, parent: `${SYS32}\\svchost.exe`, command: 'taskhostw.exe /RuntimeWide /{GUID}', account: 'system' },
  { id: 'trustedinstaller-tiworker', roles: ['*'], weight: 3, image: 'C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_{VER}_none_{RAND}\\TiWorker.exe', parent: `${SYS32}\\svchost.exe`, command: 'C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_{VER}_none_{RAND}\\TiWorker.exe -Embedding', account: 'system' },
  { id: 'defender-mpcmdrun', roles: ['*'], weight: 4, image: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2210.6-0\\MpCmdRun.exe', parent: `${SYS32}\\svchost.exe`, command: '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2210.6-0\\MpCmdRun.exe" SignatureUpdate -ScheduleJob -RestrictPrivileges -Reinvoke', account: 'system' },
  { id: 'defender-scan', roles: ['*'], weight: 2, image: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2210.6-0\\MsMpEng.exe', parent: `${SYS32}\\services.exe`, command: '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2210.6-0\\MsMpEng.exe" -scan -temp C:\\Windows\\Temp\\{TEMP}', account: 'system' },
  { id: 'sppsvc', roles: ['*'], weight: 2, image: `${SYS32}\\sppsvc.exe`, parent: `${SYS32}\\services.exe`, command: 'C:\\Windows\\system32\\sppsvc.exe', account: 'network_service' },
  { id: 'dllhost', roles: ['*'], weight: 6, image: `${SYS32}\\dllhost.exe`, parent: `${SYS32}\\svchost.exe`, command: 'C:\\Windows\\system32\\DllHost.exe /Processid:{{GUID}}', account: 'system' },
  { id: 'wuauclt', roles: ['*'], weight: 2, image: `${SYS32}\\wuauclt.exe`, parent: `${SYS32}\\svchost.exe`, command: '"C:\\Windows\\system32\\wuauclt.exe" /UpdateDeploymentProvider UpdateDeploymentProvider.dll /ClassId {GUID} /RunHandlerComServer', account: 'system' },
  { id: 'compattel', roles: ['*'], weight: 1, image: `${SYS32}\\CompatTelRunner.exe`, parent: `${SYS32}\\svchost.exe`, command: 'C:\\Windows\\system32\\compattelrunner.exe -m:appraiser.dll -f:DoScheduledTelemetryRun -cv:{RAND}.{NUM}', account: 'system' },
  // Azure guest agent: odd-looking but benign, on every server (as in the OTRF captures).
  { id: 'azure-netsh-trace', roles: ['dc', 'sql', 'iis', 'file', 'app'], weight: 1.5, image: `${SYS32}\\netsh.exe`, parent: `${AZ}\\WaAppAgent.exe`, command: 'netsh.exe trace start persistent=no capture=no report=disabled maxsize=512 tracefile=C:\\WindowsAzure\\Logs\\NetTrace_{DATE}{TIME}.etl', account: 'system' },
  { id: 'azure-reg-export', roles: ['dc', 'sql', 'iis', 'file', 'app'], weight: 1.5, image: `${SYS32}\\reg.exe`, parent: `${AZ}\\CollectGuestLogs.exe`, command: 'reg.exe export HKLM\\SOFTWARE\\Microsoft\\Windows Azure C:\\WindowsAzure\\Logs\\{GUID}_{DATE}.reg /y', account: 'system' },
  { id: 'azure-gpresult', roles: ['dc', 'sql', 'iis', 'file', 'app'], weight: 0.8, image: `${SYS32}\\gpresult.exe`, parent: `${AZ}\\CollectGuestLogs.exe`, command: 'gpresult.exe /z /scope computer', account: 'system' },
  { id: 'azure-ipconfig', roles: ['dc', 'sql', 'iis', 'file', 'app'], weight: 1.2, image: `${SYS32}\\ipconfig.exe`, parent: `${AZ}\\CollectGuestLogs.exe`, command: 'ipconfig.exe /all', account: 'system' },
  { id: 'azure-waappagent', roles: ['dc', 'sql', 'iis', 'file', 'app'], weight: 2, image: `${AZ}\\WindowsAzureGuestAgent.exe`, parent: `${SYS32}\\services.exe`, command: '"C:\\WindowsAzure\\GuestAgent_2.7.41491.1010_2026-10-02_091211\\GuestAgent\\WindowsAzureGuestAgent.exe" -LogFile C:\\WindowsAzure\\Logs\\WaAppAgent_{DATE}_{NUM}.log', account: 'system' },
  // Domain controllers.
  { id: 'dc-dfsrdiag', roles: ['dc'], weight: 3, image: `${SYS32}\\dfsrdiag.exe`, parent: `${SYS32}\\svchost.exe`, command: 'dfsrdiag.exe ReplicationState /member:{HOSTN}', account: 'system' },
  { id: 'dc-repadmin', roles: ['dc'], weight: 1, image: `${SYS32}\\repadmin.exe`, parent: `${SYS32}\\cmd.exe`, command: 'repadmin /showrepl {HOSTN} /csv', account: 'service' },
  { id: 'dc-lsass-backup', roles: ['dc'], weight: 1, image: `${SYS32}\\wbadmin.exe`, parent: `${SYS32}\\svchost.exe`, command: 'wbadmin start systemstatebackup -backupTarget:\\\\backup01\\dc\\{DATE} -quiet', account: 'service' },
  // SQL servers.
  { id: 'sql-sqlcmd', roles: ['sql'], weight: 6, image: 'C:\\Program Files\\Microsoft SQL Server\\Client SDK\\ODBC\\170\\Tools\\Binn\\SQLCMD.EXE', parent: 'C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE', command: 'SQLCMD.EXE -S localhost -E -Q "EXEC dbo.usp_IndexMaintenance @Job = N\'{GUID}\'" -o "D:\\SQLLogs\\maint_{DATE}_{TIME}.log"', account: 'service' },
  { id: 'sql-backup', roles: ['sql'], weight: 3, image: 'C:\\Program Files\\Microsoft SQL Server\\150\\Tools\\Binn\\SqlLogShip.exe', parent: 'C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE', command: '"C:\\Program Files\\Microsoft SQL Server\\150\\Tools\\Binn\\sqllogship.exe" -Backup {GUID} -server {HOSTN}', account: 'service' },
  { id: 'sql-sqlwriter', roles: ['sql'], weight: 2, image: 'C:\\Program Files\\Microsoft SQL Server\\90\\Shared\\sqlwriter.exe', parent: `${SYS32}\\services.exe`, command: '"C:\\Program Files\\Microsoft SQL Server\\90\\Shared\\sqlwriter.exe"', account: 'system' },
  // IIS web servers.
  { id: 'iis-w3wp', roles: ['iis'], weight: 6, image: `${SYS32}\\inetsrv\\w3wp.exe`, parent: `${SYS32}\\svchost.exe`, command: 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "{RAND}AppPool" -v "v4.0" -l "webengine4.dll" -a \\\\.\\pipe\\iisipm{GUID} -h "C:\\inetpub\\temp\\apppools\\{RAND}AppPool\\{RAND}AppPool.config" -w "" -m 0', account: 'network_service' },
  { id: 'iis-csc', roles: ['iis'], weight: 3, image: 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe', parent: `${SYS32}\\inetsrv\\w3wp.exe`, command: '"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe" /noconfig /fullpaths @"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\Temporary ASP.NET Files\\root\\{RAND}\\{RAND}\\{TEMP}.cmdline"', account: 'network_service' },
  { id: 'iis-logrotate', roles: ['iis'], weight: 1, image: `${SYS32}\\cmd.exe`, parent: `${SYS32}\\svchost.exe`, command: 'cmd.exe /c forfiles /p C:\\inetpub\\logs\\LogFiles\\W3SVC1 /m u_ex{DATE}*.log /c "cmd /c move @file D:\\archive\\"', account: 'system' },
  // File servers.
  { id: 'file-robocopy', roles: ['file'], weight: 4, image: `${SYS32}\\Robocopy.exe`, parent: `${SYS32}\\cmd.exe`, command: 'robocopy D:\\Shares\\{RAND} \\\\backup01\\shares\\{RAND} /MIR /R:1 /W:1 /LOG+:D:\\Logs\\robocopy_{DATE}.log', account: 'service' },
  { id: 'file-dfsr', roles: ['file'], weight: 3, image: `${SYS32}\\DFSRs.exe`, parent: `${SYS32}\\services.exe`, command: 'C:\\Windows\\system32\\DFSRs.exe', account: 'system' },
  // Application servers: a line-of-business app each ({RAND} differs per host through the seed).
  { id: 'app-lob', roles: ['app'], weight: 8, image: 'D:\\Apps\\LOB\\bin\\LobWorker.exe', parent: 'D:\\Apps\\LOB\\bin\\LobService.exe', command: '"D:\\Apps\\LOB\\bin\\LobWorker.exe" --job {GUID} --batch {NUM} --out "D:\\Apps\\LOB\\out\\{DATE}\\{TEMP}"', account: 'service' },
  { id: 'app-java', roles: ['app'], weight: 4, image: 'C:\\Program Files\\Java\\jre1.8.0_341\\bin\\java.exe', parent: 'D:\\Apps\\LOB\\bin\\LobService.exe', command: '"C:\\Program Files\\Java\\jre1.8.0_341\\bin\\java.exe" -Xmx2g -Djava.io.tmpdir=C:\\Windows\\Temp\\{TEMP} -jar D:\\Apps\\LOB\\lib\\report-{VER}.jar --run {NUM}', account: 'service' },
  // Workstations (and jump hosts): the owner's desktop.
  { id: 'wks-chrome', roles: ['wks', 'jump'], weight: 20, image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', parent: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', command: '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --field-trial-handle={NUM},{HASH} --lang=en-US --renderer-client-id={PORT} --launch-time-ticks={NUM} /prefetch:1', account: 'user', hours: [7, 19] },
  { id: 'wks-teams', roles: ['wks', 'jump'], weight: 6, image: 'C:\\Users\\{USER}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe', parent: 'C:\\Users\\{USER}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe', command: '"C:\\Users\\{USER}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe" --type=gpu-process --field-trial-handle={NUM},{HASH} --mojo-platform-channel-handle={PORT}', account: 'user', hours: [7, 19] },
  { id: 'wks-outlook', roles: ['wks', 'jump'], weight: 2, image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', parent: 'C:\\Windows\\explorer.exe', command: '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE" /recycle', account: 'user', hours: [7, 19] },
  { id: 'wks-winword', roles: ['wks'], weight: 2, image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', parent: 'C:\\Windows\\explorer.exe', command: '"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "C:\\Users\\{USER}\\Documents\\Report_{DATE}_{RAND}.docx" /o ""', account: 'user', hours: [7, 19] },
  { id: 'wks-excel', roles: ['wks'], weight: 2, image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE', parent: 'C:\\Windows\\explorer.exe', command: '"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE" "C:\\Users\\{USER}\\Downloads\\export_{NUM}.xlsx"', account: 'user', hours: [7, 19] },
  { id: 'wks-onedrive', roles: ['wks', 'jump'], weight: 3, image: 'C:\\Users\\{USER}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe', parent: 'C:\\Windows\\explorer.exe', command: '"C:\\Users\\{USER}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /updateInstalled /background /silent /cid:{RAND}', account: 'user', hours: [7, 19] },
  { id: 'wks-searchprotocol', roles: ['wks', 'jump'], weight: 5, image: `${SYS32}\\SearchProtocolHost.exe`, parent: `${SYS32}\\SearchIndexer.exe`, command: '"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe{NUM}_ Global\\UsGthrCtrlFltPipeMssGthrPipe{NUM} 1 -2147483646 "Software\\Microsoft\\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc" "DownLevelDaemon"', account: 'system' },
  { id: 'wks-backgroundtask', roles: ['wks', 'jump'], weight: 4, image: `${SYS32}\\backgroundTaskHost.exe`, parent: `${SYS32}\\svchost.exe`, command: '"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:App.AppXc{RAND}.mca', account: 'user', hours: [7, 19] },
  { id: 'wks-msiexec-user', roles: ['wks'], weight: 0.3, image: `${SYS32}\\msiexec.exe`, parent: `${SYS32}\\services.exe`, command: 'C:\\Windows\\System32\\MsiExec.exe -Embedding {HASH} C', account: 'system' },
  { id: 'wks-python', roles: ['wks'], weight: 0.4, image: 'C:\\Users\\{USER}\\AppData\\Local\\Programs\\Python\\Python311\\python.exe', parent: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', command: 'python.exe C:\\Users\\{USER}\\src\\{RAND}\\run_{NUM}.py --input C:\\Users\\{USER}\\Downloads\\{TEMP}', account: 'user', hours: [8, 18] },
];

/** Daily scheduled tasks: every host of the role, at a fixed minute (seconds jitter only). */
export interface ScheduledTask {
  readonly id: string;
  readonly roles: readonly (Role | '*')[];
  readonly hour: number;
  readonly minute: number;
  readonly image: string;
  readonly parent: string;
  readonly command: string;
  readonly account: Account;
}

export const SCHEDULED: readonly ScheduledTask[] = [
  { id: 'sched-defrag', roles: ['*'], hour: 1, minute: 30, image: `${SYS32}\\defrag.exe`, parent: `${SYS32}\\svchost.exe`, command: 'C:\\Windows\\system32\\defrag.exe -c -h -o -$', account: 'system' },
  { id: 'sched-gpupdate', roles: ['*'], hour: 4, minute: 15, image: `${SYS32}\\gpupdate.exe`, parent: `${SYS32}\\svchost.exe`, command: 'gpupdate.exe /target:computer /force', account: 'system' },
  { id: 'sched-backup-agent', roles: ['dc', 'sql', 'iis', 'file', 'app'], hour: 2, minute: 0, image: 'C:\\Program Files\\Veeam\\Endpoint Backup\\Veeam.EndPoint.Manager.exe', parent: `${SYS32}\\svchost.exe`, command: '"C:\\Program Files\\Veeam\\Endpoint Backup\\Veeam.EndPoint.Manager.exe" /backup /jobid:{GUID} /session:{NUM}', account: 'system' },
  { id: 'sched-inventory', roles: ['*'], hour: 12, minute: 5, image: 'C:\\Program Files\\ManageEngine\\UEMS_Agent\\bin\\dcinventory.exe', parent: 'C:\\Program Files\\ManageEngine\\UEMS_Agent\\bin\\dcagentservice.exe', command: '"C:\\Program Files\\ManageEngine\\UEMS_Agent\\bin\\dcinventory.exe" -scan -out "C:\\Program Files\\ManageEngine\\UEMS_Agent\\data\\inv_{DATE}_{RAND}.xml"', account: 'system' },
  { id: 'sched-cleanmgr', roles: ['wks'], hour: 11, minute: 0, image: `${SYS32}\\cleanmgr.exe`, parent: `${SYS32}\\svchost.exe`, command: 'cleanmgr.exe /autoclean /d C:', account: 'system' },
];

/** The logon script on workstations: a burst of processes right after the owner's logon. */
export const LOGON_SCRIPT: readonly { image: string; parent: string; command: string }[] = [
  { image: `${SYS32}\\cmd.exe`, parent: `${SYS32}\\userinit.exe`, command: 'C:\\Windows\\system32\\cmd.exe /c ""\\\\contoso.local\\SysVol\\contoso.local\\scripts\\logon.bat" "' },
  { image: `${SYS32}\\net.exe`, parent: `${SYS32}\\cmd.exe`, command: 'net  use H: \\\\file01\\home\\{USER} /persistent:no' },
  { image: `${SYS32}\\net.exe`, parent: `${SYS32}\\cmd.exe`, command: 'net  use S: \\\\file02\\shared /persistent:no' },
  { image: `${SYS32}\\reg.exe`, parent: `${SYS32}\\cmd.exe`, command: 'reg  add HKCU\\Software\\Contoso\\Logon /v LastLogon /d {DATE}{TIME} /f' },
  { image: `${SYS32}\\gpupdate.exe`, parent: `${SYS32}\\cmd.exe`, command: 'gpupdate  /target:user' },
  { image: `${SYS32}\\WindowsPowerShell\\v1.0\\powershell.exe`, parent: `${SYS32}\\cmd.exe`, command: 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File \\\\contoso.local\\SysVol\\contoso.local\\scripts\\printers.ps1' },
  { image: `${SYS32}\\rundll32.exe`, parent: `${SYS32}\\WindowsPowerShell\\v1.0\\powershell.exe`, command: 'rundll32.exe printui.dll,PrintUIEntry /in /n \\\\print01\\Floor{PORT}' },
  { image: 'C:\\Windows\\explorer.exe', parent: `${SYS32}\\userinit.exe`, command: 'C:\\Windows\\Explorer.EXE' },
  { image: `${SYS32}\\sihost.exe`, parent: `${SYS32}\\svchost.exe`, command: 'sihost.exe' },
  { image: `${SYS32}\\ctfmon.exe`, parent: `${SYS32}\\svchost.exe`, command: '"ctfmon.exe"' },
];

/** Admins' tools, run in their RDP sessions on servers: a real source of false positives. */
export const ADMIN_TOOLS: readonly { id: string; image: string; parent: string; command: string }[] = [
  { id: 'adm-mmc-services', image: `${SYS32}\\mmc.exe`, parent: 'C:\\Windows\\explorer.exe', command: '"C:\\Windows\\system32\\mmc.exe" "C:\\Windows\\system32\\services.msc"' },
  { id: 'adm-mmc-eventvwr', image: `${SYS32}\\mmc.exe`, parent: `${SYS32}\\eventvwr.exe`, command: '"C:\\Windows\\system32\\mmc.exe" "C:\\Windows\\system32\\eventvwr.msc" /s' },
  { id: 'adm-powershell', image: `${SYS32}\\WindowsPowerShell\\v1.0\\powershell.exe`, parent: 'C:\\Windows\\explorer.exe', command: '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" ' },
  { id: 'adm-ps-script', image: `${SYS32}\\WindowsPowerShell\\v1.0\\powershell.exe`, parent: 'C:\\Windows\\explorer.exe', command: 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File \\\\file01\\it\\scripts\\Get-{RAND}Report.ps1 -OutFile C:\\Users\\{USER}\\Desktop\\report_{DATE}.csv' },
  { id: 'adm-net-user', image: `${SYS32}\\net.exe`, parent: `${SYS32}\\WindowsPowerShell\\v1.0\\powershell.exe`, command: '"C:\\Windows\\system32\\net.exe" user {USER} /domain' },
  { id: 'adm-net-localgroup', image: `${SYS32}\\net.exe`, parent: `${SYS32}\\WindowsPowerShell\\v1.0\\powershell.exe`, command: '"C:\\Windows\\system32\\net.exe" localgroup administrators' },
  { id: 'adm-sc-query', image: `${SYS32}\\sc.exe`, parent: `${SYS32}\\WindowsPowerShell\\v1.0\\powershell.exe`, command: '"C:\\Windows\\system32\\sc.exe" query {RAND}' },
  { id: 'adm-sc-config', image: `${SYS32}\\sc.exe`, parent: `${SYS32}\\cmd.exe`, command: 'sc.exe config {RAND} start= delayed-auto' },
  { id: 'adm-taskmgr', image: `${SYS32}\\Taskmgr.exe`, parent: 'C:\\Windows\\explorer.exe', command: '"C:\\Windows\\system32\\taskmgr.exe" /4' },
  { id: 'adm-cmd', image: `${SYS32}\\cmd.exe`, parent: 'C:\\Windows\\explorer.exe', command: '"C:\\Windows\\system32\\cmd.exe" ' },
  { id: 'adm-ipconfig', image: `${SYS32}\\ipconfig.exe`, parent: `${SYS32}\\cmd.exe`, command: 'ipconfig  /flushdns' },
  { id: 'adm-whoami', image: `${SYS32}\\whoami.exe`, parent: `${SYS32}\\cmd.exe`, command: 'whoami' },
  { id: 'adm-quser', image: `${SYS32}\\quser.exe`, parent: `${SYS32}\\cmd.exe`, command: 'quser' },
  { id: 'adm-schtasks-query', image: `${SYS32}\\schtasks.exe`, parent: `${SYS32}\\cmd.exe`, command: 'schtasks  /query /fo LIST /v' },
  { id: 'adm-cacls', image: `${SYS32}\\cacls.exe`, parent: `${SYS32}\\cmd.exe`, command: 'cacls D:\\Shares\\{RAND} /e /g CONTOSO\\{USER}:C' },
  { id: 'adm-certutil', image: `${SYS32}\\certutil.exe`, parent: `${SYS32}\\cmd.exe`, command: 'certutil  -store My' },
];

/** Benign activity that detections fire on anyway (false-positive alerts), by template. */
export const FALSE_POSITIVE_SOURCES: readonly { template: string; alert: string; severity: 'Low' | 'Medium' | 'High' }[] = [
  { template: 'adm-ps-script', alert: 'Suspicious PowerShell command line', severity: 'Medium' },
  { template: 'logon-5', alert: 'Suspicious PowerShell command line', severity: 'Medium' },
  { template: 'rollout-acme-agent', alert: 'Unusual process execution detected', severity: 'Low' },
  { template: 'rollout-kb', alert: 'Unusual process execution detected', severity: 'Low' },
  { template: 'azure-reg-export', alert: 'Unusual process execution detected', severity: 'Low' },
  { template: 'adm-net-localgroup', alert: 'Suspicious account enumeration', severity: 'Low' },
  { template: 'adm-net-user', alert: 'Suspicious account enumeration', severity: 'Low' },
  { template: 'adm-taskmgr', alert: 'Credential dumping activity detected', severity: 'High' },
  { template: 'logon-6', alert: 'Suspicious use of LOLBin for proxy execution', severity: 'Medium' },
  { template: 'adm-cacls', alert: 'Detected suspicious use of Cacls to lower the security state of the system', severity: 'Medium' },
  { template: 'adm-certutil', alert: 'Suspicious download using Certutil', severity: 'Medium' },
  { template: 'adm-sc-config', alert: 'Suspicious remote service execution', severity: 'Medium' },
  { template: 'sched-inventory', alert: 'Suspicious scheduled task creation', severity: 'Low' },
];

/** Fleet-wide software rollouts: a new updater version on part of the fleet in one day. */
export const ROLLOUTS: readonly { id: string; image: string; parent: string; command: string; fraction: number }[] = [
  { id: 'rollout-acme-agent', image: 'C:\\Program Files\\Acme\\EDR Agent\\AcmeUpdater.exe', parent: `${SYS32}\\services.exe`, command: '"C:\\Program Files\\Acme\\EDR Agent\\AcmeUpdater.exe" /install /version 7.{PORT}.{NUM} /silent /log C:\\Windows\\Temp\\acme_{DATE}.log', fraction: 0.6 },
  { id: 'rollout-chrome', image: 'C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe', parent: `${SYS32}\\svchost.exe`, command: '"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe" /ua /installsource scheduler /version 1.3.{PORT}.{NUM}', fraction: 0.4 },
  { id: 'rollout-kb', image: `${SYS32}\\wusa.exe`, parent: `${SYS32}\\svchost.exe`, command: 'wusa.exe C:\\Windows\\SoftwareDistribution\\Download\\{HASH}\\windows10.0-kb50{PORT}-x64.msu /quiet /norestart', fraction: 0.5 },
];

/** Service names for {SVC} (svchost -s ...). */
export const SERVICE_NAMES = ['Schedule', 'BITS', 'wuauserv', 'Winmgmt', 'gpsvc', 'IKEEXT', 'ProfSvc', 'Themes', 'SENS', 'iphlpsvc', 'LanmanServer', 'EventLog', 'CryptSvc', 'Dnscache', 'W32Time'] as const;

export const ADMINS = ['adm_jsmith', 'adm_mgarcia', 'adm_tnguyen', 'adm_pkumar'] as const;
export const JUMP_HOSTS = ['jump01', 'jump02'] as const;
