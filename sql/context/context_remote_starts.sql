-- layer: intermediate
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP, ac_pass INTEGER, ac_remote_start_seconds INTEGER, ac_service_host_name VARCHAR
-- parameters: ac_remote_programs VARCHAR[], ac_remote_pattern VARCHAR, ac_remote_launchers VARCHAR[]
-- A process started from another host (models/remote-starts.ts, remote_start_kinds): for an alert
-- whose process, its parent or its grandparent is one a launcher on the alert's host started (a
-- service's process, which services.exe starts; the WMI provider host, started to serve a request,
-- and what it starts), the command on another host that asked this host for it (`sc \\WORKSTATION6
-- start IKEEXT`, `wmic /node:WORKSTATION6 ...`: the host named as its key, ac_named_hosts)
-- within ac_remote_start_seconds before that process started: the nearest to the alert process
-- (itself, then its parent, its grandparent), the latest command, and not a `sc start` naming
-- another service than the service host's `-s` (ac_service_host_name), nor another process than
-- the kind's own (remote_start_kinds.started: PsExec's service). The command, with its own
-- host's rarity, is a line of the alert's tree (context_candidates.sql), its reason naming its host:
-- the one event of a report from another host. Read from the stored events of the span (the
-- commands that name another host are few), for this pass's alerts (context_alert_scope.sql).
CREATE OR REPLACE TEMP TABLE context_remote_starts AS
WITH alert_line AS NOT MATERIALIZED (SELECT * FROM context_alert_line), -- context_alert_line.sql
-- the ones a launcher started (or a launcher that starts to serve a request)
-- (ac_remote_launchers: remote_start_kinds' launchers, bound: a filter of the scan)
started AS MATERIALIZED (
  SELECT a.alert_id, a.depth, e.event_id, e.ts, e.host, e.process_name, e.parent_name
  FROM alert_line a
  JOIN (SELECT * FROM context_window_keys
        WHERE list_contains(getvariable('ac_remote_launchers'), parent_name) OR list_contains(getvariable('ac_remote_launchers'), process_name)) e
    ON e.alert_id = a.alert_id AND e.event_id = a.event_id
  WHERE e.parent_name IN (SELECT launcher FROM remote_start_kinds)
     OR e.process_name IN (SELECT launcher FROM remote_start_kinds WHERE launcher_starts)
),
started_named AS MATERIALIZED (
  SELECT s.*, nullif(lower(regexp_extract(d.command_line, getvariable('ac_service_host_name'), 1)), '') AS service_name
  FROM started s JOIN context_day_events d ON d.pass = getvariable('ac_pass') AND d.event_id = s.event_id
),
-- the runs of remote_start_kinds' programs (bound: a filter of the scan), then those whose line asks
-- another host (ac_remote_pattern, any kind's, compiled once; then the kind's own)
programs_run AS MATERIALIZED (
  SELECT p.event_id, p.ts, p.host, p.user_name, p.logon_id, p.command_line, p.image, p.process_name, coalesce(p.parent_name, '') AS parent_name
  FROM process_events p
  WHERE p.ts BETWEEN getvariable('ac_span_lo') - to_seconds(getvariable('ac_remote_start_seconds')) AND getvariable('ac_span_hi')
    AND list_contains(getvariable('ac_remote_programs'), p.process_name)
    AND EXISTS (SELECT 1 FROM started)
),
asking AS MATERIALIZED (SELECT * FROM programs_run WHERE regexp_matches(lower(command_line), getvariable('ac_remote_pattern'))),
commands AS MATERIALIZED (
  SELECT p.*, k.launcher, k.launcher_starts, k.started, k.asks, unnest(ac_named_hosts(lower(p.command_line), k.pattern)) AS target,
         regexp_extract(lower(p.command_line), k.pattern, 2) AS service_name
  FROM asking p JOIN remote_start_kinds k ON k.program = p.process_name
  WHERE regexp_matches(lower(p.command_line), k.pattern)
),
links AS (
  SELECT s.alert_id, s.depth, s.process_name AS started_name, c.* EXCLUDE (target, launcher, launcher_starts, started, service_name),
         round((epoch_ms(s.ts) - epoch_ms(c.ts)) / 1000, 1) AS before_seconds
  FROM started_named s
  JOIN commands c ON c.target = s.host AND c.host <> s.host
   AND c.ts BETWEEN s.ts - to_seconds(getvariable('ac_remote_start_seconds')) AND s.ts
  WHERE getvariable('ac_remote_start_seconds') > 0
    AND (s.parent_name = c.launcher OR (c.launcher_starts AND s.process_name = c.launcher))
    AND (c.service_name = '' OR s.service_name IS NULL OR c.service_name = s.service_name)
    AND (c.started IS NULL OR regexp_full_match(s.process_name, c.started))
  QUALIFY row_number() OVER (PARTITION BY s.alert_id ORDER BY s.depth, c.ts DESC, c.event_id) = 1
)
SELECT l.*, r.template, r.template_hosts, r.pair_hosts, r.fleet_hosts, r.host_days, r.history_days,
       coalesce(r.host_history_days, CASE WHEN r.host_is_new THEN 0 ELSE r.history_days END) AS host_history_days
FROM links l
LEFT JOIN process_rarity r ON r.day = l.ts::DATE AND r.event_id = l.event_id;
