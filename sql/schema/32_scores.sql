-- Rarity scores of the events of a period against the point-in-time baseline of each event's day.
-- One row per event (a day's rows are replaced as a whole); no key index: on tens of millions of
-- events it cost memory and insert time, and the pipeline writes each event once.
CREATE TABLE IF NOT EXISTS process_rarity (
  event_id VARCHAR NOT NULL, day DATE NOT NULL, host VARCHAR NOT NULL, template VARCHAR NOT NULL,
  fleet_hosts BIGINT NOT NULL,          -- active hosts in the baseline window
  history_days INTEGER NOT NULL,        -- days of history behind the baseline
  template_hosts BIGINT NOT NULL,       -- hosts that ran the template in the window
  host_days BIGINT NOT NULL,            -- days this host ran it in the window
  host_is_new BOOLEAN NOT NULL,         -- the host has no history in the window
  pair_hosts BIGINT NOT NULL,           -- hosts that ran parent -> child in the window
  template_score DOUBLE NOT NULL,       -- 0 (everywhere, every day) .. 1 (never seen), smoothed
  pair_score DOUBLE NOT NULL,
  score DOUBLE NOT NULL,                -- combined, damped on a cold start and on familiar hosts
  unusual BOOLEAN NOT NULL,
  host_history_days INTEGER             -- days of history this host has in the window (cold host below min_history_days)
);
ALTER TABLE process_rarity ADD COLUMN IF NOT EXISTS host_history_days INTEGER;
-- The reason in words is built from these columns where a report item is made (ac_process_reason,
-- macros/scoring.sql), not stored for every event: a warehouse made before loses the column.
ALTER TABLE process_rarity DROP COLUMN IF EXISTS reason;
CREATE TABLE IF NOT EXISTS logon_rarity (
  event_id VARCHAR NOT NULL, day DATE NOT NULL, host VARCHAR NOT NULL, user_name VARCHAR, source VARCHAR,
  fleet_hosts BIGINT NOT NULL, history_days INTEGER NOT NULL, source_hosts BIGINT NOT NULL, host_days BIGINT NOT NULL,
  failures_before BIGINT NOT NULL,      -- failed logons to this host from the same source in the hour before
  score DOUBLE NOT NULL, unusual BOOLEAN NOT NULL, reason VARCHAR NOT NULL
);
-- host_bursts (unusual minutes per host, by a definition of a burst of its own that only the demo
-- read) is gone: bursts are judged by context alone (sql/context/context_candidates.sql). A
-- warehouse made before loses the table when it is opened.
DROP TABLE IF EXISTS host_bursts;
