-- layer: intermediate
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP, ac_remote_start_seconds INTEGER
-- parameters: ac_opener_ids VARCHAR[], ac_address_days INTEGER
-- Who opened the alert's network logon (models/remote-starts.ts, REMOTE_SESSION_OPENERS): for an
-- alert whose session is a network logon (context_alert_scope.sql: when it began, and the accounts
-- of its logon events), or whose consumer host followed a remote WMI session (the session's logon:
-- context_consumer_sessions.sql), the command on another host that named the alert's host, run by one of the
-- logon's accounts within ac_remote_start_seconds before the logon began (`schtasks /create ... /S
-- WORKSTATION6`, `sc \\WORKSTATION6 ...`, `MoveExcelXLL.exe 172.18.39.6 ...`): a word of its line
-- (split at blanks, quotes, slashes, commas, colons and the like) is the host's key (ac_host_key) or
-- one of its addresses (the source addresses its name was seen with in the logons from the
-- ac_address_days before to the end of the alert's windows); the latest. A line of the alert's report at the session's rank (context_candidates.sql),
-- with its own host's rarity, its reason naming that host. starts_nothing: its line is one that
-- starts no process there (the kind's starts_nothing: `schtasks /create`, `sc query`, `reg`), so
-- that what the host started after the logon is not taken for its doing (context_window_tree.sql).
-- The candidates (context_session_opener_runs.sql: the runs by the logon's accounts in the seconds
-- before it) are bound, ac_opener_ids, so that only their lines are read.
CREATE OR REPLACE TEMP TABLE context_session_openers AS
WITH logon_alerts AS MATERIALIZED (
  SELECT alert_id, host, session, session_logon_ts, NULL::DOUBLE AS consumer_seconds, NULL::INTEGER AS consumer_depth
  FROM context_alert_scope WHERE session_logon_ts IS NOT NULL
  UNION ALL
  -- consumer_seconds: the logon is not the alert's but the remote WMI session its consumer host (on
  -- the alert's line: consumer_depth) followed, so many seconds later (context_consumer_sessions.sql)
  SELECT s.alert_id, a.host, s.logon_id, s.logon_ts, s.consumer_seconds, s.depth
  FROM context_consumer_sessions s JOIN context_alert_scope a USING (alert_id) WHERE s.depth IS NOT NULL
),
-- the candidates' lines, as words (host keys)
program_runs AS MATERIALIZED (
  SELECT p.event_id, p.ts, p.host, p.user_name, p.logon_id, p.command_line, p.image, p.process_name, coalesce(p.parent_name, '') AS parent_name,
         lower(p.command_line) AS line,
         list_transform(regexp_split_to_array(lower(p.command_line), '[\s"''\\/,;:=()@|<>]+'), w -> ac_host_key(w)) AS words
  FROM process_events p
  WHERE p.ts BETWEEN getvariable('ac_span_lo') - to_seconds(getvariable('ac_remote_start_seconds')) AND getvariable('ac_span_hi')
    AND len(getvariable('ac_opener_ids')) > 0 AND list_contains(getvariable('ac_opener_ids'), p.event_id)
),
-- the addresses each host's name was seen with (none read without a candidate), when: a logon from
-- the host by name, or of its machine account (WORKSTATION6$, the machine's own logon to a domain
-- controller or a file server); an IPv4 address as Windows may record it (::ffff:10.0.0.9) too
addresses AS MATERIALIZED (
  SELECT host, address, ts FROM (
    SELECT coalesce(ac_host_key(source_host), ac_host_key(regexp_extract(lower(ac_account_user(user_name)), '^(.+)\$$', 1))) AS host,
           regexp_replace(trim(source_ip), '^::ffff:', '', 'i') AS address, ts
    FROM logon_events
    WHERE len(getvariable('ac_opener_ids')) > 0
      AND ts BETWEEN getvariable('ac_span_lo') - to_days(getvariable('ac_address_days')) AND getvariable('ac_span_hi'))
  WHERE host IS NOT NULL AND regexp_full_match(address, '[0-9]{1,3}(\.[0-9]{1,3}){3}') AND NOT starts_with(address, '127.')
),
-- what a nightly run of the alert's day knows: the logons from ac_address_days before the logon to
-- the end of the alert's windows (not later: an alert's report is the same whatever period the run
-- covers)
alert_ends AS (SELECT alert_id, max(win_end) AS win_end FROM context_alert_jobs WHERE alert_id IN (SELECT alert_id FROM logon_alerts) GROUP BY alert_id),
-- (the host's own addresses first, then every sighting of those addresses: equality joins)
known AS (
  SELECT h.alert_id, h.session, a.*
  FROM (SELECT DISTINCT l.alert_id, l.session, l.session_logon_ts, e.win_end, x.address
        FROM logon_alerts l JOIN alert_ends e USING (alert_id) JOIN addresses x ON x.host = l.host) h
  JOIN addresses a ON a.address = h.address AND a.ts BETWEEN h.session_logon_ts - to_days(getvariable('ac_address_days')) AND h.win_end
),
-- the host's names for an alert: its key, and the addresses it was seen with then that it still held
-- last (DHCP gives an address to another machine)
names AS (
  SELECT l.alert_id, l.session,
         list_distinct(list_concat([l.host], coalesce(list(o.address) FILTER (WHERE o.owner = l.host), []))) AS names
  FROM logon_alerts l
  LEFT JOIN (SELECT alert_id, session, address, arg_max(host, (ts, host)) AS owner FROM known GROUP BY ALL) o USING (alert_id, session)
  GROUP BY l.alert_id, l.session, l.host
),
openers AS (
  SELECT l.alert_id, l.session, l.consumer_seconds, l.consumer_depth, n.* EXCLUDE (line, words), round((epoch_ms(l.session_logon_ts) - epoch_ms(n.ts)) / 1000, 1) AS before_seconds,
         -- (a known command whose line starts nothing there: remote_session_kinds' starts_nothing)
         coalesce((SELECT bool_or(regexp_matches(n.line, k.starts_nothing)) FROM remote_session_kinds k
                   WHERE k.program = n.process_name AND regexp_matches(n.line, k.pattern)), false) AS starts_nothing
  FROM context_session_opener_runs r
  JOIN logon_alerts l USING (alert_id)
  JOIN names m USING (alert_id, session)
  JOIN program_runs n ON n.event_id = r.event_id
  WHERE list_has_any(n.words, m.names)
  QUALIFY row_number() OVER (PARTITION BY l.alert_id, l.session ORDER BY n.ts DESC, n.event_id) = 1
)
SELECT o.*, r.template, r.template_hosts, r.pair_hosts, r.fleet_hosts, r.host_days, r.history_days,
       coalesce(r.host_history_days, CASE WHEN r.host_is_new THEN 0 ELSE r.history_days END) AS host_history_days
FROM openers o
LEFT JOIN process_rarity r ON r.day = o.ts::DATE AND r.event_id = o.event_id;
