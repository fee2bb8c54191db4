// A Node process as a Daebug realm (kind `node`): the job protocol of session.js on a
// DaebugSocket whose WebSocket is the `ws` package, console and uncaught errors recorded by
// capture.js, code evaluated in this process's global scope by evaluate.js, exactly as in a
// browser tab. Used by bin/daebug-realm.mjs and by programs that embed a realm:
//
//   import { startRealm } from 'daebug-client/node';   // or '<path>/client-js/node/realm.js'
//   const realm = startRealm({ broker: 'ws://127.0.0.1:8100', name: 'worker-1' });
//   await realm.ready;            // the name the broker gave, or null when closed first
//   realm.close();

import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { format } from 'node:util';
import { DaebugSocket } from '../src/socket.js';
import { serve } from '../src/session.js';
import { newTabId } from '../src/realm.js';
import { listen } from './capture.js';
import { realmUrl } from './args.js';

const requireHere = createRequire(import.meta.url);

/**
 * Makes this process a realm and keeps it connected (with backoff and jitter between attempts)
 * until {@link NodeRealm#close}. Returns at once; the connection is made in the background.
 *
 * @param {object} options
 * @param {string} options.broker `ws://HOST:PORT`, `http://HOST:PORT/` or a full realm URL
 * @param {string} [options.name] proposed realm name; default `node-<pid>`
 * @param {string} [options.token] the broker's token (needed off loopback)
 * @param {string|Buffer|Array<string|Buffer>} [options.ca] PEM certificates trusted for `wss://` in addition
 *   to Node's own CAs (a broker's self-signed certificate, or the CA that signed it)
 * @param {boolean} [options.errors] record uncaught exceptions and unhandled rejections, which
 *   keeps the process alive after them (default true); false leaves Node's own handling alone
 * @param {boolean} [options.require] define a global `require` for job code when there is none,
 *   resolving from the working folder (default true)
 * @param {Function} [options.WebSocket] WebSocket constructor (tests); default the `ws` package
 * @param {object} [options.socket] other DaebugSocket options (see src/socket.js DEFAULTS)
 * @param {(text: string) => void} [options.warn] where the realm's own diagnostics go; default
 *   stderr (never recorded as events)
 * @returns {NodeRealm}
 */
export function startRealm(options) {
  return new NodeRealm(options);
}

/**
 * A running Node realm. Events (real `Event`s): `welcome` (`event.name`, `event.log`) after each
 * (re)connection is accepted, `close` (`event.code`, `event.reason`, `event.willRetry`) when a
 * connection ends or an attempt fails, `error` (`event.message`) when the WebSocket reports one.
 * @extends EventTarget
 */
export class NodeRealm extends EventTarget {
  constructor({ broker, name, token, ca, errors = true, require = true, WebSocket, socket = {}, warn } = {}) {
    super();
    if (!broker) throw new TypeError('startRealm needs a broker URL, e.g. ws://127.0.0.1:8100');
    /** The realm's name: the proposed one until the broker's `welcome`, then the broker's. */
    this.name = name ? String(name) : `node-${process.pid}`;
    /** Random id sent with every hello, so a reconnect resumes this realm (protocol.md `tab`). */
    this.tab = newTabId();
    /** `node://<pid>@<hostname>` */
    this.url = `node://${process.pid}@${os.hostname()}`;
    /** The endpoint, with the token in its query when one is given. */
    this.endpoint = realmUrl(broker, token);
    /** Ids of the jobs running now; the last one gets console events. */
    this.jobs = [];
    /** The log file the broker named in its last `welcome`, e.g. `daebug/node-1.md`. */
    this.log = null;
    this._warn = warn || ((text) => { try { process.stderr.write(`${text}\n`); } catch { /* closed */ } });
    const say = (...args) => this._warn(format(...args));
    if (require) defineRequire();

    let resolveReady;
    /** Resolves with the name from the first `welcome`, or null when closed before one. */
    this.ready = new Promise((r) => { resolveReady = r; });
    this._resolveReady = resolveReady;

    this.socket = new DaebugSocket(this.endpoint, {
      WebSocket: WebSocket || nodeWebSocket(ca),
      onWarn: (m) => say(m),
      ...socket,
    });
    const { emit } = serve(this.socket, {
      jobs: this.jobs,
      warn: say,
      hello: () => ({ type: 'hello', name: this.name, kind: 'node', url: this.url, language: 'javascript',
        tab: this.tab, protocol: 1 }),
      onWelcome: (message) => {
        if (typeof message.name === 'string' && message.name) this.name = message.name;
        if (typeof message.log === 'string') this.log = message.log;
        this._resolveReady(this.name);
        this.dispatchEvent(Object.assign(new Event('welcome'), { name: this.name, log: this.log }));
      },
    });
    for (const type of ['close', 'error']) {
      this.socket.addEventListener(type, (e) => {
        this.dispatchEvent(Object.assign(new Event(type), type === 'close'
          ? { code: e.code, reason: e.reason, willRetry: e.willRetry } : { message: e.message }));
      });
    }
    const jobs = this.jobs;
    this._unlisten = listen((ev) => {
      if (jobs.length) ev.job = jobs[jobs.length - 1];
      emit(ev);
    }, { errors });
  }

  /** @returns {boolean} whether the realm is connected now */
  get connected() {
    return this.socket.connected;
  }

  /**
   * Disconnects for good: no more reconnects, console and errors no longer recorded (the
   * process's own handling of uncaught errors is back once no realm listens). Idempotent.
   */
  close() {
    this._unlisten();
    this.socket.close(1000, 'realm closed');
    this._resolveReady(null);
  }
}

/**
 * The `ws` package's WebSocket, with an `error` listener always attached (see below) and, when `ca` is
 * given, those certificates trusted besides Node's own (a `ca` option alone would replace them).
 */
function nodeWebSocket(ca) {
  const { WebSocket } = requireHere('ws');
  const trust = ca === undefined || ca === null ? undefined : [...tls.rootCertificates, ...[].concat(ca)];
  // ws is an EventEmitter: an `error` emitted with no listener throws. DaebugSocket removes its
  // handlers from a socket it gave up on (a connect timeout closes it while it is still
  // connecting, and ws then emits "closed before the connection was established").
  return class DaebugNodeWebSocket extends WebSocket {
    constructor(url, protocols, options) {
      super(url, protocols, trust ? { ...options, ca: trust } : options);
      this.on('error', () => { /* reported through onerror while DaebugSocket listens */ });
    }
  };
}

/**
 * A global `require` for job code, resolving from the working folder, when there is none
 * (an ES module program has no `require`; a CommonJS one has a module-local one only).
 */
function defineRequire() {
  if (typeof globalThis.require === 'function') return;
  Object.defineProperty(globalThis, 'require', {
    value: createRequire(path.join(process.cwd(), path.sep)),
    configurable: true, writable: true, enumerable: false,
  });
}
