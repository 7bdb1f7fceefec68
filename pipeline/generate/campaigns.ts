import { ATTACKER_SOURCES, CAMPAIGN_KINDS, VARIANTS } from '../../models/attack-campaigns.js';
import type { CampaignKind, CampaignKindSpec } from '../../models/attack-campaigns.js';
import { ADMINS } from '../../models/fleet-catalog.js';
import type { FleetHost } from './fleet.js';
import { DOMAIN } from './fleet.js';
import { Rng } from './rng.js';

/** Marker for "the host owner's session of that day": resolved in SQL, where that id is made. */
export const OWNER_SESSION = 'owner-session';

export interface AttackProcessRow {
  event_id: string; ts: string; host_idx: number; user_name: string; user_domain: string; logon_id: string;
  process_id: number; image: string; command_line: string; parent_process_id: number; parent_image: string;
  campaign_id: string; campaign_kind: CampaignKind;
}
export interface AttackLogonRow {
  event_id: string; ts: string; host_idx: number; user_name: string; user_domain: string; logon_id: string | null;
  logon_type: number; source_ip: string; source_host: string | null; outcome: 'success' | 'failure';
  campaign_id: string; campaign_kind: CampaignKind;
}
export interface AlertRow {
  alert_id: string; ts: string; alert_name: string; severity: string; host_idx: number; user_name: string | null;
  logon_id: string | null; process_id: number | null; command_line: string | null; malicious: boolean;
  campaign_id: string | null; campaign_kind: string | null;
}
export interface DayAttacks { process: AttackProcessRow[]; logon: AttackLogonRow[]; alerts: AlertRow[] }
export interface CampaignPlan { campaign_id: string; kind: CampaignKind; host: string; day: string; repeated: boolean; alerts: number }

const iso = (ms: number) => new Date(ms).toISOString();

function targetsOf(spec: CampaignKindSpec, hosts: readonly FleetHost[]): FleetHost[] {
  const servers = hosts.filter((h) => h.role !== 'wks' && h.role !== 'jump');
  const wks = hosts.filter((h) => h.role === 'wks');
  const pool = spec.targets === 'server' ? servers : spec.targets === 'workstation' ? wks : hosts.filter((h) => h.role !== 'jump');
  return pool.length > 0 ? pool : [...hosts];
}

/** One campaign being planned: its kind, target, day and where its rows go. */
interface Campaign {
  rng: Rng; spec: CampaignKindSpec; host: FleetHost; hosts: readonly FleetHost[];
  day: string; dayStart: number; campaignId: string; out: DayAttacks;
}

type AlertCandidate = { row: AttackProcessRow; alert: NonNullable<CampaignKindSpec['steps'][number]['alert']> };

/** The attacker's way in: RDP (after a brute force, for that kind) or a network logon from another host. Returns the account the campaign runs as. */
function accessLogons(c: Campaign, start: number, firstUser: string, logonId: string): string {
  const { rng, spec, host, day, dayStart, campaignId, out } = c;
  let user = firstUser;
  const logon = (ts: number, type: number, ip: string, src: string | null, outcome: 'success' | 'failure', n: number) =>
    out.logon.push({
      event_id: `xl${day.replaceAll('-', '')}-${campaignId}-${n}`, ts: iso(ts), host_idx: host.host_idx, user_name: user,
      user_domain: 'CONTOSO', logon_id: outcome === 'success' ? logonId : null, logon_type: type, source_ip: ip,
      source_host: src, outcome, campaign_id: campaignId, campaign_kind: spec.kind,
    });
  if (spec.access === 'rdp') {
    const ip = rng.pick(ATTACKER_SOURCES);
    const logonTs = spec.kind === 'rdp-bruteforce-recon' ? start - rng.int(20, 120) * 1000 : Math.max(dayStart + 30_000, start - rng.int(600, 9 * 3600) * 1000);
    if (spec.kind === 'rdp-bruteforce-recon') {
      user = rng.pick(['administrator', 'admin', host.owner]);
      const failures = rng.int(20, 60);
      for (let i = 0; i < failures; i++) logon(logonTs - (failures - i) * rng.int(2000, 6000), 10, ip, null, 'failure', i + 1);
    }
    logon(logonTs, 10, ip, null, 'success', 0);
  } else if (spec.access === 'network') {
    const from = rng.pick(c.hosts.filter((h) => h.host_idx !== host.host_idx));
    logon(start - rng.int(1, 4) * 1000, 3, from.ip, from.host.toUpperCase(), 'success', 0);
  }
  return user;
}

/** The campaign's script, run once or twice in a row. Returns the first run's steps a detection may alert on. */
function runScript(c: Campaign, start: number, user: string, logonId: string, fill: (t: string) => string, repeated: boolean): AlertCandidate[] {
  const { rng, spec, host, day, campaignId, out } = c;
  let t = start;
  let n = 0;
  const shellPid = 4 * rng.int(100, 16000);
  const alertCandidates: AlertCandidate[] = [];
  for (let run = 0; run < (repeated ? 2 : 1); run++) {
    if (run === 1) t += rng.int(120, 600) * 1000;
    for (const step of spec.steps) {
      t += rng.int(step.gap[0] * 1000, step.gap[1] * 1000 + 999);
      const row: AttackProcessRow = {
        event_id: `x${day.replaceAll('-', '')}-${campaignId}-${n++}`, ts: iso(t), host_idx: host.host_idx, user_name: user,
        user_domain: 'CONTOSO', logon_id: logonId, process_id: 4 * rng.int(100, 16000), image: fill(step.image),
        command_line: fill(step.command), parent_process_id: shellPid, parent_image: fill(step.parent),
        campaign_id: campaignId, campaign_kind: spec.kind,
      };
      out.process.push(row);
      if (step.alert && run === 0) alertCandidates.push({ row, alert: step.alert });
    }
  }
  return alertCandidates;
}

/** Detections fire on some steps, not all, seconds to minutes later, with the entities they know. Returns how many fired. */
function fireAlerts(c: Campaign, candidates: readonly AlertCandidate[], probabilityScale: number): number {
  const { rng, spec, host, campaignId, out } = c;
  const fired = candidates.filter((a) => rng.chance(Math.min(1, a.alert.probability * probabilityScale)));
  for (const [i, { row, alert }] of fired.entries()) {
    const ts = Date.parse(row.ts) + rng.int(2, 180) * 1000;
    out.alerts.push({
      alert_id: `al-${campaignId}-${i + 1}`, ts: iso(ts), alert_name: alert.name, severity: alert.severity, host_idx: host.host_idx,
      user_name: rng.chance(0.8) ? row.user_name : null, logon_id: rng.chance(0.6) ? row.logon_id : null,
      process_id: rng.chance(0.6) ? row.process_id : null, command_line: rng.chance(0.7) ? row.command_line : null,
      malicious: true, campaign_id: campaignId, campaign_kind: spec.kind,
    });
  }
  return fired.length;
}

/** A seeded Fisher-Yates shuffle of the kinds: the first campaigns cover every kind once. */
function shuffledKinds(rng: Rng): CampaignKindSpec[] {
  const order = [...CAMPAIGN_KINDS];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * Plan the fleet's attack campaigns: how many (rate per host-day, at least one of each kind),
 * where, when, with which variants, and which steps a detection alerts on.
 */
export function planCampaigns(opts: {
  hosts: readonly FleetHost[]; days: readonly string[]; seed: number; attackRate: number; alertProbabilityScale: number;
}): { byDay: Map<string, DayAttacks>; campaigns: CampaignPlan[] } {
  const { hosts, days, seed } = opts;
  const rng = new Rng(seed, 'campaigns');
  const count = Math.max(CAMPAIGN_KINDS.length, Math.round(opts.attackRate * hosts.length * days.length));
  const order = shuffledKinds(rng);
  const byDay = new Map<string, DayAttacks>(days.map((d) => [d, { process: [], logon: [], alerts: [] }]));
  const campaigns: CampaignPlan[] = [];

  for (let c = 0; c < count; c++) {
    const spec = c < order.length ? order[c]! : rng.pick(CAMPAIGN_KINDS);
    const host = rng.pick(targetsOf(spec, hosts));
    // The first campaigns spread evenly over the days (one a day when there are enough), the rest at random.
    const spread = Math.min(count, days.length);
    const day = days[c < spread ? Math.floor(((c + 0.5) * days.length) / spread) : rng.int(0, days.length - 1)]!;
    const dayStart = Date.parse(`${day}T00:00:00Z`);
    const campaignId = `c${String(c + 1).padStart(4, '0')}`;
    const campaign: Campaign = { rng, spec, host, hosts, day, dayStart, campaignId, out: byDay.get(day)! };
    const variant: Record<string, string> = {};
    for (const [k, values] of Object.entries(VARIANTS)) variant[k] = rng.pick(values);
    variant['HOSTN'] = rng.pick(hosts).host.toUpperCase();
    variant['DOMAIN'] = DOMAIN;
    const fill = (t: string) => t.replace(/\{([A-Z0-9]+)\}/g, (m, k: string) => variant[k] ?? m);

    // The attacker's session.
    const start = dayStart + (spec.access === 'owner' ? rng.int(10 * 3600, 17 * 3600) : rng.int(3600, 20 * 3600)) * 1000 + rng.int(0, 999);
    const firstUser = spec.access === 'owner' ? host.owner : rng.pick([...ADMINS, 'administrator', host.owner]);
    const logonId = spec.access === 'owner' ? OWNER_SESSION : `0x${(0x100000 + rng.int(0, 0xeffffff)).toString(16)}`;
    const user = accessLogons(campaign, start, firstUser, logonId);
    const repeated = rng.chance(spec.repeatProbability);
    const candidates = runScript(campaign, start, user, logonId, fill, repeated);
    const alerts = fireAlerts(campaign, candidates, opts.alertProbabilityScale);
    campaigns.push({ campaign_id: campaignId, kind: spec.kind, host: host.host, day, repeated, alerts });
  }
  for (const d of byDay.values()) d.process.sort((a, b) => a.ts.localeCompare(b.ts) || a.event_id.localeCompare(b.event_id));
  return { byDay, campaigns };
}
