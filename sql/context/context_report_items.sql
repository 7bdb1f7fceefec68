-- layer: mart
-- parameters: ac_run_id BIGINT, ac_max_line INTEGER
-- The item lines of run ac_run_id's reports from context_kept (context_kept.sql, one threshold
-- point): numbered in time order, each rendered as the report shows it.
INSERT INTO context_report_items
SELECT getvariable('ac_run_id'), 'cr-' || substr(md5(alert_id), 1, 16) AS report_id,
       row_number() OVER (PARTITION BY alert_id ORDER BY time, repeat_key)::INTEGER AS item_no,
       time, category, subject, command_line, image, repeat_times, len(repeat_times)::INTEGER AS repeat_count,
       score, unusual,
       -- a burst is described on its first line of the report; its later lines name it by its size
       -- and start (the same 60 s, its counts and the host's ceiling, repeated on every member,
       -- drowned the lines); a note of another shape (ac_burst_note) is left whole
       CASE WHEN burst_note IS NOT NULL AND row_number() OVER (PARTITION BY alert_id, burst_note ORDER BY time, repeat_key) > 1
            THEN replace(reason, burst_note, regexp_replace(burst_note, '^burst of (\d+) distinct processes within 60 s from (\d\d:\d\d:\d\d), .*$',
                                                            'burst of \1 from \2 (described above)'))
            ELSE reason END AS reason,
       event_ids,
       -- HH:MM:SSZ <command line, or user from source> [Repeats: ...] (<Category>), its controls
       -- shown (ac_visible: a newline in a command line would forge a line of the report's text)
       ac_visible(strftime(time, '%H:%M:%SZ') || ' '
       || ac_cut(CASE WHEN category = 'RDPLogon' THEN coalesce(subject, '(unknown user)') || coalesce(' from ' || source, '')
                      ELSE ac_line(command_line, image) END, getvariable('ac_max_line'))
       || CASE WHEN len(repeat_times) = 0 THEN ''
               WHEN len(repeat_times) <= 3 THEN '  [Repeats: ' || array_to_string(list_transform(repeat_times, t -> strftime(t, '%H:%M:%S.') || lpad((extract('millisecond' FROM t) % 1000 // 10)::VARCHAR, 2, '0')), ', ') || ']'
               ELSE '  [Repeats: ' || len(repeat_times) || ' times]' END
       || ' (' || category || ')') AS line,
       more_like_this, host
FROM context_kept
WHERE kept;
