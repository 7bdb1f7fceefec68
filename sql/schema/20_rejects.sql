-- Every input row a load could not use, with where it came from and why. Keyed by the file's
-- content hash and line so that loading the same file again adds nothing.
CREATE TABLE IF NOT EXISTS rejects (
  file_sha256  VARCHAR NOT NULL,
  line         BIGINT NOT NULL,
  file         VARCHAR NOT NULL,
  format       VARCHAR NOT NULL,
  reason       VARCHAR NOT NULL,
  raw          VARCHAR,                    -- the row as read, cut at 64 KiB
  load_id      BIGINT NOT NULL,
  PRIMARY KEY (file_sha256, line)
);
