-- layer: intermediate
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP, ac_remote_start_seconds INTEGER
-- parameters: ac_session_pattern VARCHAR, ac_opener_ids VARCHAR[]
-- Who opened the alert's network logon (models/remote-starts.ts, REMOTE_SESSION_OPENERS,
-- remote_session_kinds): for an alert whose session is a network logon (context_alert_scope.sql:
-- when it began, and the accounts of its logon events), the command on another host that named the
-- alert's host (`schtasks /create ... /S WORKSTATION6`, `sc \\WORKSTATION6 ...`, `wmic /node:`,
-- `reg ... \\host\...`, `net ... \\host`, PowerShell's -ComputerName; the host as its key,
-- ac_named_hosts), run by one of the logon's accounts within ac_remote_start_seconds before the logon
-- began: the latest. A line of the alert's report at the session's rank (context_candidates.sql),
-- with its own host's rarity, its reason naming that host. starts_nothing: its line is one that
-- starts no process there (the kind's starts_nothing: `schtasks /create`, `sc query`, `reg`), so
-- that what the host started after the logon is not taken for its doing (context_window_tree.sql).
-- The candidates (context_session_opener_runs.sql: the runs of the openers' programs by the logon's
-- accounts in the seconds before it) are bound, ac_opener_ids, so that only their lines are read.
CREATE OR REPLACE TEMP TABLE context_session_openers AS
WITH logon_alerts AS MATERIALIZED (
  SELECT alert_id, host, session, session_logon_ts FROM context_alert_scope WHERE session_logon_ts IS NOT NULL
),
-- the candidates' lines, then those that name a host (ac_session_pattern, any opener's, compiled
-- once; then the program's own)
program_runs AS MATERIALIZED (
  SELECT p.event_id, p.ts, p.host, p.user_name, p.logon_id, p.command_line, p.image, p.process_name, coalesce(p.parent_name, '') AS parent_name,
         lower(p.command_line) AS line
  FROM process_events p
  WHERE p.ts BETWEEN getvariable('ac_span_lo') - to_seconds(getvariable('ac_remote_start_seconds')) AND getvariable('ac_span_hi')
    AND list_contains(getvariable('ac_opener_ids'), p.event_id)
),
naming AS MATERIALIZED (SELECT * FROM program_runs WHERE regexp_matches(line, getvariable('ac_session_pattern'))),
named AS (
  SELECT n.* EXCLUDE (line), coalesce(regexp_matches(n.line, k.starts_nothing), false) AS starts_nothing,
         unnest(ac_named_hosts(n.line, k.pattern)) AS target
  FROM naming n JOIN remote_session_kinds k ON k.program = n.process_name
  WHERE regexp_matches(n.line, k.pattern)
),
openers AS (
  SELECT l.alert_id, l.session, n.* EXCLUDE (target, event_id), r.event_id, round((epoch_ms(l.session_logon_ts) - epoch_ms(n.ts)) / 1000, 1) AS before_seconds
  FROM context_session_opener_runs r
  JOIN logon_alerts l USING (alert_id)
  JOIN named n ON n.event_id = r.event_id AND n.target = l.host
  QUALIFY row_number() OVER (PARTITION BY l.alert_id ORDER BY n.ts DESC, n.event_id) = 1
)
SELECT o.*, r.template, r.template_hosts, r.pair_hosts, r.fleet_hosts, r.host_days, r.history_days,
       coalesce(r.host_history_days, CASE WHEN r.host_is_new THEN 0 ELSE r.history_days END) AS host_history_days
FROM openers o
LEFT JOIN process_rarity r ON r.day = o.ts::DATE AND r.event_id = o.event_id;
