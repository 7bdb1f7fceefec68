import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { createGzip } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../pipeline/db.js';
import { InputFileError } from '../pipeline/errors.js';
import { loadFiles } from '../pipeline/load/load-files.js';
import { memoryDb, tempDir } from './helpers.js';

/** n canonical process events, one per line, on 2026-11-01. */
export function processLines(n: number, extra: (i: number) => Record<string, unknown> = () => ({})): string[] {
  return Array.from({ length: n }, (_, i) => JSON.stringify({
    event_id: `pe-${i}`, ts: `2026-11-01T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
    host: 'ws1', image: `C:\\tools\\t${i}.exe`, command_line: `t${i}.exe --run ${i}`, process_id: 1000 + i, ...extra(i),
  }));
}

/** A gzip of `lines` flushed after the first `cutAfter` lines, and the compressed length at that point. */
async function gzipWithFlush(lines: string[], cutAfter: number): Promise<{ gz: Buffer; cutAt: number }> {
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  gzip.on('data', (c: Buffer) => chunks.push(c));
  const flushed = () => new Promise<void>((resolve) => gzip.flush(constants.Z_SYNC_FLUSH, () => resolve()));
  gzip.write(lines.slice(0, cutAfter).map((l) => `${l}\n`).join(''));
  await flushed();
  const cutAt = Buffer.concat(chunks).length;
  gzip.end(lines.slice(cutAfter).map((l) => `${l}\n`).join(''));
  await new Promise((resolve) => gzip.on('end', resolve));
  return { gz: Buffer.concat(chunks), cutAt };
}

describe('hostile input files', () => {
  let db: Database;
  let dir: string;
  beforeEach(async () => {
    db = await memoryDb();
    dir = tempDir();
  });
  afterEach(() => db.close());

  const stored = async () => (await db.one<{ n: number }>('SELECT count(*) AS n FROM process_events')).n;

  it('a gzip cut at a line boundary, cut mid-stream or missing its CRC trailer is refused whole: nothing loaded', async () => {
    const lines = processLines(200);
    const { gz, cutAt } = await gzipWithFlush(lines, 100);
    const full = gzipSync(lines.join('\n') + '\n');
    const cases = {
      'line-boundary/process_events.ndjson.gz': gz.subarray(0, cutAt),
      'mid-stream/process_events.ndjson.gz': full.subarray(0, Math.floor(full.length / 2)),
      'no-crc/process_events.ndjson.gz': full.subarray(0, full.length - 8),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const file = join(dir, name);
      execFileSync('mkdir', ['-p', join(file, '..')]);
      writeFileSync(file, bytes);
      const err = await loadFiles(db, { inputs: [file], format: 'auto' }).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(InputFileError);
      expect((err as Error).message, name).toMatch(/^.*process_events\.ndjson\.gz: not a complete gzip file/);
      expect(await stored(), name).toBe(0);
    }
    // The whole file loads all 200.
    writeFileSync(join(dir, 'process_events.ndjson.gz'), full);
    const s = await loadFiles(db, { inputs: [join(dir, 'process_events.ndjson.gz')], format: 'auto' });
    expect(s.totals.loaded.process_events).toBe(200);
  });
});

describe('files that are not regular files', () => {
  it('a FIFO named as input or found in a directory is listed as skipped, never opened (it would block)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'process_events.ndjson'), processLines(3).join('\n') + '\n');
    execFileSync('mkfifo', [join(dir, 'pipe.ndjson')]);
    const db = await memoryDb();
    try {
      const inDir = await loadFiles(db, { inputs: [dir], format: 'auto' });
      expect(inDir.totals.loaded.process_events).toBe(3);
      expect(inDir.skippedFiles).toEqual([{ file: join(dir, 'pipe.ndjson'), reason: 'a FIFO (named pipe), not a regular file: not read' }]);
      const named = await loadFiles(db, { inputs: [join(dir, 'pipe.ndjson')], format: 'winevent' });
      expect(named.files).toEqual([]);
      expect(named.skippedFiles.map((f) => f.reason)).toEqual(['a FIFO (named pipe), not a regular file: not read']);
      const device = await loadFiles(db, { inputs: ['/dev/zero'], format: 'auto' });
      expect(device.skippedFiles.map((f) => f.reason)).toEqual(['a character device, not a regular file: not read']);
    } finally {
      db.close();
    }
  });
});

describe('values that are accepted but wrong', () => {
  it('implausible times, impossible UTC offsets, fractional and 33-bit process ids are rejected; canonical names match exactly', async () => {
    const dir = tempDir();
    const rows: [string, string, unknown][] = [
      ['pe-ok', '2026-11-01T10:00:00Z', 100], ['pe-1601', '1601-01-01T00:00:00Z', 101], ['pe-0001', '0001-01-01T00:00:00Z', 102],
      ['pe-9999', '9999-12-31T00:00:00Z', 103], ['pe-off25', '2026-11-01T10:00:00+25:00', 104], ['pe-off2', '2026-11-01T10:00:00+02:00', 105],
      ['pe-pid37', '2026-11-01T10:00:00Z', '3.7'], ['pe-pid33', '2026-11-01T10:00:00Z', 4294967296], ['pe-pidmax', '2026-11-01T10:00:00Z', 4294967295],
      ['pe-hex', '2026-11-01T10:00:00Z', '0x1a2c'], ['pe-float', '2026-11-01T10:00:00Z', 3.7],
    ];
    writeFileSync(join(dir, 'process_events.ndjson'), rows.map(([id, ts, pid]) => JSON.stringify({ event_id: id, ts, host: 'ws1', image: 'C:\\x\\a.exe', process_id: pid })).join('\n') + '\n');
    writeFileSync(join(dir, 'my_alerts_backup.ndjson'), JSON.stringify({ alert_id: 'x', ts: '2026-11-01T10:00:00Z', alert_name: 'n', host: 'ws1' }) + '\n');
    const db = await memoryDb();
    try {
      const s = await loadFiles(db, { inputs: [dir], format: 'auto', timeRange: { earliest: new Date('2000-01-01T00:00:00Z'), latest: new Date('2026-11-30T00:00:00Z') } });
      expect(s.skippedFiles).toEqual([{ file: join(dir, 'my_alerts_backup.ndjson'), reason: 'fields of no known format in its first record' }]);
      expect(await db.all('SELECT line, reason FROM rejects ORDER BY line')).toEqual([
        { line: 2, reason: "ts '1601-01-01T00:00:00Z' is outside the plausible range 2000-01-01 .. 2026-11-30" },
        { line: 3, reason: "ts '0001-01-01T00:00:00Z' is outside the plausible range 2000-01-01 .. 2026-11-30" },
        { line: 4, reason: "ts '9999-12-31T00:00:00Z' is outside the plausible range 2000-01-01 .. 2026-11-30" },
        { line: 5, reason: "ts '2026-11-01T10:00:00+25:00' is not a valid time" },
        { line: 7, reason: "process_id '3.7' is not a valid pid" },
        { line: 8, reason: "process_id '4294967296' is not a valid pid" },
        { line: 11, reason: "process_id '3.7' is not a valid pid" },
      ]);
      expect(await db.all(`SELECT event_id, strftime(ts, '%H:%M') AS t, process_id FROM process_events ORDER BY event_id`)).toEqual([
        { event_id: 'pe-hex', t: '10:00', process_id: 6700 }, { event_id: 'pe-off2', t: '08:00', process_id: 105 },
        { event_id: 'pe-ok', t: '10:00', process_id: 100 }, { event_id: 'pe-pidmax', t: '10:00', process_id: 4294967295 },
      ]);
    } finally {
      db.close();
    }
  });
});
