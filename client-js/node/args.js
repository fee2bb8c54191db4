// Command-line arguments of bin/daebug-realm.mjs, and the broker URL they lead to.
// Pure functions: no I/O, so they are unit-tested directly.

import path from 'node:path';

export const USAGE = `Usage: daebug-realm [--broker URL] [--name NAME] [--token TOKEN] [--ca FILE]

Makes this Node process a Daebug realm: it connects to the broker, which journals it in
daebug/<name>.md, and runs the JavaScript appended there in this process's global scope.

  --broker URL   the broker: ws://HOST:PORT, wss://..., or the http(s):// URL it printed
                 (a ?token=... in it is used); the path defaults to /-daebug/realm.
                 Default: ws://127.0.0.1:PORT with the port a broker started in the working
                 folder picks by default (8100 + abs(hash of the folder name) % 1000)
  --name NAME    proposed realm name (the broker lowercases it, and suffixes -2, -3 when a live
                 realm has it). Default: node-<pid>
  --token TOKEN  the broker's token, needed when this process is not on the broker's loopback
  --ca FILE      PEM certificate(s) to trust for wss:// besides Node's own CAs: a broker's
                 self-signed certificate (keytool -exportcert -rfc), or the CA that signed it
  -h, --help     print this help and exit

Stop it with Ctrl+C (SIGINT) or SIGTERM, even while a job is running.`;

/** Thrown for arguments that make no sense; the message says what is wrong. */
export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Parses the arguments after `node daebug-realm.mjs`. Options take their value as the next
 * argument or after `=` (`--name=x`).
 *
 * @param {string[]} argv e.g. `process.argv.slice(2)`
 * @returns {{help: boolean, broker?: string, name?: string, token?: string, ca?: string}}
 * @throws {UsageError} for an unknown option, a missing or empty value, a repeated option, or a
 *   positional argument
 */
export function parseArgs(argv) {
  const out = { help: false };
  const names = { '--broker': 'broker', '--name': 'name', '--token': 'token', '--ca': 'ca' };
  for (let i = 0; i < argv.length; i++) {
    const arg = String(argv[i]);
    if (arg === '-h' || arg === '--help') {
      out.help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const option = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const key = names[option];
    if (!key) {
      throw new UsageError(arg.startsWith('-') ? `unknown option ${option}` : `unexpected argument ${arg}`);
    }
    let value;
    if (option !== arg) {
      value = arg.slice(eq + 1);
    } else {
      if (i + 1 >= argv.length) throw new UsageError(`${option} needs a value`);
      value = String(argv[++i]);
    }
    if (value === '') throw new UsageError(`${option} needs a value`);
    if (key in out) throw new UsageError(`${option} given twice`);
    out[key] = value;
  }
  return out;
}

/**
 * The realm endpoint for a broker address: `http:` becomes `ws:`, `https:` `wss:`; an empty
 * path or `/` becomes `/-daebug/realm`; `token`, when given, replaces any `token` in the query.
 *
 * @param {string} broker `ws://HOST:PORT`, `http://HOST:PORT/`, `HOST:PORT`, or a full realm URL
 * @param {string} [token] the broker's token
 * @returns {string} e.g. `ws://127.0.0.1:8100/-daebug/realm?token=abc`
 * @throws {UsageError} when it is not a ws, wss, http or https URL with a host
 */
export function realmUrl(broker, token) {
  let text = String(broker).trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `ws://${text}`;
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--broker ${broker} is not a URL such as ws://127.0.0.1:8100`);
  }
  const schemes = { 'ws:': 'ws:', 'wss:': 'wss:', 'http:': 'ws:', 'https:': 'wss:' };
  if (!schemes[url.protocol] || !url.hostname) {
    throw new UsageError(`--broker ${broker} is not a ws://, wss://, http:// or https:// URL with a host`);
  }
  // WHATWG URL refuses to change a special scheme to a non-special one, so build the text.
  const pathname = url.pathname === '' || url.pathname === '/' ? '/-daebug/realm' : url.pathname;
  const query = new URLSearchParams(url.search);
  if (token !== undefined) query.set('token', token);
  const search = query.toString();
  return `${schemes[url.protocol]}//${url.host}${pathname}${search ? `?${search}` : ''}`;
}

/**
 * The port a broker started in `folder` listens on by default: `8100 + abs(h) % 1000` where `h`
 * is Java's `String.hashCode` of the lowercased folder name (BrokerConfig.defaultPort).
 *
 * @param {string} folder an absolute path
 * @returns {number}
 */
export function defaultPort(folder) {
  const name = path.basename(path.resolve(folder)).toLowerCase();
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(31, h) + name.charCodeAt(i)) | 0;
  return 8100 + (Math.abs(h) % 1000);
}
