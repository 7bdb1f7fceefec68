-- Baselines as of a day D: merged from the daily aggregates of the window_days before D (never D
-- or later: point in time). One snapshot per as_of day.
CREATE TABLE IF NOT EXISTS baseline_runs (
  as_of DATE PRIMARY KEY, window_days INTEGER NOT NULL, history_days INTEGER NOT NULL,
  fleet_hosts BIGINT NOT NULL, first_day DATE, last_day DATE,
  burst_quantile DOUBLE                 -- the quantile baseline_host_burst holds (retro checks it)
);
ALTER TABLE baseline_runs ADD COLUMN IF NOT EXISTS burst_quantile DOUBLE;
CREATE TABLE IF NOT EXISTS baseline_template (
  as_of DATE NOT NULL, template VARCHAR NOT NULL, hosts BIGINT NOT NULL, host_days BIGINT NOT NULL,
  events BIGINT NOT NULL, first_seen TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS baseline_host_template (
  as_of DATE NOT NULL, host VARCHAR NOT NULL, template VARCHAR NOT NULL, days BIGINT NOT NULL,
  events BIGINT NOT NULL, first_seen TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS baseline_process (
  as_of DATE NOT NULL, process_name VARCHAR NOT NULL, hosts BIGINT NOT NULL, events BIGINT NOT NULL,
  machine_events BIGINT                 -- of them, in the machine's own sessions: a service host when most are
);
ALTER TABLE baseline_process ADD COLUMN IF NOT EXISTS machine_events BIGINT;
CREATE TABLE IF NOT EXISTS baseline_parent_child (
  as_of DATE NOT NULL, parent_name VARCHAR NOT NULL, process_name VARCHAR NOT NULL, hosts BIGINT NOT NULL, events BIGINT NOT NULL,
  host_days BIGINT                      -- host-days it ran on: events / host_days is its daily volume where it runs
);
ALTER TABLE baseline_parent_child ADD COLUMN IF NOT EXISTS host_days BIGINT;
CREATE TABLE IF NOT EXISTS baseline_logon (
  as_of DATE NOT NULL, user_name VARCHAR NOT NULL, source VARCHAR NOT NULL, hosts BIGINT NOT NULL, events BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS baseline_host_logon (
  as_of DATE NOT NULL, host VARCHAR NOT NULL, user_name VARCHAR NOT NULL, source VARCHAR NOT NULL, days BIGINT NOT NULL, events BIGINT NOT NULL
);
-- Each host's usual burstiness: a high quantile of distinct processes started per active minute.
CREATE TABLE IF NOT EXISTS baseline_host_burst (
  as_of DATE NOT NULL, host VARCHAR NOT NULL, active_minutes BIGINT NOT NULL, quantile_distinct DOUBLE NOT NULL,
  max_distinct INTEGER NOT NULL
);
