/**
 * A compiled rule's predicate as a tree: field tests (atoms, each one SQL condition over the
 * detect columns of the fields it reads) combined with and / or / not. Rendered to SQL in negation
 * normal form, so DuckDB can short-circuit every and / or; and over-approximated to the atoms on
 * some fields only (a gate: a condition every matching event meets, cheap to test once per
 * distinct value of those fields).
 */

/**
 * An atom's test written as an RE2 pattern on one expression (a text pattern, a regular expression);
 * `literal`: how long a text every match holds (a guess at how rarely it matches: `.exe` 4,
 * `powershell` 10); `texts`, for a text pattern: one text per alternative that every match of that
 * alternative holds (its longest part between wildcards, as the expression's case), so that a screen
 * of plain texts can stand for it (screens.ts); absent when an alternative has none long enough.
 */
export interface AtomRegex { expr: string; pattern: string; literal: number; texts?: readonly string[] }

export type Pred =
  | { kind: 'atom'; sql: string; fields: readonly string[]; cost: number; absent?: boolean; re?: AtomRegex }
  | { kind: 'and' | 'or'; items: readonly Pred[] }
  | { kind: 'not'; item: Pred }
  | { kind: 'const'; value: boolean };

export const TRUE: Pred = { kind: 'const', value: true };
export const FALSE: Pred = { kind: 'const', value: false };

/**
 * The fields an atom's SQL reads: the detect columns it names ("raw:F" / "lc:F", compile-rule.ts).
 * `absent`: the test holds where the field has no value (`Field: null`), as on most events of a
 * telemetry that does not carry it, so it does not narrow a gate. `re`: the same test as an RE2
 * pattern on one expression, when it is one (necessaryRegexes).
 */
export function atom(sql: string, cost = 1, absent = false, re?: AtomRegex): Pred {
  const fields = [...new Set([...sql.matchAll(/"(?:raw|lc):((?:[^"]|"")*)"/g)].map((m) => m[1]!.replaceAll('""', '"')))].sort();
  return { kind: 'atom', sql, fields, cost, ...(absent ? { absent } : {}), ...(re ? { re } : {}) };
}

/** and / or of items, constants folded, nested same-kind lists flattened. */
export function junction(kind: 'and' | 'or', items: readonly Pred[]): Pred {
  const absorbing = kind === 'or';
  const out: Pred[] = [];
  for (const p of items) {
    if (p.kind === 'const') {
      if (p.value === absorbing) return p;
      continue;
    }
    if (p.kind === kind) out.push(...p.items);
    else out.push(p);
  }
  if (out.length === 0) return { kind: 'const', value: !absorbing };
  return out.length === 1 ? out[0]! : { kind, items: out };
}

export function negate(p: Pred): Pred {
  if (p.kind === 'const') return { kind: 'const', value: !p.value };
  if (p.kind === 'not') return p.item;
  return { kind: 'not', item: p };
}

/** Rough cost of testing `p` on one row (atoms evaluated before and / or decides). */
export function cost(p: Pred): number {
  switch (p.kind) {
    case 'atom': return p.cost;
    case 'const': return 0;
    case 'not': return cost(p.item);
    case 'or': return p.items.reduce((n, x) => n + cost(x), 0);
    // the first (cheapest) item rejects most rows; the rest are tested on the few it lets through
    case 'and': return Math.min(...p.items.map(cost)) + 0.1 * p.items.reduce((n, x) => n + cost(x), 0);
  }
}

/**
 * SQL for the predicate, in negation normal form: a positive atom as it is (NULL when its field is
 * absent, which and / or treat as false), a negated one as NOT coalesce(atom, false) (Sigma's `not`
 * of an absent field holds). The and items cheapest first. True exactly when Sigma's semantics
 * (every selection two-valued) holds; NULL or false otherwise: `coalesce(sql, false)` for a value.
 */
export function renderPred(p: Pred, negated = false): string {
  switch (p.kind) {
    case 'const': return p.value !== negated ? 'true' : 'false';
    case 'atom': return negated ? `(NOT coalesce(${p.sql}, false))` : p.sql;
    case 'not': return renderPred(p.item, !negated);
    case 'and':
    case 'or': {
      const kind = (p.kind === 'and') !== negated ? 'and' : 'or';
      const items = [...p.items];
      if (kind === 'and') items.sort((a, b) => cost(a) - cost(b));
      return `(${items.map((x) => renderPred(x, negated)).join(kind === 'and' ? ' AND ' : ' OR ')})`;
    }
  }
}

/**
 * A gate over the atoms `keep` accepts: a predicate on those atoms alone that holds wherever `p`
 * does (the other atoms replaced by true where they count for a match, false under a not).
 */
export function gate(p: Pred, keep: (a: Extract<Pred, { kind: 'atom' }>) => boolean, upper = true): Pred {
  switch (p.kind) {
    case 'const': return p;
    case 'atom': return keep(p) ? p : { kind: 'const', value: upper };
    case 'not': return negate(gate(p.item, keep, !upper));
    case 'and':
    case 'or': return junction(p.kind, p.items.map((x) => gate(x, keep, upper)));
  }
}

/** The fields a predicate's atoms read. */
export function predFields(p: Pred): string[] {
  const out = new Set<string>();
  const walk = (x: Pred): void => {
    if (x.kind === 'atom') x.fields.forEach((f) => out.add(f));
    else if (x.kind === 'not') walk(x.item);
    else if (x.kind === 'and' || x.kind === 'or') x.items.forEach(walk);
  };
  walk(p);
  return [...out].sort();
}

/**
 * Regular expressions one of which matches wherever `p` holds (each an atom's own test), or
 * undefined when `p` can hold without any: a negation, an absent-value test, an atom that is not a
 * pattern (a number, a range), a constant true. An and needs one of its items only (the one whose
 * patterns hold the longest texts); an or, all of them.
 */
export function necessaryRegexes(p: Pred): AtomRegex[] | undefined {
  switch (p.kind) {
    case 'const': return p.value ? undefined : [];
    case 'atom': return !p.absent && p.re ? [p.re] : undefined;
    case 'not': return undefined;
    case 'or': {
      const parts = p.items.map(necessaryRegexes);
      return parts.every((x) => x !== undefined) ? (parts as AtomRegex[][]).flat() : undefined;
    }
    case 'and': {
      // the item whose least specific pattern is the most specific (`powershell` before `.exe`), then the fewest
      const rank = (rs: AtomRegex[]) => Math.min(...rs.map((r) => r.literal));
      const parts = p.items.map(necessaryRegexes).filter((x) => x !== undefined);
      return parts.length ? parts.reduce((a, b) => (rank(b) > rank(a) || (rank(b) === rank(a) && b.length < a.length) ? b : a)) : undefined;
    }
  }
}
