-- layer: intermediate
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP
-- Every process event of the alerts' windows (context_window_keys.sql) once, however many alerts'
-- windows hold it (alerts on one host share their windows' hours), with what context judges it by:
-- its rarity (score/process_rarity.sql, the span's rows first cut to the windows' ids: a left join
-- built its hash table on the span's 2.5 M rarity rows), its family's argument shape, how many times
-- a day its parent -> child pair runs on the hosts that run it, and its parent on the host.
--
-- The parent: the latest process of the windows with the parent's id started at or before the event
-- (context_candidates.sql keeps it for an alert when it is in that alert's window: the host's latest
-- such process is the window's latest whenever the window holds one, since it started at or before
-- the child, which is in the window, and after every other candidate).
CREATE OR REPLACE TEMP TABLE context_event_features AS
WITH span_events AS MATERIALIZED (
  SELECT DISTINCT event_id, ts, host, process_id, parent_process_id, process_name, parent_name FROM context_window_keys
),
host_parents AS (
  SELECT e.event_id, q.event_id AS parent_event_id
  FROM span_events e
  ASOF JOIN span_events q ON q.host = e.host AND q.process_id = e.parent_process_id AND q.ts <= e.ts
  WHERE q.event_id <> e.event_id
)
SELECT s.event_id, s.ts, s.host, s.process_name, hp.parent_event_id,
       r.template, r.template_hosts, r.pair_hosts, r.fleet_hosts, r.host_days, r.history_days,
       coalesce(r.host_history_days, CASE WHEN r.host_is_new THEN 0 ELSE r.history_days END) AS host_history_days,
       r.reason AS rarity_reason, ac_family_shape(r.template, s.process_name) AS shape,
       coalesce(bp.events / nullif(bp.host_days, 0), 0) AS pair_daily_events
FROM span_events s
LEFT JOIN host_parents hp USING (event_id)
LEFT JOIN (SELECT event_id, template, template_hosts, pair_hosts, fleet_hosts, host_days, history_days, host_history_days, host_is_new, reason
           FROM process_rarity WHERE day BETWEEN getvariable('ac_span_lo')::DATE AND getvariable('ac_span_hi')::DATE
             AND event_id IN (SELECT event_id FROM span_events)) r USING (event_id)
LEFT JOIN baseline_parent_child bp ON bp.as_of = s.ts::DATE AND bp.parent_name = s.parent_name AND bp.process_name = s.process_name;
