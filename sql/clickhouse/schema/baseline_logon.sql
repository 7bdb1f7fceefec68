-- Successful logons: which user from which source, fleet-wide, as of each day.
CREATE TABLE IF NOT EXISTS baseline_logon_local (
  as_of Date, user_name String, source String, hosts UInt64, events UInt64
) ENGINE = MergeTree() PARTITION BY as_of ORDER BY (user_name, source);
-- Every shard's baseline_logon_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(user_name, source).
CREATE TABLE IF NOT EXISTS baseline_logon AS baseline_logon_local ENGINE = Distributed({cluster}, {database}, baseline_logon_local, cityHash64(user_name, source));
