-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE
-- The days aggregated, with their volume: baselines count history in these days.
DELETE FROM agg_days WHERE day BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO agg_days
WITH days AS (SELECT unnest(generate_series(getvariable('ac_from'), getvariable('ac_to'), INTERVAL 1 DAY))::DATE AS day),
p AS (SELECT ts::DATE AS day, count(*) AS n, count(DISTINCT host) AS hosts FROM process_events
      WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP GROUP BY 1),
l AS (SELECT ts::DATE AS day, count(*) AS n FROM logon_events
      WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP GROUP BY 1)
SELECT d.day, coalesce(p.n, 0), coalesce(l.n, 0), coalesce(p.hosts, 0)
FROM days d LEFT JOIN p USING (day) LEFT JOIN l USING (day)
WHERE coalesce(p.n, 0) + coalesce(l.n, 0) > 0;
