-- Process names per host and day for [day_from, day_to], and how many ran in the machine's own
-- sessions (SYSTEM, LOCAL SERVICE, NETWORK SERVICE), on each shard from its own events.
INSERT INTO agg_process_daily_local
SELECT day, host, ifNull(process_name, '') AS name_key, count(),
       countIf(has((SELECT well_known_logons FROM ac_params), ifNull(logon_id, '')))
FROM process_events_local
WHERE day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
GROUP BY day, host, name_key;
