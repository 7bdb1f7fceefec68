-- The template of every distinct command line of the days [ac_from, ac_to], computed once and
-- shared by the aggregates and the scores of those days (the regex chain is the costly part).
CREATE OR REPLACE TEMP TABLE period_templates AS
SELECT command_line, ac_template(command_line) AS template
FROM (
  SELECT DISTINCT coalesce(command_line, image, '') AS command_line
  FROM process_events
  WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
);
