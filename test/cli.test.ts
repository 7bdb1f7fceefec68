import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCli } from '../pipeline/cli.js';
import { FIXTURES, ROOT, tempDir } from './helpers.js';

function run(...args: string[]) {
  const r = spawnSync(join(ROOT, 'bin', 'alert-context'), args, { encoding: 'utf8', cwd: ROOT, env: { ...process.env, TZ: 'UTC' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI', () => {
  it('builds without side effects and documents every command', async () => {
    const help = await buildCli(['--help']).exitProcess(false).getHelp();
    expect(help).toContain('alert-context load');
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

  it('an unknown command is refused', () => {
    const r = run('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown argument|Unknown command/i);
  });
});
