import { SERVICE_CONTROL_MANAGER, SERVICE_EXEC_OPTIONS, SERVICE_EXEC_SERVICE, SERVICE_EXEC_TOOL, SERVICE_EXEC_TOOLS } from './service-control.js';

/**
 * Starting a process on another host, as data: the commands that ask another host's Windows to
 * start something, and the process through which that host then starts it. The command runs on
 * host A and names host B; B's process telemetry names B's own launcher as the parent (the Service
 * Control Manager, the WMI provider host), not the command, and only time ties the two. So a process
 * B's launcher starts (or the launcher itself, started to serve the request) within
 * REMOTE_START_SECONDS after such a command naming B, the nearest, is that command's doing: the
 * command is a line of the report of an alert on that process or on a process it started
 * (sql/context/context_remote_starts.sql), its reason naming host A.
 *
 * B is named by its name or FQDN, compared as a host key (ac_host_key: the first label, lowercase).
 * Not reached: a host named by its address (only the openers below look addresses up), tools that
 * call the remote interfaces with no such command line (an implant's own WMI or service calls,
 * PowerShell's Invoke-PsExec, encoded PowerShell), a renamed PsExec. (A task registered with
 * `schtasks /s` runs later, at its trigger: its action, not time, ties it, models/scheduled-tasks.ts.)
 *
 * Sources: Microsoft's documentation of `sc.exe` (`sc [\\ServerName] start <ServiceName>`), of
 * `wmic` (`/node:`, a global switch before the alias, takes a list of hosts, comma-separated, quoted
 * when they hold dots or dashes), of
 * the WMI provider host (WmiPrvSE.exe, started by the DCOM launcher to serve a request; a
 * Win32_Process.Create call's process is its child) and of PowerShell's WMI and CIM cmdlets'
 * `-ComputerName`; Sysinternals' PsExec (`psexec [\\computer[,computer2,...]] [options] command`:
 * it copies PSEXESVC.exe to the host's ADMIN$ share and has its Service Control Manager start it,
 * which runs the command) and PAExec (PsExec's arguments, its own service).
 */
export interface RemoteStart {
  /** The programs run on host A (process names, lowercase). */
  readonly programs: readonly string[];
  /**
   * RE2 on their lowercase command line; group 1 the host or hosts named (a comma-separated list),
   * group 2 the service the command starts ('' when it names none), checked against a service
   * host's `-s`.
   */
  readonly pattern: string;
  /** The launcher on host B: what it starts (its children) and, when `launcherStarts`, itself started to serve the request. */
  readonly launcher: string;
  /** RE2 on the name of the process the launcher starts, when only that one is the command's (a tool's own service); else any. */
  readonly started?: string;
  readonly launcherStarts: boolean;
  /** How a reason says what the command asked of host B. */
  readonly asks: string;
}

const WMI = 'wmiprvse.exe';

/** RE2, lowercase: the forms that name other hosts, group 1 the host or hosts (shared below). */
const SC_HOST = String.raw`(?:^|[\s\\/"'])sc(?:\.exe)?"?\s+\\\\([^\s\\]+)`;
const WMIC_NODE = String.raw`wmic(?:\.exe)?"?(?:\s+/[a-z]+(?::(?:"[^"]*"|[^\s"]*))?)*?\s+/node:\s*((?:"[^"]*"|[^\s",/]+)(?:\s*,\s*(?:"[^"]*"|[^\s",/]+))*)`;
const EXEC_HOST = SERVICE_EXEC_TOOL + SERVICE_EXEC_OPTIONS + String.raw`"?\\\\([^\s\\"]+)`;
const COMPUTER_NAME = String.raw`\s-(?:computername|computer|cn)(?::\s*|\s+)((?:["']?[^\s"',;)]+["']?)(?:\s*,\s*["']?[^\s"',;)]+["']?)*)`;

export const REMOTE_STARTS: readonly RemoteStart[] = [
  {
    programs: ['sc.exe'],
    pattern: SC_HOST + String.raw`\s+start\s+"?([a-z0-9_$.-]+)"?(?:\s|$)`,
    launcher: SERVICE_CONTROL_MANAGER, launcherStarts: false, asks: `asked this host to start a service (${SERVICE_CONTROL_MANAGER})`,
  },
  {
    // (its service is PSEXESVC.exe or PAExec's, not a service host: group 2 names none; only that
    // start is the command's, not another the host's services.exe makes in the same seconds; one
    // renamed with `-r` is not recognized on the other host)
    programs: [...SERVICE_EXEC_TOOLS],
    pattern: `${EXEC_HOST}()`, started: SERVICE_EXEC_SERVICE,
    launcher: SERVICE_CONTROL_MANAGER, launcherStarts: false, asks: `asked this host to start a service (${SERVICE_CONTROL_MANAGER})`,
  },
  {
    programs: ['wmic.exe'],
    pattern: `${WMIC_NODE}()`, // (group 2: no service)
    launcher: WMI, launcherStarts: true, asks: `asked this host's WMI (${WMI})`,
  },
  {
    programs: ['powershell.exe', 'pwsh.exe'],
    pattern: String.raw`\b(?:invoke-wmimethod|invoke-cimmethod|get-wmiobject|get-ciminstance|gwmi|iwmi|gcim|icim)\b[^;|\n]*?` + `${COMPUTER_NAME}()`, // (group 2: no service)
    launcher: WMI, launcherStarts: true, asks: `asked this host's WMI (${WMI})`,
  },
];

/**
 * The known commands that open a network logon on another host they name (its Service Control
 * Manager, Task Scheduler, WMI, registry or shares, over SMB or RPC): the host records the command's
 * account's network logon within milliseconds of the command's start (4 ms after `sc.exe
 * \\WORKSTATION6 start IKEEXT`, 47 ms after `schtasks /create ... /S WORKSTATION6` in the OTRF
 * captures). For an alert on a network logon, the command that opened it is any run on another host
 * by the logon's account within REMOTE_START_SECONDS before whose line names the host, by name or
 * by address (sql/context/context_session_openers.sql); these tell which such lines start nothing.
 * `pattern`: RE2 on the lowercase line, group 1 the host or hosts named. `startsNothing` (RE2, or
 * none): the program's lines that start no process on that host (a task registered or changed, a
 * service queried, stopped or configured, the registry read or written, a share mapped): for an
 * alert on such a logon, what the host started in the seconds after it is not the logon's doing,
 * whatever time says (sql/context/context_window_tree.sql's remote roots are then not looked for).
 */
export const REMOTE_SESSION_OPENERS: readonly { readonly programs: readonly string[]; readonly pattern: string; readonly startsNothing: string | null }[] = [
  {
    programs: ['sc.exe'], pattern: SC_HOST,
    startsNothing: String.raw`\\\\\S+\s+(query|queryex|qc|qdescription|qfailure|stop|config|create|delete|description|failure|sdshow|sdset)(?:\s|$)`,
  },
  { programs: ['schtasks.exe'], pattern: String.raw`\s/s\s+"?([^\s"/]+)`, startsNothing: String.raw`schtasks(?:\.exe)?"?\s+/(create|change|delete|query|end)\b` },
  { programs: ['wmic.exe'], pattern: WMIC_NODE, startsNothing: null },
  { programs: [...SERVICE_EXEC_TOOLS], pattern: EXEC_HOST, startsNothing: null },
  { programs: ['reg.exe'], pattern: String.raw`\s"?\\\\([^\s\\"]+)\\`, startsNothing: String.raw`.` },
  { programs: ['net.exe', 'net1.exe'], pattern: String.raw`\s\\\\([^\s\\"]+)`, startsNothing: String.raw`\s(use|view|time)(?:\s|$)` },
  { programs: ['powershell.exe', 'pwsh.exe'], pattern: COMPUTER_NAME, startsNothing: null },
];

/** Every program of REMOTE_STARTS. */
export const REMOTE_PROGRAMS: readonly string[] = REMOTE_STARTS.flatMap((r) => r.programs);

/** Every launcher of REMOTE_STARTS. */
export const REMOTE_LAUNCHERS: readonly string[] = [...new Set(REMOTE_STARTS.map((r) => r.launcher))];

/** RE2: any of REMOTE_STARTS' patterns (a constant the scan's filter compiles once; a kind's own pattern is a row's). */
export const REMOTE_PATTERN: string = REMOTE_STARTS.map((r) => `(?:${r.pattern})`).join('|');

/** How long after the command the launcher's start counts as its doing (seconds). */
export const REMOTE_START_SECONDS = 5;

/**
 * How long after an alert's network logon (whose session ran nothing) the next network logons of
 * its account from its client are still taken for its follow-on, whose seconds' starts are the
 * alert's remote execution too (sql/context/context_remote_roots.sql): a payload copied over one
 * connection is run over the next ones, in seconds to a minute or two (the OTRF wbemcomn and IKEEXT
 * captures: 30 and 82 s); a routine logon of the same person minutes later is not the copy's run.
 */
export const FOLLOW_ON_SECONDS = 300;

/** How many days of logons tell the addresses a host's name was seen with (an opener may name a host by address). */
export const ADDRESS_DAYS = 30;
