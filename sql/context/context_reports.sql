-- parameters: ac_from DATE, ac_to DATE, ac_alert_id VARCHAR, ac_run_id BIGINT, ac_max_line INTEGER
-- Render the reports of run ac_run_id from context_kept (context_kept.sql, one threshold point):
-- item lines in time order, the description line, the truncation line.
INSERT INTO context_report_items
SELECT getvariable('ac_run_id'), 'cr-' || substr(md5(alert_id), 1, 16) AS report_id,
       row_number() OVER (PARTITION BY alert_id ORDER BY time, repeat_key)::INTEGER AS item_no,
       time, category, subject, command_line, image, repeat_times, len(repeat_times)::INTEGER AS repeat_count,
       score, unusual, reason, event_ids,
       -- HH:MM:SSZ <command line, or user from source> [Repeats: ...] (<Category>)
       strftime(time, '%H:%M:%SZ') || ' '
       || CASE WHEN category = 'RDPLogon' THEN coalesce(subject, '(unknown user)') || coalesce(' from ' || source, '')
               ELSE ac_cut(coalesce(command_line, image, ''), getvariable('ac_max_line')) END
       || CASE WHEN len(repeat_times) = 0 THEN ''
               WHEN len(repeat_times) <= 3 THEN '  [Repeats: ' || array_to_string(list_transform(repeat_times, t -> strftime(t, '%H:%M:%S.') || lpad((extract('millisecond' FROM t) % 1000 // 10)::VARCHAR, 2, '0')), ', ') || ']'
               ELSE '  [Repeats: ' || len(repeat_times) || ' times]' END
       || ' (' || category || ')' AS line,
       more_like_this
FROM context_kept
WHERE kept;

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
