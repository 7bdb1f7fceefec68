-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE
-- Distinct processes started per minute, as a histogram per host and day for [ac_from, ac_to]:
-- how many minutes had k distinct process names. Mergeable by summing minutes.
DELETE FROM agg_minute_daily WHERE day BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO agg_minute_daily
WITH per_minute AS (
  SELECT host, date_trunc('minute', ts) AS minute, count(DISTINCT process_name) AS distinct_processes
  FROM process_events
  WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
  GROUP BY ALL
)
SELECT minute::DATE AS day, host, distinct_processes, count(*) AS minutes
FROM per_minute
GROUP BY ALL;
