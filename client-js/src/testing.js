// `daebug.test(pattern)`: finds test modules among the files the broker serves, imports each one
// while collecting its node:test declarations (test.js), runs them file by file, prints a line per
// file as it finishes (console output, so the job's log shows progress) and resolves to the report
// as a text value (a `Text` fence in the log, see encode.js `text`):
//
//   ## Test Results: 3 pass, 2 fail, 2 skip (41ms)
//   ✗ /tests/math.test.js > sums > adds (1ms)
//       AssertionError [ERR_ASSERTION]: Expected values to be strictly equal: ...
//   ✓ /tests/math.test.js > sums > subtracts (0ms)
//   ○ /tests/later.test.js > someday # TODO
//
// Failures come first, each followed by its error (message with the assertion diff, then stack),
// indented four spaces; then the other tests in run order. Todo tests count as skipped. A file that
// fails to import is one failing test named after the file.

import { Suite, collect, runSuite, resultLine, duration } from './test.js';
import { text } from './encode.js';
import { trimStack } from './session.js';

let runs = 0;
let queue = Promise.resolve();

/**
 * Runs test files.
 *
 * @param {string|string[]} pattern a glob over the served files (`tests/**\/*.test.js`), or a list
 *   of URLs/paths
 * @param {{base?: string, log?: (line: string) => void, importer?: (url: string) => Promise<*>,
 *   list?: (pattern: string) => Promise<string[]>}} [options] `base`: where the broker is (the
 *   URL of page.js); `log` prints progress (console.log); `importer` and `list` are for tests
 * @returns {Promise<{toString(): string}>} the report, shown as text when it is a job's value
 */
export function runTests(pattern, options = {}) {
  const run = queue.then(() => runAll(pattern, options));
  queue = run.catch(() => {});
  return run;
}

async function runAll(pattern, { base = defaultBase(), log = (l) => console.log(l), importer, list } = {}) {
  const started = now();
  const files = Array.isArray(pattern) ? pattern.map(String) : await (list || globber(base))(String(pattern));
  const load = importer || ((url) => import(url));
  const results = [];
  const run = ++runs;
  for (const file of files) {
    const root = new Suite(file);
    const url = new URL(file, base);
    url.searchParams.set('daebug-run', String(run));
    let fileResults;
    try {
      await collect(root, () => load(url.href));
      fileResults = await runSuite(root, []);
    } catch (e) {
      fileResults = [{ path: [file], status: 'fail', durationMs: 0, error: e, diagnostics: [] }];
    }
    results.push(...fileResults);
    const c = counts(fileResults);
    log(`${file}: ${c.pass} pass, ${c.fail} fail, ${c.skip} skip`);
  }
  return text(report(results, now() - started, files.length === 0 ? pattern : null));
}

function globber(base) {
  return async (pattern) => {
    const url = new URL('glob', base);
    url.searchParams.set('pattern', pattern);
    const response = await fetch(url.href);
    if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status}`);
    return (await response.json()).files;
  };
}

function counts(results) {
  const c = { pass: 0, fail: 0, skip: 0 };
  for (const r of results) c[r.status === 'todo' ? 'skip' : r.status]++;
  return c;
}

/**
 * The report text.
 *
 * @param {import('./test.js').Result[]} results
 * @param {number} ms the run's duration
 * @param {*} [nothingFor] the pattern, when it matched no file
 * @returns {string}
 */
export function report(results, ms, nothingFor = null) {
  const c = counts(results);
  const lines = [`## Test Results: ${c.pass} pass, ${c.fail} fail, ${c.skip} skip (${duration(ms)})`];
  if (nothingFor !== null) lines.push(`no files match ${nothingFor}`);
  const failures = results.filter((r) => r.status === 'fail');
  for (const r of failures) {
    lines.push(resultLine(r));
    for (const l of errorText(r.error).split('\n')) lines.push(l ? `    ${l}` : '');
    for (const d of r.diagnostics) lines.push(`    # ${d}`);
  }
  for (const r of results) {
    if (r.status === 'fail') continue;
    lines.push(resultLine(r));
    for (const d of r.diagnostics) lines.push(`    # ${d}`);
  }
  return lines.join('\n');
}

/** An error as `Name [code]: message` and its stack frames (the shim's frames cut). */
export function errorText(e) {
  if (!(e instanceof Error)) {
    let s;
    try { s = String(e); } catch { s = Object.prototype.toString.call(e); }
    return `Uncaught ${s}`;
  }
  const head = `${e.name}${e.code && e.name === 'AssertionError' ? ` [${e.code}]` : ''}: ${e.message}`;
  const stack = typeof e.stack === 'string' ? e.stack : '';
  const frames = stack.split('\n').filter((l) => /^\s+at /.test(l)).map((l) => l.trim());
  const trimmed = trimStack(frames.map((f) => `    ${f}`).join('\n'));
  return (trimmed ? `${head}\n${trimmed}` : head).replace(/\n+$/, '');
}

function defaultBase() {
  const d = typeof globalThis !== 'undefined' && globalThis.daebug;
  if (d && d.scriptUrl) return d.scriptUrl;
  return new URL('./', import.meta.url).href;
}

function now() {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
