/**
 * Starting a Windows service, as data. A service's process is started by the Service Control
 * Manager (services.exe), in the service's own logon session (LocalSystem, LocalService,
 * NetworkService or its account), whoever asked for it: process telemetry names services.exe as the
 * parent and not the command that asked. So a process services.exe starts within
 * windows.remote_exec_seconds after a command that starts a service on this host (`sc start`,
 * `net start`, PowerShell's Start-Service) is that command's doing, as a COM server the system
 * starts is its activator's (sql/context/context_window_tree.sql): in the tree of an alert on the
 * command (what its `sc start` ran: a service whose binary path was just pointed at a payload), and
 * the command in the tree of an alert on the service's process (who had it started).
 *
 * Only the local forms: `sc \\host start` and `Invoke-Command -ComputerName` start a service on
 * another host, whose services.exe is not in this host's telemetry (a remote start reaches that
 * host as a network logon, context_window_tree.sql's remote roots). A service the system starts by
 * itself (at boot, on a trigger, on demand of a COM client) has no such command before it.
 *
 * Sources: Microsoft's documentation of the Service Control Manager (StartService, service logon
 * accounts), of `sc.exe start`, `net start` and PowerShell's Start-Service / Restart-Service.
 */
export const SERVICE_CONTROL_MANAGER = 'services.exe';

/**
 * RE2, matched against a lowercase command line: `sc [.exe] start <name>` (not `sc \\host start`),
 * `net [1] [.exe] start <name>` (a bare `net start` lists the services), `Start-Service` and
 * `Restart-Service`.
 */
export const SERVICE_START_COMMAND = String.raw`(^|[\s\\/"'])(sc|net1?)(\.exe)?"?\s+start\s+[^\s/]|\b(re)?start-service\b`;
