import type { Params } from './params.js';

/** A Sigma string value: literal text and the wildcards `*` (any run) and `?` (one character). */
export type Part = string | { wildcard: '*' | '?' };
export const STAR: Part = { wildcard: '*' };

/**
 * Parse a value's wildcards and escapes (specification: `\*`, `\?` and `\\` are the literal
 * characters; a backslash before anything else is itself).
 */
export function parseSigmaString(value: string): Part[] {
  const parts: Part[] = [];
  let lit = '';
  const flush = () => {
    if (lit !== '') parts.push(lit);
    lit = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length && '*?\\'.includes(value[i + 1]!)) {
      lit += value[++i]!;
    } else if (c === '*' || c === '?') {
      flush();
      parts.push({ wildcard: c });
    } else {
      lit += c;
    }
  }
  flush();
  return parts;
}

export const hasWildcard = (parts: readonly Part[]): boolean => parts.some((p) => typeof p !== 'string');
export const literalOf = (parts: readonly Part[]): string => parts.map((p) => (typeof p === 'string' ? p : p.wildcard)).join('');

/** `*` before and/or after, unless already there (contains, startswith, endswith). */
export function anchored(parts: readonly Part[], kind: 'equals' | 'contains' | 'startswith' | 'endswith'): Part[] {
  const isStar = (p: Part | undefined) => p !== undefined && typeof p !== 'string' && p.wildcard === '*';
  const out = [...parts];
  if ((kind === 'contains' || kind === 'endswith') && !isStar(out[0])) out.unshift(STAR);
  if ((kind === 'contains' || kind === 'startswith') && !isStar(out.at(-1))) out.push(STAR);
  return out;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * SQL matching `expr` against the pattern, case-insensitively unless `cased` (then `expr` is the
 * raw value; else it is already lowercased and the pattern is lowercased here). The simple shapes
 * use equality and contains / starts_with / suffix, which are much cheaper than LIKE.
 */
export function patternSql(p: Params, expr: string, parts: readonly Part[], cased: boolean): string {
  const norm = (s: string) => (cased ? s : s.toLowerCase());
  const isStar = (x: Part | undefined) => x !== undefined && typeof x !== 'string' && x.wildcard === '*';
  if (parts.length === 0) return `(${expr} IS NULL OR ${expr} = '')`;
  if (parts.every(isStar)) return `(${expr} IS NOT NULL)`;
  if (!hasWildcard(parts)) return `(${expr} = ${p.bind(norm(literalOf(parts)))})`;
  if (parts.length === 3 && isStar(parts[0]) && isStar(parts[2]) && typeof parts[1] === 'string') {
    return `contains(${expr}, ${p.bind(norm(parts[1]))})`;
  }
  if (parts.length === 2 && isStar(parts[1]) && typeof parts[0] === 'string') return `starts_with(${expr}, ${p.bind(norm(parts[0]))})`;
  if (parts.length === 2 && isStar(parts[0]) && typeof parts[1] === 'string') return `suffix(${expr}, ${p.bind(norm(parts[1]))})`;
  const like = parts.map((x) => (typeof x === 'string' ? likeEscape(norm(x)) : x.wildcard === '*' ? '%' : '_')).join('');
  return `(${expr} LIKE ${p.bind(like)} ESCAPE '\\')`;
}

/** Text as an RE2 pattern that matches it literally. */
export const re2Escape = (s: string) => s.replace(/[\\.+*?()|[\]{}^$]/g, (c) => `\\${c}`);

/**
 * The pattern as one alternative of an RE2 alternation with the same meaning as patternSql's test
 * (`^` / `$` unless it starts / ends with `*`; `*` any run, `?` one character, newlines included
 * under the alternation's `(?s)`), lowercased unless `cased`; undefined for the shapes patternSql
 * tests otherwise (empty: absent or ''; only stars: present).
 */
export function patternRegex(parts: readonly Part[], cased: boolean): string | undefined {
  const isStar = (x: Part | undefined) => x !== undefined && typeof x !== 'string' && x.wildcard === '*';
  if (parts.length === 0 || parts.every(isStar)) return undefined;
  const body = parts.map((x) => (typeof x === 'string' ? re2Escape(cased ? x : x.toLowerCase()) : x.wildcard === '*' ? '.*' : '.'));
  if (isStar(parts[0])) body.shift();
  else body.unshift('^');
  if (isStar(parts.at(-1))) body.pop();
  else body.push('$');
  return body.join('');
}
