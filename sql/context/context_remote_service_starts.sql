-- layer: intermediate
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP, ac_pass INTEGER, ac_service_control_manager VARCHAR
-- parameters: ac_service_start_seconds INTEGER, ac_service_host_name VARCHAR, ac_service_start_on_host VARCHAR
-- A service started from another host (models/service-control.ts): for an alert on a process the
-- Service Control Manager (ac_service_control_manager) started, the run of sc.exe on another host
-- that asked this host to start a service (`sc \\WORKSTATION6 start IKEEXT`, ac_service_start_on_host,
-- the host named by its name or FQDN) within ac_service_start_seconds before the process: the
-- nearest, and not one naming another service than the service host's `-s`
-- (ac_service_host_name). The command, with its own host's rarity, is a line of the alert's tree
-- (context_candidates.sql), its reason naming its host: the one event of a report from another host.
-- Read from the stored events of the span (sc.exe runs naming a host are few), for this pass's
-- alerts (context_alert_scope.sql) whose own process services.exe started.
CREATE OR REPLACE TEMP TABLE context_remote_service_starts AS
WITH service_processes AS MATERIALIZED (
  SELECT s.alert_id, e.event_id, e.ts, e.host, e.parent_name
  FROM context_alert_scope s
  JOIN context_window_keys e ON e.alert_id = s.alert_id AND e.event_id = s.process_event_id
  WHERE getvariable('ac_service_start_seconds') > 0 AND e.parent_name = getvariable('ac_service_control_manager')
),
service_alerts AS MATERIALIZED (
  SELECT a.alert_id, a.ts, a.host, a.parent_name,
         nullif(lower(regexp_extract(d.command_line, getvariable('ac_service_host_name'), 1)), '') AS service_name
  FROM service_processes a
  JOIN context_day_events d ON d.pass = getvariable('ac_pass') AND d.event_id = a.event_id
),
remote_commands AS MATERIALIZED (
  SELECT p.event_id, p.ts, p.host, p.user_name, p.logon_id, p.command_line, p.image, p.process_name, coalesce(p.parent_name, '') AS parent_name,
         split_part(regexp_extract(lower(p.command_line), getvariable('ac_service_start_on_host'), 1), '.', 1) AS target,
         regexp_extract(lower(p.command_line), getvariable('ac_service_start_on_host'), 2) AS service_name
  FROM process_events p
  WHERE p.ts BETWEEN getvariable('ac_span_lo') - to_seconds(getvariable('ac_service_start_seconds')) AND getvariable('ac_span_hi')
    AND p.process_name = 'sc.exe' AND regexp_matches(lower(p.command_line), getvariable('ac_service_start_on_host'))
    AND EXISTS (SELECT 1 FROM service_alerts)
),
links AS (
  SELECT a.alert_id, a.parent_name AS started_by, c.*, round((epoch_ms(a.ts) - epoch_ms(c.ts)) / 1000, 1) AS after_seconds
  FROM service_alerts a
  JOIN remote_commands c ON c.target = split_part(lower(a.host), '.', 1) AND c.host <> a.host
   AND c.ts BETWEEN a.ts - to_seconds(getvariable('ac_service_start_seconds')) AND a.ts
  WHERE a.service_name IS NULL OR c.service_name = a.service_name
  QUALIFY row_number() OVER (PARTITION BY a.alert_id ORDER BY c.ts DESC, c.event_id) = 1
)
SELECT l.* EXCLUDE (target), r.template, r.template_hosts, r.pair_hosts, r.fleet_hosts, r.host_days, r.history_days,
       coalesce(r.host_history_days, CASE WHEN r.host_is_new THEN 0 ELSE r.history_days END) AS host_history_days
FROM links l
LEFT JOIN process_rarity r ON r.day = l.ts::DATE AND r.event_id = l.event_id;
