-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE, ac_prior DOUBLE, ac_max_fleet_hosts INTEGER
-- parameters: ac_max_fleet_share DOUBLE, ac_max_host_days INTEGER, ac_min_history_days INTEGER
-- parameters: ac_min_fleet_hosts INTEGER
-- Score every successful logon of [ac_from, ac_to] against the baseline as of its day: the user
-- from that source on few hosts and never on this one, or right after failures from that source.
DELETE FROM logon_rarity WHERE day BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO logon_rarity
WITH logons AS (
  SELECT event_id, ts, ts::DATE AS day, host, lower(coalesce(user_name, '')) AS user_name,
         lower(coalesce(source_ip, source_host, '')) AS source, logon_type
  FROM logon_events
  WHERE outcome <> 'failure' AND ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
),
failures AS (
  SELECT l.event_id, count(f.event_id) AS failures_before
  FROM logons l JOIN logon_events f
    ON f.host = l.host AND f.outcome = 'failure' AND lower(coalesce(f.source_ip, f.source_host, '')) = l.source
   AND f.ts BETWEEN l.ts - INTERVAL 1 HOUR AND l.ts
  GROUP BY 1
),
joined AS (
  SELECT l.*, coalesce(r.fleet_hosts, 0) AS fleet_hosts, coalesce(r.history_days, 0) AS history_days,
         coalesce(bl.hosts, 0) AS source_hosts, coalesce(bh.days, 0) AS host_days, coalesce(f.failures_before, 0) AS failures_before
  FROM logons l
  LEFT JOIN baseline_runs r ON r.as_of = l.day
  LEFT JOIN baseline_logon bl ON bl.as_of = l.day AND bl.user_name = l.user_name AND bl.source = l.source
  LEFT JOIN baseline_host_logon bh ON bh.as_of = l.day AND bh.host = l.host AND bh.user_name = l.user_name AND bh.source = l.source
  LEFT JOIN failures f USING (event_id)
)
SELECT event_id, day, host, user_name, source, fleet_hosts, history_days, source_hosts, host_days, failures_before,
       -- macros/scoring.sql: the same functions context generation and tune apply to these features
       ac_logon_score(source_hosts, fleet_hosts, host_days, failures_before, getvariable('ac_prior'), getvariable('ac_min_fleet_hosts')) AS score,
       ac_logon_unusual(source_hosts, fleet_hosts, host_days, history_days, failures_before, getvariable('ac_max_fleet_hosts'),
                        getvariable('ac_max_fleet_share'), getvariable('ac_max_host_days'), getvariable('ac_min_history_days')) AS unusual,
       format('{} from {} on {} of {} in {}, {}{}', coalesce(nullif(user_name, ''), '(unknown)'), coalesce(nullif(source, ''), '(unknown)'), source_hosts,
              ac_n(fleet_hosts, 'host'), ac_n(history_days, 'day'),
              CASE WHEN host_days = 0 THEN 'never to this host' ELSE format('to this host on {}', ac_n(host_days, 'day')) END,
              CASE WHEN failures_before > 0 THEN format('; {} from there in the hour before', ac_n(failures_before, 'failed logon')) ELSE '' END) AS reason
FROM joined;
