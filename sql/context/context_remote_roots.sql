-- layer: intermediate
-- parameters: ac_remote_exec_seconds INTEGER, ac_pass INTEGER, ac_session_startup VARCHAR[], ac_follow_on_seconds INTEGER
-- Remote execution: an alert on a network logon names no process, and the logon's session often runs
-- nothing: the service PsExec and its kin install, or a task started remotely, runs as the machine,
-- a DCOM object (ShellWindows, MMC20) starts its process in the desktop user's explorer or mmc, and
-- nothing in the process events ties it to the logon but time. For such an alert (no process, a
-- network logon whose session ran nothing in the window), what the host starts from a second before
-- the logon (Security and Sysmon stamp their events apart: in the OTRF WMIC capture a process of a
-- session is recorded 1.1 s before that session's logon) to ac_remote_exec_seconds after it is what
-- the logon caused: the first of each chain is a root; with their descendants, the alert's tree
-- (context_window_tree.sql; not when the command that opened the logon is known to start nothing:
-- context_session_openers.sql).
CREATE OR REPLACE TEMP TABLE context_remote_roots AS
WITH window_events AS NOT MATERIALIZED (SELECT * FROM context_window_keys),
parent_links AS NOT MATERIALIZED (SELECT * FROM context_parent_links),
alert_scope AS NOT MATERIALIZED (SELECT * FROM context_alert_scope),
remote_alerts AS (
  SELECT s.alert_id, s.host, s.session, s.session_logon_ts, s.session_clients
  FROM alert_scope s
  -- (an alert that names a process id is about that process: context_window_tree.sql's pid_children)
  WHERE getvariable('ac_remote_exec_seconds') > 0 AND s.session_logon_ts IS NOT NULL AND NOT s.names_process
    AND NOT EXISTS (SELECT 1 FROM window_events q WHERE q.alert_id = s.alert_id AND q.logon_id = s.session)
    AND NOT EXISTS (SELECT 1 FROM context_session_openers o WHERE o.alert_id = s.alert_id AND o.starts_nothing)
),
-- The network logons of the alert's account from its client (the same address or host name) to the
-- host in the hour around the alert's logon (context_span_logons.sql).
client_logons AS (
  SELECT a.alert_id, l.logon_id, l.ts, l.who
  FROM remote_alerts a
  JOIN context_span_logons l ON l.pass = getvariable('ac_pass') AND l.host = a.host
   AND l.ts BETWEEN a.session_logon_ts - INTERVAL 30 MINUTE AND a.session_logon_ts + INTERVAL 30 MINUTE
   AND len(list_filter(a.session_clients, c -> c.account = l.account AND (c.source_ip = l.source_ip OR c.source_host = l.source_host))) > 0
),
-- The logons whose seconds are read: the alert's, and the next network logons of its account from
-- its client within ac_follow_on_seconds after it (models/remote-starts.ts FOLLOW_ON_SECONDS), whose
-- sessions ran nothing either: a tool that copies its payload over one connection runs it over the
-- next ones (the OTRF wbemcomn capture: the DLL written through C$ in one logon, the WMI query that
-- has the provider host load it 30 s later in three others). Not where that client logs on so
-- often that one of its logons would fall in a start's seconds by chance (ac_logons_by_chance,
-- macros/scoring.sql, over the hour around): a busy account's, a service account's. who: NULL for the
-- alert's own logon, else the follow-on logon's account and client, for the wording.
remote_logons AS (
  SELECT alert_id, session AS logon_id, session_logon_ts AS logon_ts, NULL::VARCHAR AS who FROM remote_alerts
  UNION ALL
  SELECT a.alert_id, l.logon_id, min(l.ts), any_value(l.who)
  FROM remote_alerts a
  JOIN client_logons l ON l.alert_id = a.alert_id AND l.logon_id <> a.session
   AND l.ts > a.session_logon_ts AND l.ts <= a.session_logon_ts + to_seconds(getvariable('ac_follow_on_seconds'))
  WHERE NOT EXISTS (SELECT 1 FROM window_events q WHERE q.alert_id = a.alert_id AND q.logon_id = l.logon_id)
    AND NOT ac_logons_by_chance((SELECT count(DISTINCT c.logon_id) FROM client_logons c WHERE c.alert_id = a.alert_id), getvariable('ac_remote_exec_seconds'))
  GROUP BY a.alert_id, l.logon_id
),
logon_starts AS (
  SELECT e.alert_id, e.event_id, e.parent_name, e.process_name, a.logon_id, a.who, a.logon_ts,
         greatest(0, epoch_ms(e.ts) - epoch_ms(a.logon_ts)) / 1000 AS after_seconds
  FROM window_events e JOIN remote_logons a USING (alert_id)
  WHERE e.ts BETWEEN a.logon_ts - INTERVAL 1 SECOND AND a.logon_ts + to_seconds(getvariable('ac_remote_exec_seconds'))
),
-- WMI's event consumers (models/wmi-consumers.ts): the consumer host started after a WMI session of
-- one of these logons (context_consumer_sessions.sql: its session when time tells) is a root of
-- that logon too, later than its seconds. (consumer: for the wording, context_window_tree.sql)
remote_starts AS (
  SELECT *, false AS consumer FROM logon_starts
  UNION ALL
  SELECT e.alert_id, e.event_id, e.parent_name, e.process_name, a.logon_id, a.who, a.logon_ts,
         (epoch_ms(e.ts) - epoch_ms(a.logon_ts)) / 1000, true
  FROM context_consumer_sessions c
  JOIN remote_logons a ON a.alert_id = c.alert_id AND list_contains(c.logon_ids, a.logon_id)
  JOIN window_events e ON e.alert_id = c.alert_id AND e.event_id = c.event_id
  WHERE e.ts > a.logon_ts + to_seconds(getvariable('ac_remote_exec_seconds'))
)
-- (not when the host starts a session in those seconds, ac_session_startup among the operating
-- system's own processes then: a boot or a desktop logon starts dozens, and time no longer tells
-- the logon's from the start-up's; models/os-core.ts)
-- Each root once, by a logon's seconds before a WMI session's consumer, by the alert's own logon
-- first, else the earliest follow-on logon, its fields from
-- that one row (arg_min skips NULL values: a field apart would take the own logon's id and a
-- follow-on's who).
SELECT alert_id, event_id, unnest(root)
FROM (
SELECT r.alert_id, r.event_id,
       arg_min({'parent_name': r.parent_name, 'after_seconds': r.after_seconds, 'logon_id': r.logon_id, 'who': r.who, 'logon_ts': r.logon_ts, 'consumer': r.consumer},
               (r.consumer, r.who IS NOT NULL, r.logon_ts, r.logon_id)) AS root
FROM remote_starts r
LEFT JOIN parent_links pl USING (alert_id, event_id)
-- (a child of any logon's start is that start's: not a root of a logon whose seconds it falls in too)
LEFT JOIN remote_starts q ON q.alert_id = pl.alert_id AND q.event_id = pl.parent_event_id
WHERE q.event_id IS NULL
  AND NOT EXISTS (SELECT 1 FROM remote_starts x JOIN context_event_features f USING (event_id) JOIN window_events w USING (alert_id, event_id)
                  WHERE x.alert_id = r.alert_id AND x.logon_id = r.logon_id AND f.os_core AND list_contains(getvariable('ac_session_startup'), w.process_name))
GROUP BY r.alert_id, r.event_id
);
