-- Assemble the reports of run ac_run_id from context_candidates of the alerts of [ac_from, ac_to]:
-- one item per event under its strongest category, repetitions folded, only when something is
-- unusual, the most unusual items kept (preferring variety) up to ac_max_items, in time order.
CREATE OR REPLACE TEMP TABLE context_kept AS
WITH period_alerts AS (
  SELECT * FROM alerts WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
    AND (getvariable('ac_alert_id') IS NULL OR alert_id = getvariable('ac_alert_id'))
),
candidates AS (
  SELECT c.*, CASE c.category WHEN 'UnusualProcess' THEN 1 WHEN 'UnusualMultiProcess' THEN 2 WHEN 'RDPLogon' THEN 3 ELSE 4 END AS priority
  FROM context_candidates c JOIN period_alerts a USING (alert_id)
),
-- An event appears once per report, under its strongest category: an unusual finding first, then
-- the category order above (the event's own rarity says more than the burst it was part of), then
-- score; it is unusual if any job found it so.
per_event AS (
  SELECT alert_id, event_id,
         arg_min(category, (NOT unusual, priority, -score)) AS category,
         arg_min(reason, (NOT unusual, priority, -score)) AS reason, min(priority) FILTER (WHERE unusual) AS unusual_priority,
         max(score) AS score, bool_or(unusual) AS unusual,
         any_value(ts) AS ts, any_value(subject) AS subject, any_value(command_line) AS command_line, any_value(image) AS image
  FROM candidates GROUP BY alert_id, event_id
),
-- Repetitions: the same image and command line (processes) or the same user and source (logons)
-- again in the window is one item: its first time, and the times of the repeats.
keyed AS (
  SELECT e.*, coalesce(r.template, lower(coalesce(e.command_line, e.image, ''))) AS template,
         CASE WHEN e.category = 'RDPLogon' THEN 'logon|' || lower(coalesce(e.subject, '')) || '|' || coalesce(l.source_ip, l.source_host, '')
              ELSE 'process|' || lower(coalesce(e.image, '')) || '|' || coalesce(e.command_line, '') END AS repeat_key,
         coalesce(l.source_ip, l.source_host) AS source
  FROM per_event e
  LEFT JOIN process_rarity r USING (event_id)
  LEFT JOIN logon_events l ON e.category = 'RDPLogon' AND l.event_id = e.event_id
),
items AS (
  SELECT alert_id, repeat_key,
         min(ts) AS time,
         arg_min(category, (NOT unusual, coalesce(unusual_priority, 9), -score, ts)) AS category,
         arg_min(reason, (NOT unusual, coalesce(unusual_priority, 9), -score, ts)) AS reason,
         max(score) AS score, bool_or(unusual) AS unusual,
         arg_min(subject, ts) AS subject, arg_min(command_line, ts) AS command_line, arg_min(image, ts) AS image,
         arg_min(source, ts) AS source, arg_min(template, ts) AS template,
         list(ts ORDER BY ts, event_id)[2:] AS repeat_times,
         list(event_id ORDER BY ts, event_id) AS event_ids
  FROM keyed GROUP BY alert_id, repeat_key
),
-- Only when unusual: reports for alerts with at least one unusual item.
reported AS (
  SELECT * FROM items WHERE alert_id IN (SELECT alert_id FROM items WHERE unusual)
),
-- Beyond the maximum, keep the most unusual items preferring variety: the best item of each
-- template first, then the second best of each, and so on.
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY alert_id, template ORDER BY unusual DESC, score DESC, time, repeat_key) AS nth_of_template
  FROM reported
),
kept AS (
  SELECT *, row_number() OVER (PARTITION BY alert_id ORDER BY nth_of_template, unusual DESC, score DESC, time, repeat_key) AS keep_rank,
         count(*) OVER (PARTITION BY alert_id) AS candidates
  FROM ranked
)
SELECT * FROM kept;

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
       || ' (' || category || ')' AS line
FROM context_kept
WHERE keep_rank <= getvariable('ac_max_items');

INSERT INTO context_reports
WITH period_alerts AS (
  SELECT * FROM alerts WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
    AND (getvariable('ac_alert_id') IS NULL OR alert_id = getvariable('ac_alert_id'))
),
truncation AS (SELECT alert_id, max(candidates) AS n FROM context_kept GROUP BY 1),
per_report AS (
  SELECT report_id, count(*) AS items, min(time) AS start_time, max(time) AS end_time, max(score) AS score,
         list(DISTINCT category) AS categories,
         list(DISTINCT subject) FILTER (WHERE subject IS NOT NULL) AS accounts,
         string_agg(line, chr(10) ORDER BY item_no) AS lines
  FROM context_report_items WHERE run_id = getvariable('ac_run_id') GROUP BY report_id
),
jobs AS (
  SELECT r.report_id, list(j.name ORDER BY j.ord) AS jobs
  FROM per_report r, (SELECT name, category, row_number() OVER () AS ord FROM context_jobs) j
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
