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
-- on the line's hash (and its text only where two lines share a hash).
SELECT e.day, e.host, t.template, min(e.process_name), count(*), min(e.ts)
FROM day_events e
JOIN period_templates t ON ac_line_matches(t.line_hash, t.line_check, e.command_line)
GROUP BY e.day, e.host, t.template;
