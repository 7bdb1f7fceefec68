-- Logons per host and day: user, where from, type, outcome.
CREATE TABLE IF NOT EXISTS agg_logon_daily_local (
  day Date, host String, user_name String, source String, logon_type Int32, outcome String, events UInt64
) ENGINE = MergeTree() PARTITION BY day ORDER BY (host, user_name, source);
-- Every shard's agg_logon_daily_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(host).
CREATE TABLE IF NOT EXISTS agg_logon_daily AS agg_logon_daily_local ENGINE = Distributed({cluster}, {database}, agg_logon_daily_local, cityHash64(host));
