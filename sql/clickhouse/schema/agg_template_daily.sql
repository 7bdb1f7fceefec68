-- Template counts per host and day (DuckDB: agg_template_daily; first_ts as microseconds).
CREATE TABLE IF NOT EXISTS agg_template_daily_local (
  day Date, host String, template String, process_name Nullable(String), events UInt64, first_ts_us Int64
) ENGINE = MergeTree() PARTITION BY day ORDER BY (host, template);
-- Every shard's agg_template_daily_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(host).
CREATE TABLE IF NOT EXISTS agg_template_daily AS agg_template_daily_local ENGINE = Distributed({cluster}, {database}, agg_template_daily_local, cityHash64(host));
