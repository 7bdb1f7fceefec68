/**
 * The command shells, as data: the programs a person types commands into (or a script, or an
 * intruder's agent, feeds them to), by process name (lowercase file name).
 *
 * What context reads in them (sql/context/):
 * - A shell starts every command as itself: its children run with its token, in its logon session
 *   (cmd.exe and PowerShell call CreateProcess; a start under other credentials goes through
 *   runas.exe or the Secondary Logon service, which Windows records as their own). So a process a
 *   shell started in a person's session is that session's own command, never the system working
 *   for it, however often the fleet's copies of that shell run as SYSTEM
 *   (context_system_starts.sql: the parent judged by its name's share of machine runs when it is
 *   not in the window; the lab's cmd.exe runs as SYSTEM 9 times in 10).
 * - A command a shell started by hand in a person's logon session is activity at a keyboard, the
 *   person's or an intruder's: when the alert is on such a command (its process, named by id) and
 *   that command is unusual (rare in the fleet and new to the host), the alert's own command is the
 *   unusual thing around it, and it gets a report with the session's other activity
 *   (context_alert_scope.sql's hands_on, context_kept.sql). By hand: the account is named and
 *   not the machine's, the session is not a well-known one nor a batch or service logon (a
 *   scheduled task's, a service's), and the shell, when recorded, is not running a script file (a
 *   logon script's or a task's .bat, .cmd or .ps1 runs its commands; a new script is itself an
 *   unusual line of the alert's tree). A new program the system or an application starts (an
 *   update, a COM server, an agent's deployment) reports only with what came after it or a prompt
 *   that let it start: its novelty is mostly churn.
 *
 * Script hosts (wscript.exe, cscript.exe, mshta.exe) run a file's script, not typed commands, and
 * are not here. Sources: Microsoft's documentation of cmd.exe, Windows PowerShell 5.1
 * (powershell.exe, powershell_ise.exe) and PowerShell 7 (pwsh.exe); CreateProcess and
 * CreateProcessWithLogonW (the child's token and logon session).
 */
export const COMMAND_SHELLS = ['cmd.exe', 'powershell.exe', 'powershell_ise.exe', 'pwsh.exe'] as const;
