-- parameters: ac_from DATE, ac_to DATE, ac_burst_quantile DOUBLE, ac_burst_factor DOUBLE
-- parameters: ac_burst_min_distinct INTEGER
-- Minutes of [ac_from, ac_to] in which a host started many distinct processes: unusual when far
-- above that host's own usual ceiling (a high quantile of its history) and above anything it did in
-- the window (a daily logon script is a burst every morning: familiar, not unusual), as of that day.
DELETE FROM host_bursts WHERE minute >= getvariable('ac_from')::TIMESTAMP AND minute < (getvariable('ac_to') + 1)::TIMESTAMP;
INSERT INTO host_bursts
WITH per_minute AS (
  SELECT host, date_trunc('minute', ts) AS minute, count(DISTINCT process_name) AS distinct_processes
  FROM process_events
  WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
  GROUP BY ALL
  HAVING count(DISTINCT process_name) >= getvariable('ac_burst_min_distinct')
),
joined AS (
  SELECT m.*, coalesce(b.quantile_distinct, 0) AS usual_ceiling, coalesce(b.active_minutes, 0) AS history_minutes,
         coalesce(b.max_distinct, 0) AS history_max
  FROM per_minute m LEFT JOIN baseline_host_burst b ON b.as_of = m.minute::DATE AND b.host = m.host
)
SELECT host, minute, distinct_processes, usual_ceiling, history_minutes,
       least(1.0, distinct_processes / greatest(getvariable('ac_burst_factor') * usual_ceiling, getvariable('ac_burst_min_distinct')) / 2) AS score,
       history_minutes > 0 AND distinct_processes > getvariable('ac_burst_factor') * usual_ceiling
         AND distinct_processes > history_max AS unusual,
       format('{} distinct processes in one minute; this host''s usual ceiling is {} (q{} of {} active minutes), its most {}',
              distinct_processes, usual_ceiling, getvariable('ac_burst_quantile'), history_minutes, history_max) AS reason
FROM joined;
