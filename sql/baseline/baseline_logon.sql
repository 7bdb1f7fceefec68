-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE
-- Successful logons fleet-wide: which user from which source, on how many hosts, as of each day,
-- from the per-host rows (baseline_host_logon, baseline_host_logon.sql, run first).
DELETE FROM baseline_logon WHERE as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO baseline_logon
SELECT as_of, user_name, source, count(*) AS hosts, sum(events)
FROM baseline_host_logon
WHERE as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to')
GROUP BY as_of, user_name, source;
