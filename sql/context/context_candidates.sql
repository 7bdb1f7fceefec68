-- layer: intermediate
-- parameters: ac_well_known_logons VARCHAR[], ac_well_known_accounts VARCHAR[]
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP
-- Candidate context items for every alert of context_alert_jobs (context_alert_jobs.sql), all
-- alerts at once (alerts joined to events by host and window, never one query per alert), and for
-- every set of thresholds in threshold_points (one for a context run, one per grid point for tune):
-- the events' stored features (score/*.sql) are judged here, so a sweep never rescans the events.
-- The alerts' windows (their process events: context_window_keys.sql, and each event's features:
-- context_event_features.sql, both run first) are joined to the logons and scores of their span only
-- (ac_span_lo/hi, set from context_alert_jobs): events arrive day by day, so DuckDB skips the row
-- groups of other days.
--
-- Relation first: every event of a window gets its relation to the alert, the evidence's rank:
-- 1 the alert's process tree (the alert process, its ancestors and descendants), 2 its logon
-- session, 3 its account on the host, 4 elsewhere on the host. The alert's session and account
-- come from the alert, else from the alert's process.
CREATE OR REPLACE TEMP TABLE context_candidates AS
WITH RECURSIVE span_logon_rarity AS (
  SELECT * FROM logon_rarity WHERE day BETWEEN getvariable('ac_span_lo')::DATE AND getvariable('ac_span_hi')::DATE
),
-- The windows' events (context_window_keys: once per alert and event), read in place, not copied.
window_events AS NOT MATERIALIZED (SELECT * FROM context_window_keys),
-- Each event's parent (context_event_features.sql), when it is in the alert's window.
parent_links AS MATERIALIZED (
  SELECT e.alert_id, e.event_id, f.parent_event_id
  FROM window_events e
  JOIN context_event_features f USING (event_id)
  JOIN window_events q ON q.alert_id = e.alert_id AND q.event_id = f.parent_event_id
),
alerts_in_scope AS (
  SELECT DISTINCT alert_id, ts, host, user_name, logon_id, process_id, command_line FROM context_alert_jobs
),
-- The alert's process: of the processes with the alert's process id (ids are reused), the one with
-- the alert's command line, then the latest started before the alert, then one started in the
-- minute after it (alert times cut to the second); ties by id.
alert_process AS (
  SELECT a.alert_id,
         arg_max(e.event_id, (coalesce(e.command_line = a.command_line, false), e.ts <= a.ts, CASE WHEN e.ts <= a.ts THEN e.ts ELSE a.ts - (e.ts - a.ts) END, e.event_id)) AS event_id
  FROM (SELECT * FROM alerts_in_scope WHERE process_id IS NOT NULL) a
  JOIN window_events e ON e.alert_id = a.alert_id AND e.process_id = a.process_id AND e.ts <= a.ts + INTERVAL 1 MINUTE
  GROUP BY a.alert_id
),
alert_scope AS (
  SELECT a.alert_id,
         coalesce(a.logon_id, CASE WHEN NOT list_contains(getvariable('ac_well_known_logons'), ap.logon_id) THEN ap.logon_id END) AS session,
         coalesce(ac_account(a.user_name),
                  CASE WHEN NOT list_contains(getvariable('ac_well_known_accounts'), ac_account(ap.user_name))
                        AND ac_account(ap.user_name) NOT LIKE '%$' THEN ac_account(ap.user_name) END) AS account,
         ap.event_id AS process_event_id, a.ts AS alert_ts, a.command_line AS alert_command_line
  FROM alerts_in_scope a
  LEFT JOIN (SELECT p.alert_id, p.event_id, e.logon_id, e.user_name FROM alert_process p JOIN window_events e USING (alert_id, event_id)) ap USING (alert_id)
),
descendants(alert_id, event_id, depth) AS (
  SELECT alert_id, process_event_id, 0 FROM alert_scope WHERE process_event_id IS NOT NULL
  UNION
  SELECT l.alert_id, l.event_id, d.depth + 1
  FROM descendants d JOIN parent_links l ON l.alert_id = d.alert_id AND l.parent_event_id = d.event_id
  WHERE d.depth < 16
),
ancestors(alert_id, event_id, depth) AS (
  SELECT alert_id, process_event_id, 0 FROM alert_scope WHERE process_event_id IS NOT NULL
  UNION
  SELECT l.alert_id, l.parent_event_id, a.depth + 1
  FROM ancestors a JOIN parent_links l ON l.alert_id = a.alert_id AND l.event_id = a.event_id
  WHERE a.depth < 2 -- the parent and the grandparent: further up are the session's or the machine's start-up
),
tree AS (
  SELECT alert_id, event_id, arg_min(relation, (depth, relation)) AS relation
  FROM (SELECT alert_id, event_id, depth, CASE depth WHEN 0 THEN 'the alert process' WHEN 1 THEN 'child of the alert process' ELSE 'descendant of the alert process' END AS relation FROM descendants
        UNION ALL
        SELECT alert_id, event_id, depth, CASE depth WHEN 1 THEN 'parent of the alert process' ELSE 'ancestor of the alert process' END FROM ancestors WHERE depth > 0)
  GROUP BY alert_id, event_id
),
-- A process started in a user's session by a parent that runs as the machine (a service host: most
-- the parent seen in the window runs in one, else 9 in 10 of its runs in the fleet are in SYSTEM or
-- service sessions) and that leads nowhere (no child in the
-- window) is the system working for the session (COM servers, start-up, scheduled tasks), not the
-- session's command-line activity: it counts as activity on the host.
delegated_events AS (
  SELECT e.alert_id, e.event_id
  FROM window_events e
  LEFT JOIN baseline_process bp ON bp.as_of = e.ts::DATE AND bp.process_name = e.parent_name
  LEFT JOIN parent_links pl USING (alert_id, event_id)
  LEFT JOIN window_events parent ON parent.alert_id = pl.alert_id AND parent.event_id = pl.parent_event_id
  WHERE CASE WHEN parent.event_id IS NOT NULL THEN coalesce(list_contains(getvariable('ac_well_known_logons'), parent.logon_id), false)
             ELSE coalesce(bp.machine_events >= 0.9 * bp.events, false) END
    AND NOT coalesce(list_contains(getvariable('ac_well_known_logons'), e.logon_id), false)
    AND NOT EXISTS (SELECT 1 FROM parent_links c WHERE c.alert_id = e.alert_id AND c.parent_event_id = e.event_id)
),
related_ranked AS (
  SELECT e.*, s.session IS NOT NULL AS alert_has_session,
         CASE WHEN t.event_id IS NOT NULL THEN 1 WHEN d.event_id IS NOT NULL THEN 4
              WHEN e.logon_id = s.session THEN 2 WHEN ac_account(e.user_name) = s.account THEN 3 ELSE 4 END AS relation_rank,
         CASE WHEN t.event_id IS NOT NULL THEN t.relation
              WHEN d.event_id IS NOT NULL AND (e.logon_id = s.session OR ac_account(e.user_name) = s.account)
                THEN format('started by the system ({}) in the alert''s {}', e.parent_name,
                            CASE WHEN e.logon_id = s.session THEN format('logon session {}', s.session) ELSE format('account {}', s.account) END)
              WHEN e.logon_id = s.session THEN format('in the alert''s logon session {}', s.session)
              WHEN ac_account(e.user_name) = s.account THEN format('run by the alert''s account {}', s.account)
              WHEN s.session IS NOT NULL OR s.account IS NOT NULL OR s.process_event_id IS NOT NULL THEN 'on the host, outside the alert''s session'
              ELSE 'on the alert''s host' END AS relation,
         -- the alert's own event (its process, or its command line at its time): the alert itself, not context for it
         coalesce(e.event_id = s.process_event_id, false)
           OR coalesce(e.command_line = s.alert_command_line AND e.ts BETWEEN s.alert_ts - INTERVAL 1 MINUTE AND s.alert_ts + INTERVAL 1 MINUTE, false) AS alert_event
  FROM window_events e JOIN alert_scope s USING (alert_id) LEFT JOIN tree t USING (alert_id, event_id)
  LEFT JOIN delegated_events d USING (alert_id, event_id)
),
-- An alert with nothing related in its window (say, a network logon whose session ran nothing) is
-- judged like one that names only its host: the host's activity is then all there is.
related_events AS (
  SELECT *, bool_or(relation_rank <= 3) OVER (PARTITION BY alert_id) AS alert_has_related FROM related_ranked
),
window_features AS MATERIALIZED (
  SELECT w.*, f.template, f.template_hosts, f.pair_hosts, f.fleet_hosts, f.host_days, f.history_days, f.host_history_days,
         f.rarity_reason, f.shape, f.pair_daily_events
  FROM related_events w JOIN context_event_features f USING (event_id)
),
-- Each process job's events: its window's (not materialized: each job below reads its own category).
window_processes AS NOT MATERIALIZED (
  SELECT k.category, k.job, w.*
  FROM window_features w
  JOIN context_alert_jobs k ON k.alert_id = w.alert_id AND w.ts BETWEEN k.win_start AND k.win_end
  WHERE k.category IN ('UnusualProcess', 'SupplementalProcess', 'UnusualMultiProcess')
),
-- Unusual processes. In the alert's own process tree, rare in the fleet is enough: that the host ran
-- it before does not clear it (it may be the same intruder again). Outside the alert's tree, session
-- and account (when anything in the window is tied to the alert) an item must be strongly unusual
-- (host_min_score); context_kept caps how many such items a report keeps.
-- Background churn (see supplemental) is not unusual for a new command line: browsers' and
-- updaters' arguments change all the time.
unusual_processes AS (
  SELECT g.point_id, w.alert_id, w.category, w.job, w.event_id, w.ts, w.host, w.user_name AS subject, w.command_line, w.image,
         ac_process_score(w.template_hosts, w.pair_hosts, w.fleet_hosts, w.host_days, w.history_days, w.host_history_days, g.prior_hosts, g.max_host_days, g.min_history_days, g.min_fleet_hosts) AS score,
         true AS unusual, w.relation || '; ' || w.rarity_reason AS reason, w.template, NULL::VARCHAR AS source,
         w.relation_rank, w.alert_has_related, w.process_name || '|' || w.parent_name || '|' || w.shape AS family,
         NULL::VARCHAR AS burst_note, w.alert_event
  FROM window_processes w
  JOIN threshold_points g
    ON CASE WHEN w.relation_rank = 1
            THEN ac_fleet_rare(w.template_hosts, w.fleet_hosts, g.max_fleet_hosts, g.max_fleet_share) AND w.history_days >= g.min_history_days
            ELSE ac_process_unusual(w.template_hosts, w.fleet_hosts, w.host_days, w.history_days, w.host_history_days,
                                    g.max_fleet_hosts, g.max_fleet_share, g.max_host_days, g.min_history_days) END
  WHERE w.category = 'UnusualProcess' AND w.template_hosts IS NOT NULL
    AND (w.relation_rank < 4 OR NOT w.alert_has_related OR score >= g.host_min_score)
    AND (w.relation_rank = 1 OR NOT ac_churn(w.pair_hosts, w.fleet_hosts, w.pair_daily_events, g.churn_min_share, g.churn_min_daily_events))
),
-- Supplemental: every process of the alert's tree and session (of its account when the alert has
-- no session, less the account's daily routine) accompanies the unusual items, repeats merged later; background churn (a parent ->
-- child pair run on a large share of the fleet, many times a day: browser, Office and updater
-- subprocesses) stays out unless it is in the alert's process tree.
supplemental AS (
  SELECT g.point_id, w.alert_id, w.category, w.job, w.event_id, w.ts, w.host, w.user_name, w.command_line, w.image,
         coalesce(ac_process_score(w.template_hosts, w.pair_hosts, w.fleet_hosts, w.host_days, w.history_days, w.host_history_days, g.prior_hosts, g.max_host_days, g.min_history_days, g.min_fleet_hosts), 0) AS score,
         false, w.relation || coalesce('; ' || w.rarity_reason, ''), w.template, NULL,
         w.relation_rank, w.alert_has_related, w.process_name || '|' || w.parent_name || '|' || w.shape, NULL, w.alert_event
  FROM window_processes w
  CROSS JOIN threshold_points g
  WHERE w.category = 'SupplementalProcess'
    -- the account's daily routine on this host (a template it ran on half the days or more) stays out:
    -- the account relation is the weakest, and a service account's scheduled work says nothing
    AND (w.relation_rank <= 2 OR (w.relation_rank = 3 AND NOT w.alert_has_session AND coalesce(w.host_days, 0) < 0.5 * greatest(w.history_days, 1)))
    AND coalesce(ac_process_score(w.template_hosts, w.pair_hosts, w.fleet_hosts, w.host_days, w.history_days, w.host_history_days, g.prior_hosts, g.max_host_days, g.min_history_days, g.min_fleet_hosts), 0) >= g.supplemental_min_score
    AND (w.relation_rank = 1 OR NOT ac_churn(w.pair_hosts, w.fleet_hosts, w.pair_daily_events, g.churn_min_share, g.churn_min_daily_events))
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
         coalesce(h.alert_has_related, false),
         'logon|' || lower(coalesce(l.user_name, '')) || '|' || coalesce(l.source_ip, l.source_host, ''), NULL, false
  FROM context_alert_jobs j
  JOIN alert_scope s USING (alert_id)
  LEFT JOIN (SELECT DISTINCT alert_id, alert_has_related FROM related_events) h USING (alert_id)
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
burst_events AS MATERIALIZED (
  SELECT event_id, ts, host, process_name, template, template_hosts, pair_hosts, fleet_hosts,
         history_days, host_days, host_history_days, pair_daily_events
  FROM context_event_features WHERE event_id IN (SELECT event_id FROM burst_window)
),
-- What does not depend on the thresholds first: the distinct processes of the 60 seconds from each
-- start, once per host (a window over its starts in time order). Only a start with at least the
-- smallest burst_min_distinct of the threshold points can be a burst; its members are then counted
-- per point (which templates are rare depends on the point).
host_counts AS MATERIALIZED (
  SELECT e.event_id AS start_id, e.ts AS start_ts, e.host, count(DISTINCT e.process_name) OVER sixty AS distinct_processes
  FROM burst_events e
  WINDOW sixty AS (PARTITION BY e.host ORDER BY e.ts RANGE BETWEEN CURRENT ROW AND INTERVAL 59999999 MICROSECOND FOLLOWING)
),
burst_candidates AS MATERIALIZED (
  SELECT start_id, start_ts, host FROM host_counts WHERE distinct_processes >= (SELECT min(burst_min_distinct) FROM threshold_points)
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
         x.pair_hosts, x.fleet_hosts, x.history_days, x.host_days, x.host_history_days, x.pair_daily_events
  FROM burst_candidates c JOIN burst_events x ON x.host = c.host AND x.ts >= c.start_ts AND x.ts < c.start_ts + INTERVAL 60 SECOND
  UNION ALL
  SELECT e.alert_id, e.start_id, e.start_ts, e.host, x.process_name, x.template, x.template_hosts,
         x.pair_hosts, x.fleet_hosts, x.history_days, x.host_days, x.host_history_days, x.pair_daily_events
  FROM edge_starts e JOIN burst_events x ON x.host = e.host AND x.ts >= e.start_ts AND x.ts <= e.win_end
),
burst_starts AS (
  SELECT g.point_id, s.alert_id, s.start_id, s.start_ts, s.host,
         count(DISTINCT s.process_name) AS distinct_processes, count(DISTINCT s.template) AS templates,
         count(DISTINCT s.template) FILTER (WHERE ac_process_unusual(s.template_hosts, s.fleet_hosts, s.host_days, s.history_days, s.host_history_days,
                                                                     g.max_fleet_hosts, g.max_fleet_share, g.max_host_days, g.min_history_days)
                                               AND NOT ac_churn(s.pair_hosts, s.fleet_hosts, s.pair_daily_events, g.churn_min_share, g.churn_min_daily_events)) AS rare_templates,
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
    AND s.history_days >= g.min_history_days
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
  SELECT u.point_id, w.alert_id, w.category, w.job, w.event_id, w.ts, w.host, w.user_name, w.command_line, w.image,
         -- the share of unusual templates, damped on a small fleet (where "rare in the fleet" is weak evidence)
         max(u.rare_templates / greatest(u.templates, 1) * ac_fleet_weight(u.fleet_hosts, u.min_fleet_hosts)) AS score,
         -- a member is unusual when it carries the pattern itself; the alert's other members come along
         bool_or(ac_process_unusual(w.template_hosts, w.fleet_hosts, w.host_days, w.history_days, w.host_history_days,
                                    u.max_fleet_hosts, u.max_fleet_share, u.max_host_days, u.min_history_days)
                 AND NOT ac_churn(w.pair_hosts, w.fleet_hosts, w.pair_daily_events, u.churn_min_share, u.churn_min_daily_events)) AS unusual,
         -- the largest burst the event is in; of equal ones, the earliest (ties broken by id)
         w.relation || '; ' || arg_min(ac_burst_note(u.distinct_processes, u.start_ts, u.rare_templates, u.templates, u.quantile_distinct),
                                       (-u.distinct_processes, u.start_ts, u.start_id)) AS reason,
         w.template, NULL, w.relation_rank, w.alert_has_related, w.process_name || '|' || w.parent_name || '|' || w.shape,
         arg_min(ac_burst_note(u.distinct_processes, u.start_ts, u.rare_templates, u.templates, u.quantile_distinct),
                 (-u.distinct_processes, u.start_ts, u.start_id)) AS burst_note, w.alert_event
  FROM burst_window w
  JOIN unusual_bursts u ON u.alert_id = w.alert_id AND w.ts >= u.start_ts AND w.ts < u.start_ts + INTERVAL 60 SECOND
  WHERE w.relation_rank = 1
     OR (w.relation_rank = 2 AND NOT ac_churn(w.pair_hosts, w.fleet_hosts, w.pair_daily_events, u.churn_min_share, u.churn_min_daily_events))
     OR (ac_process_unusual(w.template_hosts, w.fleet_hosts, w.host_days, w.history_days, w.host_history_days,
                            u.max_fleet_hosts, u.max_fleet_share, u.max_host_days, u.min_history_days)
         AND NOT ac_churn(w.pair_hosts, w.fleet_hosts, w.pair_daily_events, u.churn_min_share, u.churn_min_daily_events))
  GROUP BY u.point_id, w.alert_id, w.category, w.job, w.event_id, w.ts, w.host, w.user_name, w.command_line, w.image, w.template,
           w.relation, w.relation_rank, w.alert_has_related, w.process_name, w.parent_name, w.shape, w.alert_event
)
SELECT * FROM unusual_processes
UNION ALL SELECT * FROM supplemental
UNION ALL SELECT * FROM rdp_logons
UNION ALL SELECT * FROM burst_members;
