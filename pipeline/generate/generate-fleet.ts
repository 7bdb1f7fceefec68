import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAMPAIGN_KINDS } from '../../models/attack-campaigns.js';
import { ADMIN_TOOLS, ADMINS, BACKGROUND, FALSE_POSITIVE_SOURCES, LOGON_SCRIPT, ROLLOUTS, SCHEDULED, SERVICE_NAMES } from '../../models/fleet-catalog.js';
import { addDays, checkDate } from '../dates.js';
import { Database } from '../db.js';
import { OptionError } from '../errors.js';
import { runModel } from '../sql-model.js';
import { planCampaigns } from './campaigns.js';
import type { CampaignPlan } from './campaigns.js';
import { buildFleet } from './fleet.js';
import { countDay, generateBenignDay, insertAttacks, makeDayAlerts, writeDayFiles } from './generate-day.js';
import type { GeneratorRun } from './generate-day.js';
import { WRITERS } from './writers.js';
import type { OutputFormat } from './writers.js';

export interface GenerateOptions {
  hosts: number;
  days: number;
  /** First day, YYYY-MM-DD (UTC). */
  start: string;
  seed: number;
  out: string;
  format: OutputFormat;
  /** Attack campaigns per host-day (at least one campaign of each kind is always made). */
  attackRate: number;
  /** False-positive alerts per true-positive alert. */
  fpRatio: number;
  /** Multiplier on background process starts per host-day (1 = about 1,000-2,000). */
  eventRate: number;
  /** Share of servers with an admin RDP session on a given day. */
  adminRate: number;
  onDay?: (day: string, index: number, count: number) => void;
}

export { GENERATE_DEFAULTS } from './generate-defaults.js';

export interface GenerateManifest {
  generator: string;
  parameters: Omit<GenerateOptions, 'onDay' | 'out'>;
  days: string[];
  hosts: { total: number; by_role: Record<string, number> };
  counts: { process_events: number; logon_events: number; alerts: number; alerts_true_positive: number; alerts_false_positive: number; labels: number; malicious_events: number };
  per_day: { day: string; process_events: number; logon_events: number; alerts: number }[];
  campaigns_by_kind: Record<string, { campaigns: number; repeated: number; alerts: number; events: number }>;
  campaigns: CampaignPlan[];
}

function dayList(start: string, days: number): string[] {
  checkDate(start, '--start');
  return Array.from({ length: days }, (_, i) => addDays(start, i));
}

/** Templates of every kind in one table; roles as lists; 'weight' is the rollout fraction for rollouts. */
async function loadCatalog(db: Database): Promise<void> {
  const rows = [
    ...BACKGROUND.map((t) => ({ template_id: t.id, kind: 'bg', roles: [...t.roles], weight: t.weight, image: t.image, parent_image: t.parent, command: t.command, account: t.account, hour_from: t.hours?.[0] ?? null, hour_to: t.hours?.[1] ?? null, minute: null })),
    ...SCHEDULED.map((t) => ({ template_id: t.id, kind: 'sched', roles: [...t.roles], weight: 1, image: t.image, parent_image: t.parent, command: t.command, account: t.account, hour_from: t.hour, hour_to: null, minute: t.minute })),
    ...LOGON_SCRIPT.map((t, i) => ({ template_id: `logon-${i}`, kind: 'logon_script', roles: ['wks'], weight: 1, image: t.image, parent_image: t.parent, command: t.command, account: 'user', hour_from: null, hour_to: null, minute: null })),
    ...ADMIN_TOOLS.map((t) => ({ template_id: t.id, kind: 'admin', roles: ['*'], weight: 1, image: t.image, parent_image: t.parent, command: t.command, account: 'user', hour_from: null, hour_to: null, minute: null })),
    ...ROLLOUTS.map((t) => ({ template_id: t.id, kind: 'rollout', roles: ['*'], weight: t.fraction, image: t.image, parent_image: t.parent, command: t.command, account: 'system', hour_from: null, hour_to: null, minute: null })),
  ];
  await db.run(
    `CREATE OR REPLACE TEMP TABLE gen_templates AS
     SELECT *, (row_number() OVER (PARTITION BY kind ORDER BY ord) - 1)::INTEGER AS seq
     FROM (SELECT unnest(from_json($1, '[{"template_id":"VARCHAR","kind":"VARCHAR","roles":["VARCHAR"],"weight":"DOUBLE","image":"VARCHAR","parent_image":"VARCHAR","command":"VARCHAR","account":"VARCHAR","hour_from":"INTEGER","hour_to":"INTEGER","minute":"INTEGER"}]'), recursive := true),
                  unnest(range(0, json_array_length($1::JSON)::BIGINT)) AS ord)`,
    [JSON.stringify(rows)],
  );
  await runModel(db, 'generate/gen_buckets.sql', {});
}

/** A day's counts added to the run's. */
function addDayCounts(totals: GenerateManifest['counts'], c: Awaited<ReturnType<typeof countDay>>): void {
  totals.process_events += c.p;
  totals.logon_events += c.l;
  totals.alerts += c.a;
  totals.alerts_true_positive += c.tp;
  totals.alerts_false_positive += c.a - c.tp;
  totals.malicious_events += c.m;
  totals.labels += c.a + c.m;
}

function checkOptions(opts: GenerateOptions): void {
  // the ceilings: a fleet 10 times the bench's largest, a year (100,000,000 hosts ran node out of heap, 100,000 days for hours)
  if (!Number.isInteger(opts.hosts) || opts.hosts < 2 || opts.hosts > 100_000) throw new OptionError('--hosts', 'must be an integer from 2 to 100000');
  if (!Number.isInteger(opts.days) || opts.days < 1 || opts.days > 366) throw new OptionError('--days', 'must be an integer from 1 to 366');
  // The models take the seed as an INTEGER (sql/generate/*.sql): one type, so one fleet per seed.
  if (!Number.isInteger(opts.seed) || opts.seed < -(2 ** 31) || opts.seed >= 2 ** 31) throw new OptionError('--seed', 'must be an integer from -2147483648 to 2147483647');
  for (const [k, v] of [['--attack-rate', opts.attackRate], ['--fp-ratio', opts.fpRatio], ['--event-rate', opts.eventRate], ['--admin-rate', opts.adminRate]] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new OptionError(k, 'must be a number >= 0');
  }
}

/** The generator's session: memory bounds, macros, the fleet's hosts, the catalog; returns the run's parameters. */
async function setUp(db: Database, opts: GenerateOptions, hosts: ReturnType<typeof buildFleet>): Promise<GeneratorRun> {
  // Bounded memory: a day's tables are replaced by the next day's, and DuckDB spills past the limit.
  await db.exec("SET preserve_insertion_order = true; SET memory_limit = '1500MB';");
  await runModel(db, 'generate/macros.sql', { gen_services: SERVICE_NAMES });
  await db.run(
    `CREATE OR REPLACE TEMP TABLE gen_hosts AS SELECT unnest(from_json($1, '[{"host_idx":"INTEGER","host":"VARCHAR","fqdn":"VARCHAR","role":"VARCHAR","owner":"VARCHAR","svc_account":"VARCHAR","ip":"VARCHAR","base_rate":"INTEGER","jump_rank":"INTEGER"}]'), recursive := true)`,
    [JSON.stringify(hosts)],
  );
  await loadCatalog(db);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE gen_fp_sources AS SELECT unnest(from_json($1, '[{"template":"VARCHAR","alert":"VARCHAR","severity":"VARCHAR"}]'), recursive := true)`,
    [JSON.stringify(FALSE_POSITIVE_SOURCES)],
  );
  return {
    gen_seed: opts.seed, gen_rate: opts.eventRate, gen_days: opts.days, gen_host_count: hosts.length,
    gen_jump_count: hosts.filter((h) => h.role === 'jump').length, gen_admin_rate: opts.adminRate, gen_admins: ADMINS,
    gen_admin_tool_count: ADMIN_TOOLS.length,
  };
}

/** Campaigns, alerts and labeled events per campaign kind. */
function campaignsByKind(campaigns: readonly CampaignPlan[], byDay: ReturnType<typeof planCampaigns>['byDay']): GenerateManifest['campaigns_by_kind'] {
  const byKind: GenerateManifest['campaigns_by_kind'] = {};
  for (const k of CAMPAIGN_KINDS) byKind[k.kind] = { campaigns: 0, repeated: 0, alerts: 0, events: 0 };
  for (const c of campaigns) {
    const k = byKind[c.kind]!;
    k.campaigns++;
    if (c.repeated) k.repeated++;
    k.alerts += c.alerts;
  }
  for (const d of byDay.values()) for (const e of [...d.process, ...d.logon]) byKind[e.campaign_kind]!.events++;
  return byKind;
}

/**
 * The day folders an earlier fleet generated into `out` (its manifest.json lists them), and that
 * manifest: removed before this fleet is written, or nightly --input would load the old days (or an
 * old format's files in a day folder) beside the new manifest, and a failed run would leave a
 * manifest naming days that are gone.
 */
function removeEarlierFleet(out: string): void {
  let earlier: Partial<GenerateManifest>;
  try {
    earlier = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Partial<GenerateManifest>;
  } catch {
    return; // none, or not ours
  }
  if (earlier.generator !== 'alert-context generate' || !Array.isArray(earlier.days)) return;
  for (const day of earlier.days) {
    if (typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day)) rmSync(join(out, day), { recursive: true, force: true });
  }
  rmSync(join(out, 'manifest.json'), { force: true });
}

export async function generateFleet(opts: GenerateOptions): Promise<GenerateManifest> {
  checkOptions(opts);
  const days = dayList(opts.start, opts.days);
  const hosts = buildFleet(opts.hosts, opts.seed);
  const { byDay, campaigns } = planCampaigns({ hosts, days, seed: opts.seed, attackRate: opts.attackRate, alertProbabilityScale: 1 });
  const writer = WRITERS[opts.format];
  mkdirSync(opts.out, { recursive: true });
  removeEarlierFleet(opts.out);

  const db = await Database.open(':memory:');
  try {
    const run = await setUp(db, opts, hosts);

    const perDay: GenerateManifest['per_day'] = [];
    const totals = { process_events: 0, logon_events: 0, alerts: 0, alerts_true_positive: 0, alerts_false_positive: 0, labels: 0, malicious_events: 0 };
    let cumulativeTp = 0;
    for (const [dayIdx, day] of days.entries()) {
      opts.onDay?.(day, dayIdx, days.length);
      const attacks = byDay.get(day)!;
      await generateBenignDay(db, run, day, dayIdx);
      await insertAttacks(db, attacks);

      // Alerts: the planned true positives, and false positives on benign events, about fp-ratio
      // per true positive over the whole period.
      const tp = attacks.alerts.length;
      const fp = Math.round(opts.fpRatio * (cumulativeTp + tp)) - Math.round(opts.fpRatio * cumulativeTp);
      cumulativeTp += tp;
      await makeDayAlerts(db, attacks, day, opts.seed, fp);

      const dir = join(opts.out, day);
      await writeDayFiles(db, writer, dir, dayIdx);
      const c = await countDay(db);
      perDay.push({ day, process_events: c.p, logon_events: c.l, alerts: c.a });
      addDayCounts(totals, c);
    }

    const byKind = campaignsByKind(campaigns, byDay);
    const byRole: Record<string, number> = {};
    for (const h of hosts) byRole[h.role] = (byRole[h.role] ?? 0) + 1;
    const { onDay: _onDay, out: _out, ...parameters } = opts;
    const manifest: GenerateManifest = {
      generator: 'alert-context generate',
      parameters,
      days,
      hosts: { total: hosts.length, by_role: byRole },
      counts: totals,
      per_day: perDay,
      campaigns_by_kind: byKind,
      campaigns,
    };
    writeFileSync(join(opts.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    db.close();
  }
}
