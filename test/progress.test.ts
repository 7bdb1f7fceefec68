import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duration, progressLine, progressWanted, startProgress } from '../pipeline/progress.js';
import { FIXTURES, ROOT, runCli, tempDir } from './helpers.js';

describe('progress on a terminal', () => {
  it('says how many items are done, the rate and the time left', () => {
    expect(progressLine('load', 0, 84, 'files', 0, 'a.json')).toBe('load 0/84 files: a.json');
    expect(progressLine('load', 21, 84, 'files', 10, 'b.json')).toBe('load 21/84 files, 2.1 files/s, 30s left: b.json');
    expect(progressLine('nightly', 3, 14, 'days', 90)).toBe('nightly 3/14 days, 30.0 s/day, 5m30s left');
    expect(progressLine('nightly', 14, 14, 'days', 90)).toBe('nightly 14/14 days, 6.4 s/day');
    expect(duration(3725)).toBe('1h02m');
  });

  it('shows control characters of a file name instead of sending them', () => {
    expect(progressLine('load', 0, 1, 'files', 0, 'x\u001b[2Jy')).toBe('load 0/1 files: x\\x1b[2Jy');
  });

  it('draws in place on a TTY only, and not with --json or --quiet', () => {
    const tty = { isTTY: true, columns: 40, text: '', write(s: string) { this.text += s; } };
    let now = 0;
    const p = startProgress('generate', 4, 'days', true, tty, () => now);
    p.update(0, '2026-11-01');
    now = 50;
    p.update(1, '2026-11-02'); // redrawn at most every 100 ms
    now = 2000;
    p.update(2, '2026-11-03');
    p.end();
    expect(tty.text).toBe('\r\x1b[Kgenerate 0/4 days: 2026-11-01\r\x1b[Kgenerate 2/4 days, 1.0 days/s, 2s left:\r\x1b[K');
    expect(progressWanted({ json: false, quiet: false }, tty)).toBe(true);
    expect(progressWanted({ json: true, quiet: false }, tty)).toBe(false);
    expect(progressWanted({ json: false, quiet: true }, tty)).toBe(false);
    expect(progressWanted({ json: false, quiet: false }, { isTTY: false, write: () => true })).toBe(false);
  });

  it('load writes progress to a terminal, nothing to a pipe, and nothing with --quiet', () => {
    const input = join(FIXTURES, 'alerts');
    const piped = runCli('load', '--db', join(tempDir(), 'w.duckdb'), '--input', input);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    // util-linux script(1) runs the CLI on a pseudo-terminal (stdout and stderr both go to it).
    const onTty = (...extra: string[]) => spawnSync('script', ['-qec', [join(ROOT, 'bin', 'alert-context'), 'load', '--db', join(tempDir(), 'w.duckdb'), '--input', input, ...extra].join(' '), '/dev/null'], {
      encoding: 'utf8', cwd: ROOT, env: { ...process.env, TZ: 'UTC' },
    });
    const shown = onTty();
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/\r\x1b\[Kload 0\/\d+ files: /);
    const quiet = onTty('--quiet');
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).not.toContain('\x1b[K');
  });
});
