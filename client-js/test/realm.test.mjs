// Drives page.js + realm.js in Node against a fake broker behind a fake WebSocket.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { proposeName, newTabId, errorInfo, WORDS } from '../src/realm.js';

test('proposed names follow <n>-<word>-<HHMM>-<SS>', () => {
  const at = new Date(2026, 10, 25, 9, 5, 3);
  assert.equal(proposeName(at, () => 0), '5-zen-0905-03');
  assert.equal(proposeName(at, () => 0.9999), `19-${WORDS.at(-1)}-0905-03`);
  for (let i = 0; i < 200; i++) assert.match(proposeName(), /^([5-9]|1[0-9])-[a-z]+-\d{4}-\d{2}$/);
  assert.ok(WORDS.length >= 30 && WORDS.every((w) => /^[a-z]{2,5}$/.test(w)));
  assert.match(newTabId(), /^[a-z0-9]{10}$/);
});

test('errorInfo: Errors keep name, message and stack; other thrown values are formatted', () => {
  const e = new RangeError('r');
  assert.deepEqual(errorInfo(e), { name: 'RangeError', message: 'r', stack: e.stack });
  assert.deepEqual(errorInfo({ code: 1 }), { name: 'Uncaught', message: '{"code":1}', stack: '' });
});

class FakeWebSocket {
  static instances = [];
  constructor(url) { this.url = url; this.readyState = 0; this.sent = []; this.beats = []; FakeWebSocket.instances.push(this); }
  send(data) { const m = JSON.parse(data); (m.type === 'beat' ? this.beats : this.sent).push(m); }
  close() { this.readyState = 3; }
  open() { this.readyState = 1; this.onopen(); }
  receive(obj) { this.onmessage({ data: JSON.stringify(obj) }); }
}

async function until(condition, ms = 2000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time: ' + condition);
    await new Promise((r) => setTimeout(r, 2));
  }
}

test('page.js + realm.js: hello first, early events flushed once, jobs answered, events attributed', async () => {
  const listeners = {};
  const storage = new Map();
  const pageUrl = new URL('../src/page.js', import.meta.url).href;
  Object.assign(globalThis, {
    WebSocket: FakeWebSocket,
    window: globalThis,
    top: globalThis,
    location: { href: 'http://127.0.0.1:8680/app' },
    document: { currentScript: { src: pageUrl } },
    sessionStorage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => storage.set(k, String(v)) },
    addEventListener: (type, fn) => { listeners[type] = fn; },
  });
  const printed = [];
  const realLog = console.log;
  console.log = (...args) => printed.push(args);
  try {
    const source = fs.readFileSync(new URL('../src/page.js', import.meta.url), 'utf8');
    (0, eval)(source);
    (0, eval)(source); // a second injection is a no-op
    console.log('before connect', { n: 1 });
    listeners.unhandledrejection({ reason: new Error('early rejection') });
    assert.equal(globalThis.daebug.injected, true);
    await until(() => FakeWebSocket.instances.length === 1);
    const ws = FakeWebSocket.instances[0];
    assert.equal(ws.url, new URL('realm', pageUrl).href.replace(/^file:/, 'ws:'));
    console.log('queued after the socket exists');
    ws.open();
    const [hello, ...early] = ws.sent;
    assert.deepEqual(ws.beats, [{ type: 'beat', intervalMs: 1000, hidden: false }], 'a heartbeat right after hello');
    assert.equal(hello.type, 'hello');
    assert.match(hello.name, /^\d+-[a-z]+-\d{4}-\d{2}$/);
    assert.equal(hello.kind, 'page');
    assert.equal(hello.url, 'http://127.0.0.1:8680/app');
    assert.equal(hello.tab, storage.get('daebug.tab'));
    assert.equal(hello.protocol, 1);
    assert.deepEqual(early.map((m) => [m.type, m.kind, m.text.split('\n')[0], 'job' in m]), [
      ['event', 'log', 'before connect {"n":1}', false],
      ['event', 'unhandledrejection', 'Error: early rejection', false],
      ['event', 'log', 'queued after the socket exists', false],
    ]);
    assert.ok(early.every((m) => typeof m.time === 'number'));
    assert.deepEqual(printed.map((a) => a[0]), ['before connect', 'queued after the socket exists'],
      'the original console is still called');

    ws.receive({ type: 'welcome', name: hello.name + '-2', log: 'daebug/x.md' });
    assert.equal(globalThis.daebug.name, hello.name + '-2');
    assert.equal(storage.get('daebug.name'), hello.name + '-2');

    ws.sent.length = 0;
    ws.receive({ type: 'job', id: 'j-1', code: 'console.info("working"); await new Promise(r => setTimeout(r, 20)); '
      + 'console.warn("still"); let jobLocal = [1, undefined]; jobLocal', language: 'javascript', timeoutMs: 1000 });
    await until(() => ws.sent.some((m) => m.type === 'result'));
    console.log('after the job');
    const [info, warn, result, after] = ws.sent;
    assert.deepEqual([info.kind, info.text, info.job], ['info', 'working', 'j-1']);
    assert.deepEqual([warn.kind, warn.text, warn.job], ['warn', 'still', 'j-1']);
    assert.equal(result.id, 'j-1');
    assert.equal(result.ok, true);
    assert.deepEqual(result.value, [1, { $daebug: 'undefined' }]);
    assert.equal(typeof result.durationMs, 'number');
    assert.equal(after.text, 'after the job');
    assert.equal('job' in after, false);

    ws.sent.length = 0;
    ws.receive({ type: 'job', id: 'j-2', code: 'null.x' });
    ws.receive({ type: 'job', id: 'j-3', code: 'jobLocal.length' });
    await until(() => ws.sent.length === 2);
    assert.equal(ws.sent[0].ok, false);
    assert.equal(ws.sent[0].error.name, 'TypeError');
    assert.match(ws.sent[0].error.stack, /daebug-j-2\.js/);
    assert.deepEqual([ws.sent[1].id, ws.sent[1].value], ['j-3', 2]);

    ws.sent.length = 0;
    ws.receive({ type: 'error', code: 'bad-frame', message: 'testing' });
    assert.equal(ws.sent.length, 0, 'broker errors are printed with the original console, not captured');
  } finally {
    console.log = realLog;
    globalThis.daebug.socket.close();
  }
});

test('trimStack drops the shim frames and eval wrappers, keeps the job and page frames', async () => {
  const { trimStack } = await import('../src/realm.js');
  const stack = [
    "TypeError: Cannot read properties of null (reading 'x')",
    '    at helper (http://127.0.0.1:1/app.js:3:1)',
    '    at eval (daebug-j-4.js:1:6)',
    '    at eval (<anonymous>)',
    '    at evaluate (http://127.0.0.1:1/-daebug/evaluate.js:51:24)',
    '    at runJob (http://127.0.0.1:1/-daebug/realm.js:137:25)',
  ].join('\n');
  assert.equal(trimStack(stack), [
    "TypeError: Cannot read properties of null (reading 'x')",
    '    at helper (http://127.0.0.1:1/app.js:3:1)',
    '    at eval (daebug-j-4.js:1:6)',
  ].join('\n'));
  assert.equal(trimStack(''), '');
  assert.equal(trimStack(undefined), undefined);
});
