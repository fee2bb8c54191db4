import test from 'node:test';
import assert from 'node:assert/strict';
import { DaebugSocket, DEFAULTS } from '../src/socket.js';

/** A scripted stand-in for the browser WebSocket. */
class FakeWebSocket {
  static instances = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeWebSocket.instances.push(this);
  }
  send(data) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }
  close(code = 1000, reason = '') {
    if (this.readyState === 3) return;
    this.readyState = 3;
    queueMicrotask(() => this.onclose && this.onclose({ code, reason }));
  }
  // test controls
  open() { this.readyState = 1; this.onopen && this.onopen({}); }
  receive(data) { this.onmessage && this.onmessage({ data }); }
  drop(code = 1006) { this.readyState = 3; this.onclose && this.onclose({ code, reason: 'dropped' }); }
  static last() { return FakeWebSocket.instances.at(-1); }
}

async function until(condition, ms = 2000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time: ' + condition);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const fast = { WebSocket: FakeWebSocket, minDelayMs: 5, maxDelayMs: 40, random: () => 0.5, onWarn: () => {} };

test('DEFAULTS hold the documented values', () => {
  assert.equal(DEFAULTS.minDelayMs, 250);
  assert.equal(DEFAULTS.maxDelayMs, 10000);
  assert.equal(DEFAULTS.growFactor, 1.5);
  assert.equal(DEFAULTS.jitter, 0.3);
  assert.equal(DEFAULTS.minUptimeMs, 5000);
  assert.equal(DEFAULTS.maxQueued, 1000);
  assert.throws(() => { DEFAULTS.minDelayMs = 1; });
});

test('open listeners send first, then the outbox is flushed in order', async () => {
  const s = new DaebugSocket('ws://127.0.0.1:1/-daebug/realm', fast);
  const ws = FakeWebSocket.last();
  assert.equal(ws.url, 'ws://127.0.0.1:1/-daebug/realm');
  assert.equal(s.send('a'), false);
  s.send('b');
  assert.equal(s.queued, 2);
  let opened = 0;
  s.addEventListener('open', (e) => { opened++; assert.ok(e instanceof Event); s.send('hello'); });
  ws.open();
  assert.equal(opened, 1);
  assert.deepEqual(ws.sent, ['hello', 'a', 'b']);
  assert.equal(s.send('c'), true);
  assert.deepEqual(ws.sent.at(-1), 'c');
  s.close();
});

test('message events carry the frame', () => {
  const s = new DaebugSocket(() => 'ws://127.0.0.1:1/x', fast);
  const got = [];
  s.addEventListener('message', (e) => got.push(e.data));
  FakeWebSocket.last().open();
  FakeWebSocket.last().receive('{"type":"welcome"}');
  assert.deepEqual(got, ['{"type":"welcome"}']);
  s.close();
});

test('error events carry the WebSocket\'s message when it has one, then a close follows', async () => {
  const s = new DaebugSocket('ws://127.0.0.1:1/x', fast);
  const seen = [];
  s.addEventListener('error', (e) => seen.push(['error', e.message]));
  s.addEventListener('close', (e) => seen.push(['close', e.code]));
  const ws = FakeWebSocket.last();
  ws.onerror({ message: 'Unexpected server response: 401' });
  ws.drop();
  await until(() => FakeWebSocket.last() !== ws);
  FakeWebSocket.last().onerror({ type: 'error' }); // browsers say nothing
  assert.deepEqual(seen, [['error', 'Unexpected server response: 401'], ['close', 1006], ['error', '']]);
  s.close();
});

test('reconnects after a drop, with a close event, and greets again', async () => {
  const s = new DaebugSocket('ws://127.0.0.1:1/x', fast);
  const closes = [];
  s.addEventListener('close', (e) => closes.push([e.code, e.willRetry]));
  s.addEventListener('open', () => s.send('hello'));
  const first = FakeWebSocket.last();
  first.open();
  first.drop(1001);
  assert.deepEqual(closes, [[1001, true]]);
  s.send('queued while down');
  await until(() => FakeWebSocket.last() !== first);
  const second = FakeWebSocket.last();
  second.open();
  assert.deepEqual(second.sent, ['hello', 'queued while down']);
  first.receive('stale'); // a stale socket is ignored
  s.close();
});

test('backoff grows by the factor, is capped, and jitter stays within bounds', () => {
  const s = new DaebugSocket('ws://127.0.0.1:1/x', { ...fast, minDelayMs: 250, maxDelayMs: 10000 });
  assert.equal(s.delayFor(0), 0);
  assert.equal(s.delayFor(1), 250);
  assert.equal(s.delayFor(2), 375);
  assert.equal(s.delayFor(3), 563);
  assert.equal(s.delayFor(50), 10000);
  s.options.random = () => 0;
  assert.equal(s.delayFor(1), 175);
  s.options.random = () => 0.999999;
  assert.equal(s.delayFor(1), 325);
  assert.equal(s.delayFor(50), 10000);
  s.close();
});

test('the retry count grows while attempts fail and resets after minUptime', async () => {
  const s = new DaebugSocket('ws://127.0.0.1:1/x', { ...fast, minUptimeMs: 20 });
  FakeWebSocket.last().drop();
  assert.equal(s.retryCount, 1);
  let ws = FakeWebSocket.last();
  await until(() => FakeWebSocket.last() !== ws);
  FakeWebSocket.last().drop();
  assert.equal(s.retryCount, 2);
  ws = FakeWebSocket.last();
  await until(() => FakeWebSocket.last() !== ws);
  FakeWebSocket.last().open();
  await until(() => s.retryCount === 0);
  FakeWebSocket.last().drop();
  assert.equal(s.retryCount, 1);
  s.close();
});

test('an open shorter than minUptime does not reset the retry count', async () => {
  const s = new DaebugSocket('ws://127.0.0.1:1/x', { ...fast, minUptimeMs: 10000 });
  FakeWebSocket.last().drop();
  const ws = FakeWebSocket.last();
  await until(() => FakeWebSocket.last() !== ws);
  FakeWebSocket.last().open();
  FakeWebSocket.last().drop();
  assert.equal(s.retryCount, 2);
  s.close();
});

test('the outbox is bounded: the oldest frames are dropped with one warning', () => {
  const warnings = [];
  const s = new DaebugSocket('ws://127.0.0.1:1/x', { ...fast, maxQueued: 3, onWarn: (m) => warnings.push(m) });
  for (const f of ['1', '2', '3', '4', '5']) s.send(f);
  assert.equal(s.queued, 3);
  assert.equal(warnings.length, 1);
  FakeWebSocket.last().open();
  assert.deepEqual(FakeWebSocket.last().sent, ['3', '4', '5']);
  s.close();
});

test('close() stops reconnecting', async () => {
  const s = new DaebugSocket('ws://127.0.0.1:1/x', fast);
  const count = FakeWebSocket.instances.length;
  FakeWebSocket.last().open();
  s.close();
  assert.equal(FakeWebSocket.last().readyState, 3);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(FakeWebSocket.instances.length, count);
  assert.equal(s.send('x'), false);
});

test('an attempt that never opens is abandoned after connectTimeoutMs', async () => {
  const s = new DaebugSocket('ws://127.0.0.1:1/x', { ...fast, connectTimeoutMs: 10 });
  const first = FakeWebSocket.last();
  await until(() => FakeWebSocket.last() !== first);
  assert.equal(first.readyState, 3);
  s.close();
});

test('a constructor that throws counts as a failed attempt and is retried', async () => {
  let calls = 0;
  class Throwing extends FakeWebSocket {
    constructor(url) { calls++; if (calls === 1) throw new SyntaxError('bad url'); super(url); }
  }
  const s = new DaebugSocket('ws://127.0.0.1:1/x', { ...fast, WebSocket: Throwing });
  await until(() => calls === 2);
  s.close();
});
