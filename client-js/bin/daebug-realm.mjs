#!/usr/bin/env node
// node client-js/bin/daebug-realm.mjs --broker ws://HOST:PORT --name NAME [--token T] [--ca FILE]
// Makes this Node process a Daebug realm until it is stopped (Ctrl+C, SIGTERM). See --help.

import { readFileSync } from 'node:fs';
import { parseArgs, realmUrl, defaultPort, UsageError, USAGE } from '../node/args.js';
import { startRealm } from '../node/realm.js';

const say = (text) => { try { process.stderr.write(`daebug: ${text}\n`); } catch { /* closed */ } };

let args;
let ca;
try {
  args = parseArgs(process.argv.slice(2));
  if (!args.help) realmUrl(args.broker ?? 'ws://127.0.0.1', args.token); // validates before connecting
  if (!args.help && args.ca) ca = readCa(args.ca);
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`daebug-realm: ${e.message}\n\n${USAGE}\n`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const broker = args.broker ?? `ws://127.0.0.1:${defaultPort(process.cwd())}`;
const realm = startRealm({ broker, name: args.name, token: args.token, ca });
const shown = realm.endpoint.replace(/([?&]token=)[^&]*/, '$1***');
say(`realm ${realm.name} (${realm.url}) connecting to ${shown}`);

let lost = false;
realm.addEventListener('welcome', (e) => {
  lost = false;
  say(`connected as ${e.name}; append JavaScript to ${e.log ?? `daebug/${e.name}.md`}`);
});
realm.addEventListener('error', (e) => {
  if (!lost && e.message) say(`connection error: ${e.message}`);
});
realm.addEventListener('close', (e) => {
  if (lost) return;
  lost = true;
  say(`disconnected (${e.code}${e.reason ? ` ${e.reason}` : ''})${e.willRetry ? '; reconnecting' : ''}`);
});

// No SIGINT/SIGTERM handlers: Node's defaults end the process even while a job runs a loop that
// never yields, which a handler could not do. The broker sees the socket close either way.

/** The PEM text of --ca FILE; a file that cannot be read or holds no certificate is a usage error. */
function readCa(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--ca ${file} cannot be read: ${e.message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UsageError(`--ca ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return text;
}
