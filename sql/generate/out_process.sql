-- layer: staging
-- parameters: gen_day_idx INTEGER
-- The day's process events as written (a view, not a copy: a day of 1,000 hosts is ~1.3M rows):
-- process names, and per-host record numbers from which the loader's ids are made.
CREATE OR REPLACE TEMP VIEW out_process AS
SELECT *, lower(string_split(image, '\')[-1]) AS process_name,
       lower(string_split(parent_image, '\')[-1]) AS parent_name,
       getvariable('gen_day_idx') * 10000000 + row_number() OVER (PARTITION BY host_idx ORDER BY ts, event_id) AS rec
FROM day_process;
