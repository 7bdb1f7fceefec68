-- layer: staging
-- parameters: none
-- Lines of period_templates whose 64-bit hash another line shares keep their text in line_check,
-- so that a join on line_hash (agg_template_daily.sql, score/process_rarity.sql) also compares
-- the text for them, and only for them. With 8 M distinct lines a day, about one day in 500,000
-- has such a pair.
UPDATE period_templates SET line_check = command_line
WHERE line_hash IN (SELECT line_hash FROM period_templates GROUP BY line_hash HAVING count(*) > 1);
