// Arguments of bin/daebug-realm.mjs (node/args.js), and the script's --help and usage errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs, realmUrl, defaultPort, UsageError, USAGE } from '../node/args.js';

const BIN = fileURLToPath(new URL('../bin/daebug-realm.mjs', import.meta.url));

test('parseArgs reads --broker, --name, --token and --ca, as separate arguments or after =', () => {
  assert.deepEqual(parseArgs([]), { help: false });
  assert.deepEqual(parseArgs(['--broker', 'ws://127.0.0.1:8100', '--name', 'api', '--token=s3cr=t']),
    { help: false, broker: 'ws://127.0.0.1:8100', name: 'api', token: 's3cr=t' });
  assert.deepEqual(parseArgs(['--name=a b']), { help: false, name: 'a b' });
  assert.deepEqual(parseArgs(['--ca', '/etc/broker.pem']), { help: false, ca: '/etc/broker.pem' });
  assert.equal(parseArgs(['--help']).help, true);
  assert.equal(parseArgs(['--broker', 'x', '-h']).help, true);
});

test('parseArgs refuses what it does not understand, naming the problem', () => {
  const refuses = (argv, message) => assert.throws(() => parseArgs(argv), (e) => e instanceof UsageError
    && e.message === message);
  refuses(['--port', '1'], 'unknown option --port');
  refuses(['-x'], 'unknown option -x');
  refuses(['ws://h:1'], 'unexpected argument ws://h:1');
  refuses(['--broker'], '--broker needs a value');
  refuses(['--name='], '--name needs a value');
  refuses(['--name', ''], '--name needs a value');
  refuses(['--name', 'a', '--name=b'], '--name given twice');
});

test('realmUrl maps http to ws, defaults the path and carries the token', () => {
  assert.equal(realmUrl('ws://127.0.0.1:8100'), 'ws://127.0.0.1:8100/-daebug/realm');
  assert.equal(realmUrl('http://127.0.0.1:8100/'), 'ws://127.0.0.1:8100/-daebug/realm');
  assert.equal(realmUrl('https://example.test'), 'wss://example.test/-daebug/realm');
  assert.equal(realmUrl('wss://example.test:9/-daebug/realm'), 'wss://example.test:9/-daebug/realm');
  assert.equal(realmUrl('127.0.0.1:8100'), 'ws://127.0.0.1:8100/-daebug/realm');
  assert.equal(realmUrl('http://[::1]:8100/'), 'ws://[::1]:8100/-daebug/realm');
  assert.equal(realmUrl('http://10.0.0.2:8100/?token=abc'), 'ws://10.0.0.2:8100/-daebug/realm?token=abc');
  assert.equal(realmUrl('http://10.0.0.2:8100/?token=old', 'n&w'), 'ws://10.0.0.2:8100/-daebug/realm?token=n%26w');
  for (const bad of ['ftp://h/', 'file:///tmp/x', 'http://', 'not a url at all']) {
    assert.throws(() => realmUrl(bad), UsageError, bad);
  }
});

test('defaultPort is the broker\'s default port for the folder (Java String.hashCode)', () => {
  // Values computed by BrokerConfig.defaultPort's formula on the JVM.
  assert.equal(defaultPort('/work/daebug'), 8960);
  assert.equal(defaultPort('/tmp/WT-node/'), 8582);
  assert.equal(defaultPort('/x/Some Very Long Folder Name With Ümlauts and more characters to overflow'), 8364);
  assert.equal(defaultPort('/'), 8100);
  assert.equal(defaultPort('/a/x'), 8220);
});

test('the script prints its usage for --help and refuses bad arguments with status 2', () => {
  const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.equal(help.stdout, `${USAGE}\n`);
  const bad = spawnSync(process.execPath, [BIN, '--broker', 'ftp://h/'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^daebug-realm: --broker ftp:\/\/h\/ is not a ws:\/\/, wss:\/\/, http:\/\/ or https:\/\/ URL with a host\n\nUsage: /);
  assert.equal(bad.stdout, '');
});

test('the script refuses a --ca file it cannot read, or one without a PEM certificate, with status 2', () => {
  const missing = spawnSync(process.execPath, [BIN, '--ca', '/nonexistent/broker.pem'],
    { encoding: 'utf8', timeout: 10000 });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^daebug-realm: --ca \/nonexistent\/broker\.pem cannot be read: ENOENT/);
  const notPem = spawnSync(process.execPath, [BIN, '--ca', fileURLToPath(new URL('../package.json', import.meta.url))],
    { encoding: 'utf8', timeout: 10000 });
  assert.equal(notPem.status, 2);
  assert.match(notPem.stderr, /^daebug-realm: --ca \S+ holds no PEM certificate/);
});
