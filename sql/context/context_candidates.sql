-- Candidate context items for every alert of context_alert_jobs (sql/context/alert_jobs.sql), all
-- alerts at once (alerts joined to events by host and window, never one query per alert), and for
-- every set of thresholds in threshold_points (one for a context run, one per grid point for tune):
-- the events' stored features (score/*.sql) are judged here, so a sweep never rescans the events.
-- The alerts' windows are joined to the events and scores of their span only (variables
-- ac_span_lo/hi, set from context_alert_jobs): events arrive day by day, so DuckDB skips the row
-- groups of other days.
CREATE OR REPLACE TEMP TABLE context_candidates AS
WITH span_logon_rarity AS (
  SELECT * FROM logon_rarity WHERE day BETWEEN getvariable('ac_span_lo')::DATE AND getvariable('ac_span_hi')::DATE
),
-- The windows' events are found from the host and time columns, then fetched by event id, and
-- their stored features joined the same way: both scans then skip what no window holds (read
-- whole, the span's command lines and scores cost most of the pass; the scores shared as a CTE
-- over the span, 17 M rows at 1,000 hosts x 14 days, were copied first). The template goes
-- along to report assembly.
window_keys AS MATERIALIZED (
  SELECT j.alert_id, j.category, j.job, j.logon_id AS alert_logon_id, j.user_name AS alert_user, p.event_id
  FROM context_alert_jobs j
  JOIN process_events p ON p.host = j.host AND p.ts BETWEEN j.win_start AND j.win_end
  WHERE j.category IN ('UnusualProcess', 'SupplementalProcess', 'UnusualMultiProcess')
    AND p.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi')
),
window_rows AS (
  SELECT k.*, p.ts, p.host, p.user_name, p.logon_id, p.command_line, p.image, p.process_name
  FROM window_keys k
  JOIN (SELECT * FROM process_events WHERE ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi')) p USING (event_id)
),
window_processes AS (
  SELECT w.*, r.template, r.template_hosts, r.pair_hosts, r.fleet_hosts, r.host_days, r.history_days, r.reason AS rarity_reason
  FROM window_rows w
  LEFT JOIN (SELECT event_id, template, template_hosts, pair_hosts, fleet_hosts, host_days, history_days, reason FROM process_rarity
             WHERE day BETWEEN getvariable('ac_span_lo')::DATE AND getvariable('ac_span_hi')::DATE) r USING (event_id)
),
unusual_processes AS (
  SELECT g.point_id, w.alert_id, w.category, w.job, w.event_id, w.ts, w.host, w.user_name AS subject, w.command_line, w.image,
         ac_process_score(w.template_hosts, w.pair_hosts, w.fleet_hosts, w.host_days, w.history_days, g.prior_hosts, g.max_host_days, g.min_history_days) AS score,
         true AS unusual, w.rarity_reason AS reason, w.template, NULL::VARCHAR AS source
  FROM window_processes w
  JOIN threshold_points g
    ON ac_process_unusual(w.template_hosts, w.fleet_hosts, w.host_days, w.history_days, g.max_fleet_hosts, g.max_fleet_share, g.max_host_days, g.min_history_days)
  WHERE w.category = 'UnusualProcess' AND w.template_hosts IS NOT NULL
),
-- Other processes of the alert's logon session (else of its account on the host): they accompany
-- unusual items, they are not unusual by themselves; everyday programs (score below
-- supplemental_min_score: the browser, the chat client) stay out.
session_processes AS (
  SELECT g.point_id, g.supplemental_min_score, w.*,
         coalesce(ac_process_score(w.template_hosts, w.pair_hosts, w.fleet_hosts, w.host_days, w.history_days, g.prior_hosts, g.max_host_days, g.min_history_days), 0) AS score
  FROM window_processes w
  CROSS JOIN threshold_points g
  WHERE w.category = 'SupplementalProcess'
    AND (w.logon_id = w.alert_logon_id OR (w.alert_logon_id IS NULL AND lower(w.user_name) = w.alert_user))
),
supplemental AS (
  SELECT w.point_id, w.alert_id, w.category, w.job, w.event_id, w.ts, w.host, w.user_name, w.command_line, w.image,
         w.score, false,
         CASE WHEN w.alert_logon_id IS NOT NULL THEN format('in the alert''s logon session {}', w.alert_logon_id)
              ELSE format('run by the alert''s account {}', w.alert_user) END || coalesce('; ' || w.rarity_reason, ''),
         w.template, NULL
  FROM session_processes w
  WHERE w.score >= w.supplemental_min_score
),
rdp_logons AS (
  SELECT g.point_id, j.alert_id, j.category, j.job, l.event_id, l.ts, l.host, l.user_name, NULL, NULL,
         coalesce(ac_logon_score(r.source_hosts, r.fleet_hosts, r.host_days, r.failures_before, g.prior_hosts), 0),
         coalesce(ac_logon_unusual(r.source_hosts, r.fleet_hosts, r.host_days, r.history_days, r.failures_before,
                                   g.max_fleet_hosts, g.max_fleet_share, g.max_host_days, g.min_history_days), false),
         format('RDP logon from {}', coalesce(l.source_ip, l.source_host, 'an unknown source')) || coalesce('; ' || r.reason, ''),
         NULL, coalesce(l.source_ip, l.source_host)
  FROM context_alert_jobs j
  JOIN logon_events l ON l.host = j.host AND l.ts BETWEEN j.win_start AND j.win_end
   AND l.logon_type = 10 AND l.outcome <> 'failure' AND l.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi')
  LEFT JOIN span_logon_rarity r ON r.event_id = l.event_id
  CROSS JOIN threshold_points g
  WHERE j.category = 'RDPLogon'
),
-- Bursts: for each process start in the window, the distinct processes the host started in the
-- 60 seconds from it (a sliding window, not calendar minutes: scripts straddle minute boundaries).
burst_window AS (SELECT * FROM window_processes WHERE category = 'UnusualMultiProcess'),
burst_starts AS (
  SELECT w.alert_id, w.event_id AS start_id, w.ts AS start_ts, w.host, count(DISTINCT x.process_name) AS distinct_processes
  FROM burst_window w
  JOIN burst_window x ON x.alert_id = w.alert_id AND x.ts >= w.ts AND x.ts < w.ts + INTERVAL 60 SECOND
  GROUP BY ALL
),
unusual_bursts AS (
  SELECT g.point_id, g.burst_factor, s.*, b.quantile_distinct, b.max_distinct, b.active_minutes
  FROM burst_starts s
  JOIN baseline_host_burst b ON b.as_of = s.start_ts::DATE AND b.host = s.host
  JOIN threshold_points g
    ON s.distinct_processes >= g.burst_min_distinct
   AND s.distinct_processes > g.burst_factor * b.quantile_distinct
   AND s.distinct_processes > b.max_distinct
),
burst_members AS (
  SELECT u.point_id, w.alert_id, w.category, w.job, w.event_id, w.ts, w.host, w.user_name, w.command_line, w.image,
         max(least(1.0, u.distinct_processes / (2.0 * greatest(u.burst_factor * u.quantile_distinct, 1)))) AS score,
         true AS unusual,
         -- the largest burst the event is in; of equal ones, the earliest (ties broken by id)
         arg_min(format('{} distinct processes within 60 s from {}; this host''s usual ceiling is {} a minute, its most {}',
                        u.distinct_processes, strftime(u.start_ts, '%H:%M:%S'), u.quantile_distinct, u.max_distinct),
                 (-u.distinct_processes, u.start_ts, u.start_id)) AS reason,
         w.template, NULL
  FROM burst_window w
  JOIN unusual_bursts u ON u.alert_id = w.alert_id AND w.ts >= u.start_ts AND w.ts < u.start_ts + INTERVAL 60 SECOND
  GROUP BY ALL
)
SELECT * FROM unusual_processes
UNION ALL SELECT * FROM supplemental
UNION ALL SELECT * FROM rdp_logons
UNION ALL SELECT * FROM burst_members;
