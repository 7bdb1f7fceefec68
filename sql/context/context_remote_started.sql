-- layer: intermediate
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP, ac_remote_start_seconds INTEGER, ac_service_host_name VARCHAR
-- parameters: ac_remote_targets VARCHAR[], ac_task_scheduler_hosts VARCHAR[]
-- What a command of the alert's process tree or logon session (context_remote_asks.sql) started on
-- another host (models/remote-starts.ts, the other direction of context_remote_starts.sql): for
-- `sc \\WORKSTATION6 start IKEEXT` or `wmic /node:WORKSTATION6 process call create ...`, the first
-- process the named host's launcher started within ac_remote_start_seconds after it (a process
-- services.exe started, not a service host naming another service (ac_service_host_name) nor
-- another process than the kind's own (started: PsExec's service); the WMI
-- provider host started to serve it, or what it started), and that process's descendants there up
-- to the span's end. Each with the command's relation rank and the texts and rarity of its own host:
-- lines of the alert's report from another host (context_candidates.sql), their reasons naming it.
CREATE OR REPLACE TEMP TABLE context_remote_started AS
WITH RECURSIVE asks AS NOT MATERIALIZED (SELECT * FROM context_remote_asks),
-- the named hosts' processes from the first command on (ac_remote_targets, the hosts the asks name,
-- bound: a filter of the scan; none when there is no ask)
target_events AS MATERIALIZED (
  SELECT p.event_id, p.ts, p.host, p.user_name, p.logon_id, p.process_id, p.parent_process_id, p.command_line, p.image,
         coalesce(p.process_name, '') AS process_name, coalesce(p.parent_name, '') AS parent_name
  FROM process_events p
  WHERE p.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi') + to_seconds(getvariable('ac_remote_start_seconds'))
    AND list_contains(getvariable('ac_remote_targets'), p.host) AND p.ts >= (SELECT min(ts) FROM asks)
),
-- the Task Scheduler's runs over the span on the hosts a task registration names (from the span's
-- start: a run before the registration makes the line routine), each line normalized once
task_run_lines AS MATERIALIZED (
  SELECT p.event_id, p.ts, p.host, p.process_id, coalesce(p.process_name, '') AS process_name, p.parent_name,
         ac_task_line(p.command_line) AS run_line
  FROM process_events p
  WHERE p.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi') + to_seconds(getvariable('ac_remote_start_seconds'))
    AND list_contains(getvariable('ac_remote_targets'), p.host) AND list_contains(getvariable('ac_task_scheduler_hosts'), p.parent_name)
    AND p.host IN (SELECT target FROM asks WHERE action IS NOT NULL)
),
first_starts AS (
  SELECT a.alert_id, a.asker_event_id, a.asker_name, a.relation_rank, p.event_id, p.ts, p.host, p.process_id, p.process_name,
         p.parent_name AS started_by, round((epoch_ms(p.ts) - epoch_ms(a.ts)) / 1000, 1) AS after_seconds
  FROM asks a JOIN target_events p ON p.host = a.target AND p.host <> a.host
   AND p.ts BETWEEN a.ts AND a.ts + to_seconds(getvariable('ac_remote_start_seconds'))
  WHERE getvariable('ac_remote_start_seconds') > 0 AND a.action IS NULL
    AND (p.parent_name = a.launcher OR (a.launcher_starts AND p.process_name = a.launcher))
    AND (a.service_name = '' OR coalesce(lower(regexp_extract(p.command_line, getvariable('ac_service_host_name'), 1)), '') IN ('', a.service_name))
    AND (a.started IS NULL OR regexp_full_match(p.process_name, a.started))
  QUALIFY row_number() OVER (PARTITION BY a.alert_id, a.asker_event_id, a.target ORDER BY p.ts, p.event_id) = 1
  UNION ALL
  -- a task registered there: the first run of its action the Task Scheduler started after it, in the
  -- span, when that host's Task Scheduler had not run the line before it (a routine line)
  SELECT a.alert_id, a.asker_event_id, a.asker_name, a.relation_rank, p.event_id, p.ts, p.host, p.process_id, p.process_name,
         p.parent_name, round((epoch_ms(p.ts) - epoch_ms(a.ts)) / 1000, 1)
  FROM asks a
  -- (the runs whose line is the action, by equality as a join, or by its expression where it has one)
  JOIN (SELECT t.*, k.asker_event_id AS matched_ask FROM task_run_lines t JOIN asks k ON k.target = t.host AND k.action = t.run_line
        UNION ALL
        SELECT t.*, k.asker_event_id FROM task_run_lines t JOIN asks k ON k.target = t.host AND k.action_re IS NOT NULL AND regexp_full_match(t.run_line, k.action_re)) p
    ON p.matched_ask = a.asker_event_id AND p.host = a.target AND p.host <> a.host
  JOIN context_alert_windows w ON w.alert_id = a.alert_id
  WHERE a.action IS NOT NULL AND p.ts > a.ts AND p.ts <= w.win_end + to_seconds(getvariable('ac_remote_start_seconds'))
    -- (routine: run in the alert's window before the registration, as context_remote_tasks.sql
    -- reads it; not from the run's span, which another alert's window may stretch)
    AND NOT EXISTS (SELECT 1 FROM task_run_lines x WHERE x.host = p.host AND x.run_line = p.run_line AND x.ts <= a.ts AND x.ts >= w.win_start)
  QUALIFY row_number() OVER (PARTITION BY a.alert_id, a.asker_event_id, a.target ORDER BY p.ts, p.event_id) = 1
),
-- each process's parent there: the latest with the parent's id started at or before it (ids are
-- reused), as context_event_features.sql finds it
target_links AS MATERIALIZED (
  SELECT e.event_id, q.event_id AS parent_event_id
  FROM target_events e
  ASOF JOIN target_events q ON q.host = e.host AND q.process_id = e.parent_process_id AND q.ts <= e.ts
  WHERE q.event_id <> e.event_id
),
started(alert_id, event_id, depth, root_event_id) AS (
  SELECT alert_id, event_id, 0, event_id FROM first_starts
  UNION
  SELECT s.alert_id, l.event_id, s.depth + 1, s.root_event_id
  FROM started s JOIN target_links l ON l.parent_event_id = s.event_id
  WHERE s.depth < 8
)
SELECT s.alert_id, s.depth, f.asker_name, f.relation_rank, f.started_by, f.process_name AS started_name, f.after_seconds,
       e.event_id, e.ts, e.host, e.user_name, e.logon_id, e.command_line, e.image, e.process_name, e.parent_name,
       r.template, r.template_hosts, r.pair_hosts, r.fleet_hosts, r.host_days, r.history_days,
       coalesce(r.host_history_days, CASE WHEN r.host_is_new THEN 0 ELSE r.history_days END) AS host_history_days
FROM (SELECT alert_id, event_id, arg_min(depth, depth) AS depth, arg_min(root_event_id, (depth, root_event_id)) AS root_event_id
      FROM started GROUP BY alert_id, event_id) s
JOIN first_starts f ON f.alert_id = s.alert_id AND f.event_id = s.root_event_id
JOIN target_events e ON e.event_id = s.event_id
LEFT JOIN process_rarity r ON r.day = e.ts::DATE AND r.event_id = e.event_id
-- (one row per alert and event: the nearest start's)
QUALIFY row_number() OVER (PARTITION BY s.alert_id, s.event_id ORDER BY f.relation_rank, f.after_seconds, f.asker_event_id) = 1;
