import type { DuckDBValue } from '@duckdb/node-api';

/**
 * The values a rule's SQL binds, in order: `bind` returns the placeholder ($n) and the text never
 * holds a value. A rule's placeholders are numbered from 1; `renumbered` shifts them when several
 * rules' predicates go into one statement.
 */
export class Params {
  readonly values: DuckDBValue[] = [];
  private readonly seen = new Map<string, number>();

  bind(value: string | number): string {
    const key = `${typeof value}:${value}`;
    let n = this.seen.get(key);
    if (n === undefined) {
      n = this.values.push(value);
      this.seen.set(key, n);
    }
    return `$${n}`;
  }
}

/** A predicate's text with its placeholders moved up by `offset` ($1 -> $(1 + offset)). */
export function renumbered(sql: string, offset: number): string {
  return offset === 0 ? sql : sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`);
}
