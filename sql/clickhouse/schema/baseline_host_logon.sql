-- Successful logons per host: which user from which source, as of each day (made on each host's shard).
CREATE TABLE IF NOT EXISTS baseline_host_logon_local (
  as_of Date, host String, user_name String, source String, days UInt64, events UInt64
) ENGINE = MergeTree() PARTITION BY as_of ORDER BY (host, user_name, source);
-- Every shard's baseline_host_logon_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(host).
CREATE TABLE IF NOT EXISTS baseline_host_logon AS baseline_host_logon_local ENGINE = Distributed({cluster}, {database}, baseline_host_logon_local, cityHash64(host));
