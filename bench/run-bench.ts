// make bench: speed, memory and growth of the stages against the floors (never part of make test).
//   tsx bench/run-bench.ts [--quick]   (--quick: the 1,000-host fleet only, no growth series or 10,000-host day)
//   tsx bench/run-bench.ts --clickhouse-only [--clickhouse-hosts N]   (only the ClickHouse section, merged into results.json)
// The ClickHouse section (bench/clickhouse.ts) runs one fleet on DuckDB and on a local cluster of
// one shard and of two: 200 hosts x 5 days (50 with --quick, or --clickhouse-hosts N).
// Fleets are generated once into data/bench/fleets and reused while their parameters match.
// Every stage runs as its own process under /usr/bin/time, for its wall time and peak RSS.
// Detect (the nightly's Sigma stage, all compiled rules) is measured inside each nightly run and
// compared with the rest of that run: results.json detect_day.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../pipeline/dates.js';
import { withDatabase } from '../pipeline/db.js';
import { clickhouseBench } from './clickhouse.js';
import { groupByFloor, perAlertFloor, storeFloor } from './floors.js';

const ROOT = join(import.meta.dirname, '..');
const BENCH = join(ROOT, 'data', 'bench');
const CLI = join(ROOT, 'bin', 'alert-context');
const quick = process.argv.includes('--quick');
const START = '2026-11-01';
const results: Record<string, unknown> = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memory_gib: +(totalmem() / 2 ** 30).toFixed(1), node: process.version },
  started: new Date().toISOString(),
};

interface Timed { seconds: number; peak_rss_mb: number; stdout: string }

/** Run the CLI as a process under /usr/bin/time: wall seconds, peak RSS, stdout. */
function cli(args: string[]): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', CLI, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, TZ: 'UTC' } });
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  const [seconds, kb] = last.split(' ').map(Number);
  if (r.status !== 0) throw new Error(`alert-context ${args.join(' ')} failed:\n${r.stderr.slice(-2000)}`);
  return { seconds: seconds!, peak_rss_mb: Math.round(kb! / 1024), stdout: r.stdout };
}

/** Write what is measured so far (a long run that fails late keeps its numbers). */
function save(): void {
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

/** Run one section; a failure is recorded in the results and the run goes on. */
async function section(name: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    results[`${name}_error`] = (err as Error).message.split('\n').slice(0, 3).join(' ');
    log(`${name} failed: ${(err as Error).message.split('\n')[0]}`);
  }
  save();
}

function log(message: string): void {
  console.error(`${new Date().toISOString().slice(11, 19)} ${message}`);
}

/** A generated fleet, reused when its manifest says it was made with the same parameters. */
function fleet(hosts: number, days: number, format = 'canonical-parquet'): { dir: string; manifest: { counts: Record<string, number>; days: string[] } } {
  const dir = join(BENCH, 'fleets', `h${hosts}-d${days}-${format}`);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (m.parameters?.hosts === hosts && m.parameters?.days === days && m.parameters?.format === format) return { dir, manifest: m };
  }
  rmSync(dir, { recursive: true, force: true });
  log(`generating ${hosts} hosts x ${days} days (${format})`);
  const t = cli(['generate', '--hosts', String(hosts), '--days', String(days), '--start', START, '--format', format, '--out', dir, '--json']);
  (results['generate'] as Record<string, unknown>[] | undefined ?? (results['generate'] = []) as Record<string, unknown>[]).push({ hosts, days, format, seconds: t.seconds, peak_rss_mb: t.peak_rss_mb });
  return { dir, manifest: JSON.parse(readFileSync(manifestPath, 'utf8')) };
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** Nightly day by day over the first `days` days of a fleet into a fresh database: per-day time, RSS and stages. */
function nightlyDays(name: string, f: { dir: string }, days: number): { db: string; perDay: Record<string, unknown>[] } {
  const db = join(BENCH, 'db', `${name}.duckdb`);
  mkdirSync(join(BENCH, 'db'), { recursive: true });
  for (const p of [db, `${db}.wal`]) rmSync(p, { force: true });
  const perDay: Record<string, unknown>[] = [];
  for (let i = 0; i < days; i++) {
    const day = addDays(START, i);
    const t = cli(['nightly', '--db', db, '--date', day, '--input', f.dir, '--json']);
    const out = JSON.parse(t.stdout) as { stages: { stage: string; rows: number; seconds: number }[] };
    perDay.push({ day, seconds: t.seconds, peak_rss_mb: t.peak_rss_mb, stages: Object.fromEntries(out.stages.map((s) => [s.stage, +s.seconds.toFixed(2)])) });
    log(`nightly ${name} ${day}: ${t.seconds} s, ${t.peak_rss_mb} MB`);
  }
  return { db, perDay };
}

/** 6. The ClickHouse section: the same fleet on one shard and on two (issue 18). */
async function clickhouseSection(): Promise<void> {
  const at = process.argv.indexOf('--clickhouse-hosts');
  const hosts = at > 0 ? Number(process.argv[at + 1]) : quick ? 50 : 200;
  await section('clickhouse', async () => {
    results['clickhouse'] = await clickhouseBench({ cli, fleet, log, dbDir: join(BENCH, 'db'), start: START }, hosts, 5);
  });
}

if (process.argv.includes('--clickhouse-only')) {
  // Keep the other sections' last results; replace this one's.
  const path = join(ROOT, 'bench', 'results.json');
  const earlier = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> : {};
  delete earlier['clickhouse_error'];
  Object.assign(results, earlier, { machine: results['machine'], clickhouse_started: new Date().toISOString() });
  await clickhouseSection();
  console.log(JSON.stringify(results['clickhouse'] ?? results['clickhouse_error'], null, 2));
  process.exit(0);
}

// 1. The main fleet: 1,000 hosts x 14 days at the default rate.
const main = fleet(1000, 14);
const lastDay = addDays(START, 13);
log('nightly over the 1,000-host fleet, day by day');
const nightly = nightlyDays('h1000-d14', main, 14);
const dayFile = join(main.dir, lastDay, 'process_events.parquet');
const floor = await groupByFloor(dayFile);
const store = await storeFloor(dayFile, join(BENCH, 'db'));
const lastNightly = nightly.perDay.at(-1)! as { seconds: number; peak_rss_mb: number };
results['nightly_day'] = {
  hosts: 1000, day: lastDay, history_days: 13, events: floor.events, ...nightly.perDay.at(-1),
  floor_seconds: floor.seconds, ratio_to_floor: +(lastNightly.seconds / floor.seconds).toFixed(1),
  store_floor_seconds: store.seconds, store_floor_ratio_to_floor: +(store.seconds / floor.seconds).toFixed(1),
};
results['nightly_days'] = nightly.perDay;
// Detect (issue 15): the Sigma stage of that day's nightly run against the rest of the same run.
const lastStages = (nightly.perDay.at(-1) as { stages: Record<string, number> }).stages;
const detectSeconds = lastStages['detect'] ?? 0;
const restSeconds = +(lastNightly.seconds - detectSeconds).toFixed(2);
results['detect_day'] = {
  hosts: 1000, day: lastDay, events: floor.events, detect_seconds: detectSeconds, rest_of_nightly_seconds: restSeconds,
  ratio: +(detectSeconds / restSeconds).toFixed(2), within_bound: detectSeconds <= restSeconds,
};
log(`detect at 1,000 hosts (${lastDay}): ${detectSeconds} s; rest of that nightly run: ${restSeconds} s; ratio ${(detectSeconds / restSeconds).toFixed(2)}`);
save();

// 2. Retro over the 14 days, the per-alert floor, and a 50-point tune sweep.
log('retro over 14 days');
const retro = cli(['retro', '--db', nightly.db, '--from', START, '--to', lastDay, '--json']);
const retroRun = JSON.parse(retro.stdout).run as { alerts: number; reports: number };
results['retro'] = {
  hosts: 1000, days: 14, alerts: retroRun.alerts, reports: retroRun.reports, seconds: retro.seconds, peak_rss_mb: retro.peak_rss_mb,
  seconds_per_1000_alerts: +((retro.seconds / retroRun.alerts) * 1000).toFixed(2),
};
save();
await section('context_vs_per_alert', async () => {
  log('context as one query per alert (the floor)');
  results['context_vs_per_alert'] = await perAlertFloor(nightly.db, START, lastDay, 120);
});
await section('tune', async () => {
  log('tune, 50 grid points');
  const grid = ['--grid', 'rarity.max_fleet_hosts=1,2,3,5,8', '--grid', 'rarity.max_host_days=0,1,2,3,5', '--grid', 'burst.factor=2,3'];
  const tune = cli(['tune', '--db', nightly.db, '--from', START, '--to', lastDay, ...grid, '--json']);
  results['tune'] = { points: JSON.parse(tune.stdout).points.length, days: 14, seconds: tune.seconds, peak_rss_mb: tune.peak_rss_mb };
});

// 3. Load rate per input format: one day of 100 hosts in each format, into a fresh database.
await section('load', async () => {
  const loads: Record<string, unknown>[] = [];
  for (const format of ['canonical-parquet', 'canonical-ndjson', 'winevent', 'sentinel', 'ecs', 'mde']) {
    const f = fleet(100, 1, format);
    const day = join(f.dir, START);
    const db = join(BENCH, 'db', `load-${format}.duckdb`);
    for (const p of [db, `${db}.wal`]) rmSync(p, { force: true });
    const t = cli(['load', '--db', db, '--input', day, '--json']);
    const totals = JSON.parse(t.stdout).totals as { read: number; loaded: Record<string, number> };
    const events = (totals.loaded['process_events'] ?? 0) + (totals.loaded['logon_events'] ?? 0);
    const mb = dirBytes(day) / 1e6;
    loads.push({ format, events, input_mb: +mb.toFixed(1), seconds: t.seconds, events_per_s: Math.round(events / t.seconds), mb_per_s: +(mb / t.seconds).toFixed(1), peak_rss_mb: t.peak_rss_mb });
    log(`load ${format}: ${events} events in ${t.seconds} s`);
  }
  results['load'] = loads;
});

if (!quick) {
  await section('growth', async () => {
    // 4. Growth: hosts 100, 300, 1,000 at 7 days; days 7, 14, 28 at 100 hosts (the last nightly day, and retro over all days).
    const growth: Record<string, unknown>[] = [];
    const h100 = fleet(100, 28);
    const h300 = fleet(300, 7);
    const series: [string, { dir: string }, number, number][] = [
      ['h100-d7', h100, 100, 7], ['h300-d7', h300, 300, 7], ['h1000-d7', main, 1000, 7], ['h100-d14', h100, 100, 14], ['h100-d28', h100, 100, 28],
    ];
    for (const [name, f, hosts, days] of series) {
      const n = nightlyDays(name, f, days);
      const last = n.perDay.at(-1)! as { seconds: number; peak_rss_mb: number };
      const r = cli(['retro', '--db', n.db, '--from', START, '--to', addDays(START, days - 1), '--json']);
      const run = JSON.parse(r.stdout).run as { alerts: number };
      const events = (await withDatabase(n.db, (d) => d.one<{ n: number }>('SELECT count(*) AS n FROM process_events'))).n;
      growth.push({ hosts, days, process_events: events, nightly_last_day_seconds: last.seconds, nightly_peak_rss_mb: Math.max(...n.perDay.map((d) => (d as { peak_rss_mb: number }).peak_rss_mb)), retro_seconds: r.seconds, retro_alerts: run.alerts, retro_peak_rss_mb: r.peak_rss_mb });
      log(`growth ${name}: nightly ${last.seconds} s, retro ${r.seconds} s`);
    }
    results['growth'] = growth;
  });

  await section('large_day', async () => {
    // 5. One large fleet-day: 10,000 hosts (about 15 M process events).
    const big = fleet(10000, 1);
    const n = nightlyDays('h10000-d1', big, 1);
    const bigFloor = await groupByFloor(join(big.dir, START, 'process_events.parquet'));
    results['large_day'] = { hosts: 10000, events: bigFloor.events, ...n.perDay[0], floor_seconds: bigFloor.seconds };
  });
}

await clickhouseSection();

results['finished'] = new Date().toISOString();
save();
console.log(JSON.stringify(results, null, 2));
