// A browser page realm: its name and tab id, kept in sessionStorage and guarded by a Web Lock,
// and the job protocol (session.js) on a DaebugSocket to the broker that served page.js.
// page.js loads this module and calls start() with the state it captured synchronously:
// the original console methods, events buffered so far and the list of running jobs.

import { DaebugSocket } from './socket.js';
import { serve, startBeats, watchTitle, errorInfo, trimStack } from './session.js';
import { workerName, watchFrames, askParent } from './frames.js';
import assert from './assert.js';

export { errorInfo, trimStack };

/** The words of proposed realm names (`<n>-<word>-<HHMM>-<SS>`, FORMAT.md §1). */
export const WORDS = Object.freeze(['zen', 'oak', 'fox', 'sky', 'elm', 'owl', 'bay', 'ivy', 'jam',
  'kit', 'lux', 'moss', 'nova', 'opal', 'pine', 'quay', 'reef', 'sage', 'tide', 'vale', 'wren',
  'yak', 'zinc', 'ash', 'bee', 'cove', 'dune', 'fern', 'glow', 'hive']);

/** sessionStorage keys that keep a tab's identity across reloads. */
export const STORAGE_KEYS = Object.freeze({ name: 'daebug.name', tab: 'daebug.tab' });

const LOCK_PREFIX = 'daebug:';

/**
 * Proposes a tab's realm name: `<n>-<word>-<HHMM>-<SS>`, n in 5..19, local time.
 *
 * @param {Date} [now] the first load time
 * @param {() => number} [random] a source of randomness in [0, 1)
 * @returns {string} e.g. `7-zen-1201-03`
 */
export function proposeName(now = new Date(), random = Math.random) {
  const pad = (x) => String(x).padStart(2, '0');
  const n = 5 + Math.floor(random() * 15);
  const word = WORDS[Math.floor(random() * WORDS.length)];
  return `${n}-${word}-${pad(now.getHours())}${pad(now.getMinutes())}-${pad(now.getSeconds())}`;
}

/**
 * A random id for the `tab` field of `hello`.
 *
 * @returns {string} 10 lowercase letters and digits
 */
export function newTabId() {
  let id = '';
  while (id.length < 10) id += Math.random().toString(36).slice(2);
  return id.slice(0, 10);
}

/**
 * Connects the page to the broker and serves jobs for the page's lifetime.
 *
 * @param {object} state `globalThis.daebug`, prepared by page.js: `original` console methods,
 *   `buffer` of early events, `jobs` (ids of running jobs, the last is the current one)
 * @param {string} scriptUrl absolute URL of page.js; the broker is at `realm` beside it
 * @returns {Promise<void>} resolves once the socket is created
 */
export async function start(state, scriptUrl) {
  const warn = (...args) => {
    try { Reflect.apply(state.original.warn || (() => {}), console, args); } catch { /* ignore */ }
  };
  state.assert = assert;
  /** `await daebug.test('tests/**\/*.test.js')`: runs node:test files served by the broker (testing.js). */
  state.test = (pattern, options = {}) => import('./testing.js')
    .then((m) => m.runTests(pattern, { base: scriptUrl, ...options }));
  const storage = sessionStore();
  const identity = await resolveIdentity(storage, state);
  state.name = identity.name;
  state.tab = identity.tab;

  const http = new URL('realm', scriptUrl);
  const url = `${http.protocol === 'https:' ? 'wss:' : 'ws:'}//${http.host}${http.pathname}`;
  const socket = new DaebugSocket(url, { onWarn: (m) => warn(m) });
  state.socket = socket;

  const { emit, send } = serve(socket, {
    jobs: state.jobs,
    warn,
    hello: () => ({ type: 'hello', name: state.name, kind: identity.kind, url: String(location.href),
      language: 'javascript', tab: state.tab, protocol: 1, parent: identity.parent,
      title: typeof document !== 'undefined' && document.title ? document.title : undefined }),
    onWelcome: welcome,
    onCancel: cancelInWorker,
  });
  startBeats(socket, send, {
    hidden: () => typeof document !== 'undefined' && document.visibilityState === 'hidden',
  });
  watchTitle(socket, send);

  function welcome(message) {
    if (typeof message.name === 'string' && message.name && message.name !== state.name) {
      state.name = message.name;
      if (identity.kind === 'page') {
        storage.set(STORAGE_KEYS.name, message.name);
        relock(identity, message.name);
      }
    }
    welcomed = true;
    for (const entry of state.workers || []) initWorker(entry);
  }

  // Workers (page.js wraps Worker): each gets its realm name once this page has its own.
  let welcomed = false;
  state.onWorker = (entry) => { if (welcomed) initWorker(entry); };
  function initWorker(entry) {
    if (entry.inited === entry.native) return;
    entry.inited = entry.native;
    entry.proposed = entry.proposed || workerName(state.name, entry.slot);
    entry.tab = entry.tab || `${state.tab || newTabId()}-w${entry.slot}`;
    entry.native.postMessage({ __daebug: 'init', name: entry.name || entry.proposed, parent: state.name,
      tab: entry.tab, base: scriptUrl, restartedFor: entry.restartedFor || undefined });
  }

  /** The broker's copy of a cancel for a worker of this page: terminate it and start a fresh one. */
  function cancelInWorker(message) {
    const entry = (state.workers || []).find((w) => w.name === message.realm && !w.terminated);
    if (!entry) return;
    warn(`daebug: job ${message.id} of worker ${message.realm} cancelled; terminating and restarting the worker`);
    entry.restart(String(message.id));
  }

  if (identity.kind === 'page' || identity.kind === 'iframe') {
    watchFrames(state, emit, warn);
  }

  // Events recorded so far go out now (queued in the outbox until hello has been sent),
  // then every new one goes out as it happens.
  const early = state.buffer.splice(0);
  for (const ev of early) emit(ev);
  if (state.dropped) {
    emit({ kind: 'warn', time: Date.now(), args: [`daebug: ${state.dropped} early events were dropped`] });
  }
  state.sink = emit;
}

/** sessionStorage, or a Map when storage is unavailable (sandboxed frames, privacy modes). */
function sessionStore() {
  const memory = new Map();
  return {
    get(key) {
      try { return sessionStorage.getItem(key); } catch { return memory.get(key) ?? null; }
    },
    set(key, value) {
      try { sessionStorage.setItem(key, value); } catch { memory.set(key, value); }
    },
  };
}

async function resolveIdentity(storage, state) {
  let framed = false;
  try { framed = window.top !== window; } catch { framed = true; }
  if (framed) {
    const answer = await askParent();
    const name = answer ? `${answer.parent}-frame-${answer.index}` : `${proposeName()}-frame-1`;
    // Only the tab id that held a name resumes it after a reconnect (protocol.md `tab`): a frame keeps one per
    // name in its own sessionStorage, so its reloads and reconnects keep the name.
    const key = `${STORAGE_KEYS.tab}.${name}`;
    let tab = storage.get(key);
    if (!tab) {
      tab = newTabId();
      storage.set(key, tab);
    }
    return { kind: 'iframe', name, parent: answer ? answer.parent : undefined, tab };
  }
  const identity = { kind: 'page', name: storage.get(STORAGE_KEYS.name), tab: storage.get(STORAGE_KEYS.tab) };
  const fresh = () => {
    identity.name = proposeName();
    identity.tab = newTabId();
    storage.set(STORAGE_KEYS.name, identity.name);
    storage.set(STORAGE_KEYS.tab, identity.tab);
  };
  if (!identity.name) fresh();
  if (!identity.tab) {
    identity.tab = newTabId();
    storage.set(STORAGE_KEYS.tab, identity.tab);
  }
  const locks = typeof navigator !== 'undefined' && navigator.locks;
  if (!locks) return identity;
  identity.lock = await holdLock(locks, identity.name);
  if (!identity.lock) {
    // A reload's previous document may still hold the lock for a moment.
    await new Promise((r) => setTimeout(r, 300));
    identity.lock = await holdLock(locks, identity.name);
  }
  if (!identity.lock) {
    // Another live tab holds this name: this is a duplicated tab. Take a new identity.
    const copied = identity.name;
    fresh();
    identity.lock = await holdLock(locks, identity.name);
    Reflect.apply(state.original.info || (() => {}), console,
      [`daebug: name ${copied} is used by another tab; this tab is now ${identity.name}`]);
  }
  return identity;
}

async function relock(identity, name) {
  const locks = typeof navigator !== 'undefined' && navigator.locks;
  if (!locks) return;
  const previous = identity.lock;
  const next = await holdLock(locks, name);
  if (next) {
    identity.lock = next;
    if (previous) previous.release();
  }
}

/**
 * Takes the Web Lock `daebug:<name>` if it is free and holds it until released.
 * Resolves to `{release}` when taken (or when the API fails, so the check is skipped),
 * null when another document holds it.
 */
function holdLock(locks, name) {
  return new Promise((resolve) => {
    let release;
    const held = new Promise((r) => { release = r; });
    try {
      locks.request(LOCK_PREFIX + name, { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(null);
          return undefined;
        }
        resolve({ release });
        return held;
      }).catch(() => resolve({ release }));
    } catch {
      resolve({ release });
    }
  });
}
