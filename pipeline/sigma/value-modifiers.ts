import { UnsupportedRuleError } from './rule-file.js';

/** Windows takes these for an option's leading dash (Sigma's `windash`). */
const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];
const MAX_VARIANTS = 625;

/**
 * `windash`: every variant of the value with each `-` or `/` that starts an option (not inside a
 * word: pySigma's \B[-/]\b) replaced by each dash Windows accepts.
 */
export function windashVariants(value: string): string[] {
  const positions = [...value.matchAll(/\B[-/]\b/g)].map((m) => m.index);
  if (positions.length === 0) return [value];
  if (DASHES.length ** positions.length > MAX_VARIANTS) throw new UnsupportedRuleError('windash value with too many options', value);
  let variants = [value];
  for (const pos of positions) {
    variants = variants.flatMap((v) => DASHES.map((d) => v.slice(0, pos) + d + v.slice(pos + 1)));
  }
  return [...new Set(variants)];
}

/** The bytes of a value under the encoding modifiers (utf16le / wide, utf16be, utf16 with BOM; else UTF-8). */
export function encodedBytes(value: string, encoding: string | undefined): Buffer {
  switch (encoding) {
    case undefined:
      return Buffer.from(value, 'utf8');
    case 'utf16le':
    case 'wide':
      return Buffer.from(value, 'utf16le');
    case 'utf16be':
      return Buffer.from(value, 'utf16le').swap16();
    case 'utf16':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(value, 'utf16le')]);
    default:
      throw new UnsupportedRuleError(`modifier ${encoding}`);
  }
}

/** `base64offset`: the three encodings of the value at each offset in a base64 stream, trimmed to what is fixed. */
export function base64OffsetVariants(bytes: Buffer): string[] {
  const start = [0, 2, 3];
  const end = [0, -3, -2];
  return [0, 1, 2].map((i) => {
    const b64 = Buffer.concat([Buffer.alloc(i, ' '), bytes]).toString('base64');
    const e = end[(bytes.length + i) % 3]!;
    return b64.slice(start[i], e === 0 ? undefined : e);
  });
}

/** An IPv4 CIDR as the integer range it covers (IPv6 ranges are not supported). */
export function ipv4Range(cidr: string): { lo: number; hi: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const ip = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const lo = Math.floor(ip / size) * size;
  return { lo, hi: lo + size - 1 };
}

/**
 * A Sigma `re` value as RE2 (DuckDB's engine) takes it, with the modifier flags inline; what RE2
 * lacks (lookaround, backreferences, possessive quantifiers, atomic groups) makes the rule unsupported.
 */
export function re2Pattern(pattern: string, flags: string): string {
  if (/\(\?<?[=!]/.test(pattern)) throw new UnsupportedRuleError('regular expression with lookaround (RE2 has none)', pattern);
  if (/\\[1-9]|\\k</.test(pattern)) throw new UnsupportedRuleError('regular expression with a backreference (RE2 has none)', pattern);
  if (/\(\?>|[*+?}]\+/.test(pattern)) throw new UnsupportedRuleError('regular expression with an atomic group or possessive quantifier (RE2 has none)', pattern);
  return flags ? `(?${flags})${pattern}` : pattern;
}
