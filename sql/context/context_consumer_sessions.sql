-- layer: intermediate
-- parameters: ac_pass INTEGER, ac_remote_exec_seconds INTEGER, ac_consumer_hosts VARCHAR[], ac_wmi_provider_host VARCHAR, ac_consumer_seconds INTEGER
-- WMI's event consumers (models/wmi-consumers.ts): for an alert whose process is a consumer host
-- (scrcons.exe, which runs an ActiveScriptEventConsumer's script) that its host started, the remote
-- WMI session that may have registered the consumer: the latest WMI provider host (wmiprvse.exe)
-- started within ac_consumer_seconds before the consumer host, from a second before a person's
-- network logon to the host (context_span_logons.sql) to ac_remote_exec_seconds after it (as
-- context_remote_roots.sql takes a logon's starts), and of the logons it followed, the first (a
-- connection opens several in a few milliseconds). The registration leaves no process event of its
-- own; who opened that logon on another host is found as an alert's own network logon's opener is
-- (context_session_opener_runs.sql, context_session_openers.sql), and is a line of the alert's report.
CREATE OR REPLACE TEMP TABLE context_consumer_sessions AS
WITH window_events AS NOT MATERIALIZED (SELECT * FROM context_window_keys),
consumers AS (
  SELECT s.alert_id, s.host, e.ts
  FROM context_alert_scope s JOIN window_events e ON e.alert_id = s.alert_id AND e.event_id = s.process_event_id
  WHERE getvariable('ac_remote_exec_seconds') > 0 AND list_contains(getvariable('ac_consumer_hosts'), e.process_name)
),
-- the provider hosts started in the seconds of a person's network logon before the consumer host
sessions AS (
  SELECT c.alert_id, c.host, c.ts AS consumer_ts, w.ts AS provider_ts, w.event_id AS provider_id, l.logon_id, l.ts AS logon_ts, l.account
  FROM consumers c
  JOIN window_events w ON w.alert_id = c.alert_id AND w.process_name = getvariable('ac_wmi_provider_host')
   AND w.ts < c.ts AND w.ts >= c.ts - to_seconds(getvariable('ac_consumer_seconds'))
  JOIN context_span_logons l ON l.pass = getvariable('ac_pass') AND l.host = c.host
   AND w.ts BETWEEN l.ts - INTERVAL 1 SECOND AND l.ts + to_seconds(getvariable('ac_remote_exec_seconds')) AND l.ts < c.ts
)
SELECT alert_id, host, logon_id, logon_ts, [account] AS accounts,
       round((epoch_ms(consumer_ts) - epoch_ms(logon_ts)) / 1000, 1) AS consumer_seconds
FROM sessions
QUALIFY row_number() OVER (PARTITION BY alert_id ORDER BY provider_ts DESC, provider_id, logon_ts, logon_id) = 1;
