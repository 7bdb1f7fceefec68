-- layer: intermediate
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP, ac_max_fleet_hosts INTEGER, ac_max_fleet_share DOUBLE
-- parameters: ac_remote_programs VARCHAR[], ac_remote_pattern VARCHAR, ac_remote_start_seconds INTEGER
-- parameters: ac_consumer_hosts VARCHAR[]
-- The alerts of context_alert_jobs (context_alert_jobs.sql) that can get a report at all, so that
-- context and tune prepare and judge the windows of those only (onlyReportable,
-- pipeline/context/context-candidates.ts). A report needs an
-- unusual item (context_kept.sql): an unusual process or a burst's unusual member, whose template is
-- rare in the fleet with fleet history to tell (ac_fleet_rare and ac_fleet_judged, in
-- context_candidates.sql as ac_process_unusual or alone in the alert's tree),
-- or an unusual RDP logon; or, from another host (models/remote-starts.ts): a rare command that asked
-- the alert's host to start a process (context_remote_starts.sql), a command of its window naming a
-- host where a rare process follows (context_remote_started.sql), a rare run by the account of its
-- network logon in the seconds before it (context_session_openers.sql; the alert's logon id, else
-- its process's), or the command that opened the remote WMI session a consumer host of its
-- windows followed (context_consumer_sessions.sql: any consumer host's start here). So an alert whose process
-- windows hold no event with a template rare in the fleet, under the loosest thresholds judged
-- (ac_max_fleet_hosts and ac_max_fleet_share: the largest of the threshold points; rarer is rare
-- under any of them), whose RDP window holds no successful RDP logon and that no other host's rare
-- run reaches, gets no report whatever its windows hold: its windows are not read (on a fleet's
-- first day, only the alerts near an RDP logon are).
-- A necessary condition, not the decision: the alerts kept are judged in full.
-- On the bench's 1,000-host day about half the alerts have neither (Sigma rules fire on common
-- administration too), and 1 in 40 gets a report.
CREATE OR REPLACE TEMP TABLE context_reportable AS
WITH windows AS (
  SELECT alert_id, any_value(host) AS host,
         min(win_start) FILTER (WHERE category <> 'RDPLogon') AS process_start, max(win_end) FILTER (WHERE category <> 'RDPLogon') AS process_end,
         min(win_start) FILTER (WHERE category = 'RDPLogon') AS rdp_start, max(win_end) FILTER (WHERE category = 'RDPLogon') AS rdp_end
  FROM context_alert_jobs GROUP BY alert_id
),
-- the span's events with a template rare in the fleet: a few in a thousand
rare_ids AS (
  SELECT event_id FROM process_rarity
  WHERE day BETWEEN getvariable('ac_span_lo')::DATE AND getvariable('ac_span_hi')::DATE
    AND ac_fleet_judged(history_days)
    AND ac_fleet_rare(template_hosts, fleet_hosts, getvariable('ac_max_fleet_hosts'), getvariable('ac_max_fleet_share'))
),
rare_events AS MATERIALIZED (
  SELECT p.host, p.ts, ac_account(p.user_name) AS account FROM process_events p SEMI JOIN rare_ids USING (event_id)
  WHERE p.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi')
),
-- the rare ones that ask another host to start a process, by the host named (its key): the runs of
-- remote_start_kinds' programs (bound: a filter of the scan), whose line asks another host
-- (ac_remote_pattern, any kind's, compiled once; then the kind's own)
programs_run AS MATERIALIZED (
  SELECT p.event_id, p.host, p.ts, p.process_name, lower(p.command_line) AS line FROM process_events p
  WHERE p.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi') AND list_contains(getvariable('ac_remote_programs'), p.process_name)
),
asking_any AS MATERIALIZED (SELECT * FROM programs_run WHERE regexp_matches(line, getvariable('ac_remote_pattern'))),
asking AS (SELECT * FROM asking_any SEMI JOIN rare_ids USING (event_id)),
-- the other direction (context_remote_started.sql): any such run, by the host it ran on, and the
-- hosts it names, where a rare event after it makes the alert of its host's window reportable
asks_from AS (
  SELECT p.host, p.ts, unnest(ac_named_hosts(p.line, k.pattern)) AS target
  FROM asking_any p JOIN remote_start_kinds k ON k.program = p.process_name
  WHERE regexp_matches(p.line, k.pattern)
),
-- The alert's session: its logon id, else that of its process (context_alert_scope.sql takes it
-- from the event the alert matched or the process with the alert's id in its windows; here that
-- event's (context_alert_jobs.sql) and any process's with that id in them up to a minute after the
-- alert: a superset, as a necessary condition may be)
alert_sessions AS (
  SELECT DISTINCT alert_id, host, logon_id FROM context_alert_jobs WHERE logon_id IS NOT NULL
  UNION
  SELECT j.alert_id, j.host, p.logon_id
  FROM (SELECT alert_id, host, process_id, ts, min(win_start) AS win_start FROM context_alert_jobs
        WHERE logon_id IS NULL AND process_id IS NOT NULL GROUP BY ALL) j
  JOIN process_events p ON p.host = j.host AND p.process_id = j.process_id AND p.ts BETWEEN j.win_start AND j.ts + INTERVAL 1 MINUTE
   AND p.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi')
  UNION
  SELECT DISTINCT alert_id, host, process_logon_id FROM context_alert_jobs WHERE logon_id IS NULL AND process_logon_id IS NOT NULL
),
-- a rare run on another host by one of the logon's accounts within ac_remote_start_seconds before
-- the alert's network logon began
-- (context_session_openers.sql: what opened it, when its line names the host; lines not read here)
net_logons AS (
  SELECT j.alert_id, any_value(j.host) AS host, min(l.ts) AS logon_ts, list(DISTINCT ac_account(l.user_name)) AS accounts
  FROM alert_sessions j
  JOIN logon_events l ON l.host = j.host AND l.logon_id = j.logon_id
  -- (within the alert's own windows, as context_alert_scope.sql reads the session)
  JOIN (SELECT alert_id, min(win_start) AS lo, max(win_end) AS hi FROM context_alert_jobs GROUP BY alert_id) b
    ON b.alert_id = j.alert_id AND l.ts BETWEEN b.lo AND b.hi
  WHERE l.logon_type = 3 AND l.outcome <> 'failure' AND l.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi')
  GROUP BY j.alert_id, j.logon_id
),
remote_starts AS (
  SELECT unnest(ac_named_hosts(p.line, k.pattern)) AS target, p.host AS from_host, p.ts
  FROM asking p JOIN remote_start_kinds k ON k.program = p.process_name
  WHERE regexp_matches(p.line, k.pattern)
),
-- WMI's consumer hosts (models/wmi-consumers.ts): rare starts themselves, by name (a filter of the scan)
consumer_runs AS MATERIALIZED (
  SELECT p.host, p.ts FROM process_events p
  WHERE p.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi') AND list_contains(getvariable('ac_consumer_hosts'), p.process_name)
),
rdp_logons AS (
  SELECT host, ts FROM logon_events
  WHERE logon_type = 10 AND outcome <> 'failure' AND ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi')
)
SELECT w.alert_id FROM windows w SEMI JOIN rare_events r ON r.host = w.host AND r.ts BETWEEN w.process_start AND w.process_end
UNION
SELECT w.alert_id FROM windows w SEMI JOIN remote_starts r
  ON r.target = w.host AND r.from_host <> w.host AND r.ts BETWEEN w.process_start AND w.process_end
UNION
SELECT w.alert_id FROM windows w JOIN asks_from a ON a.host = w.host AND a.ts BETWEEN w.process_start AND w.process_end
WHERE EXISTS (SELECT 1 FROM rare_events r WHERE r.host = a.target AND r.host <> a.host AND r.ts BETWEEN a.ts AND w.process_end)
UNION
SELECT n.alert_id FROM net_logons n SEMI JOIN rare_events r
  ON list_contains(n.accounts, r.account) AND r.host <> n.host AND r.ts BETWEEN n.logon_ts - to_seconds(getvariable('ac_remote_start_seconds')) AND n.logon_ts
UNION
SELECT w.alert_id FROM windows w SEMI JOIN consumer_runs c ON c.host = w.host AND c.ts BETWEEN w.process_start AND w.process_end
UNION
SELECT w.alert_id FROM windows w SEMI JOIN rdp_logons l ON l.host = w.host AND l.ts BETWEEN w.rdp_start AND w.rdp_end;
