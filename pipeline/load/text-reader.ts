/**
 * The options of DuckDB's text readers that every load of a text file shares: lines up to 64 MiB,
 * gzip decided by the file's name, and a read of a file's physical lines, one VARCHAR column
 * `line` each (no delimiter or quote can split one). Constants, not data: the path is bound.
 */

export const MAX_LINE = 'max_line_size = 67108864, buffer_size = 134217728';

/** gzip by the name, whatever its case (DuckDB's own guess reads '.GZ' as plain bytes). */
export function compressionOption(path: string): string {
  return /\.gz$/i.test(path) ? ", compression = 'gzip'" : '';
}

/** read_csv over the physical lines of the file at `path`, bound to `pathParam`; `more`: further options. */
export function physicalLines(path: string, pathParam: string, more = ''): string {
  return `read_csv(${pathParam}, columns = {'line': 'VARCHAR'}, header = false, delim = '\\x01', quote = '', escape = '',
                   auto_detect = false, strict_mode = false, ${MAX_LINE}${more}${compressionOption(path)})`;
}
