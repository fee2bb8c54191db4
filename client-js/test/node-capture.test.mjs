// Console and uncaught-error capture of the Node realm (node/capture.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { listen, originalConsole, LEVELS } from '../node/capture.js';

test('console calls are recorded with their level, time and arguments, and still printed', () => {
  const printed = [];
  const saved = LEVELS.map((level) => console[level]);
  LEVELS.forEach((level) => { console[level] = (...args) => printed.push([level, ...args]); });
  const fakes = LEVELS.map((level) => console[level]);
  try {
    const seen = [];
    const stop = listen((ev) => seen.push(ev), { errors: false });
    const before = Date.now();
    console.log('plain', 1);
    console.info({ a: 1 });
    console.warn('careful');
    console.error(new Error('it broke'));
    console.debug('details');
    assert.deepEqual(seen.map((ev) => [ev.kind, ev.args.length]),
      [['log', 2], ['info', 1], ['warn', 1], ['error', 1], ['debug', 1]]);
    assert.ok(seen.every((ev) => ev.time >= before && ev.time <= Date.now()));
    assert.deepEqual(seen[0].args, ['plain', 1]);
    assert.deepEqual(printed.map((p) => p[0]), LEVELS.slice(0, 5), 'every original method still runs');
    assert.equal(originalConsole().log, fakes[0], 'originalConsole prints without recording');
    originalConsole().log('not recorded');
    assert.equal(seen.length, 5);
    stop();
    stop(); // idempotent
    console.log('after stop');
    assert.equal(seen.length, 5);
    assert.deepEqual(LEVELS.map((level) => console[level]), fakes, 'the console is restored');
  } finally {
    LEVELS.forEach((level, i) => { console[level] = saved[i]; });
  }
});

test('every listener gets each event; a console call made by a listener is not recorded again', () => {
  const saved = console.log;
  console.log = () => {};
  try {
    const a = [];
    const b = [];
    const stopA = listen((ev) => { a.push(ev.args[0]); console.log('from a listener'); }, { errors: false });
    const stopB = listen((ev) => { b.push(ev.args[0]); ev.args[0] = 'changed'; }, { errors: false });
    console.log('one');
    stopB();
    console.log('two');
    stopA();
    console.log('three');
    assert.deepEqual(a, ['one', 'two']);
    assert.deepEqual(b, ['one']);
    assert.equal(typeof console.log, 'function');
  } finally {
    console.log = saved;
  }
});

test('errors: false adds no process listeners; errors: true adds them once and removes them', () => {
  const count = () => [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
  const initial = count();
  const stopQuiet = listen(() => {}, { errors: false });
  assert.deepEqual(count(), initial);
  const stop1 = listen(() => {});
  const stop2 = listen(() => {});
  assert.deepEqual(count(), [initial[0] + 1, initial[1] + 1]);
  stop1();
  assert.deepEqual(count(), [initial[0] + 1, initial[1] + 1]);
  stop2();
  stopQuiet();
  assert.deepEqual(count(), initial);
});

test('uncaught exceptions and unhandled rejections are recorded and the process lives on', () => {
  // In a child process: node:test itself fails a test on an uncaught exception in its own process.
  const script = `
    import { listen } from ${JSON.stringify(new URL('../node/capture.js', import.meta.url).href)};
    import { toEventMessage } from ${JSON.stringify(new URL('../src/session.js', import.meta.url).href)};
    listen((ev) => process.stdout.write(JSON.stringify(toEventMessage(ev)) + '\\n'));
    setTimeout(() => { throw new TypeError('bang'); }, 1);
    setTimeout(() => { Promise.reject(new RangeError('nobody catches')); }, 5);
    setTimeout(() => { Promise.reject(42); }, 10);
    setTimeout(() => { console.log('still alive'); }, 50);
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000 });
  assert.equal(child.status, 0, child.stderr);
  const events = child.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  assert.deepEqual(events.map((e) => [e.type, e.kind, e.text.split('\n')[0], 'job' in e]), [
    ['event', 'uncaughtException', 'TypeError: bang', false],
    ['event', 'unhandledRejection', 'RangeError: nobody catches', false],
    ['event', 'unhandledRejection', '42', false],
    ['event', 'log', 'still alive', false],
  ]);
  assert.match(events[0].text, /\n {4}at Timeout\._onTimeout \(/);
  assert.ok(events.every((e) => typeof e.time === 'number'));
  assert.match(child.stderr, /^Uncaught TypeError: bang\n {4}at /);
  assert.match(child.stderr, /\nUncaught \(in promise\) RangeError: nobody catches\n/);
  assert.match(child.stderr, /\nUncaught \(in promise\) 42\n/);
  assert.match(child.stdout, /\nstill alive\n/, 'console.log still prints');
});

test('console.table, dir, trace and group are recorded once each, as text, with group indentation', async () => {
  const { toEventMessage } = await import('../src/session.js');
  const seen = [];
  const stop = listen((ev) => seen.push(toEventMessage(ev)), { errors: false });
  const silent = Object.fromEntries(LEVELS.map((l) => [l, console[l]]));
  try {
    console.table([{ a: 1, b: 'x' }, { a: 2, c: true }]);
    console.group('outer');
    console.log('in group');
    console.groupCollapsed();
    console.dir({ deep: { er: [1, 2] } });
    console.groupEnd();
    console.groupEnd();
    (function where() { console.trace('here %d', 5); })();
    console.log('after');
  } finally {
    stop();
  }
  assert.ok(silent);
  assert.deepEqual(seen.map((m) => m.kind), ['table', 'group', 'log', 'group', 'dir', 'trace', 'log'],
    'Node prints table, group and trace through console.log/error: recorded once each');
  assert.equal(seen[0].text, [
    '┌─────────┬───┬─────┬──────┐',
    '│ (index) │ a │ b   │ c    │',
    '├─────────┼───┼─────┼──────┤',
    "│ 0       │ 1 │ 'x' │      │",
    '│ 1       │ 2 │     │ true │',
    '└─────────┴───┴─────┴──────┘'].join('\n'));
  assert.deepEqual(seen.slice(1, 5).map((m) => m.text),
    ['outer', '  in group', '  console.group', '    {deep: {er: [1, 2]}}']);
  const trace = seen[5].text.split('\n');
  assert.equal(trace[0], 'Trace: here 5');
  assert.match(trace[1], /^ {4}at where \(.*node-capture\.test\.mjs:\d+:\d+\)$/);
  assert.equal(seen[6].text, 'after');
});
