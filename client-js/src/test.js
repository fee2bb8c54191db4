// `node:test` for pages (mapped by the broker's import map): `test`/`it`, `describe`/`suite`,
// `before`/`after`/`beforeEach`/`afterEach`, `skip`/`todo`/`only` (as options and as `test.skip`,
// `describe.only`, ...), async and callback-style tests, timeouts, and the test context `t` with
// `t.name`, `t.fullName`, `t.signal`, `t.assert`, `t.skip()`, `t.todo()`, `t.diagnostic()` and
// subtests `t.test()`.
//
// Differences from node: tests declared while `daebug.test()` imports a file are collected and run
// after the import, file by file (testing.js); a test declared anywhere else runs on its own at the
// next task, its outcome printed with console.log. `only` needs no flag: when a suite (or a file)
// has tests marked `only`, its other tests are skipped. Tests run one after another, never
// concurrently; `concurrency` is ignored.

import strictAssert from './assert-strict.js';

/** A group of tests: a file's top level or a describe() block. */
export class Suite {
  constructor(name, options = {}, parent = null) {
    this.name = name;
    this.parent = parent;
    this.options = options;
    this.children = [];
    this.hooks = { before: [], after: [], beforeEach: [], afterEach: [] };
    this.ready = Promise.resolve();
  }
}

class Case {
  constructor(name, options, fn, parent) {
    this.name = name;
    this.options = options;
    this.fn = fn;
    this.parent = parent;
    this.done = deferred();
  }
}

let current = null; // the suite collecting declarations, or null

/**
 * Collects the declarations `load()` makes into `root` (a file's suite).
 *
 * @param {Suite} root
 * @param {() => Promise<*>} load e.g. `() => import(url)`
 */
export async function collect(root, load) {
  const previous = current;
  current = root;
  try {
    await load();
  } finally {
    current = previous;
  }
}

function args(name, options, fn) {
  if (typeof name === 'function') return [name.name || '<anonymous>', {}, name];
  if (typeof name === 'object' && name !== null) return [fn?.name || '<anonymous>', name, options];
  if (typeof options === 'function') return [String(name ?? '<anonymous>'), {}, options];
  return [String(name ?? '<anonymous>'), options || {}, fn];
}

function declare(kind, extra, name, options, fn) {
  const [n, o, f] = args(name, options, fn);
  const opts = { ...o, ...extra };
  if (kind === 'suite') {
    const parent = current || adhocRoot();
    const suite = new Suite(n, opts, parent);
    parent.children.push(suite);
    const previous = current;
    current = suite;
    try {
      const r = typeof f === 'function' ? f.call(undefined, suite) : undefined;
      if (r && typeof r.then === 'function') suite.ready = Promise.resolve(r).catch((e) => { suite.error = e; });
    } catch (e) {
      suite.error = e;
    } finally {
      current = previous;
    }
    return Promise.resolve();
  }
  const parent = current || adhocRoot();
  const c = new Case(n, opts, f, parent);
  parent.children.push(c);
  return c.done.promise;
}

let adhoc = null;
function adhocRoot() {
  if (!adhoc) {
    const root = new Suite('');
    adhoc = root;
    setTimeout(async () => {
      adhoc = null;
      const results = await runSuite(root, []);
      for (const r of results) console.log(resultLine(r));
    }, 0);
  }
  return adhoc;
}

function withVariants(fn, kind) {
  fn.skip = (name, options, f) => declare(kind, { skip: true }, name, options, f);
  fn.todo = (name, options, f) => declare(kind, { todo: true }, name, options, f);
  fn.only = (name, options, f) => declare(kind, { only: true }, name, options, f);
  return fn;
}

/** Declares a test: `test(name?, options?, fn?)`; resolves when it has run. */
export const test = withVariants((name, options, fn) => declare('test', {}, name, options, fn), 'test');
export const it = test;
/** Declares a suite: `describe(name?, options?, fn)`. */
export const describe = withVariants((name, options, fn) => declare('suite', {}, name, options, fn), 'suite');
export const suite = describe;

function hook(kind) {
  return (fn, options = {}) => {
    (current || adhocRoot()).hooks[kind].push({ fn, options });
  };
}
export const before = hook('before');
export const after = hook('after');
export const beforeEach = hook('beforeEach');
export const afterEach = hook('afterEach');

Object.assign(test, { test, it, describe, suite, before, after, beforeEach, afterEach });
export default test;

/** The `t` given to tests and hooks. */
export class TestContext {
  constructor(name, path, results, signal) {
    this.name = name;
    this.fullName = path.join(' > ');
    this.path = path;
    this.signal = signal;
    this.assert = strictAssert;
    this.diagnostics = [];
    this.skipped = undefined;
    this.todoReason = undefined;
    this.subtests = [];
    this._results = results;
  }

  skip(message = '') { this.skipped = String(message); }

  todo(message = '') { this.todoReason = String(message); }

  diagnostic(message) { this.diagnostics.push(String(message)); }

  /** A subtest, run now; the test waits for it before it ends. */
  test(name, options, fn) {
    const [n, o, f] = args(name, options, fn);
    const c = new Case(n, o, f, null);
    const p = runCase(c, this.path, [], this._results);
    this.subtests.push(p);
    return p;
  }
}

/**
 * A test's outcome.
 * @typedef {{path: string[], status: 'pass'|'fail'|'skip'|'todo', durationMs: number, error?: *,
 *   reason?: string, diagnostics: string[]}} Result
 */

/**
 * Runs a suite: its `before` hooks, its tests and suites in order (only the `only` ones when some
 * are), with every enclosing suite's `beforeEach`/`afterEach` around each test, then its `after` hooks.
 *
 * @param {Suite} suite
 * @param {string[]} path names above it (a file's suite passes `[file]`)
 * @param {{onResult?: (r: Result) => void}} [options]
 * @returns {Promise<Result[]>} the results, in run order
 */
export async function runSuite(suite, path, options = {}) {
  const results = [];
  results.onResult = options.onResult || (() => {});
  await walk(suite, path, [], results, false);
  return results;
}

async function walk(s, path, chain, results, skipped) {
  await s.ready;
  const here = s.name ? [...path, s.name] : path;
  const o = s.options;
  const hooksChain = [...chain, s];
  if (skipped || o.skip || o.todo) {
    // A skipped suite is one entry, as node reports it; its tests are not run or listed.
    const reason = typeof skipped === 'string' ? skipped : typeof o.skip === 'string' ? o.skip
      : typeof o.todo === 'string' ? o.todo : '';
    record(results, { path: here, status: o.todo && !skipped ? 'todo' : 'skip', durationMs: 0, reason,
      diagnostics: [], suite: true });
    return;
  }
  if (s.error) {
    record(results, { path: here, status: 'fail', durationMs: 0, error: s.error, diagnostics: [] });
    return;
  }
  let hookError = null;
  for (const h of s.hooks.before) {
    try { await call(h.fn, new TestContext(s.name, here, results), h.options.timeout); } catch (e) { hookError = e; break; }
  }
  const onlyMode = s.children.some((c) => c.options.only);
  for (const child of s.children) {
    const skip = onlyMode && !child.options.only ? "'only' option not set" : null;
    if (child instanceof Suite) {
      await walk(child, here, hooksChain, results, skip);
    } else if (hookError) {
      record(results, { path: [...here, child.name], status: 'fail', durationMs: 0, error: hookError, diagnostics: [] });
      child.done.resolve();
    } else {
      const opts = skip && !child.options.skip && !child.options.todo ? { ...child.options, skip } : child.options;
      await runCase(child, here, hooksChain, results, opts);
    }
  }
  for (const h of s.hooks.after) {
    try {
      await call(h.fn, new TestContext(s.name, here, results), h.options.timeout);
    } catch (e) {
      record(results, { path: [...here, 'after hook'], status: 'fail', durationMs: 0, error: e, diagnostics: [] });
    }
  }
}

async function runCase(c, path, chain, results, o = c.options) {
  const here = [...path, c.name];
  if (o.skip) {
    const r = { path: here, status: 'skip', durationMs: 0, reason: typeof o.skip === 'string' ? o.skip : '', diagnostics: [] };
    record(results, r);
    c.done.resolve();
    return r;
  }
  const abort = typeof AbortController === 'function' ? new AbortController() : null;
  const t = new TestContext(c.name, here, results, abort ? abort.signal : undefined);
  const started = now();
  let error = null;
  try {
    for (const s of chain) for (const h of s.hooks.beforeEach) await call(h.fn, t, h.options.timeout);
    if (typeof c.fn === 'function') await call(c.fn, t, o.timeout, abort);
    const subs = await Promise.all(t.subtests);
    const failed = subs.filter((r) => r.status === 'fail').length;
    if (failed) error = new Error(`${failed} subtest${failed > 1 ? 's' : ''} failed`);
  } catch (e) {
    error = e;
  }
  for (const s of [...chain].reverse()) {
    for (const h of s.hooks.afterEach) {
      try { await call(h.fn, t, h.options.timeout); } catch (e) { if (!error) error = e; }
    }
  }
  const durationMs = now() - started;
  let r;
  if (o.todo || t.todoReason !== undefined) {
    r = { path: here, status: 'todo', durationMs, reason: t.todoReason ?? (typeof o.todo === 'string' ? o.todo : ''), error, diagnostics: t.diagnostics };
  } else if (t.skipped !== undefined && !error) {
    r = { path: here, status: 'skip', durationMs, reason: t.skipped, diagnostics: t.diagnostics };
  } else {
    r = { path: here, status: error ? 'fail' : 'pass', durationMs, error: error || undefined, diagnostics: t.diagnostics };
  }
  record(results, r);
  c.done.resolve();
  return r;
}

function record(results, r) {
  results.push(r);
  try { results.onResult(r); } catch { /* a reporter must not break the run */ }
}

/** Calls a test or hook: awaits its promise, or its `done` callback when it takes two arguments. */
function call(fn, t, timeout, abort) {
  const run = fn.length >= 2
    ? new Promise((resolve, reject) => {
      try {
        const r = fn(t, (err) => (err ? reject(err) : resolve()));
        if (r && typeof r.then === 'function') r.then(undefined, reject);
      } catch (e) { reject(e); }
    })
    : Promise.resolve().then(() => fn(t));
  if (!(timeout > 0 && timeout < Infinity)) return run;
  let timer;
  return Promise.race([run, new Promise((_, reject) => {
    timer = setTimeout(() => {
      const e = new Error(`test timed out after ${timeout}ms`);
      e.code = 'ERR_TEST_FAILURE';
      if (abort) abort.abort(e);
      reject(e);
    }, timeout);
  })]).finally(() => clearTimeout(timer));
}

function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

function now() {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** One report line: `✓ a > b (3ms)`, `✗ ...`, `○ ... # SKIP why`, `○ ... # TODO`. */
export function resultLine(r) {
  const name = r.path.join(' > ');
  switch (r.status) {
    case 'pass': return `✓ ${name} (${duration(r.durationMs)})`;
    case 'fail': return `✗ ${name} (${duration(r.durationMs)})`;
    case 'todo': return `○ ${name} # TODO${r.reason ? ` ${r.reason}` : ''}`;
    default: return `○ ${name} # SKIP${r.reason ? ` ${r.reason}` : ''}`;
  }
}

/** `Nms` below 2 s, else seconds with one decimal, as the journal shows durations. */
export function duration(ms) {
  return ms < 2000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}
