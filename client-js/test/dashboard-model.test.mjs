// The dashboard's state (dashboard/model.js) fed with controller protocol messages, as the broker sends them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ENTRIES, apply, createState, describe, entriesOf, formatUptime, jobFigures } from '../dashboard/model.js';

const realm = (name, state = 'live', extra = {}) => ({ name, kind: 'page', url: `http://127.0.0.1/${name}`,
  language: 'javascript', state, log: `daebug/${name}.md`, ...extra });

test('welcome lists the realms; realm updates add, change and remove them', () => {
  const s = createState();
  assert.deepEqual(apply(s, { type: 'welcome', name: 'dashboard', realms: [realm('a'), realm('b')] }, 1), { realms: true });
  assert.deepEqual([...s.realms.keys()], ['a', 'b']);
  apply(s, { type: 'realm', realm: realm('a', 'executing', { title: 'Shop' }) }, 2);
  assert.equal(s.realms.get('a').state, 'executing');
  assert.equal(s.realms.get('a').title, 'Shop');
  apply(s, { type: 'realm', realm: realm('c') }, 3);
  apply(s, { type: 'realm', realm: realm('b', 'gone') }, 4);
  assert.deepEqual([...s.realms.keys()], ['a', 'c']);
});

test('a job from request to reply: status follows, the reply has the value, activity is stamped', () => {
  const s = createState();
  apply(s, { type: 'welcome', realms: [realm('a')] }, 0);
  const r = apply(s, { type: 'request', job: 'j-1', realm: 'a', agent: 'claude', code: '1 + 1', language: 'javascript', ahead: 0 }, 10);
  assert.equal(r.added[0].status, 'queued');
  assert.equal(s.realms.get('a').lastActivity, 10);
  assert.equal(apply(s, { type: 'dispatched', job: 'j-1', realm: 'a', queuedMs: 0.2 }, 11).changed[0].status, 'running');
  apply(s, { type: 'event', realm: 'a', job: 'j-1', kind: 'log', time: 12, text: 'hi' }, 13);
  const done = apply(s, { type: 'result', job: 'j-1', realm: 'a', outcome: 'ok', value: 2, durationMs: 3.2, queuedMs: 0.2 }, 14);
  assert.equal(done.changed[0].status, 'ok');
  assert.equal(done.added[0].text, '2');
  assert.equal(done.added[0].agent, 'claude');
  assert.deepEqual(entriesOf(s, 'a').map((e) => e.type), ['request', 'event', 'reply']);
  assert.equal(entriesOf(s, 'a')[1].time, 12, 'an event keeps the realm\'s own time');
  assert.equal(s.realms.get('a').lastActivity, 14);
  assert.equal(s.requests.size, 0);
});

test('an error reply keeps its stack; a late reply leaves its request\'s outcome alone', () => {
  const s = createState();
  apply(s, { type: 'request', job: 'j-2', realm: 'a', agent: 'x', code: 'f()', ahead: 2 }, 0);
  assert.equal(s.entries[0].status, 'queued (2 ahead)');
  apply(s, { type: 'result', job: 'j-2', realm: 'a', outcome: 'timeout', error: { name: 'TimeoutError', message: 'job timed out after 5ms' } }, 1);
  const late = apply(s, { type: 'result', job: 'j-2', realm: 'a', outcome: 'error', late: true,
    error: { name: 'TypeError', message: 'f is not a function', stack: 'TypeError: f is not a function\n    at <anonymous>:1:1' } }, 2);
  assert.equal(s.entries[0].status, 'timeout');
  assert.equal(late.added[0].late, true);
  assert.equal(late.added[0].text, 'TypeError: f is not a function');
  assert.match(late.added[0].stack, /at <anonymous>/);
});

test('the stream is bounded: the oldest entries go first', () => {
  const s = createState();
  for (let i = 0; i < MAX_ENTRIES + 5; i++) apply(s, { type: 'event', realm: 'a', kind: 'log', time: i, text: `line ${i}` }, i);
  assert.equal(s.entries.length, MAX_ENTRIES);
  assert.equal(s.entries[0].text, 'line 5');
});

test('own submissions: queued and refused are reported; unknown message types are ignored', () => {
  const s = createState();
  assert.deepEqual(apply(s, { type: 'queued', ref: 'dash-1', job: 'j-3', realm: 'a', ahead: 0 }, 0).ownQueued.job, 'j-3');
  assert.equal(apply(s, { type: 'error', ref: 'dash-2', code: 'unknown-realm', message: 'no realm named x' }, 0).ownError.code, 'unknown-realm');
  assert.deepEqual(apply(s, { type: 'from-the-future' }, 0), {});
});

test('values: JSON as JSON, $daebug encodings as JavaScript shows them', () => {
  assert.equal(describe({ a: [1, 'x'] }), '{\n  "a": [\n    1,\n    "x"\n  ]\n}');
  assert.equal(describe({ $daebug: 'undefined' }), 'undefined');
  assert.equal(describe({ $daebug: 'bigint', repr: '12' }), '12n');
  assert.equal(describe({ $daebug: 'number', repr: 'NaN' }), 'NaN');
  assert.equal(describe({ $daebug: 'text', repr: '## Test Results' }), '## Test Results');
  assert.equal(describe({ $daebug: 'map', size: 1, entries: [['k', { $daebug: 'undefined' }]] }), 'Map(1) {\n  "k" => undefined\n}');
  assert.equal(describe({ $daebug: 'object', class: 'Point', entries: { x: 1 } }), 'Point {\n  "x": 1\n}');
  assert.equal(describe([{ $daebug: 'function', name: 'f', class: false }]), '[\n  [Function: f]\n]');
});

test('health figures: uptime, jobs run and failures', () => {
  assert.equal(formatUptime(12.7), '12s');
  assert.equal(formatUptime(184), '3m 04s');
  assert.equal(formatUptime(3720), '1h 02m');
  assert.deepEqual(jobFigures({ total: 10, ok: 7, error: 2, timeout: 1, cancelled: 0, disconnected: 0, failed: 0 }),
    { run: 10, failures: 3, detail: '2 error, 1 timeout' });
  assert.deepEqual(jobFigures(undefined), { run: null, failures: null, detail: '' });
});
