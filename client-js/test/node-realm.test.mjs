// The Node realm against a scripted broker: a real `ws` WebSocketServer on port 0 that records
// what the realm sends and sends what the test says. In-process for startRealm(); as a child
// process for bin/daebug-realm.mjs (uncaught errors, which node:test would report as failures).
import test from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { startRealm } from '../node/realm.js';

const BIN = fileURLToPath(new URL('../bin/daebug-realm.mjs', import.meta.url));

/** A broker stand-in: every frame received, every connection with its request URL. */
async function scriptedBroker() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const broker = {
    url: `ws://127.0.0.1:${server.address().port}`,
    frames: [],
    connections: [],
    get last() { return broker.connections.at(-1); },
    send(message) { broker.last.ws.send(JSON.stringify(message)); },
    of(type, more = () => true) { return broker.frames.filter((f) => f.type === type && more(f)); },
    close() {
      for (const c of server.clients) c.terminate();
      server.close();
    },
  };
  server.on('connection', (ws, request) => {
    broker.connections.push({ ws, path: request.url, origin: request.headers.origin });
    ws.on('message', (data, binary) => {
      assert.equal(binary, false, 'every frame is text');
      broker.frames.push(JSON.parse(String(data)));
    });
  });
  return broker;
}

async function until(condition, what, ms = 10000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`not met in ${ms} ms: ${what || condition}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('startRealm: hello, welcome, jobs with state, require and import, console events, cancel, reconnect, close', async () => {
  const broker = await scriptedBroker();
  const printed = [];
  const warnings = [];
  const savedInfo = console.info;
  console.info = (...args) => printed.push(args);
  const realm = startRealm({ broker: broker.url.replace('ws:', 'http:') + '/', name: 'Node Unit', token: 't&1',
    errors: false, warn: (text) => warnings.push(text), socket: { minDelayMs: 10, maxDelayMs: 20, random: () => 0.5 } });
  try {
    await until(() => broker.of('hello').length === 1, 'hello');
    const [hello] = broker.of('hello');
    assert.deepEqual({ ...hello, tab: typeof hello.tab }, { type: 'hello', name: 'Node Unit', kind: 'node',
      url: `node://${process.pid}@${os.hostname()}`, language: 'javascript', tab: 'string', protocol: 1 });
    assert.match(hello.tab, /^[a-z0-9]{10}$/);
    assert.equal(broker.last.path, '/-daebug/realm?token=t%261');
    assert.equal(broker.last.origin, undefined, 'no Origin: the broker checks it for browsers only');
    assert.equal(broker.frames[0], hello, 'hello is the first frame');

    const welcomed = once(realm, 'welcome');
    broker.send({ type: 'welcome', name: 'node-unit-2', log: 'daebug/node-unit-2.md' });
    assert.equal(await realm.ready, 'node-unit-2');
    const [welcome] = await welcomed;
    assert.deepEqual([welcome.name, welcome.log, realm.name, realm.log],
      ['node-unit-2', 'daebug/node-unit-2.md', 'node-unit-2', 'daebug/node-unit-2.md']);

    broker.send({ type: 'job', id: 'j-1', language: 'javascript', timeoutMs: 5000, code:
      'console.info("working", {n: 1}); let nodeUnitX = await new Promise(r => setTimeout(() => r(2), 10));\n'
      + '[require("node:os").platform(), (await import("node:path")).sep, typeof require.resolve]' });
    await until(() => broker.of('result').length === 1, 'result j-1');
    const [info, result] = broker.frames.slice(1);
    assert.deepEqual([info.type, info.kind, info.text, info.job], ['event', 'info', 'working {"n":1}', 'j-1']);
    assert.deepEqual(printed, [['working', { n: 1 }]], 'console.info still prints');
    assert.deepEqual([result.id, result.ok, result.value], ['j-1', true, [process.platform, '/', 'function']]);
    assert.equal(typeof result.durationMs, 'number');

    broker.send({ type: 'job', id: 'j-2', code: 'nodeUnitX * 21' });
    broker.send({ type: 'job', id: 'j-3', code: 'null.foo' });
    await until(() => broker.of('result').length === 3, 'results j-2, j-3');
    const [, r2, r3] = broker.of('result');
    assert.deepEqual([r2.id, r2.value], ['j-2', 42]);
    assert.deepEqual([r3.id, r3.ok, r3.error.name], ['j-3', false, 'TypeError']);
    assert.equal(r3.error.stack, "TypeError: Cannot read properties of null (reading 'foo')\n    at eval (daebug-j-3.js:1:6)",
      'the shim\'s own frames are cut');

    console.info('between jobs');
    await until(() => broker.of('event', (e) => e.text === 'between jobs').length === 1, 'background event');
    assert.equal('job' in broker.of('event', (e) => e.text === 'between jobs')[0], false);

    // cancel: the job runs on, its console output is background, its result is never sent
    broker.send({ type: 'job', id: 'j-4', code: 'await new Promise(r => setTimeout(r, 50)); console.info("after cancel"); "late"' });
    broker.send({ type: 'cancel', id: 'j-4', reason: 'cancelled by unit test' });
    broker.send({ type: 'cancel', id: 'j-unknown' });
    await until(() => broker.of('event', (e) => e.text === 'after cancel').length === 1, 'event after cancel');
    broker.send({ type: 'job', id: 'j-5', code: '"next"' });
    await until(() => broker.of('result', (r) => r.id === 'j-5').length === 1, 'result j-5');
    assert.equal('job' in broker.of('event', (e) => e.text === 'after cancel')[0], false);
    assert.deepEqual(broker.of('result', (r) => r.id === 'j-4'), []);
    assert.deepEqual(warnings, ['daebug: job j-4 cancelled (cancelled by unit test); JavaScript cannot stop it, '
      + 'so it runs on and its result will not be sent']);

    // unknown types and frames that are not JSON are ignored
    broker.last.ws.send('not json');
    broker.send({ type: 'future-thing', id: 'x' });
    await until(() => warnings.length === 2, 'warning about the frame that is not JSON');
    assert.equal(warnings[1], 'daebug: ignoring a frame that is not JSON');

    // a dropped connection: reconnect with the broker's name and the same tab
    const closed = once(realm, 'close');
    broker.last.ws.terminate();
    const [close] = await closed;
    assert.equal(close.willRetry, true);
    await until(() => broker.of('hello').length === 2, 'second hello');
    const again = broker.of('hello')[1];
    assert.deepEqual([again.name, again.tab, broker.connections.length], ['node-unit-2', hello.tab, 2]);
    broker.send({ type: 'welcome', name: 'node-unit-2', log: 'daebug/node-unit-2.md' });
    broker.send({ type: 'job', id: 'j-6', code: 'nodeUnitX' });
    await until(() => broker.of('result', (r) => r.id === 'j-6').length === 1, 'result j-6 after reconnect');
    assert.equal(broker.of('result', (r) => r.id === 'j-6')[0].value, 2);
    assert.equal(realm.connected, true);
  } finally {
    realm.close();
    console.info = savedInfo;
  }
  await until(() => broker.last.ws.readyState === 3, 'server side closed');
  assert.equal(realm.connected, false);
  console.info = (...args) => printed.push(args);
  try {
    const before = broker.frames.length;
    console.info('after close');
    assert.equal(broker.frames.length, before);
  } finally {
    console.info = savedInfo;
  }
  broker.close();
});

test('startRealm needs a broker and refuses a bad URL', () => {
  assert.throws(() => startRealm({}), TypeError);
  assert.throws(() => startRealm({ broker: 'ftp://x/' }), /is not a ws:/);
});

test('bin/daebug-realm.mjs: a realm whose uncaught errors are events and which survives them', async () => {
  const broker = await scriptedBroker();
  const child = spawn(process.execPath, [BIN, '--broker', broker.url, '--name', 'node-cli'], { stdio: 'pipe' });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => { stderr += d; });
  child.stdout.on('data', (d) => { stdout += d; });
  try {
    await until(() => broker.of('hello').length === 1, 'hello from the child');
    assert.deepEqual([broker.of('hello')[0].name, broker.of('hello')[0].url],
      ['node-cli', `node://${child.pid}@${os.hostname()}`]);
    broker.send({ type: 'welcome', name: 'node-cli', log: 'daebug/node-cli.md' });
    await until(() => stderr.includes('connected as node-cli'), 'connected line');

    broker.send({ type: 'job', id: 'j-1', code: 'setTimeout(() => { throw new Error("late bang") }, 20); '
      + 'Promise.reject(new RangeError("floating")); console.log("in job"); "scheduled"' });
    await until(() => broker.of('event', (e) => e.kind === 'uncaughtException').length === 1, 'uncaughtException');
    const events = broker.of('event');
    assert.deepEqual(events.map((e) => [e.kind, e.text.split('\n')[0], e.job]), [
      ['log', 'in job', 'j-1'],
      ['unhandledRejection', 'RangeError: floating', undefined],
      ['uncaughtException', 'Error: late bang', undefined],
    ]);
    assert.equal(events[1].text, 'RangeError: floating\n    at eval (daebug-j-1.js:1:72)', 'the shim frames are cut');
    assert.equal(broker.of('result')[0].value, 'scheduled');

    broker.send({ type: 'job', id: 'j-2', code: 'process.pid' });
    await until(() => broker.of('result').length === 2, 'result after the uncaught error');
    assert.equal(broker.of('result')[1].value, child.pid);
    assert.equal(child.exitCode, null, 'still running');
    assert.match(stdout, /^in job\n$/);
    assert.match(stderr, /^daebug: realm node-cli \(node:\/\/\d+@.+\) connecting to ws:\/\/127\.0\.0\.1:\d+\/-daebug\/realm\n/);
    assert.match(stderr, /\nUncaught \(in promise\) RangeError: floating\n {4}at eval \(daebug-j-1\.js:1:72\)\nUncaught/);
    assert.match(stderr, /\nUncaught Error: late bang\n {4}at Timeout\.eval \[as _onTimeout\] \(daebug-j-1\.js:1:26\)\n/);
  } finally {
    child.kill('SIGTERM');
    broker.close();
  }
  const [code, signal] = await once(child, 'exit');
  assert.deepEqual([code, signal], [null, 'SIGTERM'], 'SIGTERM ends it as Node does by default');
});
