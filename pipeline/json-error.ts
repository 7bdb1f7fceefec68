import { readFileSync } from 'node:fs';
import { OptionError } from './errors.js';

/**
 * Why a text is not JSON, with the line and column (Node 20's JSON.parse says "at position 33",
 * or nothing at the end of the text): "line 3, column 5: Unexpected token } in JSON".
 */
export function jsonErrorDetail(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const m = /\s*at position (\d+)/.exec(message);
  const at = m ? Number(m[1]) : /end of JSON input/i.test(message) ? text.length : undefined;
  if (at === undefined) return message;
  const before = text.slice(0, at).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}: ${m ? message.replace(m[0], '') : message}`;
}

/** A --config file's JSON; unreadable or invalid text is an error naming the file (and the line and column). */
export function readConfigJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new OptionError('--config', `${path}: cannot be read`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new OptionError('--config', `${path}: not valid JSON (${jsonErrorDetail(text, err)})`);
  }
}
