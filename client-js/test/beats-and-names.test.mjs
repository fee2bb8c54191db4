// Heartbeats (session.js startBeats), the owner's cancel copy, worker names (frames.js), text values.
import test from 'node:test';
import assert from 'node:assert/strict';
import { serve, startBeats, watchTitle } from '../src/session.js';
import { workerName } from '../src/frames.js';
import { encode, text } from '../src/encode.js';

class FakeSocket extends EventTarget {
  constructor() { super(); this.connected = false; this.sent = []; }
  send(data) { this.sent.push(JSON.parse(data)); }
  open() { this.connected = true; this.dispatchEvent(new Event('open')); }
  receive(m) { this.dispatchEvent(Object.assign(new Event('message'), { data: JSON.stringify(m) })); }
}

test('beats: one on open and every interval while connected, with the hidden flag', async () => {
  const socket = new FakeSocket();
  let hidden = false;
  const send = (m) => socket.send(JSON.stringify(m));
  const stop = startBeats(socket, send, { intervalMs: 10, hidden: () => hidden });
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(socket.sent.length, 0, 'no beats while disconnected');
  socket.open();
  assert.deepEqual(socket.sent, [{ type: 'beat', intervalMs: 10, hidden: false }]);
  hidden = true;
  await new Promise((r) => setTimeout(r, 40));
  stop();
  const n = socket.sent.length;
  assert.ok(n >= 2 && socket.sent.at(-1).hidden === true);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(socket.sent.length, n, 'stopped');
});

test('title: a change after hello is sent once per interval with the latest title, never while down', async () => {
  const socket = new FakeSocket();
  const doc = { title: 'Start', head: {} };
  let notify = null;
  class Observer {
    constructor(fn) { notify = fn; }
    observe(target, options) { assert.equal(target, doc.head); assert.ok(options.subtree && options.characterData); }
    disconnect() { notify = null; }
  }
  const send = (m) => socket.send(JSON.stringify(m));
  serve(socket, { hello: () => ({ type: 'hello', name: 'p', title: doc.title }), jobs: [] });
  const stop = watchTitle(socket, send, { doc, Observer, intervalMs: 10 });
  const settle = () => new Promise((r) => setTimeout(r, 30));
  doc.title = 'Before connect';
  notify();
  await settle();
  assert.deepEqual(socket.sent, [], 'nothing while disconnected');
  socket.open();
  assert.deepEqual(socket.sent.map((m) => [m.type, m.title]), [['hello', 'Before connect']]);
  doc.title = 'Inbox (1)';
  notify();
  doc.title = 'Inbox (2)';
  notify();
  await settle();
  notify(); // a mutation that left the title as it was
  await settle();
  assert.deepEqual(socket.sent.slice(1), [{ type: 'title', title: 'Inbox (2)' }]);
  doc.title = '';
  notify();
  await settle();
  assert.deepEqual(socket.sent.at(-1), { type: 'title', title: '' }, 'a cleared title is sent too');
  stop();
  assert.equal(notify, null, 'stopped');
});

test("a cancel naming another realm goes to onCancel, not to the realm's own jobs", () => {
  const socket = new FakeSocket();
  const cancels = [];
  const warnings = [];
  serve(socket, { hello: () => ({ type: 'hello', name: 'p' }), jobs: [], onCancel: (m) => cancels.push(m),
    warn: (...a) => warnings.push(a.join(' ')) });
  socket.receive({ type: 'cancel', id: 'j-7', reason: 'r', realm: 'p-webworker' });
  socket.receive({ type: 'cancel', id: 'j-8' });
  assert.deepEqual(cancels.map((m) => [m.id, m.realm]), [['j-7', 'p-webworker']]);
  assert.deepEqual(warnings, [], 'an unknown own job is ignored quietly');
});

test('worker names: <page>-webworker, then <page>-worker-N', () => {
  assert.equal(workerName('7-zen-1201-03', 1), '7-zen-1201-03-webworker');
  assert.equal(workerName('7-zen-1201-03', 2), '7-zen-1201-03-worker-2');
  assert.equal(workerName('p', 5), 'p-worker-5');
});

test('text(): a job value shown verbatim as text; nested it is a plain object', () => {
  assert.deepEqual(encode(text('## a\nb')), { $daebug: 'text', repr: '## a\nb' });
  assert.deepEqual(encode({ x: text('t') }), { x: {} });
  assert.equal(String(text('t')), 't');
});
