-- layer: staging
-- parameters: ac_stage_lo TIMESTAMP, ac_stage_hi TIMESTAMP
-- The same process creation described by two sources (Sysmon 1 and Security 4688 on one host, most
-- often) is one process event. Twins: same host, process id and process name, the same command
-- line when both have one (ac_twin_line: a '%%' that one channel's rendering doubles, `%%COMSPEC%%`
-- in Sysmon's copy where Security's reads `%COMSPEC%`, counts as '%'), timestamps at most 60
-- seconds apart (collectors stamp the two channels apart: up to 37 s in the OTRF captures),
-- different source mappings. Within a load the row of the higher-preference
-- mapping stays (Sysmon over 4688: it carries the parent's image and process GUIDs), ties broken
-- by event_id; against rows already stored, the stored row stays. The other one is a duplicate.
-- Stored rows are read over the staged rows' span only (ac_stage_lo/hi, 60 s wider).
-- Only a process described by two sources can have a twin: the pairing joins run on those few
-- rows (twin_keys, a table so that the joins know how few), not on a whole day of staged rows.
CREATE OR REPLACE TEMP MACRO ac_twin_line(line) AS replace(trim(line), '%%', '%');

CREATE OR REPLACE TEMP TABLE twin_keys AS
SELECT host, process_id, process_name
FROM (SELECT host, process_id, process_name, source FROM stage_process_events WHERE status IS NULL AND process_id IS NOT NULL
      UNION ALL
      SELECT host, process_id, process_name, source FROM process_events
      WHERE ts BETWEEN getvariable('ac_stage_lo') AND getvariable('ac_stage_hi') AND process_id IS NOT NULL)
GROUP BY ALL HAVING min(source) <> max(source);

UPDATE stage_process_events SET status = 'duplicate'
WHERE rowid IN (
  WITH candidates AS (
    SELECT s.rowid AS rid, s.* FROM twin_keys k JOIN stage_process_events s USING (host, process_id, process_name)
    WHERE s.status IS NULL
  ),
  twin_in_load AS (
    SELECT a.rid
    FROM candidates a
    JOIN candidates b
      ON a.host = b.host AND a.process_id = b.process_id AND a.process_name = b.process_name
     AND a.source <> b.source
     AND coalesce(ac_twin_line(a.command_line) = ac_twin_line(b.command_line), true)
     AND abs(date_diff('millisecond', a.ts, b.ts)) <= 60000
     AND (b.preference > a.preference OR (b.preference = a.preference AND b.event_id < a.event_id))
  ),
  twin_stored AS (
    SELECT a.rid
    FROM candidates a
    JOIN (SELECT * FROM process_events WHERE ts BETWEEN getvariable('ac_stage_lo') AND getvariable('ac_stage_hi')) b
      ON a.host = b.host AND a.process_id = b.process_id AND a.process_name = b.process_name
     AND a.source <> b.source
     AND coalesce(ac_twin_line(a.command_line) = ac_twin_line(b.command_line), true)
     AND b.ts BETWEEN a.ts - INTERVAL 60 SECOND AND a.ts + INTERVAL 60 SECOND
  )
  SELECT rid FROM twin_in_load
  UNION
  SELECT rid FROM twin_stored
);

-- A Sysmon 1 without its process id (some collectors drop the field: a fifth of the OTRF captures'
-- records) is the twin of the process row from another source with the same host, image name,
-- parent process id and command line, at most 60 seconds apart. That other row stays: its process
-- id links the process tree.
UPDATE stage_process_events SET status = 'duplicate'
WHERE rowid IN (
  WITH pidless AS MATERIALIZED (
    SELECT rowid AS rid, * FROM stage_process_events
    WHERE status IS NULL AND process_id IS NULL AND parent_process_id IS NOT NULL AND command_line IS NOT NULL
  ),
  -- Only the pidless rows' hosts can hold a partner: without pidless rows (most loads) the join
  -- below does not hash a whole day of staged rows and their command lines.
  partners AS (
    SELECT host, process_name, parent_process_id, command_line, ts, source FROM stage_process_events
    WHERE status IS NULL AND process_id IS NOT NULL AND host IN (SELECT host FROM pidless)
    UNION ALL
    SELECT host, process_name, parent_process_id, command_line, ts, source FROM process_events
    WHERE ts BETWEEN getvariable('ac_stage_lo') AND getvariable('ac_stage_hi') AND process_id IS NOT NULL
      AND host IN (SELECT host FROM pidless)
  )
  SELECT DISTINCT a.rid
  FROM pidless a
  JOIN partners b
    ON b.host = a.host AND b.process_name = a.process_name AND b.parent_process_id = a.parent_process_id
   AND b.source <> a.source AND ac_twin_line(b.command_line) = ac_twin_line(a.command_line)
   AND b.ts BETWEEN a.ts - INTERVAL 60 SECOND AND a.ts + INTERVAL 60 SECOND
);
