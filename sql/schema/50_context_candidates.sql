-- Candidate items of context reports: for each alert and job, the events in the job's window,
-- with their score and reason. Report assembly (merging, repeats, truncation) reads from here.
CREATE TABLE IF NOT EXISTS context_candidates (
  alert_id VARCHAR NOT NULL, category VARCHAR NOT NULL, job VARCHAR NOT NULL, event_id VARCHAR NOT NULL,
  ts TIMESTAMP NOT NULL, host VARCHAR NOT NULL, subject VARCHAR, command_line VARCHAR, image VARCHAR,
  score DOUBLE NOT NULL, unusual BOOLEAN NOT NULL, reason VARCHAR NOT NULL,
  PRIMARY KEY (alert_id, category, event_id)
);
