// Before any test: the compiled CLI that tests run through bin/alert-context is built from the
// current sources once, not by each of the test processes that start it at the same time.
// The tests' temporary files go under one directory of the run, removed when the run ends (a run
// left about 190 directories, 1 GB, in /tmp before); AC_KEEP_TEST_DIRS=1 keeps it for a look.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../build/build.mjs';

/** @param {import('vitest/node').TestProject} project */
export default async function setup(project) {
  await ensureBuilt();
  const root = mkdtempSync(join(tmpdir(), 'ac-test-run-'));
  project.provide('testTmp', root);
  return () => {
    if (process.env.AC_KEEP_TEST_DIRS) console.log(`test files kept in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
}
