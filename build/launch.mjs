// bin/alert-context's entry: the compiled CLI, rebuilt first when a source changed (build.mjs).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build.mjs';

await import(pathToFileURL(join(await ensureBuilt(), 'pipeline', 'main.js')).href);
