import type { Params } from './params.js';
import { atom, junction } from './pred.js';
import type { AtomRegex, Pred } from './pred.js';
import { UnsupportedRuleError } from './rule-file.js';
import { anchored, hasWildcard, literalOf, parseSigmaString, patternRegex, patternSql } from './sigma-string.js';
import type { Part } from './sigma-string.js';
import { base64OffsetVariants, encodedBytes, ipv4Range, re2Pattern, windashVariants } from './value-modifiers.js';

/** A Sigma field as the detect statement exposes it: its lowercased text and its raw value. */
export interface FieldColumns { lower: string; raw: string; rawText: string; integer: boolean }
export type FieldLookup = (name: string) => FieldColumns;

const KNOWN = new Set([
  'contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'windash', 'cased', 'exists', 'cidr', 'base64',
  'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide', 'fieldref', 'lt', 'lte', 'gt', 'gte',
]);
const ENCODINGS = ['utf16le', 'utf16be', 'utf16', 'wide'];
const COMPARE: Record<string, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

/** The context a field's SQL is built in. */
export interface FieldContext { params: Params; field: FieldLookup; regexes: string[] }

/** `Field|mod|mod: value(s)`: one condition per value (OR'ed, AND'ed with `all`). */
export function fieldPred(ctx: FieldContext, key: string, value: unknown): Pred {
  const [name = '', ...mods] = key.split('|');
  if (name === '') throw new UnsupportedRuleError('keyword search (a value without a field)');
  for (const m of mods) if (!KNOWN.has(m)) throw new UnsupportedRuleError(`modifier ${m}`);
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) throw new UnsupportedRuleError('empty value list', key);
  if (mods.includes('all')) return junction('and', values.map((v) => anyOf(ctx, valueSql(ctx, name, mods, v))));
  return anyOf(ctx, values.flatMap((v) => valueSql(ctx, name, mods, v)));
}

/** One way a value can match: an SQL test, or a text pattern on a column (lowercased unless cased). */
type Alternative = { sql: string; absent?: boolean; re?: AtomRegex; text?: undefined } | { text: { expr: string; parts: Part[]; cased: boolean } };

/** From this many text patterns on one column, one RE2 alternation tests them in one pass. */
const ALTERNATION_MIN = 3;

/**
 * Alternatives OR'ed, each an atom; the text patterns on one column, when there are enough of
 * them, as one `regexp_matches` over their alternation: RE2 scans the text once, where a list of
 * 20 substrings is 20 scans (a fleet day's detect spends most of its time on such lists).
 */
function anyOf(ctx: FieldContext, alternatives: readonly Alternative[]): Pred {
  const regexes = alternatives.map((a) => a.text && patternRegex(a.text.parts, a.text.cased));
  const byExpr = new Map<string, string[]>();
  alternatives.forEach((a, i) => {
    if (a.text && regexes[i] !== undefined) byExpr.set(a.text.expr, [...(byExpr.get(a.text.expr) ?? []), regexes[i]!]);
  });
  const merged = new Set([...byExpr].filter(([, rs]) => new Set(rs).size >= ALTERNATION_MIN).map(([e]) => e));
  const atoms: Pred[] = [];
  for (const [i, a] of alternatives.entries()) {
    if (!a.text) atoms.push(atom(a.sql, atomCost(a.sql), a.absent, a.re));
    else if (!merged.has(a.text.expr) || regexes[i] === undefined) {
      const sql = patternSql(ctx.params, a.text.expr, a.text.parts, a.text.cased);
      const re = regexes[i] === undefined ? undefined : { expr: a.text.expr, pattern: `(?s)${regexes[i]}`, literal: longestText(a.text.parts), ...screenTexts([a.text]) };
      atoms.push(atom(sql, atomCost(sql), a.text.parts.length === 0, re));
    }
  }
  for (const e of merged) {
    const pattern = `(?s)(?:${[...new Set(byExpr.get(e))].join('|')})`;
    const texts = alternatives.flatMap((a, i) => (a.text?.expr === e && regexes[i] !== undefined ? [a.text] : []));
    const literal = Math.min(...texts.map((t) => longestText(t.parts)));
    atoms.push(atom(`regexp_matches(${e}, ${ctx.params.bind(pattern)})`, 4, false, { expr: e, pattern, literal, ...screenTexts(texts) }));
  }
  return junction('or', atoms);
}

/** A text of fewer bytes (UTF-8) than this does not screen (a screen of `.` or `-n` lets most values through). */
const SCREEN_TEXT_MIN = 3;

/**
 * The texts that screen a pattern's alternatives (AtomRegex.texts): each one's longest part (in UTF-8
 * bytes, the first of equal ones), in the case its expression holds (lowercased unless cased, as
 * patternRegex writes it). None when one of them has no part of SCREEN_TEXT_MIN bytes: the whole
 * pattern (a merged list of values too) is then screened by itself.
 */
function screenTexts(alternatives: readonly { parts: Part[]; cased: boolean }[]): { texts?: string[] } {
  const bytes = (t: string) => Buffer.byteLength(t, 'utf8');
  const texts = alternatives.map(({ parts, cased }) => {
    const longest = parts.reduce<string>((best, x) => (typeof x === 'string' && bytes(x) > bytes(best) ? x : best), '');
    return cased ? longest : longest.toLowerCase();
  });
  return texts.length > 0 && texts.every((t) => bytes(t) >= SCREEN_TEXT_MIN) ? { texts: [...new Set(texts)] } : {};
}

/** The longest text of a pattern's parts (between wildcards). */
const longestText = (parts: readonly Part[]) => Math.max(0, ...parts.map((x) => (typeof x === 'string' ? x.length : 0)));
/** The longest run of letters and digits in a regular expression: a guess at the text its matches hold. */
const longestWord = (pattern: string) => Math.max(0, ...(pattern.match(/[A-Za-z0-9]+/g) ?? []).map((w) => w.length));

const atomCost = (sql: string) => (sql.startsWith('regexp_matches') ? 8 : sql.includes(' LIKE ') ? 2 : 1);

function matchKind(mods: readonly string[]): 'equals' | 'contains' | 'startswith' | 'endswith' {
  return mods.includes('contains') ? 'contains' : mods.includes('startswith') ? 'startswith' : mods.includes('endswith') ? 'endswith' : 'equals';
}

function valueSql(ctx: FieldContext, name: string, mods: readonly string[], v: unknown): Alternative[] {
  const { params: p } = ctx;
  if (mods.includes('exists')) {
    const f = ctx.field(name);
    return [v === true || v === 'true' ? { sql: `(${f.raw} IS NOT NULL)` } : { sql: `(${f.raw} IS NULL)`, absent: true }];
  }
  const f = ctx.field(name);
  if (v === null || v === undefined) return [{ sql: `(${f.raw} IS NULL)`, absent: true }];
  if (typeof v === 'object') throw new UnsupportedRuleError('a value that is a map or list inside a list', name);
  if (mods.includes('re')) {
    const pattern = re2Pattern(String(v), mods.filter((m) => m === 'i' || m === 'm' || m === 's').join(''));
    ctx.regexes.push(pattern);
    return [{ sql: `regexp_matches(${f.rawText}, ${p.bind(pattern)})`, re: { expr: f.rawText, pattern, literal: longestWord(String(v)) } }];
  }
  if (mods.includes('cidr')) return [{ sql: cidrSql(p, f, String(v)) }];
  if (mods.includes('fieldref')) return [{ sql: fieldrefSql(ctx, f, String(v), mods) }];
  const cmp = mods.find((m) => m in COMPARE);
  if (cmp) {
    if (typeof v !== 'number') throw new UnsupportedRuleError(`modifier ${cmp} with a value that is not a number`, String(v));
    return [{ sql: `(try_cast(${f.raw} AS DOUBLE) ${COMPARE[cmp]} ${p.bind(v)})` }];
  }
  const kind = matchKind(mods);
  if (typeof v === 'number' && f.integer && kind === 'equals' && Number.isInteger(v)) return [{ sql: `(${f.raw} = ${p.bind(v)})` }];
  const cased = mods.includes('cased');
  const expr = cased ? f.rawText : f.lower;
  return stringVariants(String(v), mods).map((parts) => ({ text: { expr, parts: anchored(parts, kind), cased } }));
}

/** The patterns a value stands for after the transforming modifiers (base64, base64offset, utf16, windash). */
function stringVariants(value: string, mods: readonly string[]): Part[][] {
  const encoding = mods.find((m) => ENCODINGS.includes(m));
  const b64 = mods.includes('base64') || mods.includes('base64offset');
  if (b64) {
    const parsed = parseSigmaString(value);
    if (hasWildcard(parsed)) throw new UnsupportedRuleError('base64 of a value with wildcards', value);
    const bytes = encodedBytes(literalOf(parsed), encoding);
    const variants = mods.includes('base64offset') ? base64OffsetVariants(bytes) : [bytes.toString('base64')];
    return variants.map((s) => [s]);
  }
  if (encoding) throw new UnsupportedRuleError(`modifier ${encoding} without base64`);
  const texts = mods.includes('windash') ? windashVariants(value) : [value];
  return texts.map(parseSigmaString);
}

/** `fieldref`: the field's value compared with another field's (equal, or contains / starts / ends with it). */
function fieldrefSql(ctx: FieldContext, f: FieldColumns, otherName: string, mods: readonly string[]): string {
  const other = ctx.field(otherName);
  const cased = mods.includes('cased');
  const [a, b] = cased ? [f.rawText, other.rawText] : [f.lower, other.lower];
  switch (matchKind(mods)) {
    case 'equals': return `(${a} = ${b})`;
    case 'contains': return `contains(${a}, ${b})`;
    case 'startswith': return `starts_with(${a}, ${b})`;
    case 'endswith': return `suffix(${a}, ${b})`;
  }
}

/** `cidr`: an IPv4 address inside the range; IPv6 ranges of one address or of the first 16 bits. */
function cidrSql(p: Params, f: FieldColumns, cidr: string): string {
  const v4 = ipv4Range(cidr);
  const ip = f.rawText;
  if (v4) {
    const asInt = [1, 2, 3, 4].map((i) => `try_cast(split_part(${ip}, '.', ${i}) AS BIGINT) * ${256 ** (4 - i)}`).join(' + ');
    return `(regexp_full_match(${ip}, '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}') AND (${asInt}) BETWEEN ${p.bind(v4.lo)} AND ${p.bind(v4.hi)})`;
  }
  const m = /^([0-9a-f:]+)\/(\d{1,3})$/i.exec(cidr.trim());
  if (m && m[2] === '128') return `(lower(${ip}) = ${p.bind(m[1]!.toLowerCase())})`;
  if (m && Number(m[2]) <= 16 && /^[0-9a-f]{1,4}::?$/i.test(m[1]!)) {
    const bits = Number(m[2]);
    const first = Number.parseInt(m[1]!.split(':')[0]!, 16);
    const size = 2 ** (16 - bits);
    const lo = Math.floor(first / size) * size;
    const hextet = `try_cast(('0x' || nullif(split_part(${ip}, ':', 1), '')) AS INTEGER)`;
    return `(contains(${ip}, ':') AND ${hextet} BETWEEN ${p.bind(lo)} AND ${p.bind(lo + size - 1)})`;
  }
  throw new UnsupportedRuleError('cidr range not supported', cidr);
}
