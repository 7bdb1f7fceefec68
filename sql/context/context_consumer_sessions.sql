-- layer: intermediate
-- parameters: ac_pass INTEGER, ac_remote_exec_seconds INTEGER, ac_consumer_hosts VARCHAR[], ac_consumer_images VARCHAR[], ac_consumer_parent VARCHAR
-- parameters: ac_wmi_provider_host VARCHAR, ac_consumer_seconds INTEGER
-- WMI's event consumers (models/wmi-consumers.ts): each start of the genuine consumer host
-- (scrcons.exe of the system's wbem folder, started by svchost.exe as the machine) in an alert's
-- windows, with the remote WMI session that may have registered its consumer: the WMI provider host
-- (wmiprvse.exe) started within ac_consumer_seconds before it, from a second before a person's
-- network logon to the host (context_span_logons.sql) to ac_remote_exec_seconds after it (as
-- context_remote_roots.sql takes a logon's starts), the latest; the session's logons are those of
-- its client (account and address or name) in that start's seconds, the first its logon. Only when
-- time tells: one client's sessions in those seconds (two people's make it a guess, and a later
-- one a decoy), and not a host whose people log on so often that one would fall in a start's
-- seconds by chance (ac_logons_by_chance over the hour around, macros/scoring.sql).
-- depth: the consumer host's place on the alert's line (context_alert_line.sql: the alert process,
-- its parent, its grandparent; NULL when elsewhere in the windows): an alert on it, or on what its
-- script started, gets the command on another host that opened the session
-- (context_session_opener_runs.sql, context_session_openers.sql); an alert on the session's logon,
-- the consumer host (context_remote_roots.sql).
CREATE OR REPLACE TEMP TABLE context_consumer_sessions AS
WITH window_events AS NOT MATERIALIZED (SELECT * FROM context_window_keys),
-- (by name first, then the few named ones' images, then their provider hosts, then those hosts'
-- logons: each step materialized, so that the image test is not pushed into the scan of the pass's
-- images and the logons are joined by host, not by time alone: a nested loop of the windows'
-- provider starts with the span's logons, 0.04-0.7 s on the bench's 14 days)
named AS MATERIALIZED (
  SELECT alert_id, event_id, host, ts FROM window_events
  WHERE getvariable('ac_remote_exec_seconds') > 0 AND list_contains(getvariable('ac_consumer_hosts'), process_name)
    AND parent_name = getvariable('ac_consumer_parent') AND logon_id = '0x3e7'
),
named_images AS MATERIALIZED (
  SELECT c.*, d.image FROM named c JOIN context_day_events d ON d.pass = getvariable('ac_pass') AND d.event_id = c.event_id
),
consumers AS MATERIALIZED (
  SELECT alert_id, event_id, host, ts FROM named_images
  WHERE len(list_filter(getvariable('ac_consumer_images'), x -> ends_with(lower(image), x))) > 0
),
-- the provider hosts started within ac_consumer_seconds before each consumer host
providers AS MATERIALIZED (
  SELECT c.alert_id, c.event_id, c.host, c.ts AS consumer_ts, w.ts AS provider_ts, w.event_id AS provider_id
  FROM consumers c
  JOIN window_events w ON w.alert_id = c.alert_id AND w.process_name = getvariable('ac_wmi_provider_host')
   AND w.ts < c.ts AND w.ts >= c.ts - to_seconds(getvariable('ac_consumer_seconds'))
),
-- those started in the seconds of a person's network logon to the host before the consumer host
sessions AS MATERIALIZED (
  SELECT p.*, l.logon_id, l.ts AS logon_ts, l.account, {'account': l.account, 'source': coalesce(l.source_ip, l.source_host)} AS client
  FROM providers p
  JOIN context_span_logons l ON l.pass = getvariable('ac_pass') AND l.host = p.host
   AND p.provider_ts BETWEEN l.ts - INTERVAL 1 SECOND AND l.ts + to_seconds(getvariable('ac_remote_exec_seconds')) AND l.ts < p.consumer_ts
),
-- the latest provider start's client, when it is the only client in the span
chosen AS (
  SELECT alert_id, event_id, any_value(host) AS host, any_value(consumer_ts) AS consumer_ts,
         arg_max(provider_id, (provider_ts, provider_id)) AS provider_id
  FROM sessions GROUP BY alert_id, event_id
  HAVING count(DISTINCT client) = 1
),
-- how often people log on to the host in the hour around the consumer host's start
busy AS (
  SELECT c.alert_id, c.event_id, count(DISTINCT l.logon_id) AS logons
  FROM chosen c JOIN context_span_logons l ON l.pass = getvariable('ac_pass') AND l.host = c.host
   AND l.ts BETWEEN c.consumer_ts - INTERVAL 30 MINUTE AND c.consumer_ts + INTERVAL 30 MINUTE
  GROUP BY ALL
)
SELECT c.alert_id, c.event_id, any_value(a.depth) AS depth, arg_min(s.logon_id, (s.logon_ts, s.logon_id)) AS logon_id, min(s.logon_ts) AS logon_ts,
       list(DISTINCT s.logon_id) AS logon_ids, [any_value(s.account)] AS accounts,
       round((epoch_ms(any_value(c.consumer_ts)) - epoch_ms(min(s.logon_ts))) / 1000, 1) AS consumer_seconds
FROM chosen c
JOIN sessions s ON s.alert_id = c.alert_id AND s.event_id = c.event_id AND s.provider_id = c.provider_id
JOIN busy b ON b.alert_id = c.alert_id AND b.event_id = c.event_id
LEFT JOIN context_alert_line a ON a.alert_id = c.alert_id AND a.event_id = c.event_id
WHERE NOT ac_logons_by_chance(b.logons, getvariable('ac_remote_exec_seconds'))
GROUP BY c.alert_id, c.event_id;
