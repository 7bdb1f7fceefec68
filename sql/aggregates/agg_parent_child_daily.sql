-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE
-- Parent -> child process name pairs per host and day for [ac_from, ac_to].
DELETE FROM agg_parent_child_daily WHERE day BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO agg_parent_child_daily
SELECT ts::DATE AS day, host, coalesce(parent_name, '') AS parent_name, coalesce(process_name, '') AS process_name, count(*)
FROM process_events
WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
GROUP BY ALL;
