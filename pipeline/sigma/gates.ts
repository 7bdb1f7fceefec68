import type { CompiledRule } from './compile-rule.js';
import { TRUE, gate, junction, predFields } from './pred.js';
import type { Pred } from './pred.js';

/**
 * Fields whose values are (nearly) unique per event. The others (Image, OriginalFileName,
 * ParentImage, User, Hashes, LogonType ...) repeat across a fleet: a few tens of thousands of
 * distinct tuples for a million events, so conditions on them are tested once per tuple.
 */
export const VALUE_FIELDS: ReadonlySet<string> = new Set([
  'CommandLine', 'ParentCommandLine', 'CurrentDirectory', 'ProcessId', 'ParentProcessId', 'ProcessGuid', 'ParentProcessGuid',
  'LogonId', 'TargetLogonId',
]);

type Atom = Extract<Pred, { kind: 'atom' }>;
const isKey = (a: Atom) => a.fields.every((f) => !VALUE_FIELDS.has(f));
const isValue = (a: Atom) => a.fields.every((f) => VALUE_FIELDS.has(f));

/**
 * One way a rule can match, as gates: a condition on the repeating fields (`keys`) and one on the
 * per-event fields (`values`), each true when it has none. Every match of the rule passes both
 * gates of at least one of its terms. A term with both (`Image endswith \cmd.exe` and a command-line
 * substring) is tested on its keys alone, or on both when its keys let through much of the period
 * (gated-plan.ts decides from the data).
 */
export interface Term { keys: Pred; values: Pred }

/**
 * How one rule is evaluated: its candidate events are those passing one of its terms (none: every
 * event, `always`); `exact` when the gates are the whole predicate (all its fields of one kind).
 */
export interface RulePlan { idx: number; rule: CompiledRule; terms: Term[]; always: boolean; exact: boolean }

/**
 * Whether a gate narrows: every way it can hold needs a positive test (a value present and
 * matching), not only the absence of one (`not endswith \\plink.exe`, `OriginalFileName: null`
 * hold on nearly every row).
 */
export function selective(g: Pred): boolean {
  switch (g.kind) {
    case 'const': return !g.value;
    case 'atom': return !g.absent;
    case 'not': return false;
    case 'and': return g.items.some(selective);
    case 'or': return g.items.every(selective);
  }
}

const bothTrue = (t: Term) => t.keys.kind === 'const' && t.keys.value && t.values.kind === 'const' && t.values.value;

/**
 * The terms of a predicate: an or, its items' terms; an and holding an or over both kinds of field,
 * the terms of each and made by choosing one kind of that or (at most MAX_SPLITS, else not split);
 * anything else one term, with the gates on each kind of field that narrow, else (an and) the
 * terms of one of its items that narrow; failing all, whichever gate is not constant (a negation is
 * still a broad gate), else none (every event).
 */
export function terms(p: Pred): Term[] {
  if (p.kind === 'const') return p.value ? [{ keys: TRUE, values: TRUE }] : [];
  if (p.kind === 'or') return p.items.flatMap(terms);
  if (p.kind === 'and') {
    // an or inside that reads both kinds of field (`Image endswith \powershell.exe` or `CommandLine
    // contains /c powershell`) is split by kind: gating the and on the repeating fields alone would
    // drop the or and keep only the and's other items (`ParentImage endswith \services.exe`, 42% of
    // a fleet's day); each split is a term of its own
    const split = p.items.map((x) => (x.kind === 'or' ? byKind(x.items) : [x]));
    const combos = split.reduce((n, xs) => n * xs.length, 1);
    if (combos > 1 && combos <= MAX_SPLITS) return product(split).flatMap((choice) => terms(junction('and', choice)));
  }
  const onKeys = gate(p, isKey);
  const onValues = gate(p, isValue);
  const keys = selective(onKeys) ? onKeys : TRUE;
  const values = selective(onValues) ? onValues : TRUE;
  if (keys !== TRUE || values !== TRUE) return [{ keys, values }];
  if (p.kind === 'and') {
    const narrow = p.items.map(terms).find((ts) => ts.length > 0 && ts.every((t) => selective(t.keys) || selective(t.values)));
    if (narrow) return narrow;
  }
  if (onKeys.kind !== 'const') return [{ keys: onKeys, values: TRUE }];
  if (onValues.kind !== 'const') return [{ keys: TRUE, values: onValues }];
  return [{ keys: TRUE, values: TRUE }];
}

/** An and is split into at most this many ands, one per choice of a kind in each of its mixed ors (each and's own ors may split again). */
const MAX_SPLITS = 16;

type Kind = 'keys' | 'values' | 'mixed';
const kindOf = (p: Pred): Kind => {
  const fs = predFields(p);
  return fs.every((f) => !VALUE_FIELDS.has(f)) ? 'keys' : fs.every((f) => VALUE_FIELDS.has(f)) ? 'values' : 'mixed';
};

/** An or's items by the kind of field they read: the key-only ones as one or, the value-only ones as another, each mixed one alone. */
function byKind(items: readonly Pred[]): Pred[] {
  const keys = items.filter((x) => kindOf(x) === 'keys');
  const values = items.filter((x) => kindOf(x) === 'values');
  const mixed = items.filter((x) => kindOf(x) === 'mixed');
  return [...(keys.length ? [junction('or', keys)] : []), ...(values.length ? [junction('or', values)] : []), ...mixed];
}

/** Every choice of one item from each list. */
function product(lists: readonly (readonly Pred[])[]): Pred[][] {
  return lists.reduce<Pred[][]>((acc, xs) => acc.flatMap((choice) => xs.map((x) => [...choice, x])), [[]]);
}

/** At most this many terms per rule (gated-plan.ts codes a term as rule index * MAX_TERMS + its place). */
export const MAX_TERMS = 1024;

/**
 * The rules' plans. A rule whose fields are all of one kind is `exact`: each term's gate is then
 * the term itself (gate() keeps every atom, and the narrowing fallback of terms() never applies:
 * an and narrows whenever one of its items does), so passing one is matching the rule. A rule
 * (never exact) with a term that cannot be gated, or with more terms than MAX_TERMS (a list of a thousand
 * process ids), is tested on every event.
 */
export function planRules(rules: readonly CompiledRule[], first: number): RulePlan[] {
  return rules.map((rule, i) => {
    const ts = terms(rule.pred);
    const always = ts.some(bothTrue) || ts.length > MAX_TERMS;
    const exact = !always && (rule.fields.every((f) => !VALUE_FIELDS.has(f)) || rule.fields.every((f) => VALUE_FIELDS.has(f)));
    return { idx: first + i, rule, terms: always ? [] : ts, always, exact };
  });
}
