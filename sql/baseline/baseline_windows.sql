-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE, ac_window_days INTEGER
-- The baseline window of every as_of day in [ac_from, ac_to]: the ac_window_days days before it,
-- and nothing from as_of or later (point in time). Every baseline model joins its aggregates to it.
CREATE OR REPLACE TEMP TABLE baseline_windows AS
SELECT as_of::DATE AS as_of, (as_of - getvariable('ac_window_days') * INTERVAL 1 DAY)::DATE AS window_start
FROM unnest(generate_series(getvariable('ac_from'), getvariable('ac_to'), INTERVAL 1 DAY)) AS t(as_of);
