-- layer: intermediate
-- parameters: ac_pass INTEGER, ac_remote_exec_seconds INTEGER
-- Where remote execution entered each alert's desktop or RDP session (below): its entry event, time
-- and the entry's wording, read by context_window_features.sql.
CREATE OR REPLACE TEMP TABLE context_session_entries AS
WITH RECURSIVE window_events AS NOT MATERIALIZED (SELECT * FROM context_window_keys),
parent_links AS NOT MATERIALIZED (SELECT * FROM context_parent_links),
alert_scope AS NOT MATERIALIZED (SELECT * FROM context_alert_scope),
-- Remote execution into a session: the alert process, or an ancestor of it in its session, started by
-- a process of that session from a second before to ac_remote_exec_seconds after a network logon to
-- the host whose own session ran nothing in the window. A DCOM object (ShellWindows, ShellBrowserWindow,
-- MMC20) starts the intruder's command in the desktop user's explorer or mmc: the process is in the
-- user's session, the user's own earlier work (the desktop's start-up, the applications) is not the
-- intruder's. The session was entered then: what it ran before counts as activity on the host, and
-- the entry names its logon. The earliest such start of each alert; ties by id.
session_ancestors(alert_id, event_id, session, depth) AS (
  SELECT alert_id, process_event_id, session, 0 FROM alert_scope
  WHERE process_event_id IS NOT NULL AND session IS NOT NULL AND session_logon_ts IS NULL AND getvariable('ac_remote_exec_seconds') > 0
  UNION
  SELECT a.alert_id, l.parent_event_id, a.session, a.depth + 1
  FROM session_ancestors a
  JOIN parent_links l ON l.alert_id = a.alert_id AND l.event_id = a.event_id AND l.logon_id = a.session AND l.parent_logon_id = a.session
  WHERE a.depth < 16
),
-- A person's network logons to this pass's hosts with an alert in a desktop or RDP session
-- (context_span_logons.sql, read once for all passes).
span_network_logons AS (
  SELECT * EXCLUDE (pass) FROM context_span_logons
  WHERE pass = getvariable('ac_pass')
    AND host IN (SELECT DISTINCT s.host FROM session_ancestors a JOIN alert_scope s USING (alert_id))
),
-- Who opened each alert's session, from where (context_alert_scope.sql): the session's own client
-- authenticating again (an RDP client reconnecting logs a network logon first) does not enter it.
session_clients AS (
  SELECT alert_id, unnest(session_clients, recursive := true) FROM alert_scope WHERE session_clients IS NOT NULL
),
-- Only into a desktop or RDP session (session_ancestors starts from those alerts only): a network
-- logon's own session (WinRM, WMI, a service run as a user) is entered by its own client only. And
-- only on a quiet host: where other people's network
-- logons come often enough that one would fall in the span by chance (at least 1 in 20 of the
-- time, counting those of the hour around the start), a coincidence says nothing, and the session's
-- earlier commands would be lost to it.
entry_candidates AS (
  SELECT a.alert_id, s.host, a.event_id, e.ts, e.parent_name, l.logon_id, l.ts AS logon_ts, l.account, l.source_ip, l.source_host, l.who
  FROM session_ancestors a
  JOIN alert_scope s USING (alert_id)
  JOIN window_events e ON e.alert_id = a.alert_id AND e.event_id = a.event_id AND e.logon_id = s.session
  -- its parent ran in the same session already (or before the window)
  LEFT JOIN parent_links pl ON pl.alert_id = a.alert_id AND pl.event_id = a.event_id
  JOIN span_network_logons l ON l.host = s.host AND l.logon_id <> s.session
   AND e.ts BETWEEN l.ts - INTERVAL 1 SECOND AND l.ts + to_seconds(getvariable('ac_remote_exec_seconds'))
  WHERE (pl.event_id IS NULL OR (pl.parent_logon_id = s.session AND pl.parent_ts < l.ts - INTERVAL 1 SECOND))
),
quiet_candidates AS (
  SELECT c.*
  FROM entry_candidates c
  LEFT JOIN span_network_logons o ON o.host = c.host
   AND o.ts BETWEEN c.ts - INTERVAL 30 MINUTE AND c.ts + INTERVAL 30 MINUTE
   AND NOT (o.account = c.account AND (o.source_ip IS NOT DISTINCT FROM c.source_ip OR o.source_host IS NOT DISTINCT FROM c.source_host))
  GROUP BY ALL
  HAVING NOT ac_logons_by_chance(count(o.logon_id), getvariable('ac_remote_exec_seconds'))
)
SELECT alert_id,
       arg_min(event_id, (ts, event_id)) AS entry_event_id, min(ts) AS entered_ts,
       -- the logon the start followed (else the nearest after it)
       arg_min(format('started by {} {} s after network logon {}{}', coalesce(nullif(parent_name, ''), 'an unrecorded parent'),
                      round(greatest(0, epoch_ms(ts) - epoch_ms(logon_ts)) / 1000, 1), logon_id, who),
               (ts, event_id, ts < logon_ts, abs(epoch_ms(ts) - epoch_ms(logon_ts)), logon_id)) AS entry
FROM quiet_candidates c
WHERE NOT EXISTS (SELECT 1 FROM window_events q WHERE q.alert_id = c.alert_id AND q.logon_id = c.logon_id)
  -- the session's own client: the same account from the same address or host, or from where
  -- either logon leaves unrecorded (Kerberos network logons record no address)
  AND NOT EXISTS (SELECT 1 FROM session_clients k
                  WHERE k.alert_id = c.alert_id AND k.account = c.account
                    AND (k.source_ip = c.source_ip OR k.source_host = c.source_host
                         OR coalesce(k.source_ip, k.source_host) IS NULL OR coalesce(c.source_ip, c.source_host) IS NULL))
GROUP BY alert_id;
