import { spawn } from 'node:child_process';
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { once } from 'node:events';
import { XMLParser } from 'fast-xml-parser';
import { InputFileError } from '../errors.js';

/**
 * Raw Windows event logs (.evtx): Debian's libevtx-utils prints each record as an `<Event>` XML
 * element (`evtxexport -f xml FILE`); each becomes one flat JSON line in the shape the winevent
 * mappings read (an NXLog export: Channel, EventID, Hostname, @timestamp, RecordNumber and the
 * EventData fields by name). Streamed: memory stays bounded by one record, whatever the file's size.
 */

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => name === 'Data',
});

type XmlNode = Record<string, unknown> | string | undefined;

const text = (node: unknown): string | undefined => {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string') return node;
  if (typeof node === 'object' && '#text' in (node as Record<string, unknown>)) return String((node as Record<string, unknown>)['#text']);
  return typeof node === 'object' ? '' : String(node);
};

/** One `<Event>` element as the flat record the winevent mappings read. */
export function flattenEvent(xml: string): Record<string, unknown> {
  const event = (parser.parse(xml) as { Event?: Record<string, XmlNode> }).Event ?? {};
  const system = (event['System'] ?? {}) as Record<string, XmlNode>;
  const attr = (node: XmlNode, name: string) => (node && typeof node === 'object' ? (node[`@${name}`] as string | undefined) : undefined);
  const record: Record<string, unknown> = {
    Channel: text(system['Channel']),
    EventID: Number(text(system['EventID'])),
    Hostname: text(system['Computer']),
    '@timestamp': attr(system['TimeCreated'], 'SystemTime'),
    RecordNumber: Number(text(system['EventRecordID'])),
    SourceName: attr(system['Provider'], 'Name'),
  };
  const userId = attr(system['Security'], 'UserID');
  if (userId) record['UserID'] = userId;
  const data = event['EventData'];
  if (data && typeof data === 'object') {
    for (const d of ((data as Record<string, unknown>)['Data'] ?? []) as XmlNode[]) {
      const name = attr(d, 'Name');
      if (name) record[name] = text(d) ?? '';
    }
  }
  // Some providers put their fields in UserData/<Element>/<Field> instead of EventData.
  const userData = event['UserData'];
  if (userData && typeof userData === 'object') {
    for (const element of Object.values(userData as Record<string, unknown>)) {
      if (!element || typeof element !== 'object') continue;
      for (const [k, v] of Object.entries(element as Record<string, unknown>)) if (!k.startsWith('@')) record[k] = text(v) ?? '';
    }
  }
  return record;
}

/**
 * How many records an .evtx file's header says were written (its next record identifier, at byte
 * 24, less one), 0 when it has no such header. evtxexport exits 0 with no record on a cut file.
 */
function headerRecords(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(32);
    if (readSync(fd, head, 0, 32, 0) < 32 || head.subarray(0, 8).toString('latin1') !== 'ElfFile\0') return 0;
    return Math.max(0, Number(head.readBigUInt64LE(24)) - 1);
  } finally {
    closeSync(fd);
  }
}

/**
 * Convert an .evtx file to a temporary NDJSON file of flat records (flattenEvent), streamed from
 * evtxexport. Returns its path, its events, the records the file's header counts, and a clean-up;
 * a missing evtxexport or a file it cannot read is an InputFileError naming the file.
 */
export async function evtxToNdjson(path: string, onProgress?: (events: number) => void): Promise<{ path: string; events: number; headerRecords: number; cleanUp: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'ac-evtx-'));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  const out = join(dir, `${basename(path)}.ndjson`);
  const sink = createWriteStream(out);
  // Open before anything can fail: an open() still in flight when the clean-up below removes the
  // folder fails later as an unhandled stream error (exit 1 after the message, seen under load).
  try {
    await once(sink, 'open');
  } catch (err) {
    cleanUp();
    throw new InputFileError(path, `cannot write its converted records to ${dir}: ${(err as Error).message}`);
  }
  const child = spawn('evtxexport', ['-f', 'xml', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => { if (stderr.length < 4000) stderr += s; });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  exited.catch(() => undefined); // awaited below; a spawn failure must not surface first as an unhandled rejection
  let buffer = '';
  let events = 0;
  try {
    child.stdout.setEncoding('utf8');
    for await (const chunk of child.stdout as AsyncIterable<string>) {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('</Event>')) >= 0) {
        const start = buffer.indexOf('<Event');
        const xml = buffer.slice(start, end + '</Event>'.length);
        buffer = buffer.slice(end + '</Event>'.length);
        if (start < 0 || start > end) continue;
        if (!sink.write(`${JSON.stringify(flattenEvent(xml))}\n`)) await once(sink, 'drain');
        if (++events % 10_000 === 0) onProgress?.(events);
      }
    }
    const code = await exited;
    sink.end();
    await once(sink, 'close');
    if (code !== 0) throw new InputFileError(path, `evtxexport could not read it (exit ${code}): ${stderr.trim().split('\n').pop() ?? ''}`);
    const counted = headerRecords(path);
    if (events === 0 && counted > 0) throw new InputFileError(path, `no record could be read, though its header counts ${counted}: the file is cut short or damaged`);
    return { path: out, events, headerRecords: counted, cleanUp };
  } catch (err) {
    child.kill();
    sink.on('error', () => undefined).destroy(); // what it was writing is thrown away with the folder
    cleanUp();
    // A program that could not start can end its output stream first (a premature close) before
    // the child reports why: the child's own error says it.
    const spawnError = await exited.then(() => undefined, (e: NodeJS.ErrnoException) => e);
    if ((spawnError ?? (err as NodeJS.ErrnoException)).code === 'ENOENT') {
      throw new InputFileError(path, 'reading .evtx files needs evtxexport (Debian package libevtx-utils: apt-get install libevtx-utils)');
    }
    throw err;
  }
}
