import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CORE_SCHEMA, YAMLException, loadAll } from 'js-yaml';
import { InputFileError } from '../errors.js';

/** The parts of a Sigma rule detect uses (the Sigma specification's rule format). */
export interface SigmaRule {
  /** Path relative to the rules directory: names the rule in reasons. */
  file: string;
  id: string;
  title: string;
  status: string;
  level: string;
  author: string;
  tags: string[];
  logsource: Record<string, string>;
  detection: Record<string, unknown>;
}

/** A rule that cannot be compiled (an unsupported feature, a field we do not have), with the reason. */
export class UnsupportedRuleError extends Error {
  constructor(readonly reason: string, readonly detail?: string) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = 'UnsupportedRuleError';
  }
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/**
 * A document's nodes, counted through its aliases (an alias is the anchored value again, by
 * reference): a handful of nested aliases make a value billions of nodes long to walk (YAML's
 * "billion laughs"), and an anchor inside itself an endless one. Stops counting past `limit`; an
 * explicit stack, so that a deep chain of aliases cannot overflow the call stack.
 */
function expandedNodes(value: unknown, limit: number): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && n <= limit) {
    const v = stack.pop();
    n++;
    if (v !== null && typeof v === 'object') for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push(child);
  }
  return n;
}

/**
 * More nodes than any real rule has (SigmaHQ's largest: about 1,000), fewer than an alias bomb expands
 * to; a file with more characters than this may have as many nodes as characters without an alias.
 */
const MAX_RULE_NODES = 100_000;

/**
 * The YAML documents of a rule file: js-yaml with YAML 1.2's core schema (what the `yaml` package
 * gave, for every rule of rules/sigma, at a sixth of the time: 1,328 files in 0.05-0.13 s against
 * 0.42-0.78 s), a key given twice taking its last value.
 */
function yamlDocuments(source: string): unknown[] {
  try {
    return loadAll(source, undefined, { schema: CORE_SCHEMA, json: true });
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    const at = err.mark ? ` (line ${err.mark.line + 1}, column ${err.mark.column + 1})` : '';
    throw new UnsupportedRuleError('YAML error', `${err.reason}${at}`);
  }
}

/** One rule file: one YAML document (a multi-document file is a rule collection, not supported). */
export function parseRule(file: string, source: string): SigmaRule {
  const docs = yamlDocuments(source);
  if (docs.length !== 1) throw new UnsupportedRuleError('rule collection (several YAML documents)');
  const r = docs[0] as Record<string, unknown> | null;
  if (!r || typeof r !== 'object' || Array.isArray(r)) throw new UnsupportedRuleError('not a Sigma rule (no mapping at the top)');
  const limit = Math.max(MAX_RULE_NODES, source.length);
  if (expandedNodes(r, limit) > limit) throw new UnsupportedRuleError('YAML error', `more than ${limit.toLocaleString('en-US')} values once its aliases are expanded`);
  const detection = r['detection'];
  if (!detection || typeof detection !== 'object' || Array.isArray(detection)) throw new UnsupportedRuleError('not a Sigma rule (no detection)');
  const logsource = (r['logsource'] ?? {}) as Record<string, unknown>;
  return {
    file,
    id: text(r['id']),
    title: text(r['title']),
    status: text(r['status']) || 'experimental',
    level: text(r['level']) || 'medium',
    author: text(r['author']),
    tags: Array.isArray(r['tags']) ? r['tags'].map(text) : [],
    logsource: Object.fromEntries(Object.entries(logsource).map(([k, v]) => [k, text(v)])),
    detection: detection as Record<string, unknown>,
  };
}

/** Every .yml / .yaml file under `dir`, sorted (hidden files and folders skipped). */
export function ruleFiles(dir: string): string[] {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new InputFileError(dir, 'no such rules file or directory');
  }
  if (st.isFile()) return [dir];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Read and parse every rule under `dir`; a file that is not a rule is returned with its reason. */
export function readRules(dir: string): { rules: SigmaRule[]; unreadable: { file: string; reason: string }[] } {
  const rules: SigmaRule[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  const files = ruleFiles(dir);
  for (const path of files) {
    const file = files.length === 1 && path === dir ? path : relative(dir, path);
    try {
      rules.push(parseRule(file, readFileSync(path, 'utf8')));
    } catch (err) {
      if (!(err instanceof UnsupportedRuleError)) throw err;
      unreadable.push({ file, reason: err.message });
    }
  }
  return { rules, unreadable };
}
