-- Optional ground truth: an event or an alert marked malicious or benign, with its campaign.
CREATE TABLE IF NOT EXISTS labels (
  kind          VARCHAR NOT NULL CHECK (kind IN ('event', 'alert')),
  id            VARCHAR NOT NULL,
  malicious     BOOLEAN NOT NULL,
  campaign_id   VARCHAR,
  campaign_kind VARCHAR,
  load_id       BIGINT,
  source_file   VARCHAR,
  source_line   BIGINT,
  PRIMARY KEY (kind, id)
);
