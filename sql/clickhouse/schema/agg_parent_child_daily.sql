-- Parent -> child process name pairs per host and day.
CREATE TABLE IF NOT EXISTS agg_parent_child_daily_local (
  day Date, host String, parent_name String, process_name String, events UInt64
) ENGINE = MergeTree() PARTITION BY day ORDER BY (host, parent_name, process_name);
-- Every shard's agg_parent_child_daily_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(host).
CREATE TABLE IF NOT EXISTS agg_parent_child_daily AS agg_parent_child_daily_local ENGINE = Distributed({cluster}, {database}, agg_parent_child_daily_local, cityHash64(host));
