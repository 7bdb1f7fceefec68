/**
 * Thresholds and windows shared by every stage, with their documented defaults. A config file
 * (--config PATH, JSON) overrides any of them; an unknown key or a value of the wrong kind is an
 * error that names it.
 */
export interface Thresholds {
  baseline: {
    /** Days of history a baseline merges (the days before the day it is for). */
    window_days: number;
    /** Fewer days of history than this is a cold start: rarity is reported but damped. */
    min_history_days: number;
    /** Fewer hosts than this in the baseline is a small fleet: "on 0 of N hosts" is weak evidence, scores are damped by hosts / min_fleet_hosts. */
    min_fleet_hosts: number;
  };
  rarity: {
    /** A template (or process, pair, logon source) is rare when seen on at most this many hosts ... */
    max_fleet_hosts: number;
    /** ... or on at most this share of the fleet's hosts, whichever is larger. */
    max_fleet_share: number;
    /** Unfamiliar on a host: seen there on at most this many days of the window. */
    max_host_days: number;
    /** Pseudo-count for smoothing prevalence (hosts + prior) / (fleet + 2 prior). */
    prior_hosts: number;
  };
  context: {
    /** Most items in a report; beyond it the most unusual are kept, preferring variety. */
    max_items: number;
    /** Command lines longer than this are cut with '....' in report lines. */
    max_line_chars: number;
    /** Processes of the alert's session or process tree (supplemental) are listed only when their score reaches this (0: all of them). */
    supplemental_min_score: number;
    /** Beyond max_items, a family (image, parent, argument shape) shows this many lines and then one "[+N more like this]" line. */
    family_max_items: number;
    /** Activity on the host outside the alert's process tree, session and account is listed only when unusual with at least this score ... */
    host_min_score: number;
    /** ... and at most this many such items per report. */
    host_max_items: number;
    /** Background churn, left out of the supplemental processes: a parent -> child pair seen on at least this share of the fleet's hosts ... */
    churn_min_share: number;
    /** ... that starts at least this many times a day on a host where it runs (browser, Office, updater subprocesses). */
    churn_min_daily_events: number;
    /**
     * A child that starts within a second of its parent and starts nothing itself is folded into its
     * parent's item (its event joins the item, its line and numbers the reason) when its parent starts
     * it on at least this share of the hosts that run the parent and its command template runs on at
     * least this share of the fleet's hosts: the console host Windows attaches to every console
     * program. At least 0.5, where nothing rare in the fleet can be folded.
     */
    fold_child_min_share: number;
  };
  windows: {
    /** Minutes before an alert that the process jobs (unusual, multi-process, supplemental) look at. */
    process_before_minutes: number;
    /** Minutes after the alert that they look at. */
    process_after_minutes: number;
    /** Minutes before an alert that the RDP logons job looks at. */
    rdp_before_minutes: number;
    /** Minutes after the alert that it looks at. */
    rdp_after_minutes: number;
    /**
     * Seconds after the alert's network logon in which what the host starts is taken as that
     * logon's remote execution (a PsExec-style service, a remote task, a DCOM object's process: they
     * run as SYSTEM or in the desktop user's session, not in the logon's), the tree of an alert that
     * names no process and whose session ran nothing. The same span after a network logon whose
     * session ran nothing marks where an alert process (or its ancestor) that a process of its own
     * session started entered that session: what the session ran before is host activity. And a
     * COM server started in the alert's own network-logon session is that session's, not the
     * system's. 0: all off.
     */
    remote_exec_seconds: number;
  };
  burst: {
    /** The quantile of a host's distinct processes per minute that is its usual ceiling. */
    quantile: number;
    /** A minute is a burst when its distinct processes exceed factor x that ceiling ... */
    factor: number;
    /** ... and are at least this many. */
    min_distinct: number;
    /** ... and the pattern is rare: at least this share of the burst's distinct templates (or their parent -> child pairs) are rare in the fleet. */
    min_rare_share: number;
  };
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  baseline: { window_days: 30, min_history_days: 3, min_fleet_hosts: 10 },
  rarity: { max_fleet_hosts: 2, max_fleet_share: 0.02, max_host_days: 0, prior_hosts: 1 },
  burst: { quantile: 0.99, factor: 2, min_distinct: 8, min_rare_share: 0.5 },
  context: {
    max_items: 30, max_line_chars: 200, supplemental_min_score: 0, family_max_items: 3,
    host_min_score: 0.8, host_max_items: 3, churn_min_share: 0.25, churn_min_daily_events: 10, fold_child_min_share: 0.9,
  },
  windows: { process_before_minutes: 60, process_after_minutes: 10, rdp_before_minutes: 24 * 60, rdp_after_minutes: 10, remote_exec_seconds: 5 },
};

/** Allowed ranges, by dotted key: [min, max, integer?]. */
export const THRESHOLD_RANGES: Record<string, [number, number, boolean]> = {
  'baseline.window_days': [1, 365, true],
  'baseline.min_history_days': [0, 365, true],
  'baseline.min_fleet_hosts': [1, 1_000_000, true],
  'rarity.max_fleet_hosts': [0, 1_000_000, true],
  'rarity.max_fleet_share': [0, 1, false],
  'rarity.max_host_days': [0, 365, true],
  'rarity.prior_hosts': [0.01, 1000, false],
  'burst.quantile': [0.5, 1, false],
  'burst.factor': [1, 100, false],
  'burst.min_distinct': [1, 10_000, true],
  'context.max_items': [1, 10_000, true],
  'context.max_line_chars': [20, 32_767, true],
  'burst.min_rare_share': [0, 1, false],
  'context.supplemental_min_score': [0, 1, false],
  'context.family_max_items': [1, 10_000, true],
  'context.host_min_score': [0, 1, false],
  'context.host_max_items': [0, 10_000, true],
  'context.churn_min_share': [0, 1, false],
  'context.churn_min_daily_events': [0, 1_000_000, false],
  'context.fold_child_min_share': [0.5, 1, false],
  'windows.process_before_minutes': [0, 7 * 24 * 60, true],
  'windows.process_after_minutes': [0, 7 * 24 * 60, true],
  'windows.rdp_before_minutes': [0, 7 * 24 * 60, true],
  'windows.rdp_after_minutes': [0, 7 * 24 * 60, true],
  'windows.remote_exec_seconds': [0, 3600, true],
};
