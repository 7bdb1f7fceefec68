-- Daily aggregates: per host and UTC day, mergeable by summing, so that baselines over any window
-- are merged from them and a nightly run reads only the new day's events.
CREATE TABLE IF NOT EXISTS agg_template_daily (
  day DATE NOT NULL, host VARCHAR NOT NULL, template VARCHAR NOT NULL, process_name VARCHAR,
  events BIGINT NOT NULL, first_ts TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS agg_process_daily (
  day DATE NOT NULL, host VARCHAR NOT NULL, process_name VARCHAR NOT NULL, events BIGINT NOT NULL,
  machine_events BIGINT                 -- of them, run in the machine's own sessions (SYSTEM, LOCAL/NETWORK SERVICE)
);
ALTER TABLE agg_process_daily ADD COLUMN IF NOT EXISTS machine_events BIGINT;
CREATE TABLE IF NOT EXISTS agg_parent_child_daily (
  day DATE NOT NULL, host VARCHAR NOT NULL, parent_name VARCHAR NOT NULL, process_name VARCHAR NOT NULL, events BIGINT NOT NULL
);
-- Logons: the user and where from (address, else source host name), per logon type and outcome.
CREATE TABLE IF NOT EXISTS agg_logon_daily (
  day DATE NOT NULL, host VARCHAR NOT NULL, user_name VARCHAR NOT NULL, source VARCHAR NOT NULL,
  logon_type INTEGER NOT NULL, outcome VARCHAR NOT NULL, events BIGINT NOT NULL
);
-- Per-minute process starts: how many minutes of the day the host started k distinct processes.
CREATE TABLE IF NOT EXISTS agg_minute_daily (
  day DATE NOT NULL, host VARCHAR NOT NULL, distinct_processes INTEGER NOT NULL, minutes BIGINT NOT NULL
);
-- Which days have been aggregated, from how many events (the baselines' notion of history).
CREATE TABLE IF NOT EXISTS agg_days (
  day DATE PRIMARY KEY, process_events BIGINT NOT NULL, logon_events BIGINT NOT NULL, hosts BIGINT NOT NULL
);
