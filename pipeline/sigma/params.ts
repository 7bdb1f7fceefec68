import type { DuckDBValue } from '@duckdb/node-api';

/**
 * The values a rule's SQL binds, in order: `bind` returns the placeholder ($n) and the text never
 * holds a value. A rule's placeholders are numbered from 1; `rebound` moves them when several
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

/**
 * A predicate's text over `own` values (placeholders $1..$n), moved into a statement whose values
 * are `into`: the placeholders it uses are appended to `into` and renumbered to their new places
 * (a gate uses some of its rule's values only; DuckDB refuses values no placeholder takes).
 */
export function rebound(sql: string, own: readonly DuckDBValue[], into: DuckDBValue[]): string {
  const moved = new Map<number, number>();
  return sql.replace(/\$(\d+)/g, (_m, n: string) => {
    let to = moved.get(Number(n));
    if (to === undefined) {
      to = into.push(own[Number(n) - 1]!);
      moved.set(Number(n), to);
    }
    return `$${to}`;
  });
}
