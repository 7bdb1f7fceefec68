-- Distinct processes started per minute, as a histogram per host and day for [day_from, day_to]:
-- how many minutes had k distinct process names, on each shard. uniqExact counts distinct
-- non-NULL values, as DuckDB's count(DISTINCT). Run host bucket by host bucket, as agg_template_daily.
INSERT INTO agg_minute_daily_local
SELECT day, host, toUInt32(distinct_processes), count()
FROM (
  SELECT day, host, intDiv(ts_us, 60000000) AS minute, uniqExact(process_name) AS distinct_processes
  FROM process_events_local
  WHERE day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
    AND sipHash64(host) % (SELECT host_buckets FROM ac_params) = (SELECT host_bucket FROM ac_params)
  GROUP BY day, host, minute
)
GROUP BY day, host, distinct_processes;
