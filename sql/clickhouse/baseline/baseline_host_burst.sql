-- Each host's usual burstiness as of each day, on each shard: the burst_quantile quantile of
-- distinct processes per active minute, from the merged minute histograms. DuckDB takes a
-- cumulative sum with a window function; 18.16 has none, so each host's histogram is gathered
-- into arrays, sorted by k, summed with arrayCumSum, and the first k reaching the quantile taken
-- (18.16's lambdas cannot read a column of the row: the bound comes in as an array, replicate).
INSERT INTO baseline_host_burst_local
SELECT as_of, host, active_minutes,
       arrayFirst((k, at_or_below, bound) -> at_or_below >= bound, arraySort(ks), arrayCumSum(arraySort((m, k) -> k, ms, ks)), replicate(needed, ks)),
       max_distinct
FROM (
  SELECT as_of, host, groupArray(k) AS ks, groupArray(m) AS ms, sum(m) AS active_minutes, max(k) AS max_distinct,
         (SELECT burst_quantile FROM ac_params) * sum(m) AS needed
  FROM (
    SELECT as_of, host, distinct_processes AS k, sum(minutes) AS m
    FROM (
      SELECT (SELECT day_from FROM ac_params) + arrayJoin(range(toUInt32((SELECT day_to FROM ac_params) - (SELECT day_from FROM ac_params) + 1))) AS as_of, day, host, distinct_processes, minutes
      FROM agg_minute_daily_local
      WHERE day >= (SELECT day_from FROM ac_params) - (SELECT window_days FROM ac_params)
        AND day < (SELECT day_to FROM ac_params)
    )
    WHERE day >= as_of - (SELECT window_days FROM ac_params) AND day < as_of
    GROUP BY as_of, host, k
  )
  GROUP BY as_of, host
);
