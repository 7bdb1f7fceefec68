-- layer: staging
-- parameters: gen_day_idx INTEGER
-- The day's logon events as written (a view), with per-host record numbers after the process
-- events' (out_process.sql).
CREATE OR REPLACE TEMP VIEW out_logon AS
SELECT *, getvariable('gen_day_idx') * 10000000 + 5000000 + row_number() OVER (PARTITION BY host_idx ORDER BY ts, event_id) AS rec
FROM day_logon;
