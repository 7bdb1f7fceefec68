/**
 * Starting a Windows service, as data. A service's process is started by the Service Control
 * Manager (services.exe), in the service's own logon session (LocalSystem, LocalService,
 * NetworkService or its account), whoever asked for it: process telemetry names services.exe as the
 * parent and not the command that asked. So a process services.exe starts within
 * SERVICE_START_SECONDS after a command that starts a service on this host (`sc start`,
 * `net start`, PowerShell's Start-Service) is that command's doing, as a COM server the system
 * starts is its activator's (sql/context/context_window_tree.sql): in the tree of an alert on the
 * command (what its `sc start` ran: a service whose binary path was just pointed at a payload), and
 * the command in the tree of an alert on the service's process itself (who had it started).
 *
 * Only time ties them, so the command must be one: a run of sc, net or PowerShell (not any line
 * that mentions `sc start`, such as a scheduled task's action) that starts a service here (not
 * `sc \\host start`, `Invoke-Command -ComputerName`, a CIM session: another host's services.exe);
 * the nearest such command before the process; and a service host that names its service
 * (`svchost.exe -k <group> -s <name>`) belongs only to a command naming that service (a trigger-
 * started host a second after `net start X` is not X's). A service the system starts by itself (at
 * boot, on a trigger or a timer) has no such command before it, except by chance within seconds.
 *
 * Not reached: starts through the Service Control Manager's API with no command line (an implant's
 * own service start, Metasploit's getsystem), `wmic service ... call startservice`, encoded
 * PowerShell. Review helper-54's probes: test/context-service-start.test.ts.
 *
 * Sources: Microsoft's documentation of the Service Control Manager (StartService, service logon
 * accounts), of `sc.exe start`, `net start`, PowerShell's Start-Service / Restart-Service and
 * svchost's `-k` group and `-s` service arguments; PowerShell 6.0's release notes ("Remove `sc` alias
 * which conflicts with `sc.exe`", PowerShell/PowerShell#5827).
 */
export const SERVICE_CONTROL_MANAGER = 'services.exe';

/**
 * Tools that run a command through a service they install and start (Sysinternals' PsExec, and
 * PAExec, which takes PsExec's arguments): on this host when their line names no other
 * (`PsExec.exe -s reg save ...`: services.exe starts PSEXESVC.exe, which starts the command), on the
 * host named when it does (`\\host`, models/remote-starts.ts). Process names, lowercase.
 */
export const SERVICE_EXEC_TOOLS = ['psexec.exe', 'psexec64.exe', 'paexec.exe'] as const;

/** RE2, lowercase: a service-exec tool's run, as its line names it (`PsExec.exe`, `psexec64`, `"C:\Tools\PsExec.exe"`). */
export const SERVICE_EXEC_TOOL = String.raw`(?:^|[\s\\/"'])(?:psexec(?:64)?|paexec)(?:\.exe)?"?\s`;

/**
 * RE2: the tool's options, each followed by a space (`-accepteula`, `-s`, `-u dom\user`,
 * `-p "pass word"`, `-i 1`; PAExec's `-csrc`, `-lo`, `-rlo`, `-to` take a value too): the first other
 * word is the host (`\\host`, `@file`) or the command, whose own words (a UNC path,
 * `sc \\host start`) are not the tool's.
 */
const EXEC_OPTION_WORDS = String.raw`(?:(?:-(?:u|p|n|r|w|a|csrc|lo|rlo|to)\s+(?:"[^"]*"|\S+)|-i(?:\s+\d+)?|-\S+)\s+)*`;
export const SERVICE_EXEC_OPTIONS = String.raw`\s*` + EXEC_OPTION_WORDS;

/** RE2, lowercase: a service-exec tool's run that names other hosts (`\\host`, `"\\host"`, `\\h1,h2`, a list in `@file`). */
export const SERVICE_EXEC_REMOTE = SERVICE_EXEC_TOOL + SERVICE_EXEC_OPTIONS + String.raw`"?(?:\\\\|@)`;

/**
 * RE2 on a process name: the service a service-exec tool installs (PsExec's PSEXESVC.exe,
 * PAExec's PAExec-<pid>-<host>.exe), else the one named with `-r` (SERVICE_EXEC_NAME, `<name>.exe`):
 * only that start is the tool's, not another service the system starts in the same seconds.
 */
export const SERVICE_EXEC_SERVICE = String.raw`psexesvc\.exe|paexec[^\\]*\.exe`;

/** RE2, lowercase, its first group: the service a service-exec tool's `-r` names (among its options, before or after the host). */
export const SERVICE_EXEC_NAME = SERVICE_EXEC_TOOL + SERVICE_EXEC_OPTIONS + String.raw`(?:"?(?:\\\\|@)\S+\s+` + EXEC_OPTION_WORDS + String.raw`)?-r\s+"?([^\s"]+)`;

/** The programs whose command line can start a service (process names, lowercase). */
export const SERVICE_START_PROGRAMS = ['sc.exe', 'net.exe', 'net1.exe', 'powershell.exe', 'pwsh.exe', ...SERVICE_EXEC_TOOLS] as const;

/**
 * RE2, matched against a lowercase command line: `sc [.exe] start <name>` (not `sc \\host start`),
 * `net [1] [.exe] start <name>` (a bare `net start` lists the services), `Start-Service` and
 * `Restart-Service` (a service-exec tool's run on this host: SERVICE_EXEC_TOOL, not SERVICE_EXEC_REMOTE).
 */
export const SERVICE_START_COMMAND = serviceStartCommand(String.raw`sc(\.exe)?`);

/** SERVICE_START_COMMAND's forms with `sc` as `sc` (a pattern: `sc(\.exe)?`, or `sc\.exe` alone). */
function serviceStartCommand(sc: string): string {
  return String.raw`(^|[\s\\/"'])(${sc}|net1?(\.exe)?)"?\s+start\s+[^\s/]|\b(re)?start-service\b`;
}

/**
 * Where a bare `sc` is not sc.exe: in Windows PowerShell (powershell.exe, 5.1 and before) `sc` is
 * the alias of Set-Content (`sc start ready` writes the text `ready` to a file named `start`); PowerShell
 * 6 removed the alias, so pwsh runs sc.exe. There only `sc.exe`, `net` and Start-Service start a service.
 */
export const SC_ALIAS_PROGRAMS = ['powershell.exe'] as const;

/** RE2, lowercase: SERVICE_START_COMMAND without the bare `sc` (for SC_ALIAS_PROGRAMS). */
export const SERVICE_START_COMMAND_SC_ALIASED = serviceStartCommand(String.raw`sc\.exe`);

/** RE2, lowercase: PowerShell's forms that act on another host (or a remote session). */
export const SERVICE_START_REMOTE = String.raw`-computername|invoke-command|-cimsession|-session\b`;

/** RE2, lowercase, its first group: the service an `sc start` or `net start` names. */
export const SERVICE_START_NAME = String.raw`(?:sc|net1?)(?:\.exe)?"?\s+start\s+([a-z0-9_$.-]+)(?:\s|$)`;

/** RE2, its first group: the service a service host names (`svchost.exe -k netsvcs -p -s Schedule`). */
export const SERVICE_HOST_NAME = String.raw`\s-s\s+(\S+)`;

/** How long after the command the Service Control Manager's start counts as its doing (seconds). */
export const SERVICE_START_SECONDS = 5;
