-- layer: intermediate
-- parameters: none
-- The process events of the alerts' multi-process windows (context_window_features.sql joined to
-- their jobs' windows, context_alert_jobs.sql), once per event, with what a burst is judged by, and
-- what does not depend on the thresholds: the distinct processes of the 60 seconds from each event
-- as a burst's start, once per host (a window over its starts in time order). context_candidates.sql
-- counts the members of the starts that can be bursts per threshold point (which templates are rare
-- depends on the point). Made once for any number of threshold points.
CREATE OR REPLACE TEMP TABLE context_burst_events AS
WITH burst_events AS (
  SELECT event_id, ts, host, process_name, template, template_hosts, pair_hosts, fleet_hosts,
         history_days, host_days, host_history_days, pair_daily_events, os_core
  FROM context_event_features
  WHERE event_id IN (SELECT w.event_id
                     FROM context_window_features w
                     JOIN context_alert_jobs k ON k.alert_id = w.alert_id AND w.ts BETWEEN k.win_start AND k.win_end
                     WHERE k.category = 'UnusualMultiProcess')
)
SELECT e.*, count(DISTINCT e.process_name) OVER sixty AS distinct_processes
FROM burst_events e
WINDOW sixty AS (PARTITION BY e.host ORDER BY e.ts RANGE BETWEEN CURRENT ROW AND INTERVAL 59999999 MICROSECOND FOLLOWING);
