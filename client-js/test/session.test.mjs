// The job protocol shared by the browser and Node realms (src/session.js), on a fake socket.
import test from 'node:test';
import assert from 'node:assert/strict';
import { serve, toEventMessage, trimStack } from '../src/session.js';

const SRC = new URL('../src/', import.meta.url).href;

/** Just enough of DaebugSocket: an EventTarget with send(). */
class FakeSocket extends EventTarget {
  sent = [];
  send(data) { this.sent.push(JSON.parse(data)); }
  open() { this.dispatchEvent(new Event('open')); }
  receive(message) {
    this.dispatchEvent(Object.assign(new Event('message'), { data: typeof message === 'string' ? message : JSON.stringify(message) }));
  }
}

async function until(condition, ms = 2000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time: ' + condition);
    await new Promise((r) => setTimeout(r, 2));
  }
}

test('hello on every open; welcome to the caller; jobs answered once; cancel abandons a running job', async () => {
  const socket = new FakeSocket();
  const jobs = [];
  const welcomes = [];
  const warnings = [];
  let n = 0;
  serve(socket, { jobs, hello: () => ({ type: 'hello', n: ++n }), onWelcome: (m) => welcomes.push(m.name),
    warn: (...args) => warnings.push(args.join(' ')) });
  socket.open();
  socket.open();
  assert.deepEqual(socket.sent, [{ type: 'hello', n: 1 }, { type: 'hello', n: 2 }]);
  socket.receive({ type: 'welcome', name: 'x-2' });
  assert.deepEqual(welcomes, ['x-2']);

  socket.sent.length = 0;
  socket.receive({ type: 'job', id: 'j-1', code: 'await new Promise(r => setTimeout(r, 30)); "slow"' });
  socket.receive({ type: 'job', id: 'j-2', code: '"fast"' });
  assert.deepEqual(jobs, ['j-1', 'j-2'], 'the last running job is the current one');
  socket.receive({ type: 'cancel', id: 'j-1', reason: 'cancelled by test' });
  socket.receive({ type: 'cancel', id: 'j-9' });
  assert.deepEqual(jobs, ['j-2']);
  await until(() => jobs.length === 0 && socket.sent.length === 1);
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(socket.sent.map((m) => [m.type, m.id, m.value]), [['result', 'j-2', 'fast']],
    'no result for the cancelled job, ever');
  assert.deepEqual(warnings, ['daebug: job j-1 cancelled (cancelled by test); JavaScript cannot stop it, '
    + 'so it runs on and its result will not be sent']);

  socket.sent.length = 0;
  socket.receive({ type: 'job', id: 'j-3', code: 'x', language: 'java' });
  socket.receive('[1');
  socket.receive({ type: 'error', code: 'bad-frame', message: 'testing' });
  socket.receive({ type: 'something-new' });
  await until(() => socket.sent.length === 1);
  assert.deepEqual(socket.sent[0].error, { name: 'Error', message: 'this realm runs javascript, not java', stack: 'Error: this realm runs javascript, not java' });
  assert.deepEqual(warnings.slice(1), ['daebug: ignoring a frame that is not JSON', 'daebug: broker error bad-frame testing']);
});

test('toEventMessage formats console arguments, errors and rejections, with the job when there is one', () => {
  assert.deepEqual(toEventMessage({ kind: 'log', time: 5, args: ['a', { b: 1 }], job: 'j-1' }),
    { type: 'event', kind: 'log', time: 5, text: 'a {"b":1}', job: 'j-1' });
  assert.deepEqual(toEventMessage({ kind: 'window.onerror', time: 5, error: null, message: 'Script error.' }),
    { type: 'event', kind: 'window.onerror', time: 5, text: 'Script error.' });
  assert.deepEqual(toEventMessage({ kind: 'unhandledRejection', time: 5, reason: 42, job: null }),
    { type: 'event', kind: 'unhandledRejection', time: 5, text: '42' });
  const long = toEventMessage({ kind: 'log', time: 5, args: ['x'.repeat(300 * 1024)] }).text;
  assert.equal(long, 'x'.repeat(256 * 1024) + `... (${44 * 1024} more characters)`);
});

test('trimStack cuts the shim frames of every stack in a text, keeping what follows them', () => {
  const text = [
    'first Error: a',
    '    at eval (daebug-j-1.js:1:6)',
    '    at eval (<anonymous>)',
    `    at evaluate (${SRC}evaluate.js:51:24)`,
    '    at runJob (node:internal/whatever:1:1)',
    'TypeError: b',
    '    at helper (file:///app/lib.js:3:1)',
    `    at runJob (${SRC}session.js:111:25)`,
  ].join('\n');
  assert.equal(trimStack(text), [
    'first Error: a',
    '    at eval (daebug-j-1.js:1:6)',
    'TypeError: b',
    '    at helper (file:///app/lib.js:3:1)',
  ].join('\n'));
  assert.equal(trimStack('no frames'), 'no frames');
});
