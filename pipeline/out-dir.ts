import { accessSync, constants, existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OptionError } from './errors.js';

/**
 * Check, before any work, that the folder --out names can be made and written: a place that cannot
 * hold it (a file on the way, a read-only or pseudo file system, no permission, an empty name) is
 * refused with exit 2 then, not found after the run has been stored (an unexpected error at the
 * end, and a rerun that stores it twice). Nothing is left behind: the first missing folder is made
 * and removed again as a probe (the run makes the folders when it writes). Under /proc Node's
 * recursive mkdir loops forever, so the probe makes one folder, not recursively.
 */
export function checkOutDir(out: string): void {
  if (out.trim() === '') throw new OptionError('--out', 'empty: name a folder');
  let first: string | undefined;
  let at = resolve(out);
  while (!existsSync(at)) {
    first = at;
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  if (!statSync(at).isDirectory()) {
    throw new OptionError('--out', at === resolve(out) ? `${out} is a file, not a directory: name a folder` : `${out}: ${at} is a file, not a directory`);
  }
  try {
    if (first === undefined) accessSync(at, constants.W_OK);
    else {
      mkdirSync(first);
      rmdirSync(first);
    }
  } catch (err) {
    throw new OptionError('--out', `${out} cannot be written: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
