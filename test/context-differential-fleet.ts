import { quoteIdent } from '../pipeline/db.js';
import type { Database } from '../pipeline/db.js';
import { seeded } from './helpers.js';

/**
 * Hand-made telemetry with stored features for test/context-candidates-differential.test.ts: a few
 * hosts, many alerts per host with overlapping and disjoint windows, bursts placed on window edges,
 * process ids reused, parents that are their own process id, equal timestamps, events without a
 * rarity row (NULL template). The stored features (process_rarity, baselines) are drawn at random,
 * not computed: the test compares two versions of the context SQL, not the scoring.
 */
export interface FleetOptions {
  seed: number;
  hosts: number;
  alertsPerHost: number;
  eventsPerHost: number;
  /** Minutes before / after an alert of the window bursts are placed on the edges of. */
  before: number;
  after: number;
}

type Row = Record<string, string | number | boolean | null>;


const BASE = Date.parse('2026-11-09T23:00:00Z');
const SPAN_MS = 4 * 3600_000;
const NAMES = ['cmd.exe', 'net.exe', 'reg.exe', 'whoami.exe', 'powershell.exe', 'rundll32.exe', 'schtasks.exe', 'sc.exe', 'wmic.exe',
  'certutil.exe', 'mshta.exe', 'chrome.exe', 'svchost.exe', 'conhost.exe', 'tasklist.exe', 'bitsadmin.exe'];
const ARGS = ['', '/c dir', 'user x /add', '/s', '-enc AAAA', 'list', '/query', 'stop x', '/c run.bat'];
const LOGONS: readonly (readonly [string, string])[] = [['0xa1', 'CONTOSO\\alice'], ['0xb2', 'CONTOSO\\bob'], ['0xc3', 'CONTOSO\\alice'],
  ['0x3e7', 'NT AUTHORITY\\SYSTEM'], ['0x3e4', 'WKS$'], ['0xd4', 'WKS$'], ['', '']];

const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

class Builder {
  readonly tables: Record<string, Row[]> = {
    process_events: [], process_rarity: [], baseline_parent_child: [], baseline_process: [], baseline_host_burst: [],
    logon_events: [], logon_rarity: [], alerts: [],
  };
  private n = 0;
  private readonly pairs = new Set<string>();
  constructor(readonly r: () => number) {}
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.r() * xs.length)]!; }
  int(lo: number, hi: number): number { return lo + Math.floor(this.r() * (hi - lo + 1)); }

  /** One process start (and its stored features); the caller keeps (host, pid, ts) unique. */
  process(host: string, ms: number, pid: number, ppid: number, name: string | null, parent: string, logon: readonly [string, string]): Row {
    const arg = this.pick(ARGS);
    const row: Row = {
      event_id: `${host}-e${++this.n}`, ts: iso(ms), host, user_name: logon[1] || null, logon_id: logon[0] || null, process_id: pid,
      image: name === null ? null : `C:\\Windows\\System32\\${name}`, process_name: name, command_line: `${name ?? 'x'} ${arg}`.trim(),
      parent_process_id: ppid, parent_image: `C:\\Windows\\System32\\${parent}`, parent_name: parent, source: 'test',
    };
    this.tables['process_events']!.push(row);
    if (this.r() < 0.9) this.rarity(row, `${name ?? 'x'} ${arg}`.trim(), ms);
    const key = `${day(ms)}|${parent}|${name ?? ''}`;
    if (!this.pairs.has(key)) {
      this.pairs.add(key);
      if (this.r() < 0.7) this.tables['baseline_parent_child']!.push({ as_of: day(ms), parent_name: parent, process_name: name ?? '', hosts: this.int(1, 40), events: this.int(0, 300), host_days: this.int(1, 10) });
      if (this.r() < 0.6) {
        const events = this.int(1, 50);
        this.tables['baseline_process']!.push({ as_of: day(ms), process_name: parent, hosts: this.int(1, 40), events, machine_events: this.int(0, events) });
      }
    }
    return row;
  }

  private rarity(row: Row, template: string, ms: number): void {
    const fleet = this.pick([8, 12, 50]);
    this.tables['process_rarity']!.push({
      event_id: row['event_id']!, day: day(ms), host: row['host']!, template, fleet_hosts: fleet, history_days: this.pick([1, 5, 10, 10, 10]),
      template_hosts: this.int(0, 6), host_days: this.int(0, 3), host_is_new: this.r() < 0.15, pair_hosts: this.int(0, fleet),
      template_score: this.r(), pair_score: this.r(), score: this.r(), unusual: this.r() < 0.5,
      host_history_days: this.r() < 0.5 ? null : this.int(0, 10),
    });
  }
}

/** The hosts' process starts: spread over four hours across midnight, in bursts, on the alerts' window edges. */
function hostEvents(b: Builder, host: string, o: FleetOptions, alertTimes: number[]): void {
  const used = new Set<string>();
  const seen: Row[] = [];
  const times: number[] = [];
  for (let i = 0; i < o.eventsPerHost * 0.6; i++) times.push(BASE + Math.floor(b.r() * SPAN_MS));
  const burst = (start: number, size: number, spreadMs: number) => { for (let i = 0; i < size; i++) times.push(start + Math.floor(b.r() * spreadMs)); };
  for (let i = 0; i < o.eventsPerHost * 0.04; i++) burst(BASE + Math.floor(b.r() * SPAN_MS), b.int(6, 12), 50_000);
  for (const t of alertTimes) {
    const end = t + o.after * 60_000;
    const start = t - o.before * 60_000;
    const at = b.pick([end - 30_000, end - 60_000, end, end - 59_999, start, start - 10_000, end - 1]);
    burst(at, b.int(5, 10), b.pick([1, 1000, 40_000, 70_000]));
    // starts exactly 60 s before the window's end, and at its end
    if (b.r() < 0.5) {
      burst(end - 60_000, b.int(2, 5), 1);
      burst(end, b.int(1, 3), 1);
    }
  }
  // equal timestamps: some starts at the time of another
  for (let i = 0; i < times.length * 0.15; i++) times.push(b.pick(times));
  times.sort((x, y) => x - y);
  for (const ms of times) {
    let pid = 1000 + 4 * b.int(0, 30);
    while (used.has(`${pid}|${ms}`)) pid += 4;
    used.add(`${pid}|${ms}`);
    const u = b.r();
    const parent = u < 0.7 && seen.length ? b.pick(seen.slice(-20)) : null;
    const ppid = parent ? Number(parent['process_id']) : u < 0.82 ? pid : 1000 + 4 * b.int(0, 30);
    const parentName = parent ? String(parent['process_name'] ?? '') || 'explorer.exe' : b.pick(['explorer.exe', 'services.exe', 'svchost.exe']);
    const logon = parent && b.r() < 0.8 ? LOGONS.find((l) => l[0] === parent['logon_id']) ?? b.pick(LOGONS) : b.pick(LOGONS);
    seen.push(b.process(host, ms, pid, ppid, b.r() < 0.03 ? null : b.pick(NAMES), parentName, logon));
  }
  for (const d of ['2026-11-09', '2026-11-10']) {
    if (b.r() < 0.85) b.tables['baseline_host_burst']!.push({ as_of: d, host, active_minutes: 100, quantile_distinct: b.pick([0, 1, 2, 3, 4.5]), max_distinct: 9 });
  }
  alertsOf(b, host, alertTimes, seen);
  rdpLogons(b, host);
}

/** The host's alerts, with every mix of entities: none but the host, a session, an account, a process (its command line or not). */
function alertsOf(b: Builder, host: string, alertTimes: number[], procs: Row[]): void {
  alertTimes.forEach((t, i) => {
    const near = procs.filter((p) => Math.abs(Date.parse(`${String(p['ts'])}Z`) - t) < 120_000);
    const p = near.length ? b.pick(near) : b.pick(procs);
    const kind = b.int(0, 4);
    b.tables['alerts']!.push({
      alert_id: `${host}-a${i}`, ts: iso(t), alert_name: b.pick(['Rule A', 'Rule B']), severity: 'High', host, source: 'test',
      user_name: kind === 2 || kind === 4 ? b.pick(['alice', 'CONTOSO\\bob', 'SYSTEM', 'WKS$']) : null,
      logon_id: kind === 1 || kind === 4 ? b.pick(LOGONS)[0] : null,
      process_id: kind >= 3 ? Number(p['process_id']) : null,
      command_line: kind >= 3 && b.r() < 0.5 ? String(p['command_line']) : null,
    });
  });
}

function rdpLogons(b: Builder, host: string): void {
  for (let i = 0; i < 6; i++) {
    const ms = BASE + Math.floor(b.r() * SPAN_MS);
    const [logon, user] = b.pick(LOGONS);
    const id = `${host}-l${i}`;
    b.tables['logon_events']!.push({ event_id: id, ts: iso(ms), host, user_name: user, logon_id: logon, logon_type: b.pick([10, 10, 3, 4, 5]),
      source_ip: b.pick(['10.0.0.5', '203.0.113.7', null]), outcome: b.pick(['success', 'failure', 'reconnect']), source: 'test' });
    if (b.r() < 0.8) {
      b.tables['logon_rarity']!.push({ event_id: id, day: day(ms), host, user_name: user, source: '203.0.113.7', fleet_hosts: b.pick([8, 50]),
        history_days: b.pick([1, 10]), source_hosts: b.int(0, 5), host_days: b.int(0, 3), failures_before: b.int(0, 12), score: b.r(), unusual: b.r() < 0.5, reason: `logon ${i}` });
    }
  }
}

/** Insert one table's rows: the rows bound as one JSON value, the table's own column types applied by DuckDB. */
async function insert(db: Database, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = await db.all<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [table]);
  const wanted = columns.filter((c) => c.name in rows[0]!);
  const structure = JSON.stringify([Object.fromEntries(wanted.map((c) => [c.name, c.type]))]);
  await db.run(`CREATE OR REPLACE TEMP TABLE diff_rows AS SELECT unnest(from_json($1::JSON, $2), recursive := true)`, [JSON.stringify(rows), structure]);
  await db.run(`INSERT INTO ${quoteIdent(table)} BY NAME SELECT * FROM diff_rows`);
}

/** Build a fleet into db; returns the alerts' days as [from, to]. */
export async function buildFleet(db: Database, o: FleetOptions): Promise<[string, string]> {
  const b = new Builder(seeded(o.seed));
  for (let h = 0; h < o.hosts; h++) {
    const alertTimes = Array.from({ length: o.alertsPerHost }, () => BASE + 600_000 + 1000 * Math.floor(b.r() * (SPAN_MS - 1_200_000) / 1000));
    hostEvents(b, `h${o.seed}-${h}`, o, alertTimes.sort((x, y) => x - y));
  }
  for (const [table, rows] of Object.entries(b.tables)) await insert(db, table, rows);
  return ['2026-11-09', '2026-11-10'];
}
