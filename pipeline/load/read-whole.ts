import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputFileError } from '../errors.js';

/**
 * Read a file once, whole: its SHA-256 and, for a .gz file, a full decompression that checks the
 * stream ends with its CRC and length. DuckDB's reader stops quietly at the end of a cut gzip
 * stream (a file cut in half loaded as half its rows, without a word), so a file that cannot be
 * read whole is refused here, before any of its rows is staged.
 */
export async function readWhole(path: string): Promise<{ sha256: string }> {
  const hash = createHash('sha256');
  const gzip = path.toLowerCase().endsWith('.gz');
  const discard = new Writable({ write: (_chunk, _enc, done) => done() });
  const source = createReadStream(path);
  source.on('data', (chunk) => hash.update(chunk as Buffer));
  try {
    if (gzip) await pipeline(source, createGunzip(), discard);
    else await pipeline(source, discard);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (gzip && (e.code?.startsWith('Z_') || /unexpected end of file|incorrect header|invalid/i.test(e.message))) {
      throw new InputFileError(path, `not a complete gzip file (${e.message.split('\n')[0]}): cut short or corrupt; nothing was loaded`);
    }
    throw new InputFileError(path, `cannot be read: ${e.message.split('\n')[0]}`);
  }
  return { sha256: hash.digest('hex') };
}
