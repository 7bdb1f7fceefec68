/**
 * A scheduled task's run, as data. The Task Scheduler starts a task's action itself (svchost.exe's
 * Schedule service; taskeng.exe before Windows 8), at its trigger, in the task's own logon session
 * (SYSTEM for `/ru system`): process telemetry names the service host as the parent, not the
 * command that registered the task. But the registration holds the action's command line
 * (`schtasks /create ... /tr "<program> <arguments>"`), and the run is that line: so a process the
 * Task Scheduler starts whose command line is the action of a `schtasks /create` run before it on
 * the same host (in the alert's windows) is that registration's doing, as a service's process is
 * the `sc start`'s (models/service-control.ts; sql/context/context_activation_links.sql): in the tree
 * of an alert on the registration (what its task ran, minutes later) and the registration in the
 * tree of an alert on the task's process (who planted it).
 *
 * The line is compared case-insensitively without its quotes (`\"` inside `/tr "..."` is a quote of
 * the action) and with its spaces folded, whole (the Task Scheduler runs the action as written); an
 * environment variable of the action (`%windir%`, `%comspec%`, which the Task Scheduler expands)
 * matches any word. A line the host's Task Scheduler already ran in the window before the
 * registration is routine, not the registration's (review helper-63: a daily cleanup registered
 * again was credited with the host's usual run). `/change /tr` (a task's action replaced) is a
 * registration too. A registration whose `/s` names another host runs there: an alert on the
 * process that host's Task Scheduler ran (or on its child) lists it as the command on another host
 * that asked for it (sql/context/context_remote_tasks.sql, beside `sc \\host start`'s), and an alert
 * on the registration lists that run (context_remote_asks.sql, context_remote_started.sql). Not
 * reached: tasks registered through PowerShell's ScheduledTasks cmdlets, the Schedule.Service
 * COM object or its RPC interface (Impacket's atexec: no command line on the fleet), or whose
 * action is an XML file's (`/xml`); an action naming its program without its path or extension
 * (`powershell -c ...`), if the run's line has them.
 *
 * Sources: Microsoft's documentation of `schtasks create` (`/tr`, `/s`, `/ru`, `/xml`) and of the
 * Task Scheduler service (`svchost.exe -k netsvcs -s Schedule`; taskeng.exe on Windows 7).
 */

/** The processes that start a task's action (process names, lowercase). */
export const TASK_SCHEDULER_HOSTS = ['svchost.exe', 'taskeng.exe'] as const;

/** RE2, lowercase: a `schtasks /create` or `/change` run (its program, then the switch; `-create` too). */
export const TASK_CREATE = String.raw`(?:^|[\s\\/"'])schtasks(?:\.exe)?"?\s(?:.*\s)?[/-](?:create|change)\b`;

/**
 * RE2, lowercase, on the line without its action: the host a registration names (`/s host` or
 * `/s \\host`, group 1); one other than the host itself (its name, localhost, 127.0.0.1) runs the
 * task there. A host named by its address is not resolved to a host (no link).
 */
export const TASK_CREATE_REMOTE = String.raw`\s[/-]s\s+"?([^\s"/]+)`;

/** RE2, lowercase: the action of a `/create` line, quoted (group 1, `\"` inside) or a single word (group 2). */
export const TASK_ACTION = String.raw`\s[/-]tr\s+(?:"((?:\\"|[^"])*)"|([^\s"]\S*))`;
