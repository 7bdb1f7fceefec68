-- The rarity decisions as functions of stored features and thresholds. The scoring pass
-- (score/*.sql) stores the features once; context generation, retro and tune apply thresholds
-- to them here, so that a sweep of thresholds never rescans the events.

-- A process event: score 0..1 from how rare its template and parent -> child pair are in the fleet,
-- damped when the host knows it (0.3) and on a cold start (history / min_history_days).
CREATE OR REPLACE TEMP MACRO ac_process_score(template_hosts, pair_hosts, fleet_hosts, host_days, history_days, prior, max_host_days, min_history_days) AS
  (0.75 * ac_rarity(template_hosts, fleet_hosts, prior) + 0.25 * ac_rarity(pair_hosts, fleet_hosts, prior))
  * CASE WHEN host_days <= max_host_days THEN 1 ELSE 0.3 END
  * least(1.0, history_days / greatest(min_history_days, 1));

-- Unusual: rare in the fleet (at most max_fleet_hosts hosts or max_fleet_share of them), unfamiliar
-- on the host (at most max_host_days days), with enough history to tell.
CREATE OR REPLACE TEMP MACRO ac_process_unusual(template_hosts, fleet_hosts, host_days, history_days, max_fleet_hosts, max_fleet_share, max_host_days, min_history_days) AS
  template_hosts <= greatest(max_fleet_hosts, max_fleet_share * fleet_hosts)
  AND host_days <= max_host_days AND history_days >= min_history_days;

-- A successful logon: the user from that source rare in the fleet and new to the host, or many
-- failures from the same source in the hour before.
CREATE OR REPLACE TEMP MACRO ac_logon_score(source_hosts, fleet_hosts, host_days, failures_before, prior) AS
  greatest(ac_rarity(source_hosts, fleet_hosts, prior) * CASE WHEN host_days = 0 THEN 1 ELSE 0.3 END,
           least(1.0, failures_before / 20.0));

CREATE OR REPLACE TEMP MACRO ac_logon_unusual(source_hosts, fleet_hosts, host_days, history_days, failures_before, max_fleet_hosts, max_fleet_share, max_host_days, min_history_days) AS
  (source_hosts <= greatest(max_fleet_hosts, max_fleet_share * fleet_hosts)
     AND host_days <= max_host_days AND history_days >= min_history_days)
  OR failures_before >= 10;

-- 95% Wilson score interval of k successes in n trials (NULL when n = 0).
CREATE OR REPLACE TEMP MACRO ac_wilson_low(k, n) AS
  CASE WHEN n > 0 AND k = 0 THEN 0.0 WHEN n > 0 THEN greatest(0.0, ((k / n) + 1.959963984540054 ^ 2 / (2 * n)
    - 1.959963984540054 * sqrt((k / n) * (1 - k / n) / n + 1.959963984540054 ^ 2 / (4 * n ^ 2)))
    / (1 + 1.959963984540054 ^ 2 / n)) END;
CREATE OR REPLACE TEMP MACRO ac_wilson_high(k, n) AS
  CASE WHEN n > 0 AND k = n THEN 1.0 WHEN n > 0 THEN least(1.0, ((k / n) + 1.959963984540054 ^ 2 / (2 * n)
    + 1.959963984540054 * sqrt((k / n) * (1 - k / n) / n + 1.959963984540054 ^ 2 / (4 * n ^ 2)))
    / (1 + 1.959963984540054 ^ 2 / n)) END;
