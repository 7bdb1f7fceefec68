-- layer: intermediate
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP, ac_pass INTEGER
-- parameters: ac_task_scheduler_hosts VARCHAR[], ac_task_create VARCHAR, ac_task_create_remote VARCHAR, ac_task_action VARCHAR
-- A scheduled task registered from another host (models/scheduled-tasks.ts): for an alert whose
-- process, its parent or its grandparent the Task Scheduler started (ac_task_scheduler_hosts), the
-- `schtasks /create` (or `/change`) run on another host whose `/s` names this host and whose `/tr`
-- action is that process's line (compared as context_activation_links.sql compares a local
-- registration's), in the alert's window before it: the nearest to the alert process, the latest
-- registration. A line of the alert's tree beside the commands of context_remote_starts.sql, into
-- whose table it goes, in its shape (`asks`: how the reason says what the command did there).
INSERT INTO context_remote_starts BY NAME
WITH alert_line AS NOT MATERIALIZED (SELECT * FROM context_alert_line), -- context_alert_line.sql
-- the ones the Task Scheduler started, with their lines as a task's action is compared
started AS MATERIALIZED (
  SELECT a.alert_id, a.depth, e.ts, e.host, e.process_name, e.parent_name, w.win_start,
         ac_task_line(d.command_line) AS run_line
  FROM alert_line a
  JOIN context_window_keys e ON e.alert_id = a.alert_id AND e.event_id = a.event_id
  JOIN context_day_events d ON d.pass = getvariable('ac_pass') AND d.event_id = e.event_id
  JOIN context_alert_windows w ON w.alert_id = a.alert_id
  WHERE list_contains(getvariable('ac_task_scheduler_hosts'), e.parent_name)
),
-- the span's registrations naming another host (read only when some alert has such a process;
-- action_re as context_activation_links.sql makes it)
registrations AS MATERIALIZED (
  SELECT *, ac_task_action_re(action) AS action_re
  FROM (SELECT p.event_id, p.ts, p.host, p.user_name, p.logon_id, p.command_line, p.image, p.process_name, coalesce(p.parent_name, '') AS parent_name,
               ac_task_action_of(lower(p.command_line), getvariable('ac_task_action')) AS action,
               ac_task_named(lower(p.command_line), getvariable('ac_task_action'), getvariable('ac_task_create_remote')) AS named
        FROM process_events p
        WHERE p.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi') AND p.process_name = 'schtasks.exe'
          AND EXISTS (SELECT 1 FROM started)
          AND regexp_matches(lower(p.command_line), getvariable('ac_task_create')))
  WHERE ac_task_elsewhere(named, host) AND action <> ''
),
-- the same line's runs by the Task Scheduler of those hosts in the windows before (a routine line
-- is not the registration's)
earlier_runs AS MATERIALIZED (
  SELECT s.alert_id, s.run_line, min(e.ts) AS first_ts
  FROM started s
  JOIN context_window_keys e ON e.alert_id = s.alert_id AND list_contains(getvariable('ac_task_scheduler_hosts'), e.parent_name)
  JOIN context_day_events d ON d.pass = getvariable('ac_pass') AND d.event_id = e.event_id
  WHERE ac_task_line(d.command_line) = s.run_line
  GROUP BY ALL
),
matches AS (
  SELECT s.*, r.* EXCLUDE (ts, host, process_name, parent_name), r.ts AS asked_ts, r.host AS asked_host, r.process_name AS asker_name, r.parent_name AS asker_parent
  FROM started s JOIN registrations r ON r.named = s.host AND r.action = s.run_line
  UNION ALL
  SELECT s.*, r.* EXCLUDE (ts, host, process_name, parent_name), r.ts, r.host, r.process_name, r.parent_name
  FROM started s JOIN registrations r ON r.named = s.host AND r.action_re IS NOT NULL AND regexp_full_match(s.run_line, r.action_re)
),
links AS (
  SELECT m.alert_id, m.depth, m.process_name AS started_name,
         m.event_id, m.asked_ts AS ts, m.asked_host AS host, m.user_name, m.logon_id, m.command_line, m.image, m.asker_name AS process_name, m.asker_parent AS parent_name,
         format('registered the scheduled task that ran it on this host ({})', m.parent_name) AS asks,
         round((epoch_ms(m.ts) - epoch_ms(m.asked_ts)) / 1000, 1) AS before_seconds
  FROM matches m
  LEFT JOIN earlier_runs er ON er.alert_id = m.alert_id AND er.run_line = m.run_line
  WHERE m.asked_host <> m.host AND m.asked_ts < m.ts AND m.asked_ts >= m.win_start AND coalesce(er.first_ts > m.asked_ts, true)
  QUALIFY row_number() OVER (PARTITION BY m.alert_id ORDER BY m.depth, m.asked_ts DESC, m.event_id) = 1
)
SELECT l.*, r.template, r.template_hosts, r.pair_hosts, r.fleet_hosts, r.host_days, r.history_days,
       coalesce(r.host_history_days, CASE WHEN r.host_is_new THEN 0 ELSE r.history_days END) AS host_history_days
FROM links l
LEFT JOIN process_rarity r ON r.day = l.ts::DATE AND r.event_id = l.event_id;
