// The in-page node:test (src/test.js) and daebug.test's runner and report (src/testing.js): the
// integration tests' sample suite run by ours and by node's own runner gives the same counts.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Suite, collect, runSuite, test as t2, describe, it, before, beforeEach, afterEach, after } from '../src/test.js';
import { runTests, report } from '../src/testing.js';

const SUITE = fileURLToPath(new URL('../../integration-tests/src/test/resources/site/tests/', import.meta.url));
const SRC = new URL('../src/', import.meta.url);

/** Copies the sample suite with node:test and node:assert/strict pointing at ours (a page's import map). */
function mappedSuite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daebug-suite-'));
  return fs.readdirSync(SUITE).sort().map((f) => {
    const src = fs.readFileSync(path.join(SUITE, f), 'utf8')
      .replaceAll("'node:test'", JSON.stringify(new URL('test.js', SRC).href))
      .replaceAll("'node:assert/strict'", JSON.stringify(new URL('assert-strict.js', SRC).href));
    fs.writeFileSync(path.join(dir, f), src);
    return { name: f, url: pathToFileURL(path.join(dir, f)).href };
  });
}

function nodeCounts(file) {
  let out;
  try {
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT; // run as a top-level test run, not as a child of this one
    out = execFileSync(process.execPath, ['--test', '--test-reporter=tap', file], { encoding: 'utf8', env });
  } catch (e) {
    out = e.stdout;
  }
  const n = (k) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(out)[1]);
  return { pass: n('pass'), fail: n('fail'), skip: n('skipped') + n('todo') };
}

test('the sample suite: the same pass, fail and skip counts as node --test, file by file', async () => {
  const progress = [];
  const files = mappedSuite();
  await runTests(files.map((f) => f.url), { base: 'file:///', log: (l) => progress.push(l) });
  for (const [i, f] of files.entries()) {
    const want = nodeCounts(path.join(SUITE, f.name));
    const [, pass, fail, skip] = /: (\d+) pass, (\d+) fail, (\d+) skip$/.exec(progress[i]).map(Number);
    // A skipped describe() is one entry in our report; node counts it among suites, not tests.
    const skippedSuites = f.name === 'skipped.test.js' ? 1 : 0;
    assert.deepEqual({ pass, fail, skip: skip - skippedSuites }, want, f.name);
  }
});

test('the report: header, failures first with diff and stack, then the rest in run order', async () => {
  const files = mappedSuite();
  const value = await runTests(files.map((f) => f.url), { base: 'file:///', log: () => {} });
  const lines = String(value).split('\n');
  // the duration as the journal shows it: Nms, or N.Ns from 2 s on (a busy machine takes that long)
  assert.match(lines[0], /^## Test Results: 8 pass, 3 fail, 4 skip \((\d+ms|\d+\.\ds)\)$/);
  const marks = lines.filter((l) => /^[✓✗○] /.test(l)).map((l) => l[0]).join('');
  assert.equal(marks, '✗✗✗✓✓✓✓✓✓✓✓○○○○');
  assert.ok(lines.includes("    1 !== '1'"));
  assert.ok(lines.includes("    +     'b'") && lines.includes("    -     'c'"));
  assert.ok(lines.some((l) => /^ {8}at file:.*failing\.test\.js\?daebug-run=\d+:6:10$/.test(l)), lines.join('\n'));
  assert.ok(lines.includes('    # checked twice'));
  assert.ok(lines.includes(`○ ${files[3].url} > skips itself # SKIP no network here`));
});

async function run(declare) {
  const root = new Suite('f');
  await collect(root, async () => declare());
  return (await runSuite(root, [])).map((r) => `${r.status} ${r.path.join(' > ')}${r.reason ? ` (${r.reason})` : ''}`);
}

test('only, hooks, failing hooks, timeouts, todo and skip from the context', async () => {
  const order = [];
  assert.deepEqual(await run(() => {
    describe('s', () => {
      before(() => order.push('before'));
      beforeEach(() => order.push('each'));
      afterEach(() => order.push('afterEach'));
      after(() => order.push('after'));
      it.only('a', () => order.push('a'));
      it('b', () => order.push('b'));
    });
    t2('slow', { timeout: 20 }, () => new Promise(() => {}));
    t2('todo from t', (t) => { t.todo('later'); throw new Error('ignored'); });
    describe('broken before', () => {
      before(() => { throw new Error('no setup'); });
      it('c', () => {});
    });
  }), ['pass f > s > a', "skip f > s > b ('only' option not set)", 'fail f > slow', 'todo f > todo from t (later)',
    'fail f > broken before > c']);
  assert.deepEqual(order, ['before', 'each', 'a', 'afterEach', 'after']);
});

test('a failing subtest fails its parent; report() counts todo as skip', async () => {
  const results = [];
  const root = new Suite('f');
  await collect(root, async () => {
    t2('parent', async (t) => {
      await t.test('ok', () => {});
      await t.test('bad', () => { throw new Error('sub'); });
    });
    t2.todo('later');
  });
  results.push(...await runSuite(root, []));
  assert.deepEqual(results.map((r) => r.status), ['pass', 'fail', 'fail', 'todo']);
  assert.equal(results[2].error.message, '1 subtest failed');
  assert.match(report(results, 3).split('\n')[0], /^## Test Results: 1 pass, 2 fail, 1 skip \(3ms\)$/);
});
