-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE, ac_well_known_logons VARCHAR[]
-- Process names per host and day for [ac_from, ac_to], and how many of them ran in the machine's own
-- sessions (SYSTEM, LOCAL SERVICE, NETWORK SERVICE): context tells the system's work from a user's by it.
DELETE FROM agg_process_daily WHERE day BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO agg_process_daily
SELECT ts::DATE AS day, host, coalesce(process_name, '') AS process_name, count(*),
       count(*) FILTER (WHERE list_contains(getvariable('ac_well_known_logons'), logon_id))
FROM process_events
WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
GROUP BY ALL;
