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
         trim(regexp_replace(replace(lower(d.command_line), '"', ''), '\s+', ' ', 'g')) AS run_line
  FROM alert_line a
  JOIN context_window_keys e ON e.alert_id = a.alert_id AND e.event_id = a.event_id
  JOIN context_day_events d ON d.pass = getvariable('ac_pass') AND d.event_id = e.event_id
  JOIN context_alert_windows w ON w.alert_id = a.alert_id
  WHERE list_contains(getvariable('ac_task_scheduler_hosts'), e.parent_name)
),
-- the span's registrations naming another host (read only when some alert has such a process)
registrations AS MATERIALIZED (
  SELECT *, CASE WHEN contains(action, '%') THEN regexp_replace(action, '%[^%\s\\]+%', '%', 'g') END AS action_like
  FROM (SELECT p.event_id, p.ts, p.host, p.user_name, p.logon_id, p.command_line, p.image, p.process_name, coalesce(p.parent_name, '') AS parent_name,
               trim(regexp_replace(replace(replace(coalesce(nullif(regexp_extract(lower(p.command_line), getvariable('ac_task_action'), 1), ''),
                                                            regexp_extract(lower(p.command_line), getvariable('ac_task_action'), 2)), '\"', ''), '"', ''), '\s+', ' ', 'g')) AS action,
               ac_host_key(nullif(regexp_extract(regexp_replace(lower(p.command_line), getvariable('ac_task_action'), ' '), getvariable('ac_task_create_remote'), 1), '')) AS named
        FROM process_events p
        WHERE p.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi') AND p.process_name = 'schtasks.exe'
          AND EXISTS (SELECT 1 FROM started)
          AND regexp_matches(lower(p.command_line), getvariable('ac_task_create')))
  WHERE named IS NOT NULL AND named NOT IN (host, 'localhost', '127.0.0.1') AND action <> ''
),
links AS (
  SELECT s.alert_id, s.depth, s.process_name AS started_name,
         r.event_id, r.ts, r.host, r.user_name, r.logon_id, r.command_line, r.image, r.process_name, r.parent_name,
         format('registered the scheduled task that ran it on this host ({})', s.parent_name) AS asks,
         round((epoch_ms(s.ts) - epoch_ms(r.ts)) / 1000, 1) AS before_seconds
  FROM started s
  JOIN registrations r ON r.named = s.host AND r.host <> s.host AND r.ts < s.ts AND r.ts >= s.win_start
  WHERE CASE WHEN r.action_like IS NULL THEN s.run_line = r.action OR (contains(r.action, ' ') AND starts_with(s.run_line, r.action || ' '))
             ELSE s.run_line LIKE r.action_like OR (contains(r.action, ' ') AND s.run_line LIKE r.action_like || ' %') END
  QUALIFY row_number() OVER (PARTITION BY s.alert_id ORDER BY s.depth, r.ts DESC, r.event_id) = 1
)
SELECT l.*, r.template, r.template_hosts, r.pair_hosts, r.fleet_hosts, r.host_days, r.history_days,
       coalesce(r.host_history_days, CASE WHEN r.host_is_new THEN 0 ELSE r.history_days END) AS host_history_days
FROM links l
LEFT JOIN process_rarity r ON r.day = l.ts::DATE AND r.event_id = l.event_id;
