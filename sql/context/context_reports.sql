-- layer: mart
-- parameters: ac_from DATE, ac_to DATE, ac_alert_id VARCHAR, ac_run_id BIGINT
-- The reports of run ac_run_id, one per alert of [ac_from, ac_to] (or the one alert ac_alert_id)
-- with items (context_report_items, context_report_items.sql, run first): the description line,
-- the item lines, the truncation line.
INSERT INTO context_reports
WITH period_alerts AS (
  SELECT * FROM alerts WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
    AND (getvariable('ac_alert_id') IS NULL OR alert_id = getvariable('ac_alert_id'))
),
truncation AS (SELECT alert_id, max(candidates) AS n FROM context_kept GROUP BY 1),
per_report AS (
  SELECT report_id, count(*) AS items, min(time) AS start_time, max(time) AS end_time, max(score) AS score,
         list(DISTINCT category ORDER BY category) AS categories,
         list(DISTINCT subject ORDER BY subject) FILTER (WHERE subject IS NOT NULL) AS accounts,
         -- a family's last line shown is followed by "[+N more like this]" when some of it was left out
         string_agg(line || CASE WHEN coalesce(more_like_this, 0) > 0 THEN chr(10) || format('[+{} more like this]', more_like_this) ELSE '' END,
                    chr(10) ORDER BY item_no) AS lines
  FROM context_report_items WHERE run_id = getvariable('ac_run_id') GROUP BY report_id
),
jobs AS (
  SELECT r.report_id, list(j.name ORDER BY j.ord) AS jobs
  FROM per_report r, context_jobs j
  WHERE list_contains(r.categories, j.category)
  GROUP BY r.report_id
)
SELECT getvariable('ac_run_id'), r.report_id, a.alert_id, a.alert_name, a.ts, a.severity, a.host,
       'Potentially suspect behavior reported as extra context for other alerts' AS title,
       format('Related alert (dated {}). {} items in report ({})', strftime(a.ts, '%Y-%m-%d %H:%M:%SZ'), len(j.jobs), array_to_string(j.jobs, ', ')) AS description,
       j.jobs, r.items, t.n > r.items AS truncated, r.start_time, r.end_time, r.score, coalesce(r.accounts, []),
       format('Related alert (dated {}). {} items in report ({})', strftime(a.ts, '%Y-%m-%d %H:%M:%SZ'), len(j.jobs), array_to_string(j.jobs, ', '))
         || chr(10) || r.lines
         || CASE WHEN t.n > r.items THEN chr(10) || '[Report truncated...maximum number of items exceeded]' ELSE '' END
FROM per_report r
JOIN period_alerts a ON 'cr-' || substr(md5(a.alert_id), 1, 16) = r.report_id
JOIN jobs j USING (report_id)
JOIN truncation t ON t.alert_id = a.alert_id;
