-- layer: mart
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP, ac_metric_order VARCHAR[], ac_group_order VARCHAR[]
-- Precision and coverage of context reports (SPEC.md section 5), per threshold point (a stored run
-- or a tune grid point), overall and per alert name, job, category and ISO week, each figure as
-- k of n with its 95% Wilson interval. Inputs (pipeline/metrics/context-metrics.ts makes them):
--   metric_points(point_id), metric_alerts(alert_id): the alerts of the period,
--   metric_reports(point_id, alert_id, items, truncated), metric_items(point_id, alert_id, item_key,
--   category, event_ids), context_alert_jobs (which jobs ran for which alert, and their windows),
--   labels (optional ground truth). Without labels only the unlabeled figures are given.
CREATE OR REPLACE TEMP TABLE context_metrics AS
WITH period_alerts AS (
  SELECT a.alert_id, a.alert_name, a.host, strftime(a.ts, '%G-W%V') AS week, la.malicious AS alert_malicious, la.campaign_id
  FROM metric_alerts m JOIN alerts a USING (alert_id)
  LEFT JOIN labels la ON la.kind = 'alert' AND la.id = a.alert_id
),
has_labels AS (SELECT count(*) FILTER (WHERE alert_malicious IS NOT NULL) > 0 AS labeled FROM period_alerts),
item_events AS (
  SELECT point_id, alert_id, item_key, category, unnest(event_ids) AS event_id FROM metric_items
),
-- An item is a true finding when it holds at least one event labeled malicious.
item_flags AS (
  SELECT e.point_id, e.alert_id, e.item_key, e.category, bool_or(l.id IS NOT NULL) AS malicious
  FROM item_events e LEFT JOIN labels l ON l.kind = 'event' AND l.id = e.event_id AND l.malicious
  GROUP BY ALL
),
-- Attack recall's denominator: the malicious events of a true alert's campaign on its host that a
-- job of the alert looks at (process events in a process job's window, successful RDP logons in
-- the RDP job's window).
-- The labeled malicious events first (few), read over the windows' span only (ac_span_lo/hi), then
-- matched to the alerts: joining the alerts' windows to all events first took a minute at 17 M events.
malicious_process AS MATERIALIZED (
  SELECT p.event_id, p.host, p.ts, l.campaign_id
  FROM process_events p JOIN labels l ON l.kind = 'event' AND l.malicious AND l.id = p.event_id
  WHERE p.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi')
),
malicious_logon AS MATERIALIZED (
  SELECT g.event_id, g.host, g.ts, l.campaign_id
  FROM logon_events g JOIN labels l ON l.kind = 'event' AND l.malicious AND l.id = g.event_id
  WHERE g.logon_type = 10 AND g.outcome <> 'failure' AND g.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi')
),
campaign_events AS (
  SELECT DISTINCT a.alert_id, p.event_id
  FROM period_alerts a
  JOIN malicious_process p ON p.campaign_id = a.campaign_id AND p.host = a.host
  JOIN context_alert_jobs j ON j.alert_id = a.alert_id AND j.category <> 'RDPLogon' AND p.ts BETWEEN j.win_start AND j.win_end
  WHERE a.alert_malicious
  UNION
  SELECT DISTINCT a.alert_id, g.event_id
  FROM period_alerts a
  JOIN malicious_logon g ON g.campaign_id = a.campaign_id AND g.host = a.host
  JOIN context_alert_jobs j ON j.alert_id = a.alert_id AND j.category = 'RDPLogon' AND g.ts BETWEEN j.win_start AND j.win_end
  WHERE a.alert_malicious
),
recall AS (
  SELECT p.point_id, c.alert_id, count(*) AS events, count(DISTINCT e.event_id) AS found
  FROM metric_points p CROSS JOIN campaign_events c
  LEFT JOIN item_events e ON e.point_id = p.point_id AND e.alert_id = c.alert_id AND e.event_id = c.event_id
  GROUP BY ALL
),
per_alert AS (
  SELECT p.point_id, a.*, coalesce(r.items, 0) > 0 AS reported, coalesce(r.truncated, false) AS truncated,
         coalesce(r.items, 0) AS items,
         (SELECT count(*) FROM item_flags f WHERE f.point_id = p.point_id AND f.alert_id = a.alert_id AND f.malicious) AS malicious_items,
         coalesce(rc.events, 0) AS recall_events, coalesce(rc.found, 0) AS recall_found
  FROM metric_points p CROSS JOIN period_alerts a
  LEFT JOIN metric_reports r ON r.point_id = p.point_id AND r.alert_id = a.alert_id
  LEFT JOIN recall rc ON rc.point_id = p.point_id AND rc.alert_id = a.alert_id
),
per_group AS (
  SELECT point_id,
         CASE WHEN grouping(alert_name) = 0 THEN 'alert_name' WHEN grouping(week) = 0 THEN 'week' ELSE 'overall' END AS group_by,
         coalesce(alert_name, week, '') AS group_value,
         count(*) AS alerts, count(*) FILTER (WHERE reported) AS reported, count(*) FILTER (WHERE truncated) AS truncated,
         sum(items) AS items, sum(malicious_items) AS malicious_items,
         count(*) FILTER (WHERE NOT alert_malicious) AS benign_alerts,
         count(*) FILTER (WHERE NOT alert_malicious AND reported) AS benign_reported,
         count(*) FILTER (WHERE alert_malicious) AS true_alerts,
         count(*) FILTER (WHERE alert_malicious AND reported) AS true_reported,
         sum(recall_events) FILTER (WHERE alert_malicious) AS recall_events,
         sum(recall_found) FILTER (WHERE alert_malicious) AS recall_found
  FROM per_alert
  GROUP BY GROUPING SETS ((point_id), (point_id, alert_name), (point_id, week))
),
-- Per job: coverage among the alerts it ran for; per category: items and their precision.
per_job AS (
  SELECT p.point_id, j.job, count(*) AS alerts,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM metric_items i WHERE i.point_id = p.point_id AND i.alert_id = j.alert_id AND i.category = j.category)) AS reported
  FROM metric_points p CROSS JOIN context_alert_jobs j
  WHERE j.alert_id IN (SELECT alert_id FROM period_alerts)
  GROUP BY ALL
),
per_category AS (
  SELECT f.point_id, f.category, count(*) AS items, count(*) FILTER (WHERE f.malicious) AS malicious_items
  FROM item_flags f GROUP BY ALL
),
figures AS (
  SELECT point_id, group_by, group_value, 'coverage' AS metric, reported AS k, alerts AS n FROM per_group
  UNION ALL SELECT point_id, group_by, group_value, 'item_precision', malicious_items, items FROM per_group WHERE (SELECT labeled FROM has_labels)
  UNION ALL SELECT point_id, group_by, group_value, 'attack_recall', recall_found, recall_events FROM per_group WHERE (SELECT labeled FROM has_labels)
  UNION ALL SELECT point_id, group_by, group_value, 'true_alert_coverage', true_reported, true_alerts FROM per_group WHERE (SELECT labeled FROM has_labels)
  UNION ALL SELECT point_id, group_by, group_value, 'benign_report_rate', benign_reported, benign_alerts FROM per_group WHERE (SELECT labeled FROM has_labels)
  UNION ALL SELECT point_id, group_by, group_value, 'items_per_report', items, reported FROM per_group
  UNION ALL SELECT point_id, group_by, group_value, 'truncation_rate', truncated, reported FROM per_group
  UNION ALL SELECT point_id, 'job', job, 'coverage', reported, alerts FROM per_job
  UNION ALL SELECT point_id, 'category', category, 'items', items, NULL FROM per_category
  UNION ALL SELECT point_id, 'category', category, 'item_precision', malicious_items, items FROM per_category WHERE (SELECT labeled FROM has_labels)
)
SELECT point_id, group_by, group_value, metric, k::BIGINT AS k, n::BIGINT AS n,
       CASE WHEN metric = 'items' THEN k::DOUBLE WHEN n > 0 THEN k / n END AS value,
       -- an interval for proportions only (items per report is a mean)
       CASE WHEN metric NOT IN ('items_per_report', 'items') THEN ac_wilson_low(k, n) END AS low,
       CASE WHEN metric NOT IN ('items_per_report', 'items') THEN ac_wilson_high(k, n) END AS high
FROM figures
WHERE n > 0 OR metric = 'items'
ORDER BY point_id, list_position(getvariable('ac_group_order'), group_by), group_value,
         list_position(getvariable('ac_metric_order'), metric);
