/**
 * The command-line template rules as data, in order: one rule set for both engines. DuckDB runs
 * them as the macros of sql/macros/command_template.sql (written by hand, each regex exactly the
 * pattern and replacement below: test/template-rules.test.ts checks the macro file holds every
 * one); ClickHouse runs the expression pipeline/engine/clickhouse/template-sql.ts builds from this
 * list. Patterns are RE2 (both engines use it) and written as DuckDB's SQL literal holds them.
 * The rules and their examples: docs/templates.md.
 */
export type TemplateStep =
  | { op: 'lower' }
  /** Remove every occurrence of a plain text. */
  | { op: 'remove'; text: string }
  /** Strip spaces from both ends (as DuckDB's trim: ' ' and the other Unicode space separators, U+00A0, U+2000-U+200A, U+3000, ...; the ClickHouse expression strips the same, \p{Zs}). */
  | { op: 'trim-spaces' }
  /** Replace every match (the first only when `once`); \0 and \1.. in the replacement are the match and its groups. */
  | { op: 'regex'; pattern: string; replacement: string; once?: boolean };

export interface TemplateRule {
  /** The macro of sql/macros/command_template.sql that implements the rule. */
  macro: string;
  steps: TemplateStep[];
}

const r = String.raw;
type RegexStep = Extract<TemplateStep, { op: 'regex' }>;
const regex = (pattern: string, replacement: string): RegexStep => ({ op: 'regex', pattern, replacement });
/** The marker of runs that mix letters and digits (RE2 has no look-arounds: mark, then replace long runs). */
const MARK = '§';

// Numbers of 3+ digits, also ending a name; applied twice because adjacent numbers share one separator.
const NUMBER = regex(r`(^|[^a-z0-9])([a-z]*)\d{3,}([^a-z0-9]|$)`, r`\1\2<num>\3`);

export const TEMPLATE_RULES: readonly TemplateRule[] = [
  { macro: 'ac_tpl_case', steps: [{ op: 'lower' }, { op: 'remove', text: '"' }, { op: 'trim-spaces' }] },
  { macro: 'ac_tpl_spaces', steps: [regex(r`\s+`, ' ')] },
  { macro: 'ac_tpl_nt_prefix', steps: [{ ...regex(r`^\\\?\?\\`, ''), once: true }] },
  { macro: 'ac_tpl_user', steps: [regex(r`([a-z]:\\users\\)[^\\ ]+`, r`\1<user>`)] },
  { macro: 'ac_tpl_base64', steps: [regex(r`[a-z0-9+/]{32,}={0,2}`, '<b64>')] },
  { macro: 'ac_tpl_guid', steps: [regex(r`\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?`, '<guid>')] },
  { macro: 'ac_tpl_ip', steps: [regex(r`\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b`, '<ip>')] },
  {
    macro: 'ac_tpl_hex',
    steps: [
      regex(r`\b0x[0-9a-f]+\b`, '<hex>'),
      regex(r`[0-9a-f]*(\d[0-9a-f]*[a-f]|[a-f][0-9a-f]*\d)[0-9a-f]*`, `${MARK}\\0${MARK}`),
      regex(`${MARK}([0-9a-f]{8,})${MARK}`, '<hex>'),
      { op: 'remove', text: MARK },
    ],
  },
  { macro: 'ac_tpl_date', steps: [regex(r`(19|20)\d\d[-_./]?(0[1-9]|1[0-2])[-_./]?(0[1-9]|[12]\d|3[01])([t_ ]?[0-2]\d[:\-_]?[0-5]\d([:\-_]?[0-5]\d)?(\.\d+)?z?)?`, '<date>')] },
  { macro: 'ac_tpl_version', steps: [regex(r`\d+(\.\d+){2,}`, '<ver>')] },
  {
    macro: 'ac_tpl_temp',
    steps: [
      regex(r`\b(tmp[0-9a-z]{1,8}\.tmp|~df[0-9a-f]{1,16}\.tmp|[a-z]{0,4}[0-9a-f]{2,8}\.tmp)\b`, '<tmp>'),
      regex(r`(\\temp\\)[a-z0-9]{8}\\[a-z0-9]{8}\.`, r`\1<tmp>\\<tmp>.`),
    ],
  },
  {
    macro: 'ac_tpl_random',
    steps: [
      regex(r`[a-z0-9+/=_]*(\d[a-z0-9+/=_]*[a-z]|[a-z][a-z0-9+/=_]*\d)[a-z0-9+/=_]*`, `${MARK}\\0${MARK}`),
      regex(`${MARK}([a-z0-9+/=_]{16,})${MARK}`, '<rand>'),
      { op: 'remove', text: MARK },
    ],
  },
  { macro: 'ac_tpl_number', steps: [NUMBER, NUMBER] },
];
