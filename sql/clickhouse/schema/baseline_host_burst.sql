-- Each host's usual burstiness as of each day (made on each host's shard).
CREATE TABLE IF NOT EXISTS baseline_host_burst_local (
  as_of Date, host String, active_minutes UInt64, quantile_distinct Float64, max_distinct UInt32
) ENGINE = MergeTree() PARTITION BY as_of ORDER BY host;
-- Every shard's baseline_host_burst_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(host).
CREATE TABLE IF NOT EXISTS baseline_host_burst AS baseline_host_burst_local ENGINE = Distributed({cluster}, {database}, baseline_host_burst_local, cityHash64(host));
