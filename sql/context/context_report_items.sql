-- layer: mart
-- parameters: ac_run_id BIGINT, ac_max_line INTEGER
-- The item lines of run ac_run_id's reports from context_kept (context_kept.sql, one threshold
-- point): numbered in time order, each rendered as the report shows it.
INSERT INTO context_report_items
SELECT getvariable('ac_run_id'), 'cr-' || substr(md5(alert_id), 1, 16) AS report_id,
       row_number() OVER (PARTITION BY alert_id ORDER BY time, repeat_key)::INTEGER AS item_no,
       time, category, subject, command_line, image, repeat_times, len(repeat_times)::INTEGER AS repeat_count,
       score, unusual, reason, event_ids,
       -- HH:MM:SSZ <command line, or user from source> [Repeats: ...] (<Category>)
       strftime(time, '%H:%M:%SZ') || ' '
       || CASE WHEN category = 'RDPLogon' THEN coalesce(subject, '(unknown user)') || coalesce(' from ' || source, '')
               ELSE ac_cut(ac_line(command_line, image), getvariable('ac_max_line')) END
       || CASE WHEN len(repeat_times) = 0 THEN ''
               WHEN len(repeat_times) <= 3 THEN '  [Repeats: ' || array_to_string(list_transform(repeat_times, t -> strftime(t, '%H:%M:%S.') || lpad((extract('millisecond' FROM t) % 1000 // 10)::VARCHAR, 2, '0')), ', ') || ']'
               ELSE '  [Repeats: ' || len(repeat_times) || ' times]' END
       || ' (' || category || ')' AS line,
       more_like_this
FROM context_kept
WHERE kept;
