import { TEMPLATE_RULES } from '../../../models/template-rules.js';
import type { TemplateStep } from '../../../models/template-rules.js';

/**
 * A constant of the template rules (models/template-rules.ts) as a ClickHouse string literal:
 * ClickHouse reads backslash escapes in literals, DuckDB does not, so the rule text is escaped
 * here. Only these code constants are written into SQL this way; data never is.
 */
export function chLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function step(x: string, s: TemplateStep): string {
  switch (s.op) {
    case 'lower': return `lowerUTF8(${x})`;
    case 'remove': return `replaceAll(${x}, ${chLiteral(s.text)}, '')`;
    // 18.16 has no trim. DuckDB's trim strips the Unicode space separators (\p{Zs}: ' ', U+00A0,
    // U+2000-U+200A, U+3000, ...) at either end, and so does this (its RE2 reads UTF-8). DuckDB's
    // also drops one byte-order mark U+FEFF right after the leading spaces (not a second one, not
    // the spaces after it, not at the end: DuckDB 1.5.6), and so does this: a line that starts
    // with a BOM got another template on the cluster.
    case 'trim-spaces': return `replaceRegexpAll(${x}, ${chLiteral(String.raw`^(\p{Zs}+\x{FEFF}?|\x{FEFF})|\p{Zs}+$`)}, '')`;
    case 'regex': return `${s.once ? 'replaceRegexpOne' : 'replaceRegexpAll'}(${x}, ${chLiteral(s.pattern)}, ${chLiteral(s.replacement)})`;
  }
}

/** The ClickHouse expression of ac_template(cmd): every rule's steps, in order, around `arg`. */
export function chTemplateExpression(arg: string): string {
  let x = arg;
  for (const rule of TEMPLATE_RULES) for (const s of rule.steps) x = step(x, s);
  return x;
}
