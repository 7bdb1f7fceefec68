-- Candidate context items for every alert of [ac_from, ac_to], all alerts at once (alerts joined to
-- events by host and window, never one query per alert). Inputs: context_jobs (the job table),
-- process_rarity / logon_rarity (scores as of each event's day), variables ac_burst_*.
DELETE FROM context_candidates WHERE alert_id IN (
  SELECT alert_id FROM alerts WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
    AND (getvariable('ac_alert_id') IS NULL OR alert_id = getvariable('ac_alert_id')));

INSERT INTO context_candidates
WITH period_alerts AS (
  SELECT alert_id, ts, host, alert_name,
         CASE WHEN list_contains(getvariable('ac_well_known_accounts'), lower(user_name)) THEN NULL ELSE lower(user_name) END AS user_name,
         CASE WHEN list_contains(getvariable('ac_well_known_logons'), logon_id) THEN NULL ELSE logon_id END AS logon_id,
         process_id
  FROM alerts
  WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
    AND (getvariable('ac_alert_id') IS NULL OR alert_id = getvariable('ac_alert_id'))
),
-- Which jobs run for which alert: the job table is data (models/context-jobs.ts).
alert_jobs AS (
  SELECT a.*, j.name AS job, j.category, a.ts - to_minutes(j.before_minutes) AS win_start, a.ts + to_minutes(j.after_minutes) AS win_end
  FROM period_alerts a JOIN context_jobs j
    ON (list_contains(j.alert_names, '*') OR list_contains(j.alert_names, a.alert_name))
   AND ((list_contains(j.needs_any_of, 'host') AND a.host IS NOT NULL)
     OR (list_contains(j.needs_any_of, 'logon_id') AND a.logon_id IS NOT NULL)
     OR (list_contains(j.needs_any_of, 'account') AND a.user_name IS NOT NULL)
     OR (list_contains(j.needs_any_of, 'process') AND a.process_id IS NOT NULL))
),
unusual_processes AS (
  SELECT j.alert_id, j.category, j.job, p.event_id, p.ts, p.host, p.user_name AS subject, p.command_line, p.image,
         r.score, true AS unusual, r.reason
  FROM alert_jobs j
  JOIN process_events p ON p.host = j.host AND p.ts BETWEEN j.win_start AND j.win_end
  JOIN process_rarity r ON r.event_id = p.event_id AND r.unusual
  WHERE j.category = 'UnusualProcess'
),
-- Other processes of the alert's logon session (else of its account on the host): they accompany
-- unusual items, they are not unusual by themselves.
supplemental AS (
  SELECT j.alert_id, j.category, j.job, p.event_id, p.ts, p.host, p.user_name, p.command_line, p.image,
         coalesce(r.score, 0), false,
         CASE WHEN j.logon_id IS NOT NULL THEN format('in the alert''s logon session {}', j.logon_id)
              ELSE format('run by the alert''s account {}', j.user_name) END || coalesce('; ' || r.reason, '')
  FROM alert_jobs j
  JOIN process_events p ON p.host = j.host AND p.ts BETWEEN j.win_start AND j.win_end
   AND (p.logon_id = j.logon_id OR (j.logon_id IS NULL AND lower(p.user_name) = j.user_name))
  LEFT JOIN process_rarity r ON r.event_id = p.event_id
  WHERE j.category = 'SupplementalProcess'
),
rdp_logons AS (
  SELECT j.alert_id, j.category, j.job, l.event_id, l.ts, l.host, l.user_name, NULL, NULL,
         coalesce(r.score, 0), coalesce(r.unusual, false),
         format('RDP logon from {}', coalesce(l.source_ip, l.source_host, 'an unknown source')) || coalesce('; ' || r.reason, '')
  FROM alert_jobs j
  JOIN logon_events l ON l.host = j.host AND l.ts BETWEEN j.win_start AND j.win_end
   AND l.logon_type = 10 AND l.outcome <> 'failure'
  LEFT JOIN logon_rarity r ON r.event_id = l.event_id
  WHERE j.category = 'RDPLogon'
),
-- Bursts: for each process start in the window, the distinct processes the host started in the
-- 60 seconds from it (a sliding window, not calendar minutes: scripts straddle minute boundaries).
window_processes AS (
  SELECT j.alert_id, j.category, j.job, p.event_id, p.ts, p.host, p.user_name, p.command_line, p.image, p.process_name
  FROM alert_jobs j JOIN process_events p ON p.host = j.host AND p.ts BETWEEN j.win_start AND j.win_end
  WHERE j.category = 'UnusualMultiProcess'
),
burst_starts AS (
  SELECT w.alert_id, w.event_id AS start_id, w.ts AS start_ts, w.host, count(DISTINCT x.process_name) AS distinct_processes
  FROM window_processes w
  JOIN window_processes x ON x.alert_id = w.alert_id AND x.ts >= w.ts AND x.ts < w.ts + INTERVAL 60 SECOND
  GROUP BY ALL
),
unusual_bursts AS (
  SELECT s.*, b.quantile_distinct, b.max_distinct, b.active_minutes
  FROM burst_starts s
  JOIN baseline_host_burst b ON b.as_of = s.start_ts::DATE AND b.host = s.host
  WHERE s.distinct_processes >= getvariable('ac_burst_min_distinct')
    AND s.distinct_processes > getvariable('ac_burst_factor') * b.quantile_distinct
    AND s.distinct_processes > b.max_distinct
),
burst_members AS (
  SELECT w.alert_id, w.category, w.job, w.event_id, w.ts, w.host, w.user_name, w.command_line, w.image,
         max(least(1.0, u.distinct_processes / (2.0 * greatest(getvariable('ac_burst_factor') * u.quantile_distinct, 1)))) AS score,
         true AS unusual,
         arg_max(format('{} distinct processes within 60 s from {}; this host''s usual ceiling is {} a minute, its most {}',
                        u.distinct_processes, strftime(u.start_ts, '%H:%M:%S'), u.quantile_distinct, u.max_distinct),
                 u.distinct_processes) AS reason
  FROM window_processes w
  JOIN unusual_bursts u ON u.alert_id = w.alert_id AND w.ts >= u.start_ts AND w.ts < u.start_ts + INTERVAL 60 SECOND
  GROUP BY ALL
)
SELECT * FROM unusual_processes
UNION ALL SELECT * FROM supplemental
UNION ALL SELECT * FROM rdp_logons
UNION ALL SELECT * FROM burst_members;
