import test from 'node:test';
import assert from 'node:assert/strict';
import { encode, encodeWithin, LIMITS } from '../src/encode.js';

const D = (kind, rest = {}) => ({ $daebug: kind, ...rest });

test('plain JSON values stay plain', () => {
  const v = { a: 1, b: 'x', c: [true, null, { d: 2.5 }], e: {} };
  assert.deepEqual(encode(v), v);
  assert.equal(encode('s'), 's');
  assert.equal(encode(0), 0);
  assert.equal(encode(null), null);
});

test('undefined, special numbers, bigint, symbol', () => {
  assert.deepEqual(encode(undefined), D('undefined'));
  assert.deepEqual(encode(NaN), D('number', { repr: 'NaN' }));
  assert.deepEqual(encode(Infinity), D('number', { repr: 'Infinity' }));
  assert.deepEqual(encode(-Infinity), D('number', { repr: '-Infinity' }));
  assert.deepEqual(encode(-0), D('number', { repr: '-0' }));
  assert.deepEqual(encode(12n), D('bigint', { repr: '12' }));
  assert.deepEqual(encode(Symbol('foo')), D('symbol', { repr: 'Symbol(foo)' }));
  assert.deepEqual(encode({ u: undefined }), { u: D('undefined') });
});

test('functions and classes', () => {
  function foo() {}
  class Point {}
  assert.deepEqual(encode(foo), D('function', { name: 'foo', class: false }));
  assert.deepEqual(encode(Point), D('function', { name: 'Point', class: true }));
  assert.deepEqual(encode([() => 1][0]), D('function', { name: '', class: false }));
  assert.deepEqual(encode(async () => {}), D('function', { name: '', class: false }));
});

test('cycles carry the path of the ancestor seen again', () => {
  const root = { a: { b: {} } };
  root.a.b.c = root.a;
  root.self = root;
  const e = encode(root);
  assert.deepEqual(e.a.b.c, D('circular', { path: '~.a' }));
  assert.deepEqual(e.self, D('circular', { path: '~' }));
  const arr = [1];
  arr.push({ back: arr, 'odd key': {} });
  arr[1]['odd key'].x = arr[1];
  const ea = encode(arr);
  assert.deepEqual(ea[1].back, D('circular', { path: '~' }));
  assert.deepEqual(ea[1]['odd key'].x, D('circular', { path: '~[1]' }));
  const deep = { list: [{}] };
  deep.list[0].up = deep.list;
  deep.list[0].me = deep.list[0];
  const ed = encode(deep);
  assert.deepEqual(ed.list[0].up, D('circular', { path: '~.list' }));
  assert.deepEqual(ed.list[0].me, D('circular', { path: '~.list[0]' }));
  const q = { 'a b': {} };
  q['a b'].z = q['a b'];
  assert.deepEqual(encode(q)['a b'].z, D('circular', { path: '~["a b"]' }));
});

test('repeated, non-cyclic references are encoded in full each time', () => {
  const shared = { x: 1 };
  assert.deepEqual(encode({ a: shared, b: shared, c: [shared, shared] }),
    { a: { x: 1 }, b: { x: 1 }, c: [{ x: 1 }, { x: 1 }] });
});

test('Map and Set, recursively', () => {
  const m = new Map([['k', 1], [{ o: 1 }, undefined]]);
  assert.deepEqual(encode(m), D('map', { size: 2, entries: [['k', 1], [{ o: 1 }, D('undefined')]] }));
  assert.deepEqual(encode(new Set([NaN])), D('set', { size: 1, values: [D('number', { repr: 'NaN' })] }));
  const cyc = new Map();
  cyc.set('me', cyc);
  assert.deepEqual(encode(cyc).entries[0][1], D('circular', { path: '~' }));
});

test('Date, Error, RegExp', () => {
  assert.deepEqual(encode(new Date('2026-11-25T10:11:12Z')), D('date', { iso: '2026-11-25T10:11:12.000Z' }));
  assert.deepEqual(encode(new Date(NaN)), D('date', { iso: 'Invalid Date' }));
  const err = new TypeError('x is not a function');
  assert.deepEqual(encode(err), D('error', { name: 'TypeError', message: 'x is not a function', stack: err.stack }));
  class MyError extends Error { constructor(m) { super(m); this.name = 'MyError'; } }
  assert.equal(encode(new MyError('m')).name, 'MyError');
  assert.deepEqual(encode(/a+/g), D('regexp', { repr: '/a+/g' }));
});

test('class instances, and plain objects owning a $daebug key', () => {
  class Point { constructor() { this.x = 1; this.y = 2; } }
  assert.deepEqual(encode(new Point()), D('object', { class: 'Point', entries: { x: 1, y: 2 } }));
  assert.deepEqual(encode({ $daebug: 'undefined' }),
    D('object', { class: 'Object', entries: { $daebug: 'undefined' } }));
  assert.deepEqual(encode(Object.assign(Object.create(null), { a: 1 })), { a: 1 });
});

test('typed arrays and ArrayBuffer', () => {
  assert.deepEqual(encode(new Uint8Array([1, 2, 3])), D('typedarray', { class: 'Uint8Array', size: 3, values: [1, 2, 3] }));
  assert.deepEqual(encode(new Uint8Array([1, 2]).buffer), D('typedarray', { class: 'ArrayBuffer', size: 2, values: [1, 2] }));
  assert.deepEqual(encode(new BigInt64Array([5n])).values, [D('bigint', { repr: '5' })]);
  assert.deepEqual(encode(new Float64Array([NaN])).values, [D('number', { repr: 'NaN' })]);
});

test('promises, weak collections and boxed primitives are opaque', () => {
  for (const v of [Promise.resolve(1), new WeakMap(), new WeakSet(), new WeakRef({}), new Number(3)]) {
    assert.equal(encode(v).$daebug, 'opaque', String(v));
  }
  assert.deepEqual(encode(new Number(3)), D('opaque', { repr: '[Number: 3]' }));
});

test('sparse holes', () => {
  // eslint-disable-next-line no-sparse-arrays
  assert.deepEqual(encode([1, , 3]), [1, D('hole'), 3]);
  assert.deepEqual(encode(new Array(2)), [D('hole'), D('hole')]);
});

test('throwing getters and throwing proxies are unreadable, never thrown', () => {
  const o = { ok: 1, get bad() { throw new TypeError('nope'); } };
  assert.deepEqual(encode(o), { ok: 1, bad: D('unreadable', { repr: '[Getter: threw TypeError: nope]' }) });
  const evil = new Proxy({}, { get() { throw new Error('trap'); }, ownKeys() { throw new Error('keys'); },
    getPrototypeOf() { throw new Error('proto'); }, getOwnPropertyDescriptor() { throw new Error('desc'); },
    has() { throw new Error('has'); } });
  const e = encode(evil);
  assert.equal(e.$daebug, 'unreadable');
  assert.deepEqual(Object.keys(encode({ evil }).evil), ['$daebug', 'repr']);
  const { proxy, revoke } = Proxy.revocable([], {});
  revoke();
  assert.equal(encode(proxy).$daebug, 'unreadable');
  assert.deepEqual(encode(new Proxy({ a: 1 }, {})), { a: 1 });
  // an inherited getter is never invoked
  let calls = 0;
  class Lazy { get value() { calls++; return 1; } }
  encode(new Lazy());
  assert.equal(calls, 0);
});

test('depth and size limits', () => {
  let deep = {};
  const root = deep;
  for (let i = 0; i < 30; i++) { deep.n = {}; deep = deep.n; }
  let node = encode(root);
  let depth = 0;
  while (node && node.n) { node = node.n; depth++; }
  assert.equal(depth, LIMITS.maxDepth); // 20 objects shown, the 21st level truncated
  assert.deepEqual(node, D('truncated', { repr: '[Object]', path: '~' + '.n'.repeat(20) }));
  const big = new Array(10005).fill(0);
  const e = encode(big);
  assert.equal(e.length, 10001);
  assert.deepEqual(e[10000], D('truncated', { repr: '... 5 more items', path: '~' }));
  const bigSet = encode(new Set(big.map((_, i) => i)));
  assert.equal(bigSet.size, 10005);
  assert.deepEqual(bigSet.values.at(-1), D('truncated', { repr: '... 5 more items', path: '~' }));
});

test('encodeWithin sends a value whole when its JSON fits, and cuts collections until it fits', () => {
  const rows = Array.from({ length: 100000 }, (_, i) => ({ i, s: 'x'.repeat(20) }));
  const whole = encodeWithin(rows, 8 * 1024 * 1024);
  assert.equal(whole.length, 100000); // encode() alone keeps 10,000
  assert.deepEqual(whole[99999], { i: 99999, s: 'x'.repeat(20) });
  const cut = encodeWithin(rows, 1000000);
  assert.ok(Buffer.byteLength(JSON.stringify(cut)) <= 1000000);
  const marker = cut.at(-1);
  assert.equal(marker.$daebug, 'truncated');
  assert.equal(marker.path, '~');
  assert.equal(marker.repr, `... ${100000 - (cut.length - 1)} more items`);
  assert.ok(cut.length > 20000, `kept ${cut.length - 1} rows`);
  assert.deepEqual(cut[cut.length - 2], { i: cut.length - 2, s: 'x'.repeat(20) });
});

test('encoded trees are JSON and survive a round trip', () => {
  const v = { a: [undefined, -0, 1n, Symbol('s'), new Map([[1, 2]]), new Set([1]), /x/, new Date(0)] };
  const e = encode(v);
  assert.deepEqual(JSON.parse(JSON.stringify(e)), e);
});
