-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE, ac_well_known_logons VARCHAR[]
-- parameters: ac_well_known_accounts VARCHAR[], ac_alert_id VARCHAR
-- Which jobs run for which alert of [ac_from, ac_to] (or the one alert ac_alert_id), and the window
-- each looks at. The job table is data (models/context-jobs.ts, windows from the config). Shared by
-- context generation and the metrics (attack recall counts the events inside these windows).
-- An alert names a process by its id, or as the process event it matched (matched_event_id, a
-- Sigma alert's: process_event_id here when it is one, with its logon id, process_logon_id; an
-- event recorded without its process id, as some of the OTRF captures' Sysmon events are, is named
-- so only).
CREATE OR REPLACE TEMP TABLE context_alert_jobs AS
WITH period_alerts AS (
  SELECT alert_id, ts, host, alert_name,
         -- SYSTEM and the other service sessions are on every machine: never "the alert's session".
         -- and a machine account (WORKSTATION5$) is SYSTEM's name on the network; the account of
         -- such a session is the machine's whatever its name (a German NETWORK SERVICE is
         -- NETZWERKDIENST, which the name list does not know)
         CASE WHEN ac_machine_account(ac_account(user_name), getvariable('ac_well_known_accounts'))
                OR coalesce(list_contains(getvariable('ac_well_known_logons'), logon_id), false) THEN NULL ELSE ac_account(user_name) END AS user_name,
         CASE WHEN list_contains(getvariable('ac_well_known_logons'), logon_id) THEN NULL ELSE logon_id END AS logon_id,
         process_id, command_line, matched_event_id
  FROM alerts
  WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
    AND (getvariable('ac_alert_id') IS NULL OR alert_id = getvariable('ac_alert_id'))
),
-- (the matched process events, read over the period only: an alert is stamped with its event's
-- time, which it must have: an id may name a logon event and another table's process alike)
matched_processes AS (
  SELECT a.alert_id, p.event_id AS process_event_id, p.logon_id AS process_logon_id
  FROM (SELECT alert_id, ts, host, matched_event_id FROM period_alerts WHERE matched_event_id IS NOT NULL) a
  JOIN process_events p ON p.event_id = a.matched_event_id AND p.host = a.host AND p.ts = a.ts
  WHERE p.ts >= getvariable('ac_from')::TIMESTAMP AND p.ts < (getvariable('ac_to') + 1)::TIMESTAMP
),
alert_jobs AS (
  SELECT a.* EXCLUDE (matched_event_id), m.process_event_id, m.process_logon_id, j.name AS job, j.category, j.ord AS job_order,
         a.ts - to_minutes(j.before_minutes) AS win_start, a.ts + to_minutes(j.after_minutes) AS win_end
  FROM period_alerts a LEFT JOIN matched_processes m USING (alert_id) JOIN context_jobs j
    ON (list_contains(j.alert_names, '*') OR list_contains(j.alert_names, a.alert_name))
   AND ((list_contains(j.needs_any_of, 'host') AND a.host IS NOT NULL)
     OR (list_contains(j.needs_any_of, 'logon_id') AND a.logon_id IS NOT NULL)
     OR (list_contains(j.needs_any_of, 'account') AND a.user_name IS NOT NULL)
     OR (list_contains(j.needs_any_of, 'process') AND (a.process_id IS NOT NULL OR m.process_event_id IS NOT NULL)))
)
SELECT * FROM alert_jobs;
