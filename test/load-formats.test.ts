import { copyFileSync, createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../pipeline/db.js';
import { loadFiles } from '../pipeline/load/load-files.js';
import { FIXTURES, OTRF, memoryDb, tempDir } from './helpers.js';

describe('input formats', () => {
  let db: Database;
  beforeEach(async () => {
    db = await memoryDb();
  });
  afterEach(() => db.close());

  it('ecs: nested and dotted Winlogbeat records map to process and logon events', async () => {
    const s = await loadFiles(db, { inputs: [join(FIXTURES, 'ecs')], format: 'auto' });
    expect(s.files[0]).toMatchObject({ format: 'ecs', read: 7, skipped: 2, rejected: 0, loaded: { process_events: 3, logon_events: 2 } });
    const p = await db.all('SELECT host, host_fqdn, user_name, logon_id, process_id, process_name, parent_name, command_line FROM process_events ORDER BY ts');
    expect(p[0]).toEqual({
      host: 'srv-sql01', host_fqdn: 'srv-sql01.contoso.local', user_name: 'svc_sql', logon_id: '0x3e7', process_id: 4120,
      process_name: 'net.exe', parent_name: 'cmd.exe', command_line: '"C:\\Windows\\System32\\net.exe" localgroup administrators abai$ /add',
    });
    expect(p[2]).toMatchObject({ host: 'srv-sql01', process_name: 'reg.exe', process_id: 4250, logon_id: '0x3e7' });
    const l = await db.all('SELECT user_name, logon_id, logon_type, source_ip, source_host, outcome FROM logon_events ORDER BY ts');
    expect(l).toEqual([
      { user_name: 'administrator', logon_id: null, logon_type: 10, source_ip: '185.220.101.7', source_host: null, outcome: 'failure' },
      { user_name: 'adm_jsmith', logon_id: '0x5a3f21', logon_type: 10, source_ip: '10.0.5.21', source_host: 'JUMP01', outcome: 'success' },
    ]);
  });

  it('mde: DeviceProcessEvents CSV and DeviceLogonEvents JSON', async () => {
    const s = await loadFiles(db, { inputs: [join(FIXTURES, 'mde')], format: 'auto' });
    expect(s.totals).toMatchObject({ read: 7, rejected: 0, skipped: 1, loaded: { process_events: 3, logon_events: 3 } });
    const p = await db.all('SELECT image, process_name, logon_id, parent_image, command_line FROM process_events ORDER BY ts');
    // FolderPath holding only the folder is joined with FileName; decimal LogonId becomes hex.
    expect(p[1]).toMatchObject({ image: 'C:\\Windows\\System32\\SecEdit.exe', process_name: 'secedit.exe', logon_id: '0xf3f3f' });
    expect(p[2]!['command_line']).toBe('"C:\\Windows\\system32\\cmd.exe" /c net1 stop sharedaccess&echo open > MG06.dll&echo mix>> MG06.dll&ftp -s:MG06.dll');
    const l = await db.all('SELECT user_name, logon_type, outcome, source_host FROM logon_events ORDER BY ts');
    expect(l).toEqual([
      { user_name: 'jdoe', logon_type: 10, outcome: 'failure', source_host: 'JUMP01' },
      { user_name: 'jdoe', logon_type: 10, outcome: 'success', source_host: 'JUMP01' },
      { user_name: 'svc_backup', logon_type: 3, outcome: 'success', source_host: null },
    ]);
  });

  it('sentinel: SecurityEvent rows, hex process ids, Account split into user', async () => {
    const s = await loadFiles(db, { inputs: [join(FIXTURES, 'sentinel')], format: 'auto' });
    expect(s.files[0]).toMatchObject({ format: 'sentinel', read: 5, skipped: 1, rejected: 0, loaded: { process_events: 2, logon_events: 2 } });
    const p = await db.all('SELECT user_name, process_id, parent_process_id, logon_id, parent_name FROM process_events ORDER BY ts');
    expect(p).toEqual([
      { user_name: 'iis_app', process_id: 0x1a2c, parent_process_id: 0x9c4, logon_id: '0x3e7', parent_name: 'w3wp.exe' },
      { user_name: 'iis_app', process_id: 0x1a40, parent_process_id: 0x1a2c, logon_id: '0x3e7', parent_name: 'cmd.exe' },
    ]);
  });

  it('sentinel: the real Golden SAML SecurityEvent export loads its 28 logons', async () => {
    const s = await loadFiles(db, { inputs: [join(OTRF, 'goldensaml-sentinel-mde', 'WindowsEvents.json')], format: 'auto' });
    expect(s.files[0]).toMatchObject({ format: 'sentinel', read: 38, rejected: 0, skipped: 10, loaded: { logon_events: 28 } });
  });

  it('canonical: NDJSON, CSV, Parquet and gzip; the file name names the table', async () => {
    const dir = tempDir();
    for (const f of ['alerts.ndjson', 'labels.csv', 'logon_events.csv']) copyFileSync(join(FIXTURES, 'canonical', f), join(dir, f));
    await pipeline(createReadStream(join(FIXTURES, 'canonical', 'process_events.ndjson')), createGzip(), createWriteStream(join(dir, 'process_events.ndjson.gz')));
    const s = await loadFiles(db, { inputs: [dir], format: 'auto' });
    expect(s.totals).toMatchObject({ read: 9, rejected: 1, loaded: { process_events: 3, logon_events: 2, alerts: 1, labels: 2 } });
    expect(await db.all('SELECT reason FROM rejects')).toEqual([{ reason: "malicious 'maybe' is not a valid bool" }]);
    const p = await db.all('SELECT event_id, host, user_name, logon_id, process_name FROM process_events ORDER BY ts');
    expect(p[0]).toEqual({ event_id: 'pe-1', host: 'srv-file01', user_name: 'jdoe', logon_id: '0x5a3f21', process_name: 'ftp.exe' });
    expect(p[2]!['event_id']).toMatch(/^[0-9a-f]{24}$/); // derived when the file has none
    // Rows are stored in the order of their file's lines (committed unsorted when already so).
    const order = await db.all<{ lines: number[] }>('SELECT list(source_line::INTEGER ORDER BY rowid) AS lines FROM process_events GROUP BY source_file');
    for (const { lines } of order) expect(lines).toEqual([...lines].sort((a, b) => a - b));

    // Parquet written by DuckDB from the loaded table reloads as duplicates (same ids) into
    // the same database, and as rows into a fresh one.
    const parquet = join(dir, 'process_events.parquet');
    await db.run(`COPY (SELECT event_id, ts, host, user_name, logon_id, process_id, image, command_line, parent_process_id, parent_image FROM process_events) TO '${parquet.replaceAll("'", "''")}' (FORMAT parquet)`);
    const again = await loadFiles(db, { inputs: [parquet], format: 'auto' });
    expect(again.files[0]).toMatchObject({ format: 'canonical', read: 3, duplicates: 3 });
    const fresh = await memoryDb();
    try {
      const s2 = await loadFiles(fresh, { inputs: [parquet], format: 'canonical' });
      expect(s2.files[0]).toMatchObject({ read: 3, rejected: 0, loaded: { process_events: 3 } });
      expect(await fresh.all('SELECT event_id, host, process_name FROM process_events ORDER BY ts')).toEqual(
        await db.all('SELECT event_id, host, process_name FROM process_events ORDER BY ts'),
      );
    } finally {
      fresh.close();
    }
  });

  it('auto lists files that are not telemetry as skipped files', async () => {
    const s = await loadFiles(db, { inputs: [join(OTRF, 'goldensaml-sentinel-mde')], format: 'auto' });
    expect(s.skippedFiles.map((f) => f.file.split('/').pop())).toEqual(['README.md']);
    expect(s.files.map((f) => f.format).sort()).toEqual(['mde', 'sentinel']);
  });
});
