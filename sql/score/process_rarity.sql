-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE, ac_prior DOUBLE, ac_max_fleet_hosts INTEGER
-- parameters: ac_max_fleet_share DOUBLE, ac_max_host_days INTEGER, ac_min_history_days INTEGER
-- parameters: ac_min_fleet_hosts INTEGER
-- Score every process event of the days [ac_from, ac_to] against the baseline as of its own day
-- (built from the days before it only). Variables: ac_prior, ac_max_fleet_hosts, ac_max_fleet_share,
-- ac_max_host_days, ac_min_history_days, ac_min_fleet_hosts. The numbers only: the reason in words
-- is built from them where a report item is made (ac_process_reason, macros/scoring.sql).
DELETE FROM process_rarity WHERE day BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO process_rarity
WITH events AS (
  SELECT event_id, ts::DATE AS day, host, ac_line(command_line, image) AS command_line,
         coalesce(parent_name, '') AS parent_name, coalesce(process_name, '') AS process_name
  FROM process_events
  WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
),
-- The baselines' rows of the period's templates by the template's number (period_template_ids,
-- aggregates/period_templates.sql, the same days): the joins with the day's events are on integers.
template_fleet AS (
  SELECT b.as_of, i.template_id, b.hosts FROM baseline_template b JOIN period_template_ids i USING (template)
  WHERE b.as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to')
),
template_host AS (
  SELECT b.as_of, b.host, i.template_id, b.days FROM baseline_host_template b JOIN period_template_ids i USING (template)
  WHERE b.as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to')
),
-- Days of history each host has behind each day's baseline (its active days in the window).
host_history AS (
  SELECT r.as_of, a.host, count(DISTINCT a.day) AS days
  FROM baseline_runs r JOIN agg_minute_daily a ON a.day >= r.as_of - r.window_days AND a.day < r.as_of
  WHERE r.as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to')
  GROUP BY ALL
),
joined AS (
  SELECT e.event_id, e.day, e.host, t.template_id, e.parent_name, e.process_name,
         coalesce(r.fleet_hosts, 0) AS fleet_hosts, coalesce(r.history_days, 0) AS history_days,
         coalesce(bt.hosts, 0) AS template_hosts, coalesce(bh.days, 0) AS host_days,
         coalesce(hh.days, 0) AS host_history_days, coalesce(pc.hosts, 0) AS pair_hosts
  FROM events e
  -- each line's template number, on the line's hash (its text only where two lines share a hash)
  JOIN period_line_templates t ON ac_line_matches(t.line_hash, t.line_check, e.command_line)
  LEFT JOIN baseline_runs r ON r.as_of = e.day
  LEFT JOIN template_fleet bt ON bt.as_of = e.day AND bt.template_id = t.template_id
  LEFT JOIN template_host bh ON bh.as_of = e.day AND bh.host = e.host AND bh.template_id = t.template_id
  LEFT JOIN host_history hh ON hh.as_of = e.day AND hh.host = e.host
  LEFT JOIN baseline_parent_child pc ON pc.as_of = e.day AND pc.parent_name = e.parent_name AND pc.process_name = e.process_name
),
scored AS (
  SELECT *,
         -- Smoothed prevalence p = (k + prior) / (fleet + 2 prior); rarity = log(p) / log(p_min), so
         -- 1 = never seen, 0 = on every host (the score is damped on a small fleet: macros/scoring.sql).
         ac_rarity(template_hosts, fleet_hosts, getvariable('ac_prior')) AS template_score,
         ac_rarity(pair_hosts, fleet_hosts, getvariable('ac_prior')) AS pair_score
  FROM joined
)
SELECT event_id, day, host, i.template, fleet_hosts, history_days, template_hosts, host_days, host_history_days = 0 AS host_is_new, pair_hosts,
       template_score, pair_score,
       -- macros/scoring.sql: the same functions context generation and tune apply to these features
       ac_process_score(template_hosts, pair_hosts, fleet_hosts, host_days, history_days, host_history_days, getvariable('ac_prior'),
                        getvariable('ac_max_host_days'), getvariable('ac_min_history_days'), getvariable('ac_min_fleet_hosts')) AS score,
       ac_process_unusual(template_hosts, pair_hosts, fleet_hosts, host_days, history_days, host_history_days, getvariable('ac_max_fleet_hosts'),
                          getvariable('ac_max_fleet_share'), getvariable('ac_max_host_days'), getvariable('ac_min_history_days')) AS unusual,
       host_history_days
FROM scored JOIN period_template_ids i USING (template_id); -- the template's text, from the few templates
