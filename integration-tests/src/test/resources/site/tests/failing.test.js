// Two failures: a strict equality and a deep one.
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('strict equal is strict', () => {
  assert.equal(1, '1');
});

test('deep equal shows a diff', () => {
  assert.deepEqual({ name: 'daebug', tags: ['a', 'b'] }, { name: 'daebug', tags: ['a', 'c'] });
});

test('throws passes', () => {
  assert.throws(() => { throw new TypeError('bad'); }, TypeError);
});
