-- Logons per host and day for [day_from, day_to]: user, where from, type, outcome, on each shard.
-- lowerUTF8 for DuckDB's lower (ClickHouse's lower is ASCII only).
INSERT INTO agg_logon_daily_local
SELECT day, host, lowerUTF8(ifNull(user_name, '')) AS user_key, lowerUTF8(coalesce(source_ip, source_host, '')) AS source_key,
       ifNull(logon_type, -1) AS type_key, outcome, count()
FROM logon_events_local
WHERE day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
GROUP BY day, host, user_key, source_key, type_key, outcome;
