-- Per host and day: how many minutes started k distinct processes.
CREATE TABLE IF NOT EXISTS agg_minute_daily_local (
  day Date, host String, distinct_processes UInt32, minutes UInt64
) ENGINE = MergeTree() PARTITION BY day ORDER BY (host, distinct_processes);
-- Every shard's agg_minute_daily_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(host).
CREATE TABLE IF NOT EXISTS agg_minute_daily AS agg_minute_daily_local ENGINE = Distributed({cluster}, {database}, agg_minute_daily_local, cityHash64(host));
