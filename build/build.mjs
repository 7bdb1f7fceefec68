// The CLI runs compiled JavaScript: esbuild bundles pipeline/main.ts into dist/<hash>/, the CLI and
// the commands' definitions in main.js, each command's work in a chunk imported when it runs (so
// --help loads no DuckDB). One file instead of hundreds is what makes start-up fast: yargs and its
// helpers are bundled too (about 70 ms of module resolution saved), and DuckDB's JavaScript API
// (@duckdb/node-api: its hundred CommonJS modules cost 50 ms of every command's start-up, a load of
// a five-record file 0.42 -> 0.37 s). Packages that stay outside: DuckDB's native bindings, vega,
// vega-lite and apache-arrow (loaded when a chart or Arrow file is written).
// Each source's import.meta.url is its source file's URL, so the paths computed from it (sql/,
// rules/, eval/, package.json; yargs' locales) are the repository's, as under tsx. dist/current
// names the build in use: a build is written to its own folder and named by rewriting dist/current
// (a rename), so a process starting while another builds never loads half of one build.
//
//   node build/build.mjs    build when a source is newer than the current build (make install)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const POINTER = join(DIST, 'current');
/** What is compiled: every file there may be part of the bundle. */
const SOURCE_DIRS = ['pipeline', 'models'];
/** The versions of the bundled packages, and how they are bundled. */
const LOCK_FILES = ['package.json', 'package-lock.json', 'build/build.mjs'];
/** Imported at run time from node_modules, not bundled. */
const EXTERNAL = ['@duckdb/node-bindings', 'vega', 'vega-lite', 'apache-arrow'];
/** Earlier builds are kept this long: a long run started from one may still import from it. */
const KEEP_OLD_MS = 6 * 3600_000;

function walk(dir, visit) {
  visit(dir, true);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, visit);
    else visit(path, false);
  }
}

/** True when any source file or folder (a file added, moved, removed) changed after the current build began. */
function isStale() {
  let built;
  try {
    built = statSync(POINTER).mtimeMs;
  } catch {
    return true;
  }
  const [id, root] = readFileSync(POINTER, 'utf8').split('\n');
  // A moved checkout builds again: the compiled files name their sources' paths.
  if (root !== ROOT || !existsSync(join(DIST, id, 'pipeline', 'main.js'))) return true;
  let stale = LOCK_FILES.some((f) => statSync(join(ROOT, f)).mtimeMs > built);
  for (const dir of SOURCE_DIRS) {
    if (!stale) walk(join(ROOT, dir), (path) => {
      if (!stale && statSync(path).mtimeMs > built) stale = true;
    });
  }
  return stale;
}

function sourceFiles() {
  const files = [];
  for (const dir of SOURCE_DIRS) walk(join(ROOT, dir), (path, isDir) => {
    if (!isDir && path.endsWith('.ts')) files.push(path);
  });
  return files.sort();
}

/**
 * esbuild plugin: import.meta.url becomes the source file's URL (paths relative to the sources stay
 * right), in our sources and in yargs' (its locales, read from node_modules/yargs/locales).
 */
const sourceUrls = {
  name: 'source-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
    b.onLoad({ filter: /node_modules\/(yargs|yargs-parser)\/.*\.m?js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'js',
    }));
  },
};

/**
 * esbuild plugin: every import of string-width (yargs, cliui, wrap-ansi lay out --help with it) goes
 * through a fast path: a line of printable ASCII is as wide as it is long, which is what
 * string-width answers for it. Other text is measured by the real package, loaded on first use:
 * its top level builds Unicode property regexes and an Intl.Segmenter (about 40 ms at start-up).
 */
const asciiWidth = {
  name: 'ascii-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'ascii-width' };
    });
    b.onLoad({ filter: /.*/, namespace: 'ascii-width' }, (args) => ({
      contents: `const PRINTABLE_ASCII = /^[\\x20-\\x7e]*$/;
export default function stringWidth(text, options) {
  if (typeof text === 'string' && PRINTABLE_ASCII.test(text)) return text.length;
  return require(${JSON.stringify(args.path)}).default(text, options);
}`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

async function build() {
  const started = new Date();
  const hash = createHash('sha256');
  hash.update(ROOT).update('\0');
  for (const f of [...LOCK_FILES.map((l) => join(ROOT, l)), ...sourceFiles()]) hash.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  const id = hash.digest('hex').slice(0, 16);
  const target = join(DIST, id);
  if (!existsSync(join(target, 'pipeline', 'main.js'))) {
    const { build: esbuild } = await import('esbuild');
    const tmp = join(DIST, `.${id}.${process.pid}`);
    await esbuild({
      entryPoints: [join(ROOT, 'pipeline', 'main.ts')], bundle: true, splitting: true, external: EXTERNAL,
      outdir: join(tmp, 'pipeline'), format: 'esm', platform: 'node', target: 'node20', logLevel: 'error',
      // Bundled CommonJS packages call require().
      banner: { js: "import { createRequire as acCreateRequire } from 'node:module'; const require = acCreateRequire(import.meta.url);" },
      plugins: [sourceUrls, asciiWidth],
    });
    writeFileSync(join(tmp, 'package.json'), '{ "type": "module" }\n');
    try {
      renameSync(tmp, target);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process built the same sources first
    }
  }
  const next = join(DIST, `.current.${process.pid}`);
  writeFileSync(next, `${id}\n${ROOT}\n`);
  // The build is as new as the sources it read: a file saved while building makes the next run build again.
  utimesSync(next, started, started);
  renameSync(next, POINTER);
  for (const entry of readdirSync(DIST)) {
    const path = join(DIST, entry);
    if (entry !== id && entry !== 'current' && Date.now() - statSync(path).mtimeMs > KEEP_OLD_MS) rmSync(path, { recursive: true, force: true });
  }
  return target;
}

/** The folder of an up-to-date build of the sources, building it first when needed. */
export async function ensureBuilt() {
  mkdirSync(DIST, { recursive: true });
  if (isStale()) return build();
  return join(DIST, readFileSync(POINTER, 'utf8').split('\n')[0]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await ensureBuilt();
