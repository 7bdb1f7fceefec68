import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCli } from '../pipeline/cli.js';
import { isoWeekOf, isoWeekRange } from '../pipeline/dates.js';
import { Database } from '../pipeline/db.js';
import { FIXTURES, ROOT, tempDir } from './helpers.js';

function run(...args: string[]) {
  const r = spawnSync(join(ROOT, 'bin', 'alert-context'), args, { encoding: 'utf8', cwd: ROOT, env: { ...process.env, TZ: 'UTC' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI', () => {
  it('builds without side effects and documents every command', async () => {
    const help = await buildCli(['--help']).exitProcess(false).getHelp();
    expect(help).toContain('alert-context load');
    for (const command of ['generate', 'baseline', 'nightly', 'context', 'retro', 'tune', 'weekly', 'demo']) expect(help).toContain(`alert-context ${command}`);
    expect(help).toContain('--db');
    expect(help).toContain('--json');
  });

  it('load --json prints a machine-readable summary whose counts add up', () => {
    const db = join(tempDir(), 'w.duckdb');
    const r = run('load', '--db', db, '--json', '--input', join(FIXTURES, 'sentinel'));
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const t = s.totals;
    expect(t.read).toBe(5);
    expect(t.read).toBe(t.loaded.process_events + t.loaded.logon_events + t.loaded.alerts + t.loaded.labels + t.skipped + t.rejected + t.duplicates);
  });

  it('load names the UTC days of the events it stored, and the nightly run that covers them', () => {
    const dir = tempDir();
    const event = (id: string, ts: string) => JSON.stringify({ event_id: id, ts, host: 'ws1', image: 'C:\\Windows\\System32\\cmd.exe' });
    // 23:59:59+01:00 is 22:59:59 UTC on the 2nd; the bad time is rejected and names no day
    writeFileSync(join(dir, 'process_events.ndjson'), [event('a', '2026-11-05T10:00:00Z'), event('b', '2026-11-02T23:59:59+01:00'), event('c', 'not a time')].join('\n'));
    writeFileSync(join(dir, 'logon_events.ndjson'), `${JSON.stringify({ event_id: 'l', ts: '2026-11-03T00:00:00Z', host: 'ws1', user_name: 'u', logon_type: 10, outcome: 'success' })}\n`);
    const db = join(tempDir(), 'w.duckdb');
    const r = run('load', '--db', db, '--input', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('stored events of 3 UTC days, 2026-11-02..2026-11-05 (next: alert-context nightly --date 2026-11-02 --to 2026-11-05:');
    const again = run('load', '--db', db, '--json', '--input', dir);
    expect(JSON.parse(again.stdout).days).toEqual([]); // nothing new stored
    const other = run('load', '--db', join(tempDir(), 'w.duckdb'), '--json', '--input', dir);
    expect(JSON.parse(other.stdout).days).toEqual(['2026-11-02', '2026-11-03', '2026-11-05']);
  });

  it('nightly over day folders names a day that has none, and loads nothing for it (never the whole folder again)', () => {
    const input = tempDir();
    mkdirSync(join(input, '2026-11-20'));
    copyFileSync(join(FIXTURES, 'canonical', 'process_events.ndjson'), join(input, '2026-11-20', 'process_events.ndjson'));
    const db = join(tempDir(), 'w.duckdb');
    const r = run('nightly', '--db', db, '--date', '2026-11-20', '--to', '2026-11-21', '--input', input, '--quiet');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`no day folder in ${input} for 2026-11-21: nothing loaded for that day`);
    // a new database's first days are the fleet's cold start: said, so that few reports do not look like a fault
    expect(r.stdout).toContain('cold start: the fleet had fewer days of history than baseline.min_history_days on 2026-11-20 (0 of 3), 2026-11-21 (1 of 3): processes are judged by the fleet\'s few days, their scores damped; on a day without history none is judged unusual');
    const again = run('nightly', '--db', db, '--date', '2026-11-21', '--input', input, '--json', '--quiet');
    const summary = JSON.parse(again.stdout) as { missing_days: string[]; load?: unknown; cold_start_days: unknown };
    expect(summary.missing_days).toEqual(['2026-11-21']);
    expect(summary.cold_start_days).toEqual([{ day: '2026-11-21', history_days: 1 }]);
    expect(summary.load).toBeUndefined(); // nothing read: not the 2026-11-20 folder again
  });

  it('an option that takes one value, given twice, is refused by name; a bad choice is one line', () => {
    const db = join(tempDir(), 'w.duckdb');
    for (const args of [['context', '--alert-id', 'a', '--alert-id', 'b'], ['nightly', '--date', '2026-11-01', '--date', '2026-11-02'], ['generate', '--hosts', '3', '--hosts', '4']]) {
      const r = run(...args, '--db', db);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr, args[0]).toBe(`alert-context: ${args[1]} given more than once (2 times): give it once (see --help)\n`);
    }
    const choice = run('load', '--engine', 'bogus', '--input', 'x');
    expect(choice.code).toBe(2);
    expect(choice.stderr).toBe('alert-context: Invalid values: Argument: engine, Given: "bogus", Choices: "duckdb", "clickhouse" (see --help)\n');
  });

  it('a nightly refused for its dates leaves no database behind; ranges and fleets beyond reason are refused', () => {
    const db = join(tempDir(), 'fresh.duckdb');
    expect(run('nightly', '--db', db, '--date', '2026-13-01').code).toBe(2);
    const huge = run('nightly', '--db', db, '--date', '1900-01-01', '--to', '2100-01-01');
    expect(huge.code).toBe(2);
    expect(huge.stderr).toBe('alert-context: --to: 1900-01-01..2100-01-01 is more than 1000 days: split the run (a mistyped year?)\n');
    // a config whose detect.rules holds nothing to run: refused, not a silently empty detect stage every night
    const config = join(tempDir(), 'c.json');
    writeFileSync(config, JSON.stringify({ detect: { rules: tempDir() } }));
    const norules = run('nightly', '--db', db, '--date', '2026-11-01', '--config', config);
    expect([norules.code, norules.stderr]).toEqual([2, expect.stringContaining(`alert-context: ${config}: detect.rules: `)]);
    expect(norules.stderr).toContain('no rule to run');
    expect(existsSync(db)).toBe(false);
    expect(run('generate', '--hosts', '100000000', '--out', tempDir()).stderr).toBe('alert-context: --hosts: must be an integer from 2 to 100000\n');
    expect(run('generate', '--days', '100000', '--out', tempDir()).stderr).toBe('alert-context: --days: must be an integer from 1 to 366\n');
  });

  it("tune's objective bounds are shares, and a negative --memory-limit (DuckDB's 'no limit') is not a size", () => {
    const db = join(tempDir(), 'w.duckdb');
    const grid = ['tune', '--db', db, '--from', '2026-11-01', '--to', '2026-11-02', '--grid', 'burst.factor=2,3'];
    expect(run(...grid, '--min-precision', 'abc').stderr).toBe('alert-context: --min-precision: must be a share from 0 to 1, got NaN\n');
    expect(run(...grid, '--max-benign-rate', '5').stderr).toBe('alert-context: --max-benign-rate: must be a share from 0 to 1, got 5\n');
    const negative = run('context', '--db', db, '--from', '2026-11-01', '--memory-limit=-1GB');
    expect([negative.code, negative.stderr]).toEqual([2, 'alert-context: --memory-limit: -1GB is not a size: give one such as 800MB or 2GB\n']);
  });

  it('ISO weeks of any year: years 0-99 are not read as 1900-1999', () => {
    expect(isoWeekRange('2026-W47')).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(isoWeekRange('2020-W53')).toEqual({ from: '2020-12-28', to: '2021-01-03' });
    expect(isoWeekRange('0099-W10')).toEqual({ from: '0099-03-02', to: '0099-03-08' });
    expect(isoWeekRange('0004-W53')).toEqual({ from: '0004-12-27', to: '0005-01-02' }); // 4 AD has 53 ISO weeks
    expect(isoWeekOf('0001-01-01')).toBe('0001-W01');
  });

  it('load says when a file has no record its format takes (a forced --format that does not fit)', () => {
    const file = join(FIXTURES, 'canonical', 'alerts.ndjson');
    const r = run('load', '--db', join(tempDir(), 'w.duckdb'), '--format', 'sentinel', '--input', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${file}: none of its 1 record(s) is one the sentinel mappings take (all skipped)`);
  });

  it('demo refuses a --db (it replaces its own database, OUT/warehouse.duckdb, and silently ignored the option)', () => {
    const out = join(tempDir(), 'demo');
    const r = run('demo', '--db', join(tempDir(), 'mine.duckdb'), '--out', out);
    expect([r.code, r.stderr]).toEqual([2, `alert-context: --db: the demo makes its own database, ${join(out, 'warehouse.duckdb')} (replaced on each run): choose where with --out\n`]);
    expect(existsSync(out)).toBe(false);
  });

  it('an unreadable input fails with one line naming the file, and a non-zero exit', () => {
    const db = join(tempDir(), 'w.duckdb');
    const r = run('load', '--db', db, '--input', '/nonexistent/telemetry.jsonl');
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual(['alert-context: /nonexistent/telemetry.jsonl: no such file or directory']);
  });

  it('a bad option is named; the stack appears only with --debug', () => {
    const r = run('load', '--input', 'x', '--format', 'xml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/format/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const d = run('load', '--db', join(tempDir(), 'w.duckdb'), '--input', '/nonexistent', '--debug');
    expect(d.stderr).toMatch(/\n\s+at /);
  });

  it('a second run on a database in use is refused with a clear message', async () => {
    const path = join(tempDir(), 'w.duckdb');
    const holder = await Database.open(path); // this test process holds the writer lock
    try {
      const r = run('nightly', '--db', path, '--date', '2026-11-01');
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(`alert-context: database ${path}: in use by another alert-context process (DuckDB allows one writer); wait for it to finish`);
    } finally {
      holder.close();
    }
  });

  it('nightly names a bad date, and --config errors name the key', () => {
    const db = join(tempDir(), 'w.duckdb');
    expect(run('nightly', '--db', db, '--date', '2026-02-30').stderr.trim()).toBe("alert-context: --date: '2026-02-30' is not a date (YYYY-MM-DD)");
    const config = join(tempDir(), 'c.json');
    writeFileSync(config, JSON.stringify({ rarity: { max_fleet_hosts: -1 } }));
    const r = run('nightly', '--db', db, '--date', '2026-11-01', '--config', config);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rarity.max_fleet_hosts: must be between 0 and 1000000, got -1');
    // the detect section is checked by every command that takes the file, not only by the nightly
    writeFileSync(config, JSON.stringify({ detect: { min_level: 'hgih' } }));
    for (const [command, ...more] of [['context'], ['retro'], ['tune', '--grid', 'rarity.max_host_days=0,1']]) {
      const bad = run(command!, '--db', db, '--from', '2026-11-01', '--to', '2026-11-02', '--config', config, ...more);
      expect([bad.code, bad.stderr.trim()], command).toEqual([2, `alert-context: ${config}: detect.min_level: hgih is not one of informational, low, medium, high, critical`]);
    }
  });

  it('an unknown command is refused', () => {
    const r = run('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown argument|Unknown command/i);
  });

  it('retro, tune and weekly name what is wrong with their options', async () => {
    const db = join(tempDir(), 'w.duckdb');
    (await Database.open(db)).close(); // an empty database: these commands do not create one
    const compare = run('retro', '--db', db, '--compare', '3');
    expect(compare.code).toBe(2);
    expect(compare.stderr).toContain('--compare takes two run ids');
    const missing = run('retro', '--db', db, '--compare', '3', '4');
    expect(missing.stderr.trim()).toBe(`alert-context: no retro run 3 in ${db} (recent retro runs: none)`);
    const grid = run('tune', '--db', db, '--from', '2026-11-01', '--to', '2026-11-02', '--grid', 'burst.quantile=0.9,0.99');
    expect(grid.code).toBe(2);
    expect(grid.stderr).toContain('alert-context: --grid burst.quantile: cannot be swept from one scoring pass');
    const week = run('weekly', '--db', db, '--week', '2026-47');
    expect(week.stderr.trim()).toBe("alert-context: --week: '2026-47' is not an ISO week (YYYY-Www, e.g. 2026-W47)");
    const empty = run('weekly', '--db', db, '--week', '2026-W47');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no nightly context runs for 2026-09-28..2026-11-22');
  });
});
