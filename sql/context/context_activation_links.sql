-- layer: intermediate
-- parameters: ac_remote_exec_seconds INTEGER, ac_pass INTEGER, ac_service_control_manager VARCHAR, ac_service_start_programs VARCHAR[], ac_service_start_command VARCHAR, ac_service_start_remote VARCHAR, ac_service_start_name VARCHAR, ac_service_host_name VARCHAR, ac_service_start_seconds INTEGER, ac_sc_alias_programs VARCHAR[], ac_service_start_command_sc_aliased VARCHAR, ac_service_exec_tool VARCHAR, ac_service_exec_remote VARCHAR, ac_service_exec_service VARCHAR, ac_service_exec_name VARCHAR
-- parameters: ac_task_scheduler_hosts VARCHAR[], ac_task_create VARCHAR, ac_task_create_remote VARCHAR, ac_task_action VARCHAR
-- The processes the system started at another process's request, among each alert's window events
-- (context_window_keys.sql), with that process (the activator; kind 'com', 'service', 'exec' or
-- 'task'): the tree and the sessions of context_window_tree.sql follow these links as they follow
-- parents.
CREATE OR REPLACE TEMP TABLE context_activation_links AS
WITH window_events AS NOT MATERIALIZED (SELECT * FROM context_window_keys),
parent_links AS NOT MATERIALIZED (SELECT * FROM context_parent_links),
system_starts AS NOT MATERIALIZED (SELECT * FROM context_system_starts),
-- A COM activation: a process the system starts in a session within ac_remote_exec_seconds after
-- another process of that session started, one that is the session's own work (its parent ran in
-- the session too, or is not in the window; not itself a system start, so that activations do not
-- chain; not a child of the process, whose start the sensors can stamp after its child's): calc.exe
-- handing off to the packaged Calculator.exe, which svchost's DcomLaunch starts; a COM elevation's
-- dllhost.exe. Process telemetry names the service host as its parent and not who asked: each such
-- start before it is a possible activator (two calc.exe a few milliseconds apart hand off to one
-- Calculator.exe), and it belongs to their trees (descendants below; ancestors stay the parent's).
-- Only where the system starts few processes in the session (fewer than 3 others in the minute
-- around it, others_nearby): at a logon it starts dozens, one would follow the session's by chance.
com_links AS (
  SELECT e.alert_id, e.event_id, q.event_id AS activator_event_id, q.process_name AS activator_name,
         round((epoch_ms(e.ts) - epoch_ms(q.ts)) / 1000, 1) AS after_seconds, e.parent_name
  FROM system_starts e
  JOIN window_events q ON q.alert_id = e.alert_id AND q.logon_id = e.logon_id AND q.event_id <> e.event_id
   AND q.ts BETWEEN e.ts - to_seconds(getvariable('ac_remote_exec_seconds')) AND e.ts
  LEFT JOIN parent_links ql ON ql.alert_id = q.alert_id AND ql.event_id = q.event_id
  WHERE getvariable('ac_remote_exec_seconds') > 0
    AND (ql.event_id IS NULL OR ql.parent_logon_id IS NOT DISTINCT FROM q.logon_id)
    AND q.parent_process_id IS DISTINCT FROM e.process_id
    AND NOT EXISTS (SELECT 1 FROM system_starts x WHERE x.alert_id = q.alert_id AND x.event_id = q.event_id)
    AND e.others_nearby < 3
    -- (a launch prompt belongs to the launch after it, never a COM activation of a process before it)
    AND NOT EXISTS (SELECT 1 FROM context_event_features pf WHERE pf.event_id = e.event_id AND pf.prompt IS NOT NULL)
),
-- A service start (models/service-control.ts): a process the Service Control Manager
-- (ac_service_control_manager) starts, in whatever session, within ac_service_start_seconds after a
-- command that starts a service on this host: the command asked for it, as an activator does
-- (`sc start Fax` after `sc config Fax binPath= <payload>`: the payload runs as the service). The
-- command is a run of one of ac_service_start_programs (sc, net, PowerShell; not net1.exe under
-- net.exe, the same command again) whose line matches ac_service_start_command and not
-- ac_service_start_remote (a start on another host); the nearest one before the process, and not
-- one naming another service than the service host's `-s` (ac_service_start_name,
-- ac_service_host_name): a trigger-started host a second after `net start X` is not X's. Or a run
-- of a tool that runs its command through its own service (exec: PsExec, ac_service_exec_tool, not
-- naming another host, ac_service_exec_remote): only that service's start is its (ac_service_exec_service,
-- or `<name>.exe` for the name its `-r` gives, ac_service_exec_name).
service_lines AS (
  SELECT q.alert_id, q.event_id, q.ts, q.process_name, lower(d.command_line) AS line
  FROM window_events q
  JOIN context_day_events d ON d.pass = getvariable('ac_pass') AND d.event_id = q.event_id
  WHERE getvariable('ac_service_start_seconds') > 0
    AND list_contains(getvariable('ac_service_start_programs'), q.process_name)
    AND NOT (q.process_name = 'net1.exe' AND q.parent_name = 'net.exe')
),
service_commands AS MATERIALIZED (
  SELECT alert_id, event_id, ts, process_name, false AS exec,
         nullif(regexp_extract(line, getvariable('ac_service_start_name'), 1), '') AS service_name
  FROM service_lines
  WHERE regexp_matches(line, getvariable('ac_service_start_command'))
    -- (Windows PowerShell's bare `sc` is Set-Content: ac_sc_alias_programs take the other forms only)
    AND (NOT list_contains(getvariable('ac_sc_alias_programs'), process_name)
         OR regexp_matches(line, getvariable('ac_service_start_command_sc_aliased')))
    AND NOT regexp_matches(line, getvariable('ac_service_start_remote'))
  UNION ALL
  SELECT alert_id, event_id, ts, process_name, true, nullif(regexp_extract(line, getvariable('ac_service_exec_name'), 1), '')
  FROM service_lines
  WHERE regexp_matches(line, getvariable('ac_service_exec_tool')) AND NOT regexp_matches(line, getvariable('ac_service_exec_remote'))
),
service_links AS MATERIALIZED (
  SELECT e.alert_id, e.event_id, q.event_id AS activator_event_id, q.process_name AS activator_name,
         round((epoch_ms(e.ts) - epoch_ms(q.ts)) / 1000, 1) AS after_seconds, e.parent_name, q.exec
  FROM window_events e
  JOIN service_commands q ON q.alert_id = e.alert_id AND q.event_id <> e.event_id
   AND q.ts BETWEEN e.ts - to_seconds(getvariable('ac_service_start_seconds')) AND e.ts
  JOIN context_day_events ed ON ed.pass = getvariable('ac_pass') AND ed.event_id = e.event_id
  WHERE e.parent_name = getvariable('ac_service_control_manager')
    AND (q.exec OR NOT coalesce(q.service_name <> nullif(lower(regexp_extract(ed.command_line, getvariable('ac_service_host_name'), 1)), ''), false))
    AND (NOT q.exec OR regexp_full_match(e.process_name, getvariable('ac_service_exec_service')) OR e.process_name = q.service_name || '.exe')
  -- (a tool's own service is its, whatever other start came nearer: an exec link holds only then)
  QUALIFY row_number() OVER (PARTITION BY e.alert_id, e.event_id ORDER BY q.exec DESC, q.ts DESC, q.event_id) = 1
),
-- A scheduled task's run (models/scheduled-tasks.ts): a process the Task Scheduler
-- (ac_task_scheduler_hosts) started whose line is the action of a `schtasks /create` (or `/change`)
-- run before it on this host (ac_task_create; not one whose `/s` names another host,
-- ac_task_create_remote; the action ac_task_action's group 1 or 2), compared lowercase without
-- quotes and with spaces folded (action_re: an action's environment variables, which the Task
-- Scheduler expands, as any word), when the window's first run of that line came after the
-- registration (a line the host's Task Scheduler ran before is routine, not the registration's).
-- The latest such registration. Lines matched by equality where they can be (a hash join, not
-- every run against every registration).
task_creates AS MATERIALIZED (
  SELECT *, ac_task_action_re(action) AS action_re
  FROM (SELECT q.alert_id, q.event_id, q.ts, q.host, q.process_name,
               ac_task_action_of(l.line, getvariable('ac_task_action')) AS action,
               ac_task_named(l.line, getvariable('ac_task_action'), getvariable('ac_task_create_remote')) AS named
        FROM window_events q
        JOIN (SELECT event_id, lower(command_line) AS line FROM context_day_events WHERE pass = getvariable('ac_pass') AND process_name = 'schtasks.exe') l USING (event_id)
        WHERE q.process_name = 'schtasks.exe' AND regexp_matches(l.line, getvariable('ac_task_create')))
  WHERE NOT ac_task_elsewhere(named, host) AND action <> ''
),
-- the Task Scheduler's runs in the windows that have a registration, each line normalized once
task_run_lines AS MATERIALIZED (
  SELECT e.alert_id, e.event_id, e.ts, e.parent_name, ac_task_line(ed.command_line) AS run_line
  FROM window_events e
  JOIN context_day_events ed ON ed.pass = getvariable('ac_pass') AND ed.event_id = e.event_id
  WHERE list_contains(getvariable('ac_task_scheduler_hosts'), e.parent_name) AND e.alert_id IN (SELECT alert_id FROM task_creates)
),
task_runs AS (
  SELECT r.*, q.event_id AS activator_event_id, q.process_name AS activator_name, q.ts AS asked_ts
  FROM task_run_lines r JOIN task_creates q ON q.alert_id = r.alert_id AND q.action = r.run_line
  UNION ALL
  SELECT r.*, q.event_id, q.process_name, q.ts
  FROM task_run_lines r JOIN task_creates q ON q.alert_id = r.alert_id AND q.action_re IS NOT NULL AND regexp_full_match(r.run_line, q.action_re)
),
task_links AS (
  SELECT alert_id, event_id, activator_event_id, activator_name, round((epoch_ms(ts) - epoch_ms(asked_ts)) / 1000, 1) AS after_seconds, parent_name
  FROM task_runs t
  WHERE ts > asked_ts
    AND NOT EXISTS (SELECT 1 FROM task_runs x WHERE x.alert_id = t.alert_id AND x.activator_event_id = t.activator_event_id AND x.ts <= t.asked_ts)
  QUALIFY row_number() OVER (PARTITION BY alert_id, event_id ORDER BY asked_ts DESC, activator_event_id) = 1
)
SELECT 'com' AS kind, * FROM com_links
UNION ALL
SELECT CASE WHEN exec THEN 'exec' ELSE 'service' END, * EXCLUDE (exec) FROM service_links
UNION ALL
SELECT 'task', * FROM task_links;
