-- layer: intermediate
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP, ac_pass INTEGER
-- Candidate context items for every alert of context_alert_jobs (context_alert_jobs.sql), all
-- alerts at once (alerts joined to events by host and window, never one query per alert), and for
-- every set of thresholds in threshold_points (one for a context run, one per grid point for tune):
-- the events' stored features (score/*.sql) are judged here, so a sweep never rescans the events.
-- The alerts' windows, prepared once for any number of threshold points (context_day_events.sql,
-- context_window_keys.sql, context_event_features.sql, context_alert_scope.sql, then
-- context_window_features.sql: each event of an alert's windows with its relation to the alert and
-- its features), are judged here and joined to the logons and scores of their span only
-- (ac_span_lo/hi, set from context_alert_jobs): events arrive day by day, so DuckDB skips the row
-- groups of other days. The items' texts are this pass's (ac_pass) rows of context_day_events.
CREATE OR REPLACE TEMP TABLE context_candidates AS
WITH span_logon_rarity AS (
  SELECT * FROM logon_rarity WHERE day BETWEEN getvariable('ac_span_lo')::DATE AND getvariable('ac_span_hi')::DATE
),
-- Each process job's events: its window's (not materialized: each job below reads its own category),
-- but the operating system's own processes (os_core, models/os-core.ts), which are never a line
-- unless the alert's own event.
window_processes AS NOT MATERIALIZED (
  SELECT k.category, k.job, w.*
  FROM context_window_features w
  JOIN context_alert_jobs k ON k.alert_id = w.alert_id AND w.ts BETWEEN k.win_start AND k.win_end
  WHERE k.category IN ('UnusualProcess', 'SupplementalProcess', 'UnusualMultiProcess')
    AND (NOT w.os_core OR w.alert_event)
),
-- Unusual processes. In the alert's own process tree, rare in the fleet is enough: that the host ran
-- it before does not clear it (it may be the same intruder again). Outside the alert's tree, session
-- and account (when the alert names a session, account or process: alert_scoped) an item must be strongly unusual
-- (host_min_score); context_kept caps how many such items a report keeps.
-- Background churn (see supplemental) is not unusual for a new command line: browsers' and
-- updaters' arguments change all the time. Nor is the operating system's own process (os_core,
-- models/os-core.ts), however new to the fleet's history.
unusual_processes AS (
  SELECT g.point_id, w.alert_id, w.category, w.job, w.event_id, w.ts, w.host, w.user_name AS subject,
         ac_process_score(w.template_hosts, w.pair_hosts, w.fleet_hosts, w.host_days, w.history_days, w.host_history_days, g.prior_hosts, g.max_host_days, g.min_history_days, g.min_fleet_hosts) AS score,
         true AS unusual, w.relation AS reason, w.relation_rank, w.alert_scoped, NULL::VARCHAR AS burst_note, w.alert_event, w.launch_prompt,
         w.hands_on
  FROM window_processes w
  JOIN threshold_points g
    ON CASE WHEN w.relation_rank = 1
            THEN ac_fleet_rare(w.template_hosts, w.fleet_hosts, g.max_fleet_hosts, g.max_fleet_share) AND ac_fleet_judged(w.history_days)
            ELSE ac_process_unusual(w.template_hosts, w.pair_hosts, w.fleet_hosts, w.host_days, w.history_days, w.host_history_days,
                                    g.max_fleet_hosts, g.max_fleet_share, g.max_host_days, g.min_history_days) END
  WHERE w.category = 'UnusualProcess' AND w.template_hosts IS NOT NULL AND NOT w.os_core
    AND (w.relation_rank < 4 OR NOT w.alert_scoped OR score >= g.host_min_score)
    AND (w.relation_rank = 1 OR NOT ac_churn(w.pair_hosts, w.fleet_hosts, w.pair_daily_events, g.churn_min_share, g.churn_min_daily_events))
),
-- Supplemental: every process of the alert's tree and session (of its account when the alert has
-- no session, less the account's daily routine) accompanies the unusual items, repeats merged later; background churn (a parent ->
-- child pair run on a large share of the fleet, many times a day: browser, Office and updater
-- subprocesses) stays out unless it is in the alert's process tree.
supplemental AS (
  SELECT g.point_id, w.alert_id, w.category, w.job, w.event_id, w.ts, w.host, w.user_name,
         coalesce(ac_process_score(w.template_hosts, w.pair_hosts, w.fleet_hosts, w.host_days, w.history_days, w.host_history_days, g.prior_hosts, g.max_host_days, g.min_history_days, g.min_fleet_hosts), 0) AS score,
         false, w.relation, w.relation_rank, w.alert_scoped, NULL, w.alert_event, w.launch_prompt, w.hands_on
  FROM window_processes w
  CROSS JOIN threshold_points g
  WHERE w.category = 'SupplementalProcess'
    -- the account's daily routine on this host (a template it ran on half the days or more) stays out:
    -- the account relation is the weakest, and a service account's scheduled work says nothing
    AND (w.relation_rank <= 2 OR (w.relation_rank = 3 AND NOT w.alert_has_session AND coalesce(w.host_days, 0) < 0.5 * greatest(w.history_days, 1)))
    AND coalesce(ac_process_score(w.template_hosts, w.pair_hosts, w.fleet_hosts, w.host_days, w.history_days, w.host_history_days, g.prior_hosts, g.max_host_days, g.min_history_days, g.min_fleet_hosts), 0) >= g.supplemental_min_score
    AND (w.relation_rank = 1 OR NOT ac_churn(w.pair_hosts, w.fleet_hosts, w.pair_daily_events, g.churn_min_share, g.churn_min_daily_events))
    -- an ancestor that runs as the machine in another session (a service host starting the user's
    -- process) only when unusual (known to be common: an ancestor without a rarity row stays)
    AND NOT (w.foreign_ancestor AND w.template_hosts IS NOT NULL)
),
rdp_logons AS (
  SELECT g.point_id, j.alert_id, j.category, j.job, l.event_id, l.ts, l.host, l.user_name, NULL, NULL,
         coalesce(ac_logon_score(r.source_hosts, r.fleet_hosts, r.host_days, r.failures_before, g.prior_hosts, g.min_fleet_hosts), 0),
         coalesce(ac_logon_unusual(r.source_hosts, r.fleet_hosts, r.host_days, r.history_days, r.failures_before,
                                   g.max_fleet_hosts, g.max_fleet_share, g.max_host_days, g.min_history_days), false),
         CASE WHEN l.logon_id = s.session THEN 'the alert''s logon session started here; '
              WHEN ac_account(l.user_name) = s.account THEN format('by the alert''s account {}; ', s.account) ELSE '' END
         || format('RDP logon from {}', coalesce(l.source_ip, l.source_host, 'an unknown source')) || coalesce('; ' || r.reason, ''),
         NULL, coalesce(l.source_ip, l.source_host),
         CASE WHEN l.logon_id = s.session THEN 2 WHEN ac_account(l.user_name) = s.account THEN 3 ELSE 4 END,
         s.alert_scoped,
         'logon|' || lower(coalesce(l.user_name, '')) || '|' || coalesce(l.source_ip, l.source_host, ''), NULL, false, false, false, false
  FROM context_alert_jobs j
  JOIN context_alert_scope s USING (alert_id)
  JOIN logon_events l ON l.host = j.host AND l.ts BETWEEN j.win_start AND j.win_end
   AND l.logon_type = 10 AND l.outcome <> 'failure' AND l.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi')
  LEFT JOIN span_logon_rarity r ON r.event_id = l.event_id
  CROSS JOIN threshold_points g
  WHERE j.category = 'RDPLogon'
),
-- Bursts: for each process start in the window, the processes the host started in the 60 seconds
-- from it (a sliding window: scripts straddle minute boundaries). A burst is many distinct programs
-- at once, above the host's usual ceiling; it is unusual when its pattern is: at least
-- burst_min_rare_share of its distinct templates are unusual (rare in the fleet and new to the host,
-- ac_process_unusual, and not background churn). A logon script or an update run across the fleet is a burst, never an unusual one.
-- The 60 seconds from a start are counted once per host (alerts on one host share their windows'
-- minutes); an alert whose window ends inside them sees only the part up to its end, and that
-- start is counted for that alert alone (the bursts are per host in host_unusual_bursts, per alert in
-- unusual_bursts).
burst_window AS (SELECT * FROM window_processes WHERE category = 'UnusualMultiProcess'),
-- One window per alert: the span of its multi-process jobs' windows (each holds the alert's time, so
-- the span is their union, as the per-alert join counted before; a job table can give two such jobs
-- different windows).
burst_windows AS (
  SELECT alert_id, any_value(host) AS host, min(win_start) AS win_start, max(win_end) AS win_end
  FROM context_alert_jobs WHERE category = 'UnusualMultiProcess' GROUP BY alert_id
),
-- Only a start with at least the smallest burst_min_distinct of the threshold points can be a burst
-- (the distinct processes from each start: context_burst_events.sql).
burst_candidates AS MATERIALIZED (
  SELECT event_id AS start_id, ts AS start_ts, host FROM context_burst_events
  WHERE distinct_processes >= (SELECT min(burst_min_distinct) FROM threshold_points)
),
-- An alert whose window ends inside the 60 seconds from a start sees them up to its end (a part of
-- them: a candidate only if the whole is one).
edge_starts AS MATERIALIZED (
  SELECT b.alert_id, b.win_end, c.start_id, c.start_ts, c.host
  FROM burst_windows b
  JOIN burst_candidates c ON c.host = b.host AND c.start_ts BETWEEN b.win_start AND b.win_end AND c.start_ts + INTERVAL 60 SECOND > b.win_end
),
burst_spans AS (
  SELECT NULL::VARCHAR AS alert_id, c.start_id, c.start_ts, c.host, x.process_name, x.template, x.template_hosts,
         x.pair_hosts, x.fleet_hosts, x.history_days, x.host_days, x.host_history_days, x.pair_daily_events, x.os_core
  FROM burst_candidates c JOIN context_burst_events x ON x.host = c.host AND x.ts >= c.start_ts AND x.ts < c.start_ts + INTERVAL 60 SECOND
  UNION ALL
  SELECT e.alert_id, e.start_id, e.start_ts, e.host, x.process_name, x.template, x.template_hosts,
         x.pair_hosts, x.fleet_hosts, x.history_days, x.host_days, x.host_history_days, x.pair_daily_events, x.os_core
  FROM edge_starts e JOIN context_burst_events x ON x.host = e.host AND x.ts >= e.start_ts AND x.ts <= e.win_end
),
burst_starts AS (
  SELECT g.point_id, s.alert_id, s.start_id, s.start_ts, s.host,
         count(DISTINCT s.process_name) AS distinct_processes, count(DISTINCT s.template) AS templates,
         count(DISTINCT s.template) FILTER (WHERE ac_process_unusual(s.template_hosts, s.pair_hosts, s.fleet_hosts, s.host_days, s.history_days, s.host_history_days,
                                                                     g.max_fleet_hosts, g.max_fleet_share, g.max_host_days, g.min_history_days)
                                               AND NOT ac_churn(s.pair_hosts, s.fleet_hosts, s.pair_daily_events, g.churn_min_share, g.churn_min_daily_events)
                                               AND NOT s.os_core) AS rare_templates,
         max(s.fleet_hosts) AS fleet_hosts, min(s.history_days) AS history_days
  FROM burst_spans s CROSS JOIN threshold_points g
  GROUP BY ALL
),
host_unusual_bursts AS (
  SELECT g.point_id, g.burst_factor, g.max_fleet_hosts, g.max_fleet_share, g.max_host_days, g.min_history_days, g.min_fleet_hosts,
         g.churn_min_share, g.churn_min_daily_events, s.alert_id, s.start_id, s.start_ts, s.host,
         s.distinct_processes, s.templates, s.rare_templates, s.fleet_hosts, coalesce(b.quantile_distinct, 0) AS quantile_distinct
  FROM burst_starts s
  JOIN threshold_points g USING (point_id)
  LEFT JOIN baseline_host_burst b ON b.as_of = s.start_ts::DATE AND b.host = s.host
  WHERE s.distinct_processes >= g.burst_min_distinct
    AND s.distinct_processes > g.burst_factor * coalesce(b.quantile_distinct, 0)
    AND s.rare_templates >= g.burst_min_rare_share * s.templates
    AND ac_fleet_judged(s.history_days)
),
-- Each alert's unusual bursts: the host's whose 60 seconds lie inside its window, and its own.
unusual_bursts AS (
  SELECT u.* REPLACE (b.alert_id AS alert_id)
  FROM host_unusual_bursts u
  JOIN burst_windows b ON b.host = u.host AND u.start_ts BETWEEN b.win_start AND b.win_end AND u.start_ts + INTERVAL 60 SECOND <= b.win_end
  WHERE u.alert_id IS NULL
  UNION ALL
  SELECT * FROM host_unusual_bursts WHERE alert_id IS NOT NULL
),
-- A burst's items: its members that carry the pattern (unusual templates) or belong to the alert.
burst_members AS (
  SELECT u.point_id, w.alert_id, w.category, w.job, w.event_id, w.ts, w.host, w.user_name,
         -- the share of unusual templates, damped on a small fleet (where "rare in the fleet" is weak evidence)
         max(u.rare_templates / greatest(u.templates, 1) * ac_fleet_weight(u.fleet_hosts, u.min_fleet_hosts)) AS score,
         -- a member is unusual when it carries the pattern itself; the alert's other members come along
         bool_or(ac_process_unusual(w.template_hosts, w.pair_hosts, w.fleet_hosts, w.host_days, w.history_days, w.host_history_days,
                                    u.max_fleet_hosts, u.max_fleet_share, u.max_host_days, u.min_history_days)
                 AND NOT ac_churn(w.pair_hosts, w.fleet_hosts, w.pair_daily_events, u.churn_min_share, u.churn_min_daily_events)) AS unusual,
         -- the largest burst the event is in; of equal ones, the earliest (ties broken by id)
         w.relation || '; ' || arg_min(ac_burst_note(u.distinct_processes, u.start_ts, u.rare_templates, u.templates, u.quantile_distinct),
                                       (-u.distinct_processes, u.start_ts, u.start_id)) AS reason,
         w.relation_rank, w.alert_scoped,
         arg_min(ac_burst_note(u.distinct_processes, u.start_ts, u.rare_templates, u.templates, u.quantile_distinct),
                 (-u.distinct_processes, u.start_ts, u.start_id)) AS burst_note, w.alert_event, w.launch_prompt, w.hands_on
  FROM burst_window w
  JOIN unusual_bursts u ON u.alert_id = w.alert_id AND w.ts >= u.start_ts AND w.ts < u.start_ts + INTERVAL 60 SECOND
  WHERE (w.relation_rank = 1 AND NOT w.foreign_ancestor)
     OR (w.relation_rank = 2 AND NOT ac_churn(w.pair_hosts, w.fleet_hosts, w.pair_daily_events, u.churn_min_share, u.churn_min_daily_events))
     OR (ac_process_unusual(w.template_hosts, w.pair_hosts, w.fleet_hosts, w.host_days, w.history_days, w.host_history_days,
                            u.max_fleet_hosts, u.max_fleet_share, u.max_host_days, u.min_history_days)
         AND NOT ac_churn(w.pair_hosts, w.fleet_hosts, w.pair_daily_events, u.churn_min_share, u.churn_min_daily_events))
  GROUP BY u.point_id, w.alert_id, w.category, w.job, w.event_id, w.ts, w.host, w.user_name,
           w.relation, w.relation_rank, w.alert_scoped, w.alert_event, w.launch_prompt, w.hands_on
),
-- The lines from other hosts, each with its rank and its relation to the alert (its reason's start):
-- the command that had a process of the alert's line started there (context_remote_starts.sql: in
-- the alert's tree), what a command of the alert's tree or session started there
-- (context_remote_started.sql: at the command's rank), the command that opened the alert's network
-- logon (context_session_openers.sql: at the session's), or the remote WMI session whose consumer
-- the alert's process runs (context_consumer_sessions.sql: at the tree's). Judged as the events of their rank are, by
-- their own host's history, which the reason names.
other_host_lines AS MATERIALIZED (
  SELECT alert_id, event_id, ts, host, user_name, command_line, image, process_name, parent_name, template, template_hosts, pair_hosts, fleet_hosts, host_days, history_days, host_history_days, 1 AS relation_rank,
         format('on {}, by {} in logon session {}: {} {} s before {} started',
                host, coalesce(user_name, 'an unknown user'), coalesce(logon_id, 'unknown'), asks, before_seconds,
                CASE depth WHEN 0 THEN 'the alert process' WHEN 1 THEN started_name || ', the parent of the alert process,'
                           ELSE started_name || ', the grandparent of the alert process,' END) AS relation
  FROM context_remote_starts
  UNION ALL
  SELECT alert_id, event_id, ts, host, user_name, command_line, image, process_name, parent_name, template, template_hosts, pair_hosts, fleet_hosts, host_days, history_days, host_history_days, relation_rank,
         format('on {}: {} {} s after {} of the alert''s {} named it', host,
                CASE depth WHEN 0 THEN format('started by the system ({})', started_by)
                           ELSE format('{} of {}, which the system ({}) started', CASE depth WHEN 1 THEN 'child' ELSE 'descendant' END, started_name, started_by) END,
                after_seconds, asker_name, CASE relation_rank WHEN 1 THEN 'process tree' ELSE 'logon session' END)
  FROM context_remote_started
  UNION ALL
  -- (of a remote WMI session whose consumer the alert's process runs: at the tree's rank)
  SELECT alert_id, event_id, ts, host, user_name, command_line, image, process_name, parent_name, template, template_hosts, pair_hosts, fleet_hosts, host_days, history_days, host_history_days,
         CASE WHEN consumer_seconds IS NULL THEN 2 ELSE 1 END,
         format('on {}, by {} in logon session {}: named this host {} s before {}',
                host, coalesce(user_name, 'an unknown user'), coalesce(logon_id, 'unknown'), before_seconds,
                CASE WHEN consumer_seconds IS NULL THEN format('the alert''s network logon {} began', session)
                     ELSE format('the network logon {} began, a WMI session {} s before WMI''s event consumer host, {}, started', session, consumer_seconds,
                                 CASE consumer_depth WHEN 0 THEN 'the alert process' WHEN 1 THEN 'the parent of the alert process' ELSE 'the grandparent of the alert process' END) END)
  FROM context_session_openers
  -- (a known command that starts nothing there did not open a WMI session: a share mapped)
  WHERE consumer_seconds IS NULL OR NOT starts_nothing
),
-- their alerts' process jobs, few: joined before the threshold points (an empty table's estimate put
-- the points, every alert's jobs and scopes in a cross product)
line_jobs AS MATERIALIZED (
  SELECT j.alert_id, j.category, j.job, j.win_start, j.win_end, s.alert_scoped
  FROM context_alert_jobs j JOIN context_alert_scope s USING (alert_id)
  WHERE j.category IN ('UnusualProcess', 'SupplementalProcess') AND j.alert_id IN (SELECT alert_id FROM other_host_lines)
),
-- unusual by their rank's rule (the tree's: rare in the fleet; else also new to their host), else
-- they accompany (supplemental_min_score)
other_host_items AS (
  SELECT g.point_id, r.alert_id, j.category, j.job, r.event_id, r.ts, r.host, r.user_name AS subject, r.command_line, r.image,
         coalesce(ac_process_score(r.template_hosts, r.pair_hosts, r.fleet_hosts, r.host_days, r.history_days, r.host_history_days, g.prior_hosts, g.max_host_days, g.min_history_days, g.min_fleet_hosts), 0) AS score,
         j.category = 'UnusualProcess' AS unusual,
         r.relation || coalesce('; ' || replace(ac_process_reason(r.template_hosts, r.fleet_hosts, r.history_days, r.host_days, r.host_history_days,
                                                                  r.pair_hosts, r.parent_name, r.process_name, g.min_history_days), 'this host', r.host), '') AS reason,
         r.template, NULL::VARCHAR AS source, r.relation_rank, j.alert_scoped,
         r.process_name || '|' || r.parent_name || '|' || ac_family_shape(r.template, r.process_name) AS family,
         NULL::VARCHAR AS burst_note, false AS alert_event, false AS launch_prompt, false AS host_unusual, false AS hands_on
  FROM other_host_lines r
  JOIN line_jobs j ON j.alert_id = r.alert_id AND r.ts BETWEEN j.win_start AND j.win_end
  CROSS JOIN threshold_points g
  WHERE j.category = CASE WHEN CASE WHEN r.relation_rank = 1
                                   THEN ac_fleet_rare(r.template_hosts, r.fleet_hosts, g.max_fleet_hosts, g.max_fleet_share) AND ac_fleet_judged(r.history_days)
                                   ELSE ac_process_unusual(r.template_hosts, r.pair_hosts, r.fleet_hosts, r.host_days, r.history_days, r.host_history_days,
                                                           g.max_fleet_hosts, g.max_fleet_share, g.max_host_days, g.min_history_days) END
                         THEN 'UnusualProcess' ELSE 'SupplementalProcess' END
    AND (j.category = 'UnusualProcess'
     OR coalesce(ac_process_score(r.template_hosts, r.pair_hosts, r.fleet_hosts, r.host_days, r.history_days, r.host_history_days, g.prior_hosts, g.max_host_days, g.min_history_days, g.min_fleet_hosts), 0) >= g.supplemental_min_score)
),
process_items AS (
  SELECT * FROM unusual_processes
  UNION ALL SELECT * FROM supplemental
  UNION ALL SELECT * FROM burst_members
)
-- The process items with their texts, held once per event (context_day_events.sql,
-- context_event_features.sql): the command line, the template, the rarity's reason after the
-- relation (a burst member's reason is its burst's; built here from the stored features, with the
-- point's min_history_days: ac_process_reason), the family (image, parent, argument shape).
SELECT i.point_id, i.alert_id, i.category, i.job, i.event_id, i.ts, i.host, i.subject, d.command_line, d.image, i.score, i.unusual,
       CASE WHEN i.category = 'UnusualMultiProcess' THEN i.reason
            ELSE i.reason || coalesce('; ' || ac_process_reason(f.template_hosts, f.fleet_hosts, f.history_days, f.host_days, f.host_history_days,
                                                                f.pair_hosts, d.parent_name, d.process_name, g.min_history_days), '') END AS reason,
       f.template, NULL::VARCHAR AS source, i.relation_rank, i.alert_scoped,
       d.process_name || '|' || d.parent_name || '|' || f.shape AS family, i.burst_note, i.alert_event, i.launch_prompt,
       -- unusual on this host too (familiar templates only from a new parent): the alert's own event
       -- reports on its own (context_kept.sql) only then; hands_on: the alert's process was run
       -- by hand in a person's session (context_alert_scope.sql)
       coalesce(ac_process_unusual(f.template_hosts, f.pair_hosts, f.fleet_hosts, f.host_days, f.history_days, f.host_history_days, g.max_fleet_hosts, g.max_fleet_share, g.max_host_days, g.min_history_days), false) AS host_unusual,
       i.hands_on
FROM process_items i
JOIN (SELECT event_id, command_line, image, process_name, parent_name FROM context_day_events WHERE pass = getvariable('ac_pass')) d USING (event_id)
JOIN context_event_features f USING (event_id)
JOIN threshold_points g USING (point_id)
UNION ALL SELECT * FROM rdp_logons
UNION ALL SELECT * FROM other_host_items;
