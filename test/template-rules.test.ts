import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_RULES } from '../models/template-rules.js';
import { chLiteral, chTemplateExpression } from '../pipeline/engine/clickhouse/template-sql.js';
import { ROOT } from './helpers.js';

// One rule set for both engines: models/template-rules.ts is what ClickHouse runs, and DuckDB's
// macros must hold exactly its rules (the outputs are compared on the golden lines and on a
// generated fleet's lines against a real cluster in clickhouse-cluster.test.ts).
describe('the template rules as data (models/template-rules.ts)', () => {
  const macros = readFileSync(join(ROOT, 'sql', 'macros', 'command_template.sql'), 'utf8');
  const macroBody = (name: string) => {
    const m = new RegExp(`CREATE OR REPLACE TEMP MACRO ${name}\\(x\\) AS([\\s\\S]*?);\\n`).exec(macros);
    expect(m, name).not.toBeNull();
    return m![1]!;
  };

  it('are the regexes of the DuckDB macros, rule by rule, in the order ac_template applies them', () => {
    let regexes = 0;
    for (const rule of TEMPLATE_RULES) {
      const body = macroBody(rule.macro);
      for (const s of rule.steps) {
        if (s.op !== 'regex') continue;
        // DuckDB's literals keep backslashes as written: the rule's text appears verbatim.
        expect(body, `${rule.macro}: ${s.pattern}`).toContain(`'${s.pattern}', '${s.replacement}'${s.once ? ')' : ", 'g')"}`);
        regexes++;
      }
      const inBody = [...body.matchAll(/regexp_replace\(/g)].length;
      expect(inBody, rule.macro).toBe(rule.steps.filter((s) => s.op === 'regex').length);
    }
    expect(regexes).toBe(17);
    // ac_template nests the macros in the rules' order (innermost first).
    const chain = /CREATE OR REPLACE TEMP MACRO ac_template\(cmd\) AS\s+([^;]+);/.exec(macros)![1]!;
    const nested = [...chain.matchAll(/(ac_tpl_[a-z0-9_]+)\(/g)].map((m) => m[1]).reverse();
    expect(nested).toEqual(['ac_tpl_fold', ...TEMPLATE_RULES.slice(3).map((r) => r.macro)]);
    expect(macroBody('ac_tpl_fold')).toContain('ac_tpl_nt_prefix(ac_tpl_spaces(ac_tpl_case(x)))');
    expect(TEMPLATE_RULES.slice(0, 3).map((r) => r.macro)).toEqual(['ac_tpl_case', 'ac_tpl_spaces', 'ac_tpl_nt_prefix']);
  });

  it('become one ClickHouse expression with the rule text escaped for ClickHouse literals', () => {
    expect(chLiteral(String.raw`^\\\?\?\\`)).toBe(String.raw`'^\\\\\\?\\?\\\\'`);
    expect(chLiteral("it's")).toBe(String.raw`'it\'s'`);
    const e = chTemplateExpression('line');
    expect(e.startsWith('replaceRegexpAll(replaceRegexpAll(')).toBe(true);
    expect([...e.matchAll(/\bline\b/g)]).toHaveLength(1);
  });
});
