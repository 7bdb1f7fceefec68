-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE
-- Logons per host and day for [ac_from, ac_to]: user, where from, type, outcome.
DELETE FROM agg_logon_daily WHERE day BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO agg_logon_daily
SELECT ts::DATE AS day, host, lower(coalesce(user_name, '')) AS user_name,
       lower(coalesce(source_ip, source_host, '')) AS source, coalesce(logon_type, -1) AS logon_type, outcome, count(*)
FROM logon_events
WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
GROUP BY ALL;
