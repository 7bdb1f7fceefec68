-- layer: intermediate
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP, ac_remote_start_seconds INTEGER, ac_logon_seconds VARCHAR[]
-- The candidates of context_session_openers.sql: for each alert whose session is a network logon
-- (context_alert_scope.sql), or whose consumer host followed a remote WMI session
-- (context_consumer_sessions.sql), the runs on another host by one of the logon's accounts within
-- ac_remote_start_seconds before the logon began. The scan reads the events of those seconds only
-- (ac_logon_seconds, bound: the whole seconds of those spans; none without a logon alert): a range
-- join over the span's events took 3.4 s over 14 days of the bench's 1,000 hosts. Their lines are
-- not read here.
CREATE OR REPLACE TEMP TABLE context_session_opener_runs AS
WITH logon_alerts AS MATERIALIZED (
  SELECT alert_id, host, session_logon_ts, list_transform(session_clients, c -> c.account) AS accounts
  FROM context_alert_scope WHERE session_logon_ts IS NOT NULL
  UNION ALL
  -- (an alert on WMI's consumer host: the remote WMI session before it, context_consumer_sessions.sql)
  SELECT s.alert_id, a.host, s.logon_ts, s.accounts FROM context_consumer_sessions s JOIN context_alert_scope a USING (alert_id) WHERE s.depth IS NOT NULL
),
runs AS MATERIALIZED (
  SELECT p.event_id, p.ts, p.host, p.user_name FROM process_events p
  WHERE len(getvariable('ac_logon_seconds')) > 0 AND list_contains(getvariable('ac_logon_seconds')::BIGINT[], floor(epoch(p.ts))::BIGINT)
    AND p.ts BETWEEN getvariable('ac_span_lo') - to_seconds(getvariable('ac_remote_start_seconds')) AND getvariable('ac_span_hi')
)
SELECT l.alert_id, r.event_id
FROM logon_alerts l
JOIN runs r ON r.host <> l.host AND r.ts BETWEEN l.session_logon_ts - to_seconds(getvariable('ac_remote_start_seconds')) AND l.session_logon_ts
WHERE list_contains(l.accounts, ac_account(r.user_name));
