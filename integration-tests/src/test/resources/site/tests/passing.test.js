// Passes under node --test and in the page (daebug.test).
import { describe, it, before, beforeEach, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';

describe('arithmetic', () => {
  let calls = [];
  before(() => { calls = []; });
  beforeEach(() => calls.push('each'));
  afterEach(() => calls.push('after'));

  it('adds', () => {
    assert.equal(1 + 2, 3);
  });

  it('waits', async () => {
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual({ a: [1, 2] }, { a: [1, 2] });
  });

  it('runs hooks around each test', () => {
    assert.deepEqual(calls, ['each', 'after', 'each', 'after', 'each']);
  });
});

test('subtests and diagnostics', async (t) => {
  t.diagnostic('checked twice');
  await t.test('first', () => assert.ok(true));
  await t.test('second', () => assert.match('abc', /b/));
});

test('callback style', (t, done) => {
  setTimeout(() => done(), 1);
});
