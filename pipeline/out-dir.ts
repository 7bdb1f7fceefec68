import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OptionError } from './errors.js';

/**
 * Make the folder --out names (with its missing parents), before any work: a place that cannot
 * hold it (a file on the way, a read-only or pseudo file system, no permission) is refused with
 * exit 2 then, not found after the run has been stored (an unexpected error at the end, and a
 * rerun that stores it twice). The folders are made one at a time: Node's recursive mkdir loops
 * forever under /proc.
 */
export function prepareOutDir(out: string): void {
  if (out.trim() === '') throw new OptionError('--out', 'empty: name a folder');
  const missing: string[] = [];
  let at = resolve(out);
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  if (!statSync(at).isDirectory()) {
    throw new OptionError('--out', at === resolve(out) ? `${out} is a file, not a directory: name a folder` : `${out}: ${at} is a file, not a directory`);
  }
  try {
    for (const dir of missing) mkdirSync(dir);
    accessSync(resolve(out), constants.W_OK);
  } catch (err) {
    throw new OptionError('--out', `${out} cannot be written: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
