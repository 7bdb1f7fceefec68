// make bench: speed, memory and growth of the stages against the floors (never part of make test).
//   tsx bench/run-bench.ts [--quick]   (--quick: no growth series and no 10,000-host day)
//   tsx bench/run-bench.ts --only SECTION[,SECTION]   (main, load, growth, large_day, clickhouse: those
//     sections only, merged into the last results.json; --clickhouse-only is --only clickhouse)
//   [--clickhouse-hosts N]
// The ClickHouse section (bench/clickhouse.ts) runs one fleet on DuckDB and on a local cluster of
// one shard and of two: 200 hosts x 5 days (50 with --quick, or --clickhouse-hosts N).
// Fleets are generated once into data/bench/fleets and reused while their parameters match.
// Every stage runs as its own process under /usr/bin/time, for its wall time and peak RSS.
// Detect (the nightly's Sigma stage, all compiled rules) is measured as its own stage of the measured
// day's nightly run and compared with the rest of that run (results.json detect_day); the history
// days before it run without it (their alerts would only lengthen retro and tune, not the day).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../pipeline/dates.js';
import { withDatabase } from '../pipeline/db.js';
import { clickhouseBench } from './clickhouse.js';
import { groupByFloor, loadFloor, perAlertFloor, storeFloor } from './floors.js';

const ROOT = join(import.meta.dirname, '..');
const BENCH = join(ROOT, 'data', 'bench');
const CLI = join(ROOT, 'bin', 'alert-context');
const quick = process.argv.includes('--quick');
const START = '2026-11-01';
const results: Record<string, unknown> = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memory_gib: +(totalmem() / 2 ** 30).toFixed(1), node: process.version },
  commit: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim(),
  dirty: execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '',
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
  delete results[`${name}_error`]; // (an earlier run's failure of it, merged in by --only)
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

/** A config file turning the nightly's detect stage off (the history days before a measured day). */
function noDetectConfig(): string {
  const path = join(BENCH, 'db', 'no-detect.json');
  mkdirSync(join(BENCH, 'db'), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ detect: { nightly: false } })}\n`);
  return path;
}

/**
 * Nightly day by day over the first `days` days of a fleet into a fresh database: per-day time, RSS
 * and stages. Detect runs on the last `detectDays` days only.
 */
function nightlyDays(name: string, f: { dir: string }, days: number, detectDays = 0): { db: string; perDay: Record<string, unknown>[] } {
  const db = join(BENCH, 'db', `${name}.duckdb`);
  const off = noDetectConfig();
  for (const p of [db, `${db}.wal`]) rmSync(p, { force: true });
  const perDay: Record<string, unknown>[] = [];
  for (let i = 0; i < days; i++) {
    const day = addDays(START, i);
    const config = i < days - detectDays ? ['--config', off] : [];
    const t = cli(['nightly', '--db', db, '--date', day, '--input', f.dir, '--json', ...config]);
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

/** 1. The main fleet, 1,000 hosts x 14 days: the last day's nightly (detect its own stage) against its floors. */
async function mainSection(): Promise<{ db: string; lastDay: string }> {
  const main = fleet(1000, 14);
  const lastDay = addDays(START, 13);
  log('nightly over the 1,000-host fleet, day by day (detect on the last day)');
  const nightly = nightlyDays('h1000-d14', main, 14, 1);
  const dayFile = join(main.dir, lastDay, 'process_events.parquet');
  const floor = await groupByFloor(dayFile);
  const store = await storeFloor(dayFile, join(BENCH, 'db'));
  const last = nightly.perDay.at(-1)! as { seconds: number; peak_rss_mb: number; stages: Record<string, number> };
  // Detect (issue 15): the Sigma stage of that day's nightly run against the rest of the same run.
  const detectSeconds = last.stages['detect'] ?? 0;
  const restSeconds = +(last.seconds - detectSeconds).toFixed(2);
  results['nightly_day'] = {
    hosts: 1000, day: lastDay, history_days: 13, events: floor.events, ...last,
    without_detect_seconds: restSeconds,
    floor_seconds: floor.seconds, ratio_to_floor: +(last.seconds / floor.seconds).toFixed(1),
    store_floor_seconds: store.seconds, store_floor_ratio_to_floor: +(store.seconds / floor.seconds).toFixed(1),
    // Issue 17's measure: the nightly day against DuckDB alone storing the day durably (target 4x, 3x).
    ratio_to_store_floor: +(last.seconds / store.seconds).toFixed(1),
    without_detect_ratio_to_store_floor: +(restSeconds / store.seconds).toFixed(1),
  };
  results['nightly_days'] = nightly.perDay;
  const sigmaAlerts = await withDatabase(nightly.db, (d) => d.one<{ n: bigint }>("SELECT count(*) AS n FROM alerts WHERE source = 'sigma'"));
  results['detect_day'] = {
    hosts: 1000, day: lastDay, events: floor.events, detect_seconds: detectSeconds, rest_of_nightly_seconds: restSeconds,
    ratio: +(detectSeconds / restSeconds).toFixed(2), within_bound: detectSeconds <= restSeconds, sigma_alerts: Number(sigmaAlerts.n),
  };
  log(`nightly at 1,000 hosts (${lastDay}): ${last.seconds} s, store floor ${store.seconds} s (${(last.seconds / store.seconds).toFixed(1)}x; without detect ${(restSeconds / store.seconds).toFixed(1)}x)`);
  log(`detect at 1,000 hosts (${lastDay}): ${detectSeconds} s; rest of that nightly run: ${restSeconds} s; ratio ${(detectSeconds / restSeconds).toFixed(2)}`);
  save();
  return { db: nightly.db, lastDay };
}

/** 2. Retro over the 14 days, the per-alert floor, and a 50-point tune sweep. */
async function historySections(db: string, lastDay: string): Promise<void> {
  await section('retro', async () => {
    log('retro over 14 days');
    const retro = cli(['retro', '--db', db, '--from', START, '--to', lastDay, '--json']);
    const run = JSON.parse(retro.stdout).run as { alerts: number; reports: number };
    results['retro'] = {
      hosts: 1000, days: 14, alerts: run.alerts, reports: run.reports, seconds: retro.seconds, peak_rss_mb: retro.peak_rss_mb,
      seconds_per_1000_alerts: +((retro.seconds / run.alerts) * 1000).toFixed(2),
    };
  });
  await section('context_vs_per_alert', async () => {
    log('context as one query per alert (the floor)');
    results['context_vs_per_alert'] = await perAlertFloor(db, START, lastDay, 120);
  });
  await section('tune', async () => {
    log('tune, 50 grid points');
    const grid = ['--grid', 'rarity.max_fleet_hosts=1,2,3,5,8', '--grid', 'rarity.max_host_days=0,1,2,3,5', '--grid', 'burst.factor=2,3'];
    const tune = cli(['tune', '--db', db, '--from', START, '--to', lastDay, ...grid, '--json']);
    results['tune'] = { points: JSON.parse(tune.stdout).points.length, days: 14, seconds: tune.seconds, peak_rss_mb: tune.peak_rss_mb };
  });
}

/** 3. Load per input format (one day of 100 hosts into a fresh database) against DuckDB's own reader storing the same files. */
async function loadSection(): Promise<void> {
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
    const floor = await loadFloor(readdirSync(day).sort().map((file) => join(day, file)), join(BENCH, 'db'));
    loads.push({
      format, events, input_mb: +mb.toFixed(1), seconds: t.seconds, events_per_s: Math.round(events / t.seconds), mb_per_s: +(mb / t.seconds).toFixed(1),
      peak_rss_mb: t.peak_rss_mb, floor_reader: floor.readers.join('+'), floor_seconds: floor.seconds, ratio_to_floor: +(t.seconds / floor.seconds).toFixed(1),
    });
    log(`load ${format}: ${events} events in ${t.seconds} s; ${floor.readers.join('+')} storing the same files ${floor.seconds} s (${(t.seconds / floor.seconds).toFixed(1)}x)`);
  }
  results['load'] = loads;
}

/** 4. Growth: hosts 100, 300, 1,000 at 7 days; days 7, 14, 28 at 100 hosts (the last nightly day, without detect, and retro over all days). */
async function growthSection(): Promise<void> {
  const growth: Record<string, unknown>[] = [];
  const h100 = fleet(100, 28);
  const h300 = fleet(300, 7);
  const series: [string, { dir: string }, number, number][] = [
    ['h100-d7', h100, 100, 7], ['h300-d7', h300, 300, 7], ['h1000-d7', fleet(1000, 14), 1000, 7], ['h100-d14', h100, 100, 14], ['h100-d28', h100, 100, 28],
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
}

/** 5. One large fleet-day: 10,000 hosts (about 13 M process events), detect its own stage; target 60 s, 1.5 GB. */
async function largeDaySection(): Promise<void> {
  const big = fleet(10000, 1);
  const n = nightlyDays('h10000-d1', big, 1, 1);
  const file = join(big.dir, START, 'process_events.parquet');
  const bigFloor = await groupByFloor(file);
  const store = await storeFloor(file, join(BENCH, 'db'));
  const day = n.perDay[0] as { seconds: number; stages: Record<string, number> };
  const without = +(day.seconds - (day.stages['detect'] ?? 0)).toFixed(2);
  results['large_day'] = {
    hosts: 10000, events: bigFloor.events, ...day, without_detect_seconds: without, floor_seconds: bigFloor.seconds,
    store_floor_seconds: store.seconds, ratio_to_store_floor: +(day.seconds / store.seconds).toFixed(1),
    without_detect_ratio_to_store_floor: +(without / store.seconds).toFixed(1),
  };
  log(`nightly at 10,000 hosts: ${day.seconds} s (without detect ${without} s), store floor ${store.seconds} s`);
}

const SECTIONS = ['main', 'load', 'growth', 'large_day', 'clickhouse'];
const onlyAt = process.argv.indexOf('--only');
const only = process.argv.includes('--clickhouse-only') ? ['clickhouse'] : onlyAt > 0 ? (process.argv[onlyAt + 1] ?? '').split(',') : undefined;
const unknown = only?.filter((s) => !SECTIONS.includes(s)) ?? [];
if (unknown.length > 0) throw new Error(`--only: unknown section ${unknown.join(', ')} (sections: ${SECTIONS.join(', ')})`);
const wanted = (name: string) => (only ? only.includes(name) : !quick || (name !== 'growth' && name !== 'large_day'));
if (only) {
  // Keep the other sections' last results; replace these.
  const path = join(ROOT, 'bench', 'results.json');
  const earlier = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> : {};
  for (const name of only) delete earlier[`${name}_error`];
  Object.assign(results, earlier, { machine: results['machine'], commit: results['commit'], dirty: results['dirty'], [`${only.join('_')}_started`]: results['started'] });
}
if (wanted('main')) {
  const { db, lastDay } = await mainSection();
  await historySections(db, lastDay);
}
if (wanted('load')) await section('load', loadSection);
if (wanted('growth')) await section('growth', growthSection);
if (wanted('large_day')) await section('large_day', largeDaySection);
if (wanted('clickhouse')) await clickhouseSection();

results['finished'] = new Date().toISOString();
save();
console.log(JSON.stringify(results, null, 2));
