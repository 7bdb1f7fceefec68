-- The days aggregated, with their volume, fleet-wide on the coordinator from the shards' daily
-- aggregates (every event is counted in them): hosts is uniqExact, whose per-shard states merge
-- exactly. A UNION ALL summed by day stands for DuckDB's join of the two counts.
INSERT INTO agg_days
SELECT day, sum(p), sum(l), sum(h)
FROM (
  SELECT day, sum(events) AS p, toUInt64(0) AS l, uniqExact(host) AS h
  FROM agg_process_daily
  WHERE day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
  GROUP BY day
  UNION ALL
  SELECT day, toUInt64(0) AS p, sum(events) AS l, toUInt64(0) AS h
  FROM agg_logon_daily
  WHERE day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
  GROUP BY day
)
GROUP BY day
HAVING sum(p) + sum(l) > 0;
