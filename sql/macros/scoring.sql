-- The rarity decisions as functions of stored features and thresholds. The scoring pass
-- (score/*.sql) stores the features once; context generation, retro and tune apply thresholds
-- to them here, so that a sweep of thresholds never rescans the events.

-- A count with its noun, singular for one ("seen on 1 host", "in 2 days").
CREATE OR REPLACE TEMP MACRO ac_n(n, noun) AS n::VARCHAR || ' ' || noun || CASE WHEN n = 1 THEN '' ELSE 's' END;

-- Logons that come often enough that one would fall by chance in the seconds a start is tied to a
-- logon by (seconds + 1 of them): at least 1 in 20 of the hour around (count: the logons of that hour).
-- Remote execution's entry into a session (context/context_session_entries.sql) and the follow-on
-- logons of an alert's client (context/context_remote_roots.sql) are not read from such logons.
CREATE OR REPLACE TEMP MACRO ac_logons_by_chance(logons_per_hour, seconds) AS logons_per_hour * (seconds + 1) >= 0.05 * 3600;

-- The weight of fleet evidence: 1 on a fleet of min_fleet_hosts or more, hosts / min_fleet_hosts
-- below ("on 0 of 3 hosts" is weak evidence). Process, logon and burst scores use it.
CREATE OR REPLACE TEMP MACRO ac_fleet_weight(fleet_hosts, min_fleet_hosts) AS
  least(1.0, fleet_hosts / greatest(min_fleet_hosts, 1));

-- A process event: score 0..1 from how rare its template and parent -> child pair are in the fleet,
-- damped when the host knows it (0.3), on a fleet cold start (history / min_history_days) and on a
-- small fleet (hosts / min_fleet_hosts: "on 0 of 3 hosts" is weak evidence, and the smoothed rarity
-- of a template never seen is 1 whatever the fleet's size). A host with less history than
-- min_history_days (a cold host) is judged by the fleet alone: "never on this host" says nothing there.
CREATE OR REPLACE TEMP MACRO ac_process_score(template_hosts, pair_hosts, fleet_hosts, host_days, history_days, host_history_days, prior, max_host_days, min_history_days, min_fleet_hosts) AS
  (0.75 * ac_rarity(template_hosts, fleet_hosts, prior) + 0.25 * ac_rarity(pair_hosts, fleet_hosts, prior))
  * CASE WHEN host_history_days < min_history_days OR host_days <= max_host_days THEN 1 ELSE 0.3 END
  * least(1.0, history_days / greatest(min_history_days, 1))
  * ac_fleet_weight(fleet_hosts, min_fleet_hosts);

-- Enough fleet history to judge a process by the fleet: a day of it. On a fleet younger than
-- min_history_days (its cold start) a process is judged, its score damped (history / min_history_days,
-- above) and its reason saying so; only the fleet's first day, with no history at all, judges none.
CREATE OR REPLACE TEMP MACRO ac_fleet_judged(history_days) AS history_days >= 1;

-- Rare in the fleet: seen on at most max_fleet_hosts hosts or max_fleet_share of them, and never on
-- half the fleet or more (on a small fleet the count floor alone would call 2 of 3 hosts rare).
CREATE OR REPLACE TEMP MACRO ac_fleet_rare(hosts, fleet_hosts, max_fleet_hosts, max_fleet_share) AS
  hosts <= greatest(max_fleet_hosts, max_fleet_share * fleet_hosts) AND (hosts = 0 OR 2 * hosts < fleet_hosts);

-- Unusual: the template rare in the fleet and unfamiliar on the host (at most max_host_days days),
-- with fleet history to tell (ac_fleet_judged). On a cold host unfamiliarity is no evidence: the fleet's
-- prevalence alone decides. A rare program the host knows is unusual again when it was started by a
-- parent no host ever started it from (pair_hosts 0: the parent -> child pair never seen in the
-- fleet's window, this host included): a host's own tool run its usual way stays familiar, the same
-- program spawned by a WMI provider host or an Office application is not (an intruder's stager
-- that ran on the host before, started again another way).
CREATE OR REPLACE TEMP MACRO ac_process_unusual(template_hosts, pair_hosts, fleet_hosts, host_days, history_days, host_history_days, max_fleet_hosts, max_fleet_share, max_host_days, min_history_days) AS
  ac_fleet_rare(template_hosts, fleet_hosts, max_fleet_hosts, max_fleet_share) AND ac_fleet_judged(history_days)
  AND (host_history_days < min_history_days OR host_days <= max_host_days OR pair_hosts = 0);

-- Background churn: a parent -> child pair run on at least min_share of the fleet's hosts that starts
-- at least min_daily_events times a day where it runs (browser, Office and updater subprocesses).
CREATE OR REPLACE TEMP MACRO ac_churn(pair_hosts, fleet_hosts, pair_daily_events, min_share, min_daily_events) AS
  coalesce(pair_hosts >= greatest(2, min_share * fleet_hosts) AND pair_daily_events >= min_daily_events, false);

-- Why a process event is (or is not) rare, in words, from its stored features (score/process_rarity.sql
-- stores the numbers, not the words: a sentence for every event of a day cost a nightly 1,000-host
-- day 0.6-1.0 s of scoring, and the stand-in's copies carried them, and only report items read them): what the
-- fleet and the host ran, and whether the host or the fleet has too little history to tell. NULL
-- for an event without a rarity row. context_candidates.sql builds it where an item is made, with
-- the threshold point's min_history_days.
CREATE OR REPLACE TEMP MACRO ac_process_reason(template_hosts, fleet_hosts, history_days, host_days, host_history_days, pair_hosts, parent_name, process_name, min_history_days) AS
  CASE WHEN template_hosts IS NOT NULL THEN
    CASE WHEN host_history_days < min_history_days THEN format('host has {} of history, judged by the fleet: ', ac_n(host_history_days, 'day')) ELSE '' END
    || format('template on {} of {} in {}{}; {} -> {} seen on {}{}',
              template_hosts, ac_n(fleet_hosts, 'host'), ac_n(history_days, 'day'),
              CASE WHEN host_history_days < min_history_days THEN '' WHEN host_days = 0 THEN ', never on this host'
                   ELSE format(', on this host {} of {}', host_days, ac_n(history_days, 'day')) END,
              coalesce(nullif(parent_name, ''), '(unknown)'), coalesce(nullif(process_name, ''), '(unknown)'), ac_n(pair_hosts, 'host'),
              CASE WHEN history_days < min_history_days THEN format(' (cold start: {} of history)', ac_n(history_days, 'day')) ELSE '' END)
  END;

-- What makes a burst unusual, in words (context_candidates.sql).
CREATE OR REPLACE TEMP MACRO ac_burst_note(distinct_processes, start_ts, unusual_templates, templates, usual_ceiling) AS
  format('burst of {} distinct processes within 60 s from {}, {} of its {} command templates unusual (rare in the fleet, new to this host); this host''s usual ceiling is {} a minute',
         distinct_processes, strftime(start_ts, '%H:%M:%S'), unusual_templates, templates, usual_ceiling);

-- A successful logon: the user from that source rare in the fleet and new to the host (damped on a
-- small fleet, as processes are), or many failures from the same source in the hour before.
CREATE OR REPLACE TEMP MACRO ac_logon_score(source_hosts, fleet_hosts, host_days, failures_before, prior, min_fleet_hosts) AS
  greatest(ac_rarity(source_hosts, fleet_hosts, prior) * CASE WHEN host_days = 0 THEN 1 ELSE 0.3 END
             * ac_fleet_weight(fleet_hosts, min_fleet_hosts),
           least(1.0, failures_before / 20.0));

CREATE OR REPLACE TEMP MACRO ac_logon_unusual(source_hosts, fleet_hosts, host_days, history_days, failures_before, max_fleet_hosts, max_fleet_share, max_host_days, min_history_days) AS
  (ac_fleet_rare(source_hosts, fleet_hosts, max_fleet_hosts, max_fleet_share)
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

-- Context's pass of a host (pipeline/context/context-candidates.ts, assembleContextInPasses): the
-- alerts of a pass and their windows' events (context/context_day_events.sql) are split by this one
-- expression, so a host's alerts and events are always in the same pass.
CREATE OR REPLACE TEMP MACRO ac_host_pass(host, passes) AS (hash(host) % passes::UBIGINT)::INTEGER;
