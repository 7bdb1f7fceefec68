-- layer: intermediate
-- parameters: ac_pass INTEGER, ac_remote_programs VARCHAR[], ac_remote_pattern VARCHAR
-- parameters: ac_task_create VARCHAR, ac_task_create_remote VARCHAR, ac_task_action VARCHAR
-- The commands of each alert's process tree or logon session (context_window_features.sql: rank 1
-- or 2) that ask another host to start a process (models/remote-starts.ts, remote_start_kinds): one
-- row per host named (ac_named_hosts), with the kind's launcher, the service a `sc start` names
-- ('' for none) and which starts are its (started: NULL for any). context_remote_started.sql finds what they started there.
-- And the scheduled tasks they registered there (models/scheduled-tasks.ts: `schtasks /create /s
-- <host>` naming another host), with the task's action (action, action_re as
-- context_activation_links.sql reads them; NULL for the other asks): its run comes at its trigger.
CREATE OR REPLACE TEMP TABLE context_remote_asks AS
-- the runs of the kinds' programs (bound: a filter of the scan), then those whose line asks another
-- host (ac_remote_pattern, any kind's, compiled once; then the kind's own)
WITH program_runs AS MATERIALIZED (
  SELECT w.alert_id, w.event_id AS asker_event_id, w.ts, w.host, w.process_name AS asker_name, w.relation_rank, lower(d.command_line) AS line
  FROM context_window_features w
  JOIN context_day_events d ON d.pass = getvariable('ac_pass') AND d.event_id = w.event_id
  WHERE w.relation_rank <= 2 AND list_contains(getvariable('ac_remote_programs'), w.process_name)
),
asking AS MATERIALIZED (SELECT * FROM program_runs WHERE regexp_matches(line, getvariable('ac_remote_pattern'))),
-- the tree's and session's runs of schtasks.exe (their lines read only then: a test on the line
-- alone would be pushed into the scan of the whole day)
task_runs AS MATERIALIZED (
  SELECT w.alert_id, w.event_id AS asker_event_id, w.ts, w.host, w.process_name AS asker_name, w.relation_rank, lower(d.command_line) AS line
  FROM context_window_features w
  JOIN context_day_events d ON d.pass = getvariable('ac_pass') AND d.event_id = w.event_id AND d.process_name = 'schtasks.exe'
  WHERE w.relation_rank <= 2 AND w.process_name = 'schtasks.exe'
)
SELECT a.* EXCLUDE (line), k.launcher, k.launcher_starts, k.started, unnest(ac_named_hosts(a.line, k.pattern)) AS target,
       regexp_extract(a.line, k.pattern, 2) AS service_name, NULL::VARCHAR AS action, NULL::VARCHAR AS action_re
FROM asking a JOIN remote_start_kinds k ON k.program = a.asker_name
WHERE regexp_matches(a.line, k.pattern)
UNION ALL
SELECT *, ac_task_action_re(action)
FROM (SELECT t.alert_id, t.asker_event_id, t.ts, t.host, t.asker_name, t.relation_rank,
             NULL::VARCHAR AS launcher, false AS launcher_starts, NULL::VARCHAR AS started,
             ac_task_named(t.line, getvariable('ac_task_action'), getvariable('ac_task_create_remote')) AS target,
             '' AS service_name,
             ac_task_action_of(t.line, getvariable('ac_task_action')) AS action
      FROM task_runs t WHERE regexp_matches(t.line, getvariable('ac_task_create')))
WHERE ac_task_elsewhere(target, host) AND action <> '';
