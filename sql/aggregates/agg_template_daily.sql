-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE
-- Template counts per host and day for the days [ac_from, ac_to]. Rerunning replaces those days.
DELETE FROM agg_template_daily WHERE day BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO agg_template_daily
WITH day_events AS (
  SELECT ts::DATE AS day, host, process_name, ts, ac_line(command_line, image) AS command_line
  FROM process_events
  WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
)
-- period_templates (aggregates/period_templates.sql) holds each distinct line's template, joined
-- on the line's hash (and its text only where two lines share a hash); the events are counted per
-- template number (period_template_ids), the template's text joined to the counts.
SELECT c.day, c.host, i.template, c.process_name, c.events, c.first_ts
FROM (
  SELECT e.day, e.host, t.template_id, min(e.process_name) AS process_name, count(*) AS events, min(e.ts) AS first_ts
  FROM day_events e
  JOIN period_line_templates t
    ON ac_line_matches(t.line_hash, t.line_check, e.command_line)
  GROUP BY e.day, e.host, t.template_id
) c
JOIN period_template_ids i USING (template_id);
