import test from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, prepare, declaredNames } from '../src/evaluate.js';
import { tokenize } from '../src/tokenize.js';

test('an expression returns its value', async () => {
  assert.equal(await evaluate('1 + 1'), 2);
  assert.deepEqual(await evaluate('{a: 1}'), { a: 1 });
  assert.equal(await evaluate('typeof globalThis'), 'object');
  assert.equal(await evaluate(''), undefined);
  assert.equal(await evaluate('// only a comment'), undefined);
});

test('multi-statement code returns its last expression statement', async () => {
  assert.equal(await evaluate('let x = 5; x * 2'), 10);
  assert.equal(await evaluate('var a = 1; a + 1'), 2);
  assert.equal(await evaluate('1; if (true) { 2 }'), 2);
  assert.equal(await evaluate('const w = 1\n+ 2\nw'), 3);
  assert.equal(await evaluate('const s = `a${1 + `b${2}`}}c`; // }\ns + /x\\/y}/.source'), 'a1b2}cx\\/y}');
});

test('top-level await', async () => {
  assert.equal(await evaluate('await new Promise(r => setTimeout(() => r(5), 10))'), 5);
  assert.equal(await evaluate('const r = await Promise.resolve({ status: 204 }); r.status'), 204);
  assert.equal(await evaluate('let y = await 3\ny * 2'), 6);
  assert.equal(await evaluate('await 1; if (true) { 2 }'), undefined); // value of a trailing block is lost
  assert.equal(await evaluate('await (async () => 7)()'), 7);
  assert.equal(await evaluate('Promise.resolve(9)'), 9, 'a returned promise is awaited');
});

test('declarations persist between evaluations', async () => {
  await evaluate('let persistedLet = 41; const persistedConst = 1; class PersistedClass {}');
  assert.equal(await evaluate('persistedLet + persistedConst'), 42);
  assert.equal(await evaluate('PersistedClass.name'), 'PersistedClass');
  await evaluate('var persistedVar = await 2; function persistedFn() { return persistedVar * 2; }');
  assert.equal(await evaluate('persistedFn()'), 4);
  await evaluate('const {pa, pb: [pc, ...pd], pe = 3} = {pa: 1, pb: [2, 5, 6]}');
  assert.deepEqual(await evaluate('[pa, pc, pd, pe]'), [1, 2, [5, 6], 3]);
  await evaluate('let persistedLet = 1'); // redeclaring works, as in the console
  assert.equal(await evaluate('persistedLet'), 1);
  await evaluate('globalThis.viaGlobal = 3');
  assert.equal(await evaluate('viaGlobal'), 3);
});

test('a read-only or accessor global is never overwritten by a local declaration', async () => {
  Object.defineProperty(globalThis, 'guardedAccessor', { get: () => 'host', configurable: true });
  await evaluate('const guardedAccessor = 5; await 0; guardedAccessor');
  assert.equal(globalThis.guardedAccessor, 'host');
  delete globalThis.guardedAccessor;
});

test('code runs exactly once', async () => {
  globalThis.runs = 0;
  await evaluate('runs++');
  assert.equal(globalThis.runs, 1);
  globalThis.runs = 0;
  // the first candidate wrapping `return (...)` fails to compile here
  await evaluate('runs++; let q1 = 2\nq1');
  assert.equal(globalThis.runs, 1);
  globalThis.runs = 0;
  assert.equal(await evaluate('runs++; await 0; if (true) { runs }'), undefined);
  assert.equal(globalThis.runs, 1);
  globalThis.runs = 0;
  await assert.rejects(evaluate('runs++; throw new Error("late")'), /late/);
  assert.equal(globalThis.runs, 1);
  globalThis.runs = 0;
  assert.equal(await evaluate('for (let i = 0; i < 3; i++)\n  runs++\nawait 0\nruns'), 3);
});

test('syntax errors are SyntaxErrors with a message, and nothing runs', async () => {
  globalThis.runs = 0;
  await assert.rejects(evaluate('runs++; 1 +'), (e) => e instanceof SyntaxError && e.message.length > 0);
  await assert.rejects(evaluate('runs++; await 1 +'), SyntaxError);
  await assert.rejects(evaluate('runs++; let = ;'), SyntaxError);
  assert.equal(globalThis.runs, 0);
});

test('a syntax error names its line and column, in the message and the stack', async () => {
  const at = async (code, where) => assert.rejects(evaluate(code), (e) => {
    assert.ok(e instanceof SyntaxError);
    assert.ok(e.message.endsWith(` (${where})`), e.message);
    assert.ok(String(e.stack).split('\n')[0].endsWith(` (${where})`), e.stack);
    return true;
  });
  await at('1 +\n2 +\n  }', 'line 3, column 3');
  await at('let a = 1;\nlet b = ;\n', 'line 2, column 9');
  await at('await x;\nlet = = 2', 'line 2, column 7');
  // a forgotten closing fence: the next request's header is inside the code
  await at('const x = 1;\n### 🗣️claude to x at 10:11:12\n```js\n2', 'line 2, column 1');
});

test('thrown values reject with that value', async () => {
  await assert.rejects(evaluate('throw new TypeError("boom")'), TypeError);
  await assert.rejects(evaluate('await 0; null.x'), TypeError);
  await assert.rejects(evaluate('throw 5'), (e) => e === 5);
});

test('sourceURL names the code in stack traces', async () => {
  const e = await evaluate('new Error("here").stack', { sourceURL: 'daebug-j-1.js' });
  assert.match(e, /daebug-j-1\.js/);
  assert.equal(prepare('1', { sourceURL: 'a b\n' }).source.includes('\n//# sourceURL=a_b_'), true);
});

test('tokenizer: strings, comments, regexes and templates hide brackets', () => {
  const tokens = tokenize('a("}", \'{\', /[}/]}/g, `${ {b: "`"} }`) // }\n/* { */ c');
  assert.deepEqual(tokens.filter((t) => t.depth === 0).map((t) => t.value), ['a', '(', ')', 'c']);
  assert.equal(tokens.at(-1).nl, true);
});

test('declaredNames finds top-level declarations only', () => {
  const names = declaredNames(tokenize('let a = 1, b = [1, 2], {c, d: {e}} = o\nconst f = g(1, 2); var h\n'
    + 'function i() { let no = 1 }\nasync function j() {}\nclass K {}\nif (x) { let no2 }\nfor (let no3 of y) {}\n'
    + 'x = class No4 {}'));
  assert.deepEqual(names, { lexical: ['a', 'b', 'c', 'e', 'f', 'K'], hoisted: ['h', 'i', 'j'] });
});
