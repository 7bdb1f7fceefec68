-- layer: intermediate
-- parameters: none
-- Report assembly from context_candidates, for every threshold point (one for a context run, one
-- per grid point for tune): one item per event under its strongest category, repetitions folded,
-- activity outside the alert's tree, session and account capped, only when something is unusual;
-- beyond max_items the items tied to the alert first, families capped with "[+N more like this]"
-- (keep_rank), in time order. context_report_items.sql and context_reports.sql render a run from
-- it; the metrics count it.
CREATE OR REPLACE TEMP TABLE context_kept AS
-- A child that is part of its parent (context_attachments.sql: the console host of a console program;
-- its pair and its template on at least fold_child_min_share of the hosts) is folded into its
-- parent's item when the parent is a candidate of the alert: not an item of its own (and cut with
-- its parent's line).
WITH folded AS (
  SELECT g.point_id, a.*
  FROM context_attachments a CROSS JOIN threshold_points g
  WHERE a.template_hosts >= greatest(2, g.fold_child_min_share * a.fleet_hosts)
    AND a.pair_hosts >= greatest(2, g.fold_child_min_share * a.parent_hosts)
    AND (g.point_id, a.alert_id, a.parent_event_id) IN (SELECT (point_id, alert_id, event_id) FROM context_candidates)
),
candidates AS (
  SELECT c.*, CASE c.category WHEN 'UnusualProcess' THEN 1 WHEN 'UnusualMultiProcess' THEN 2 WHEN 'RDPLogon' THEN 3 ELSE 4 END AS priority,
         -- shaped like a part of its parent (started within a second, starting nothing), however rare
         -- (asking its template to run on nearly every host too made the lab's console hosts, on 2 of
         -- 3 hosts, something else: two more benign reports with the 30-day window)
         (c.alert_id, c.event_id) IN (SELECT (alert_id, event_id) FROM context_attachments) AS attached_shape
  FROM context_candidates c
  ANTI JOIN folded f ON f.point_id = c.point_id AND f.alert_id = c.alert_id AND f.event_id = c.event_id
),
-- An event appears once per report, under its strongest category: an unusual finding first, then
-- the category order above (the event's own rarity says more than the burst it was part of), then
-- score (ties by reason); it is unusual if any job found it so.
per_event AS (
  SELECT point_id, alert_id, event_id,
         arg_min(category, (NOT unusual, priority, relation_rank, -score, reason)) AS category,
         arg_min(reason, (NOT unusual, priority, relation_rank, -score, reason)) AS reason, min(priority) FILTER (WHERE unusual) AS unusual_priority,
         max(score) AS score, bool_or(unusual) AS unusual, min(relation_rank) AS relation_rank, bool_or(alert_scoped) AS alert_scoped,
         any_value(ts) AS ts, any_value(host) AS host, any_value(subject) AS subject, any_value(command_line) AS command_line, any_value(image) AS image,
         any_value(template) AS template, any_value(source) AS source, any_value(family) AS family,
         min(burst_note) AS burst_note, bool_or(alert_event) AS alert_event, bool_or(launch_prompt) AS launch_prompt, bool_or(attached_shape) AS attached_shape,
         bool_or(host_unusual) AS host_unusual, bool_or(hands_on) AS hands_on
  FROM candidates GROUP BY point_id, alert_id, event_id
),
-- Repetitions: the same image and command line (processes) or the same user and source (logons)
-- again in the window on the same host is one item: its first time, and the times of the repeats
-- (a line from another host, models/remote-starts.ts, is its own item even when the alert's host ran
-- the same). An event listed for its own rarity that was also part of an unusual burst says so.
keyed AS (
  SELECT e.* REPLACE (e.reason || CASE WHEN e.category <> 'UnusualMultiProcess' AND e.burst_note IS NOT NULL THEN '; part of a ' || e.burst_note ELSE '' END AS reason),
         CASE WHEN e.category = 'RDPLogon' THEN 'logon|' || e.host || '|' || lower(coalesce(e.subject, '')) || '|' || coalesce(e.source, '')
              ELSE 'process|' || e.host || '|' || lower(coalesce(e.image, '')) || '|' || coalesce(e.command_line, '') END AS repeat_key
  FROM per_event e
),
-- The folded children of each item's events: their ids join the item's, their lines (with the
-- numbers that fold them) its reason.
attached AS (
  SELECT k.point_id, k.alert_id, k.repeat_key, list({'ts': f.ts, 'id': f.event_id}) AS kids,
         -- each distinct child line once, with the numbers that make it part of its parent
         list_sort(list_distinct(list(format('{} ({} ms after it; template on {} of {} hosts; {} -> {} on {} of the {} hosts that run {})',
                                             CASE WHEN length(f.command_line) > 100 THEN left(f.command_line, 96) || '....' ELSE f.command_line END,
                                             f.after_ms, f.template_hosts, f.fleet_hosts, f.parent_name, f.process_name, f.pair_hosts,
                                             f.parent_hosts, f.parent_name)))) AS kid_lines
  FROM keyed k JOIN folded f ON f.point_id = k.point_id AND f.alert_id = k.alert_id AND f.parent_event_id = k.event_id
  GROUP BY ALL
),
grouped AS (
  SELECT point_id, alert_id, repeat_key, any_value(host) AS host,
         min(ts) AS time,
         arg_min(category, (NOT unusual, coalesce(unusual_priority, 9), relation_rank, -score, ts, event_id)) AS category,
         arg_min(reason, (NOT unusual, coalesce(unusual_priority, 9), relation_rank, -score, ts, event_id)) AS reason,
         arg_min(ts, (NOT unusual, coalesce(unusual_priority, 9), relation_rank, -score, ts, event_id)) AS reason_time,
         -- the burst the reason describes (context_report_items.sql describes a burst once a report)
         -- (arg_min_null: the note of the very event whose reason is taken, NULL included)
         arg_min_null(burst_note, (NOT unusual, coalesce(unusual_priority, 9), relation_rank, -score, ts, event_id)) AS burst_note,
         max(score) AS score, bool_or(unusual) AS unusual, min(relation_rank) AS relation_rank, bool_or(alert_scoped) AS alert_scoped,
         arg_min(subject, (ts, event_id)) AS subject, arg_min(command_line, (ts, event_id)) AS command_line, arg_min(image, (ts, event_id)) AS image,
         arg_min(source, (ts, event_id)) AS source, arg_min(template, (ts, event_id)) AS template,
         coalesce(arg_min(family, (ts, event_id)), repeat_key) AS family,
         -- in time order, ties by id: the values sorted (list_sort), not an ordered aggregate (one sort
         -- per group, most of them one event: 40% of a tune chunk's assembly)
         list_sort(list(ts))[2:] AS repeat_times,
         list({'ts': ts, 'id': event_id}) AS events,
         bool_or(alert_event) AS alert_event, bool_or(unusual AND NOT alert_event) AS unusual_context,
         bool_and(attached_shape) AS attached_shape, bool_or(launch_prompt) AS launch_prompt,
         -- the alert's own event, unusual on this host too, and when; the group's last event
         bool_or(alert_event AND host_unusual) AS alert_unusual_here, bool_or(hands_on AND host_unusual) AS alert_hands_on, max(ts) FILTER (WHERE alert_event) AS alert_event_time,
         max(ts) AS last_time
  FROM keyed GROUP BY point_id, alert_id, repeat_key
),
items AS (
  -- (a repeat later than the item's first time that gives the reason says when, UTC, with its day
  -- when that is another: an RDP window spans a day)
  SELECT i.* EXCLUDE (events, reason_time) REPLACE (
           CASE WHEN i.reason_time::DATE > i.time::DATE THEN format('at {}: ', strftime(i.reason_time, '%Y-%m-%d %H:%M:%SZ'))
                WHEN i.reason_time > i.time THEN format('at {}: ', strftime(i.reason_time, '%H:%M:%SZ')) ELSE '' END
           || i.reason || coalesce('; folded in: ' || array_to_string(a.kid_lines, '; '), '') AS reason),
         list_transform(list_sort(list_concat(i.events, coalesce(a.kids, []))), x -> x.id) AS event_ids
  FROM grouped i LEFT JOIN attached a USING (point_id, alert_id, repeat_key)
),
-- Activity outside the alert's tree, session and account (when the alert names a session, account or
-- process: alert_scoped, context_alert_scope.sql): at most
-- host_max_items items, the most unusual and nearest to the alert, each strongly unusual (score at
-- least host_min_score, whichever job found it: a process, a burst's member, an RDP logon).
outside_ranked AS (
  SELECT i.*, g.max_items, g.family_max_items, g.host_max_items, g.host_min_score, i.relation_rank = 4 AND i.alert_scoped AS outside,
         -- the most unusual, then the nearest in time to the alert
         row_number() OVER (PARTITION BY i.point_id, i.alert_id, i.relation_rank = 4 AND i.alert_scoped
                            ORDER BY i.unusual DESC, i.score DESC, abs(epoch(i.time) - epoch(a.alert_ts)), i.time, i.repeat_key) AS nth_outside
  FROM items i JOIN threshold_points g USING (point_id)
  JOIN (SELECT DISTINCT alert_id, ts AS alert_ts FROM context_alert_jobs) a USING (alert_id)
),
eligible AS (SELECT * EXCLUDE (host_min_score) FROM outside_ranked WHERE NOT outside OR (nth_outside <= host_max_items AND score >= host_min_score)),
-- Only when unusual: a report is made for an alert with at least one unusual item other than the
-- alert's own event (the alert is known already: the report is context for it), tied to the alert
-- (its tree, session or account) when the alert names one of them (alert_scoped,
-- context_alert_scope.sql: a session that ran nothing does not make the host's activity the
-- report), anything unusual when it names only its host; or for an alert whose own event is
-- unusual, on this host too (not a program the host runs, started its usual way), when its process
-- tree or logon session ran something else after it (what the intruder's process went on to do: a
-- stager's whoami; not what the session did before, nor a child shaped like a part of its parent,
-- context_attachments.sql), or when a prompt that asked the person let a process of its tree start
-- (User Account Control's elevation prompt or SmartScreen's warning for an unrecognized program,
-- models/os-core.ts, bound to the launch after it: the payload from the Downloads folder above the
-- shell and its REG ADD disabling the event log), or when it was run by hand in a person's logon
-- session (hands_on, context_alert_scope.sql: a command typed or fed to a shell, models/command-shells.ts,
-- the person's or an intruder's agent's, not a script's, a scheduled task's or a service's: the only
-- trace of many a single-command attack, a dumper or a reconnaissance tool run from cmd.exe, a
-- scheduled task created from PowerShell). Not for a new
-- program that familiar programs started without a shell or a prompt (a tool every host runs
-- starting a new build or installer, an agent's deployment as the machine: what started it is then
-- routine, and its novelty churn). Activity elsewhere on the host only accompanies them.
own_unusual AS (
  SELECT point_id, alert_id, max(alert_event_time) AS alert_event_time FROM eligible WHERE alert_unusual_here GROUP BY ALL
),
reported AS (
  SELECT * FROM eligible WHERE (point_id, alert_id) IN (
    SELECT (point_id, alert_id) FROM eligible WHERE unusual_context AND (relation_rank <= 3 OR NOT alert_scoped)
    UNION ALL
    SELECT (e.point_id, e.alert_id) FROM eligible e JOIN own_unusual o USING (point_id, alert_id)
    WHERE NOT e.alert_event AND NOT e.attached_shape AND e.relation_rank <= 2 AND e.last_time > o.alert_event_time
    UNION ALL
    -- (launch_prompt: a prompt of the tree itself, context_window_tree.sql; another run's prompts are not)
    SELECT (e.point_id, e.alert_id) FROM eligible e JOIN own_unusual o USING (point_id, alert_id) WHERE e.launch_prompt
    UNION ALL
    -- (alert_hands_on: the alert's process, unusual here, run by hand in a person's session)
    SELECT (point_id, alert_id) FROM eligible WHERE alert_hands_on)
),
-- Beyond the maximum: a family (process, parent, argument shape) keeps its family_max_items best
-- lines and folds the rest into "[+N more like this]"; the lines tied to the alert come first
-- (process tree, session, account, then the host), then the first of each family, the second of
-- each, and so on, the most unusual first.
ranked AS (
  SELECT *, count(*) OVER (PARTITION BY point_id, alert_id) AS candidates,
         row_number() OVER (PARTITION BY point_id, alert_id, family ORDER BY relation_rank, unusual DESC, score DESC, time, repeat_key) AS nth_of_family
  FROM reported
),
placed AS (
  SELECT *, candidates > max_items AND nth_of_family > family_max_items AS folded,
         row_number() OVER (PARTITION BY point_id, alert_id
                            ORDER BY candidates > max_items AND nth_of_family > family_max_items, relation_rank, nth_of_family,
                                     unusual DESC, score DESC, time, repeat_key) AS keep_rank
  FROM ranked
),
decided AS (SELECT *, NOT folded AND keep_rank <= max_items AS kept FROM placed),
-- The family's items not shown, counted on its last line shown (in time order).
counted AS (
  SELECT *,
         count(*) OVER (PARTITION BY point_id, alert_id, family) - sum(kept::INTEGER) OVER (PARTITION BY point_id, alert_id, family) AS family_left_out,
         row_number() OVER (PARTITION BY point_id, alert_id, family, kept ORDER BY time DESC, repeat_key DESC) AS nth_from_last
  FROM decided
)
SELECT * EXCLUDE (family_left_out, nth_from_last),
       CASE WHEN kept AND nth_from_last = 1 THEN family_left_out ELSE 0 END::INTEGER AS more_like_this
FROM counted;
