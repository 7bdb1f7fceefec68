import { junction, negate } from './pred.js';
import type { Pred } from './pred.js';
import { UnsupportedRuleError } from './rule-file.js';

/** A Sigma condition, parsed (specification: and, or, not, parentheses, `1 of x*`, `all of them`). */
export type Condition =
  | { kind: 'selection'; name: string }
  | { kind: 'of'; quantifier: 'one' | 'all'; pattern: string }
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition };

function tokenize(text: string): string[] {
  if (text.includes('|')) throw new UnsupportedRuleError('aggregation in condition (| count, near)', text);
  return text.replace(/([()])/g, ' $1 ').split(/\s+/).filter((t) => t !== '');
}

/** Parse a condition; the lowest precedence is `or`, then `and`, then `not`. */
export function parseCondition(text: string): Condition {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i]?.toLowerCase();
  const fail = (what: string): never => {
    throw new UnsupportedRuleError('condition does not parse', `${what} in '${text}'`);
  };
  const list = (kind: 'and' | 'or', next: () => Condition): Condition => {
    const items = [next()];
    while (peek() === kind) {
      i++;
      items.push(next());
    }
    return items.length === 1 ? items[0]! : { kind, items };
  };
  const or = (): Condition => list('or', and);
  const and = (): Condition => list('and', not);
  const not = (): Condition => {
    if (peek() !== 'not') return atom();
    i++;
    return { kind: 'not', item: not() };
  };
  const atom = (): Condition => {
    const t = tokens[i++];
    if (t === undefined) return fail('unexpected end');
    if (t === '(') {
      const inner = or();
      if (tokens[i++] !== ')') fail('missing )');
      return inner;
    }
    const lower = t.toLowerCase();
    if ((lower === '1' || lower === 'all' || lower === 'any') && peek() === 'of') {
      i++;
      const pattern = tokens[i++];
      if (pattern === undefined || pattern === '(' || pattern === ')') return fail(`'${t} of' without a name`);
      return { kind: 'of', quantifier: lower === 'all' ? 'all' : 'one', pattern };
    }
    if (['and', 'or', 'not', ')', 'of'].includes(lower)) return fail(`unexpected '${t}'`);
    return { kind: 'selection', name: t };
  };
  const result = or();
  if (i < tokens.length) fail(`unexpected '${tokens[i]}'`);
  return result;
}

/** The selections a `1 of` / `all of` names: `them` is every one not starting with '_'. */
export function selectionsOf(pattern: string, names: readonly string[]): string[] {
  if (pattern === 'them') return names.filter((n) => !n.startsWith('_'));
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return names.filter((n) => re.test(n));
}

/** The condition as a predicate, given each selection's. */
export function conditionPred(c: Condition, selections: ReadonlyMap<string, Pred>): Pred {
  const names = [...selections.keys()];
  switch (c.kind) {
    case 'selection': {
      const p = selections.get(c.name);
      if (p === undefined) throw new UnsupportedRuleError('condition names a missing selection', c.name);
      return p;
    }
    case 'of': {
      const chosen = selectionsOf(c.pattern, names);
      if (chosen.length === 0) throw new UnsupportedRuleError('condition names a missing selection', c.pattern);
      return junction(c.quantifier === 'all' ? 'and' : 'or', chosen.map((n) => selections.get(n)!));
    }
    case 'and':
    case 'or':
      return junction(c.kind, c.items.map((x) => conditionPred(x, selections)));
    case 'not':
      // Sigma's `not`: a selection whose field is absent does not match, so `not` of it does (pred.ts renders it so).
      return negate(conditionPred(c.item, selections));
  }
}
