import test from 'node:test';
import assert from 'node:assert/strict';
import { formatArgs, formatValue, formatError, formatRejection } from '../src/format.js';

test('strings as they are, other values compactly, joined by a space', () => {
  assert.equal(formatArgs(['loaded', 3, 'widgets']), 'loaded 3 widgets');
  assert.equal(formatArgs([{ a: 1, b: [1, 'x'] }]), '{"a":1,"b":[1,"x"]}');
  assert.equal(formatArgs([null, true, undefined, NaN, -0, 12n]), 'null true undefined NaN -0 12n');
  assert.equal(formatArgs([]), '');
});

test('values JSON cannot hold use console notation', () => {
  const o = { a: undefined, f() {} };
  o.self = o;
  assert.equal(formatValue(o), '{a: undefined, f: [Function: f], self: [Circular ~]}');
  assert.equal(formatValue(new Map([['k', { x: 1 }]])), 'Map(1) {"k" => {x: 1}}');
  assert.equal(formatValue(new Set([1, 2])), 'Set(2) {1, 2}');
  assert.equal(formatValue([1, , 3]), '[1, <1 empty item>, 3]'); // eslint-disable-line no-sparse-arrays
  class P { constructor() { this.x = 1; } }
  assert.equal(formatValue(new P()), 'P {x: 1}');
  assert.equal(formatValue(class Q {}), '[class Q]');
  assert.equal(formatValue(new Uint8Array([1, 2])), 'Uint8Array(2) [1, 2]');
  assert.equal(formatValue(new Date(0)), '1970-01-01T00:00:00.000Z');
  assert.equal(formatValue(Symbol('s')), 'Symbol(s)');
});

test('Errors are shown as their stack', () => {
  const e = new Error('bad');
  assert.equal(formatArgs(['failed:', e]), 'failed: ' + e.stack);
  const noStack = new Error('m');
  noStack.stack = '    at frame (f.js:1:1)';
  assert.equal(formatValue(noStack), 'Error: m\n    at frame (f.js:1:1)');
});

test('printf-style substitutions', () => {
  assert.equal(formatArgs(['%s is %d%%', 'x', 4.7]), 'x is 4%');
  assert.equal(formatArgs(['%c styled', 'color: red']), ' styled');
  assert.equal(formatArgs(['%o', { a: 1 }]), '{"a":1}');
  assert.equal(formatArgs(['100%']), '100%');
});

test('never throws', () => {
  const evil = new Proxy({}, { get() { throw new Error('t'); }, ownKeys() { throw new Error('k'); },
    getPrototypeOf() { throw new Error('p'); }, getOwnPropertyDescriptor() { throw new Error('d'); } });
  assert.equal(typeof formatArgs([evil, { get x() { throw new Error('g'); } }]), 'string');
  assert.equal(typeof formatError(evil), 'string');
  assert.equal(typeof formatRejection(evil), 'string');
});

test('window.onerror and unhandledrejection texts', () => {
  const e = new ReferenceError('x is not defined');
  assert.equal(formatError(e, { message: 'Uncaught ReferenceError' }), e.stack);
  assert.equal(formatError(null, { message: 'Script error.', filename: 'http://h/app.js', lineno: 3, colno: 1 }),
    'Script error. at http://h/app.js:3:1');
  assert.equal(formatRejection(e), e.stack);
  assert.equal(formatRejection('plain'), 'plain');
  assert.equal(formatRejection({ code: 1 }), '{"code":1}');
  assert.equal(formatRejection(undefined), 'undefined');
});
