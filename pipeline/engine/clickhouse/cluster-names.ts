/** The remote_servers cluster the Distributed tables name, unless --clickhouse-cluster says another. */
export const CLICKHOUSE_CLUSTER = 'alert_context';
/** The database every table lives in, on every shard. */
export const CLICKHOUSE_DATABASE = 'alert_context';

/**
 * A ClickHouse identifier from code or configuration, backquoted. 18.16 has no query parameters,
 * so identifiers are the only text spliced into its SQL; they are checked to be plain names.
 */
export function chIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a ClickHouse identifier: ${JSON.stringify(name)}`);
  return `\`${name}\``;
}
