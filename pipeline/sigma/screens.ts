import type { DuckDBValue } from '@duckdb/node-api';
import type { AtomRegex } from './pred.js';
import { re2Escape } from './sigma-string.js';

/**
 * Screens for the gated plan's gate tables (gated-plan.ts): a few alternations that together match
 * wherever one of a set of patterns does, so that each distinct value is scanned a few times, not
 * once per term, and a value that passes one screen tests only that screen's terms.
 */

/**
 * Longest alternation of one screen of patterns (characters of its patterns): RE2 compiles a pattern
 * within a memory budget, and its DFA's states grow with the alternatives (with their `.*` most: the
 * 431 patterns of the command line in one alternation took 96 s on a 1,000-host day, in 15 screens
 * 2.5 s), so a screen of a thousand patterns is several regular expressions on the same text.
 */
const SCREEN_CHARS = 4000;

/**
 * Longest alternation of one guard of plain texts (AtomRegex.texts), tested before the screens of
 * its texts. Plain texts keep RE2's DFA to the states of a dictionary automaton, a scan that costs
 * about the same however many texts it holds (on a 1,000-host day's command lines one alternation
 * of 7,000 characters of texts took 0.24 s, as one screen of 4,000 of patterns); so one guard
 * stands before the several screens of its texts, and the values it turns away (most of them) are
 * scanned once instead of once per screen. The screens stay small, so that a value that passes one
 * tests a few terms. Guards of 32,000 characters left RE2's DFA on the bench's lines (10 s against
 * 0.7); 16,000 stayed in it there and on 300,000 lines of random printable text and of the texts'
 * own pieces strung together (0.26 and 0.14 s for three guards, against 0.63 and 0.46 s for twelve
 * screens of 4,000).
 */
const GUARD_CHARS = 16000;

/** One screen: a test of a few alternated patterns on one expression, and whether a pattern is among them. */
interface Screen { test: string; holds: (r: AtomRegex) => boolean }

/** `items` in sorted order, in runs of at most `limit` characters. */
function chunked(items: Iterable<string>, limit: number): string[][] {
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let size = 0;
  for (const item of [...items].sort()) {
    if (chunk.length > 0 && size + item.length > limit) {
      chunks.push(chunk);
      chunk = [];
      size = 0;
    }
    chunk.push(item);
    size += item.length;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/**
 * How screenSql screens: 'patterns', every pattern by itself; 'texts', a pattern with texts (a text
 * every match of each of its alternatives holds) by those texts; 'guarded texts', the same behind
 * guards. The distinct values of the per-event fields (sigma_vals: a command line per event) are
 * many and pass seldom, so scans are their cost: guarded texts (on a 1,000-host day 3.9 -> 2.7 s).
 * The tuples of the repeating fields (sigma_keys: images, hashes) are few and pass often, so the
 * terms a passing tuple tests are theirs; texts, each a term's in several screens, cost more there
 * (1.2 -> 1.5 s): patterns. The sample (screenCondition) screens as sigma_vals does, without guards.
 */
type ScreenMode = 'patterns' | 'texts' | 'guarded texts';

/**
 * Screens that together match wherever one of `regexes` does, a few scans of each text instead of
 * one test per term; none when there are no patterns. Texts (ScreenMode) go in alternations of
 * plain texts of at most SCREEN_CHARS, with 'guarded texts' each behind a guard (`guards`, columns
 * "guard:<i>" the screens' tests read) holding up to GUARD_CHARS of them. Patterns go in
 * alternations of at most SCREEN_CHARS (each pattern its own group, so its inline flags stay its own).
 */
export function screenSql(regexes: readonly AtomRegex[], values: DuckDBValue[], mode: ScreenMode): { guards: string[]; screens: Screen[] } {
  const guarded = mode === 'guarded texts';
  /** The texts a pattern is screened by in this mode; none: by the pattern itself. */
  const textsOf = (r: AtomRegex) => (mode === 'patterns' ? undefined : r.texts);
  const byExpr = new Map<string, { texts: Set<string>; patterns: Set<string> }>();
  for (const r of regexes) {
    const e = byExpr.get(r.expr) ?? { texts: new Set<string>(), patterns: new Set<string>() };
    const texts = textsOf(r);
    if (texts) for (const t of texts) e.texts.add(t);
    else e.patterns.add(r.pattern);
    byExpr.set(r.expr, e);
  }
  const guards: string[] = [];
  const screens: Screen[] = [];
  const bind = (pattern: string) => {
    values.push(pattern);
    return `$${values.length}`;
  };
  for (const [expr, { texts, patterns }] of [...byExpr].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const group of chunked(texts, guarded ? GUARD_CHARS : SCREEN_CHARS)) {
      const chunks = chunked(group, SCREEN_CHARS);
      const guard = chunks.length > 1 ? `"guard:${guards.push(`regexp_matches(${expr}, ${bind(group.map(re2Escape).join('|'))})`) - 1}"` : undefined;
      for (const chunk of chunks) {
        const test = `regexp_matches(${expr}, ${bind(chunk.map(re2Escape).join('|'))})`;
        const mine = new Set(chunk);
        screens.push({ test: guard ? `CASE WHEN ${guard} THEN ${test} ELSE false END` : test, holds: (r) => r.expr === expr && (textsOf(r)?.some((t) => mine.has(t)) ?? false) });
      }
    }
    for (const chunk of chunked(patterns, SCREEN_CHARS)) {
      const test = `regexp_matches(${expr}, ${bind(chunk.map((p) => `(?:${p})`).join('|'))})`;
      const mine = new Set(chunk);
      screens.push({ test, holds: (r) => r.expr === expr && !textsOf(r) && mine.has(r.pattern) });
    }
  }
  return { guards, screens };
}

/** A condition true wherever one of `regexes` matches (`false` when there are none). */
export function screenCondition(regexes: readonly AtomRegex[], values: DuckDBValue[]): string {
  const { screens } = screenSql(regexes, values, 'texts');
  return screens.length ? `(${screens.map((s) => s.test).join(' OR ')})` : 'false';
}
