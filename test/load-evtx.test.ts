import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { flattenEvent } from '../pipeline/load/evtx.js';
import { loadFiles } from '../pipeline/load/load-files.js';
import { FIXTURES, ROOT, memoryDb, tempDir } from './helpers.js';

const EVTX = join(FIXTURES, 'evtx');
const run = promisify(execFile);

/**
 * Raw .evtx files (SigmaHQ regression samples: a Sysmon 1 process creation and a Security 4648),
 * read through evtxexport into the winevent mappings.
 */
describe('raw Windows event logs (.evtx)', () => {
  it('loads a Sysmon 1 record with the values its JSON rendering holds, and skips what no mapping takes', async () => {
    const db = await memoryDb();
    const s = await loadFiles(db, { inputs: [EVTX], format: 'auto' });
    const evtx = s.files.filter((f) => f.file.endsWith('.evtx'));
    expect(evtx.map((f) => [f.file.split('/').pop(), f.format, f.read, f.loaded.process_events, f.skipped, f.rejected])).toEqual([
      ['security-4648.evtx', 'winevent', 1, 0, 1, 0],
      ['sysmon1-curl.evtx', 'winevent', 1, 1, 0, 0],
    ]);
    // The expected values, read independently from the sample's JSON rendering (Event.EventData).
    const twin = JSON.parse(readFileSync(join(EVTX, 'sysmon1-curl.json'), 'utf8')).Event as { System: Record<string, unknown>; EventData: Record<string, string> };
    const e = twin.EventData;
    const row = await db.one<Record<string, unknown>>(
      `SELECT host, user_name, user_domain, logon_id, process_id, image, process_name, command_line, parent_process_id, parent_image,
              strftime(ts, '%Y-%m-%dT%H:%M:%S.%g') AS ts
       FROM process_events WHERE source_file LIKE '%sysmon1-curl.evtx'`,
    );
    expect(row).toEqual({
      host: String(twin.System['Computer']).toLowerCase(), user_name: e['User']!.split('\\')[1], user_domain: e['User']!.split('\\')[0],
      logon_id: `0x${BigInt(e['LogonId']!).toString(16)}`, process_id: Number(e['ProcessId']), image: e['Image'],
      process_name: e['Image']!.split('\\').pop()!.toLowerCase(), command_line: e['CommandLine'], parent_process_id: Number(e['ParentProcessId']),
      parent_image: e['ParentImage'], ts: '2025-12-11T06:17:19.772',
    });
    // Loading it again adds nothing.
    const again = await loadFiles(db, { inputs: [EVTX], format: 'auto' });
    expect(again.totals.loaded.process_events).toBe(0);
  });

  it('a file cut short, whose header counts records none of which can be read, is refused (evtxexport exits 0 there)', async () => {
    const dir = tempDir();
    const cut = join(dir, 'cut.evtx');
    writeFileSync(cut, readFileSync(join(EVTX, 'sysmon1-curl.evtx')).subarray(0, 30_000));
    const db = await memoryDb();
    await expect(loadFiles(db, { inputs: [cut], format: 'auto' })).rejects.toThrow(`${cut}: no record could be read, though its header counts 1: the file is cut short or damaged`);
    expect((await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM process_events')).n).toBe(0);
  });

  it('a file whose header counts more records than can be read keeps those it reads and rejects the rest as one row saying how many', async () => {
    // the header's next record number (byte 24) raised by 5, its checksum (byte 124, CRC32 of the
    // first 120 bytes) made anew: what a file cut after its first chunks looks like to evtxexport
    const bytes = Buffer.from(readFileSync(join(EVTX, 'sysmon1-curl.evtx')));
    bytes.writeBigUInt64LE(bytes.readBigUInt64LE(24) + 5n, 24);
    bytes.writeUInt32LE(crc32(bytes.subarray(0, 120)), 124);
    const path = join(tempDir(), 'more.evtx');
    writeFileSync(path, bytes);
    const db = await memoryDb();
    const s = await loadFiles(db, { inputs: [path], format: 'auto' });
    expect(s.files[0]).toMatchObject({ read: 2, loaded: { process_events: 1 }, rejected: 1 });
    expect(await db.all('SELECT line::INTEGER AS line, reason FROM rejects')).toEqual([
      { line: 2, reason: '5 of the 6 records its header counts could not be read: the file is cut short or damaged' },
    ]);
  });

  it('flattens an <Event> element: System fields, EventData by name, attributes and UserData', () => {
    const rec = flattenEvent(`<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>
      <Provider Name="Microsoft-Windows-Security-Auditing"/><EventID Qualifiers="0">4688</EventID>
      <TimeCreated SystemTime="2026-11-20T09:37:47.120000000Z"/><EventRecordID>42</EventRecordID>
      <Channel>Security</Channel><Computer>WKS-1.contoso.local</Computer><Security UserID="S-1-5-18"/></System>
      <EventData><Data Name="NewProcessName">C:\\Windows\\System32\\cmd.exe</Data><Data Name="CommandLine"> /c echo &lt;x&gt; &amp; whoami </Data><Data Name="Empty"></Data></EventData>
      <UserData><LogFileCleared><SubjectUserName>bob</SubjectUserName></LogFileCleared></UserData></Event>`);
    expect(rec).toEqual({
      Channel: 'Security', EventID: 4688, Hostname: 'WKS-1.contoso.local', '@timestamp': '2026-11-20T09:37:47.120000000Z', RecordNumber: 42,
      SourceName: 'Microsoft-Windows-Security-Auditing', UserID: 'S-1-5-18', NewProcessName: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: ' /c echo <x> & whoami ', Empty: '', SubjectUserName: 'bob',
    });
  });

  it('without evtxexport, names the file and the package to install, and exits 2', async () => {
    const bin = tempDir();
    mkdirSync(join(bin, 'bin'));
    // A PATH with what the CLI itself needs (node, and dirname/readlink for bin/alert-context), and no evtxexport.
    symlinkSync(process.execPath, join(bin, 'bin', 'node'));
    for (const tool of ['dirname', 'readlink']) symlinkSync(join('/usr/bin', tool), join(bin, 'bin', tool));
    // Six at once: under load the converted file's open() once finished after the clean-up had
    // removed its folder, an unhandled stream error that turned the exit into 1 (7 runs in 48).
    const errs = await Promise.all(Array.from({ length: 6 }, () =>
      run(join(ROOT, 'bin', 'alert-context'), ['load', '--db', join(tempDir(), 'w.duckdb'), '--input', join(EVTX, 'sysmon1-curl.evtx')],
        { cwd: ROOT, env: { ...process.env, PATH: join(bin, 'bin') } }).then(() => null, (e: { code: number; stderr: string }) => e)));
    for (const err of errs) {
      expect(err?.stderr).toMatch(/^alert-context: \S*sysmon1-curl\.evtx: reading \.evtx files needs evtxexport \(Debian package libevtx-utils[^\n]*\n$/);
      expect(err?.code).toBe(2);
    }
  });
});
