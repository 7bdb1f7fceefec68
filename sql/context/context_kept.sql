-- Report assembly from context_candidates, for every threshold point (one for a context run, one
-- per grid point for tune): one item per event under its strongest category, repetitions folded,
-- only when something is unusual, the most unusual items kept (preferring variety) up to the
-- point's max_items (keep_rank), in time order. context_reports.sql renders a run from it; the
-- metrics (sql/metrics) count it.
CREATE OR REPLACE TEMP TABLE context_kept AS
WITH candidates AS (
  SELECT c.*, CASE c.category WHEN 'UnusualProcess' THEN 1 WHEN 'UnusualMultiProcess' THEN 2 WHEN 'RDPLogon' THEN 3 ELSE 4 END AS priority
  FROM context_candidates c
),
-- An event appears once per report, under its strongest category: an unusual finding first, then
-- the category order above (the event's own rarity says more than the burst it was part of), then
-- score; it is unusual if any job found it so.
per_event AS (
  SELECT point_id, alert_id, event_id,
         arg_min(category, (NOT unusual, priority, -score, reason)) AS category,
         arg_min(reason, (NOT unusual, priority, -score, reason)) AS reason, min(priority) FILTER (WHERE unusual) AS unusual_priority,
         max(score) AS score, bool_or(unusual) AS unusual,
         any_value(ts) AS ts, any_value(subject) AS subject, any_value(command_line) AS command_line, any_value(image) AS image,
         any_value(template) AS template, any_value(source) AS source
  FROM candidates GROUP BY point_id, alert_id, event_id
),
-- Repetitions: the same image and command line (processes) or the same user and source (logons)
-- again in the window is one item: its first time, and the times of the repeats.
keyed AS (
  SELECT e.* REPLACE (coalesce(e.template, lower(coalesce(e.command_line, e.image, ''))) AS template),
         CASE WHEN e.category = 'RDPLogon' THEN 'logon|' || lower(coalesce(e.subject, '')) || '|' || coalesce(e.source, '')
              ELSE 'process|' || lower(coalesce(e.image, '')) || '|' || coalesce(e.command_line, '') END AS repeat_key
  FROM per_event e
),
items AS (
  SELECT point_id, alert_id, repeat_key,
         min(ts) AS time,
         arg_min(category, (NOT unusual, coalesce(unusual_priority, 9), -score, ts, event_id)) AS category,
         arg_min(reason, (NOT unusual, coalesce(unusual_priority, 9), -score, ts, event_id)) AS reason,
         max(score) AS score, bool_or(unusual) AS unusual,
         arg_min(subject, (ts, event_id)) AS subject, arg_min(command_line, (ts, event_id)) AS command_line, arg_min(image, (ts, event_id)) AS image,
         arg_min(source, (ts, event_id)) AS source, arg_min(template, (ts, event_id)) AS template,
         list(ts ORDER BY ts, event_id)[2:] AS repeat_times,
         list(event_id ORDER BY ts, event_id) AS event_ids
  FROM keyed GROUP BY point_id, alert_id, repeat_key
),
-- Only when unusual: reports for alerts with at least one unusual item.
reported AS (
  SELECT * FROM items WHERE (point_id, alert_id) IN (SELECT (point_id, alert_id) FROM items WHERE unusual)
),
-- Beyond the maximum, keep the most unusual items preferring variety: the best item of each
-- template first, then the second best of each, and so on.
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY point_id, alert_id, template ORDER BY unusual DESC, score DESC, time, repeat_key) AS nth_of_template
  FROM reported
),
kept AS (
  SELECT r.*, row_number() OVER (PARTITION BY r.point_id, r.alert_id ORDER BY nth_of_template, unusual DESC, score DESC, time, repeat_key) AS keep_rank,
         count(*) OVER (PARTITION BY r.point_id, r.alert_id) AS candidates, g.max_items
  FROM ranked r JOIN threshold_points g USING (point_id)
)
SELECT *, keep_rank <= max_items AS kept FROM kept;

