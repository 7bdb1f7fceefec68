-- One row per baseline snapshot (as_of day): its window and history.
CREATE TABLE IF NOT EXISTS baseline_runs_local (
  as_of Date, window_days UInt32, history_days UInt64, fleet_hosts UInt64, first_day Nullable(Date), last_day Nullable(Date),
  burst_quantile Float64
) ENGINE = MergeTree() PARTITION BY as_of ORDER BY as_of;
-- Every shard's baseline_runs_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(as_of).
CREATE TABLE IF NOT EXISTS baseline_runs AS baseline_runs_local ENGINE = Distributed({cluster}, {database}, baseline_runs_local, cityHash64(as_of));
