// The in-page node:assert (src/assert.js, src/assert-strict.js) against node's own, on the same calls.
import test from 'node:test';
import nodeAssert from 'node:assert';
import nodeStrict from 'node:assert/strict';
import assert, { AssertionError } from '../src/assert.js';
import strict from '../src/assert-strict.js';
import { inspect, isDeepEqual } from '../src/inspect.js';

/** Whether fn throws, and what code/operator/actual/expected its AssertionError carries. */
function outcome(fn) {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return [e.name, e.code, e.operator];
  }
}

const CASES = [
  ['equal', [1, '1']], ['equal', [1, 2]], ['equal', [NaN, NaN]], ['equal', [null, undefined]],
  ['notEqual', [1, '1']], ['notEqual', [1, 2]],
  ['deepEqual', [{ a: 1 }, { a: '1' }]], ['deepEqual', [[1, 2], [1, 2]]], ['deepEqual', [{ a: [1] }, { a: [2] }]],
  ['deepEqual', [new Date(0), new Date(0)]], ['deepEqual', [new Map([[1, { a: 1 }]]), new Map([[1, { a: 1 }]])]],
  ['deepEqual', [new Set([1, 2]), new Set([2, 1])]], ['deepEqual', [new Set([1]), new Set([2])]],
  ['deepEqual', [Object.create(null), {}]], ['deepEqual', [0, -0]], ['deepEqual', [/a/g, /a/g]],
  ['deepEqual', [new Error('x'), new Error('y')]], ['deepEqual', [new Uint8Array([1]), new Uint8Array([1])]],
  ['notDeepEqual', [{ a: 1 }, { a: 1 }]], ['strictEqual', [NaN, NaN]], ['strictEqual', [0, -0]],
  ['deepStrictEqual', [{ a: 1, b: undefined }, { a: 1 }]], ['notStrictEqual', [1, 1]],
  ['ok', [0]], ['ok', ['x']], ['match', ['abc', /b/]], ['match', ['abc', /z/]], ['doesNotMatch', ['abc', /z/]],
  ['ifError', [null]], ['ifError', [new Error('e')]],
];

for (const [label, mine, theirs] of [['legacy', assert, nodeAssert], ['strict', strict, nodeStrict]]) {
  test(`${label} mode: same outcomes as node's assert`, () => {
    for (const [method, args] of CASES) {
      const a = outcome(() => mine[method](...args));
      const b = outcome(() => theirs[method](...args));
      nodeStrict.deepEqual(a, b, `${label} ${method}(${args.map((x) => inspect(x)).join(', ')})`);
    }
  });
}

test('strict means strict: equal is ===, deepEqual compares prototypes', () => {
  nodeStrict.throws(() => strict.equal(1, '1'), AssertionError);
  nodeStrict.throws(() => strict.deepEqual(Object.create(null), {}), AssertionError);
  assert.equal(1, '1');
  assert.deepEqual({ a: 1 }, { a: '1' });
  nodeStrict.equal(strict, assert.strict);
});

test('AssertionError: actual, expected, operator, generatedMessage and a readable diff', () => {
  try {
    strict.deepEqual({ name: 'x', tags: ['a', 'b'] }, { name: 'x', tags: ['a', 'c'] });
    nodeStrict.fail('did not throw');
  } catch (e) {
    nodeStrict.ok(e instanceof AssertionError);
    nodeStrict.deepEqual([e.operator, e.generatedMessage, e.code], ['deepStrictEqual', true, 'ERR_ASSERTION']);
    nodeStrict.deepEqual(e.actual, { name: 'x', tags: ['a', 'b'] });
    nodeStrict.equal(e.message, [
      'Expected values to be strictly deep-equal:', '+ actual - expected', '',
      '  {', "    name: 'x',", '    tags: [', "      'a',", "+     'b'", "-     'c'", '    ]', '  }', ''].join('\n'));
  }
  try {
    strict.equal(1, 2, 'custom');
  } catch (e) {
    nodeStrict.deepEqual([e.message, e.generatedMessage, e.actual, e.expected], ['custom', false, 1, 2]);
  }
  nodeStrict.equal(outcome(() => strict.equal(1, 2)).toString(), 'AssertionError,ERR_ASSERTION,strictEqual');
});

test('throws and rejects check the error like node', async () => {
  strict.throws(() => { throw new TypeError('bad'); }, TypeError);
  strict.throws(() => { throw new TypeError('bad thing'); }, /bad/);
  strict.throws(() => { throw new TypeError('bad'); }, { name: 'TypeError', message: 'bad' });
  strict.throws(() => { throw new TypeError('bad'); }, (e) => e.message === 'bad');
  nodeStrict.throws(() => strict.throws(() => {}), { message: 'Missing expected exception.' });
  nodeStrict.throws(() => strict.throws(() => { throw new Error('x'); }, TypeError), AssertionError);
  await strict.rejects(Promise.reject(new Error('r')), /r/);
  await strict.rejects(async () => { throw new RangeError('q'); }, RangeError);
  await nodeStrict.rejects(strict.rejects(Promise.resolve(1)), { message: 'Missing expected rejection.' });
  await strict.doesNotReject(Promise.resolve(1));
  strict.doesNotThrow(() => 1);
});

test('inspect follows node with compact: false and sorted keys', () => {
  nodeStrict.equal(inspect({ b: 1, a: 'x' }), "{\n  a: 'x',\n  b: 1\n}");
  nodeStrict.equal(inspect([]), '[]');
  nodeStrict.equal(inspect(new Map([['k', 1]])), "Map(1) {\n  'k' => 1\n}");
  nodeStrict.equal(inspect(-0), '-0');
  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  nodeStrict.equal(inspect(cyclic), '{\n  a: 1,\n  self: [Circular *1]\n}');
  nodeStrict.ok(isDeepEqual(cyclic, cyclic, true));
});
