// The realm side of the job protocol (docs/protocol.md), shared by every JavaScript realm:
// the browser page (realm.js) and Node (node/realm.js). It sits on a DaebugSocket and knows
// nothing about how the realm got its name or captures its console: the caller supplies the
// `hello` to send on every connection, the list of running jobs its console hooks read, and
// receives `welcome` names.
//
// - On every `open`: the caller's hello, first on the wire (DaebugSocket flushes its outbox after).
// - `job`: run once with evaluate(), answered with exactly one `result`.
// - `cancel`: a JavaScript realm cannot stop code that is running. The job is abandoned: its id
//   leaves the running list (later console output is a background event) and its result is
//   never sent. Synchronous code cannot even see the cancel before it ends: its result is
//   already on the wire, and the broker journals it as a late reply.
//   A `cancel` naming another realm (`realm` set: the broker's copy for the owner of a worker) goes
//   to the caller's `onCancel` (the page restarts that worker).
// - `error`: printed with the caller's `warn`; nothing is sent back.
// - startBeats(): the `beat` heartbeat of browser realms (docs/protocol.md).
// - Unknown message types are ignored.

import { evaluate } from './evaluate.js';
import { encode, encodeWithin } from './encode.js';
import { formatError, formatRejection, formatValue } from './format.js';
import { consoleText } from './console-text.js';

/** Frames larger than this are refused by the broker (its default `--max-message`, with margin). */
const MAX_FRAME_BYTES = 1000000;
/** An event's text is cut to this many characters. */
const MAX_EVENT_CHARS = 256 * 1024;
/** The folder of the shim's own modules: frames from there are cut from job stacks. */
const SHIM_BASE = new URL('./', import.meta.url).href;

/**
 * Serves jobs over `socket` until the socket is closed.
 *
 * @param {import('./socket.js').DaebugSocket} socket the transport
 * @param {object} options
 * @param {() => object} options.hello builds the `hello` message, called on every connection
 * @param {string[]} options.jobs ids of the jobs running now, the last is the current one; the
 *   caller's console hooks read it to attribute events, this function pushes and removes ids
 * @param {(message: object) => void} [options.onWelcome] called with each `welcome`
 * @param {(...args: *[]) => void} [options.warn] prints the realm's own diagnostics
 *   (never captured as events)
 * @param {(message: object) => void} [options.onCancel] called with a `cancel` that names another
 *   realm (`message.realm`): the broker's copy for the owner of a worker or iframe
 * @returns {{send: (message: object) => void, emit: (ev: object) => void}} `send` sends any message;
 *   `emit` sends a recorded event (`{kind, time, job?, args | error | reason}`) as an `event` message
 */
export function serve(socket, { hello, jobs, onWelcome = () => {}, warn = () => {}, onCancel = () => {} }) {
  const abandoned = new Set();
  const send = (message) => {
    try {
      socket.send(JSON.stringify(message));
    } catch (e) {
      warn('daebug: could not send', message && message.type, e);
    }
  };
  socket.addEventListener('open', () => send(hello()));
  socket.addEventListener('message', (e) => {
    let message;
    try {
      message = JSON.parse(e.data);
    } catch {
      warn('daebug: ignoring a frame that is not JSON');
      return;
    }
    if (!message || typeof message !== 'object') return;
    switch (message.type) {
      case 'welcome': onWelcome(message); break;
      case 'job': runJob(message, jobs, abandoned, send); break;
      case 'cancel':
        if (typeof message.realm === 'string' && message.realm) onCancel(message);
        else cancel(message, jobs, abandoned, warn);
        break;
      case 'error': warn('daebug: broker error', message.code, message.message); break;
      default: break;
    }
  });
  return { send, emit: (ev) => send(toEventMessage(ev)) };
}

/** Default of {@link startBeats}: a beat a second; the broker reports silence after three missed. */
export const BEAT_INTERVAL_MS = 1000;

/**
 * Sends a `beat` every `intervalMs` from this thread while the socket is open, and at once when the
 * page's visibility changes. A page stuck in a loop stops beating although its socket (answered by
 * the browser's network process) stays alive, and the broker lists it unresponsive.
 *
 * @param {import('./socket.js').DaebugSocket} socket the transport
 * @param {(message: object) => void} send sends a message
 * @param {{intervalMs?: number, hidden?: () => boolean}} [options] `hidden` tells whether the page
 *   is hidden (its timers are throttled, so the broker expects no beats meanwhile)
 * @returns {() => void} stops beating
 */
export function startBeats(socket, send, { intervalMs = BEAT_INTERVAL_MS, hidden = () => false } = {}) {
  const beat = () => {
    if (socket.connected) send({ type: 'beat', intervalMs, hidden: Boolean(hidden()) });
  };
  socket.addEventListener('open', beat);
  const timer = setInterval(beat, intervalMs);
  if (timer && typeof timer.unref === 'function') timer.unref();
  let onVisibility = null;
  if (typeof document !== 'undefined' && typeof document.addEventListener === 'function') {
    onVisibility = beat;
    document.addEventListener('visibilitychange', onVisibility);
  }
  return () => {
    clearInterval(timer);
    socket.removeEventListener('open', beat);
    if (onVisibility) document.removeEventListener('visibilitychange', onVisibility);
  };
}

/** Default of {@link watchTitle}: at most one `title` frame per half second. */
export const TITLE_INTERVAL_MS = 500;

/**
 * Sends a `title` frame when the document's title changes after hello, so controllers see what the page
 * shows now (a single-page app's navigation, a tab counter). A MutationObserver on `<head>` notices the
 * change; frames are throttled to one per `intervalMs` with the latest title, and none is sent while the
 * socket is down (the next hello carries the title of that moment).
 *
 * @param {import('./socket.js').DaebugSocket} socket the transport; `hello` must be sent on its `open` first
 * @param {(message: object) => void} send sends a message
 * @param {{doc?: Document, Observer?: typeof MutationObserver, intervalMs?: number}} [options] for tests
 * @returns {() => void} stops watching
 */
export function watchTitle(socket, send, { doc = globalThis.document, Observer = globalThis.MutationObserver,
  intervalMs = TITLE_INTERVAL_MS } = {}) {
  if (!doc || typeof Observer !== 'function') return () => {};
  const current = () => String(doc.title || '');
  let known = current(); // what the broker was told (hello reads the same document.title)
  let timer = null;
  const check = () => {
    timer = null;
    const now = current();
    if (now !== known && socket.connected) {
      known = now;
      send({ type: 'title', title: now });
    }
  };
  const onOpen = () => { known = current(); };
  socket.addEventListener('open', onOpen);
  const observer = new Observer(() => {
    if (timer === null) timer = setTimeout(check, intervalMs);
  });
  // <head> holds <title> (setting document.title creates one there); a document without a head is watched whole.
  observer.observe(doc.head || doc.documentElement, { subtree: true, childList: true, characterData: true });
  return () => {
    observer.disconnect();
    if (timer !== null) clearTimeout(timer);
    socket.removeEventListener('open', onOpen);
  };
}

function cancel(message, jobs, abandoned, warn) {
  const id = String(message.id);
  const at = jobs.lastIndexOf(id);
  if (at < 0) return; // already answered, or never seen
  jobs.splice(at, 1);
  abandoned.add(id);
  warn(`daebug: job ${id} cancelled${message.reason ? ` (${message.reason})` : ''}; `
    + 'JavaScript cannot stop it, so it runs on and its result will not be sent');
}

/**
 * The `event` message for a recorded event.
 *
 * @param {{kind: string, time: number, job?: string, args?: *[], error?: *, reason?: *,
 *   message?: string, filename?: string, lineno?: number, colno?: number}} ev console calls carry
 *   `args`; uncaught errors `error` (and where it happened); rejections `reason`
 * @returns {{type: 'event', kind: string, time: number, text: string, job?: string}}
 */
export function toEventMessage(ev) {
  let text;
  if ('error' in ev) text = formatError(ev.error, ev);
  else if ('reason' in ev) text = formatRejection(ev.reason);
  else text = consoleText(ev);
  text = trimStack(text);
  if (text.length > MAX_EVENT_CHARS) {
    text = text.slice(0, MAX_EVENT_CHARS) + `... (${text.length - MAX_EVENT_CHARS} more characters)`;
  }
  const message = { type: 'event', kind: ev.kind === 'groupCollapsed' ? 'group' : ev.kind, time: ev.time, text };
  if (ev.job !== undefined && ev.job !== null) message.job = ev.job;
  return message;
}

async function runJob(message, jobs, abandoned, send) {
  const id = String(message.id);
  const started = performance.now();
  jobs.push(id);
  let reply;
  try {
    if (message.language && message.language !== 'javascript') {
      throw new Error(`this realm runs javascript, not ${message.language}`);
    }
    const value = await evaluate(String(message.code ?? ''), { sourceURL: `daebug-${id}.js` });
    reply = { type: 'result', id, ok: true, value: encodeWithin(value, MAX_FRAME_BYTES - 4096) };
  } catch (e) {
    reply = { type: 'result', id, ok: false, error: errorInfo(e) };
  } finally {
    const at = jobs.lastIndexOf(id);
    if (at >= 0) jobs.splice(at, 1);
  }
  if (abandoned.delete(id)) return;
  reply.durationMs = Math.round((performance.now() - started) * 10) / 10;
  if (reply.ok && byteLength(JSON.stringify(reply)) > MAX_FRAME_BYTES) {
    reply.value = { $daebug: 'truncated', repr: `[result over ${MAX_FRAME_BYTES} bytes: not sent]` };
  }
  send(reply);
}

/**
 * The `error` object of a failed `result`: name, message and stack of a thrown Error, or
 * `Uncaught` and the formatted value for anything else thrown.
 *
 * @param {*} e the thrown value
 * @returns {{name: string, message: string, stack: string}}
 */
export function errorInfo(e) {
  const tree = encode(e);
  if (tree && tree.$daebug === 'error') return { name: tree.name, message: tree.message, stack: trimStack(tree.stack) };
  return { name: 'Uncaught', message: formatValue(e), stack: '' };
}

/**
 * Cuts the shim's own frames from a stack: in each run of `at ...` lines, everything from the
 * first frame in the shim's modules (the folder of this module: `/-daebug/...` in a browser,
 * `client-js/src/` in Node) on, and V8's `at eval (<anonymous>)` wrapper lines, so the journal
 * shows the job's frames and the program's, not Daebug's plumbing. Other lines (a second
 * error's header in a console message) are kept.
 *
 * @param {string} stack a stack, or any text holding stacks
 * @returns {string}
 */
export function trimStack(stack) {
  if (typeof stack !== 'string' || stack === '') return stack;
  const out = [];
  let cutting = false;
  for (const line of stack.split('\n')) {
    const frame = /^\s+at /.test(line);
    if (!frame) cutting = false;
    else if (line.includes('/-daebug/') || line.includes(SHIM_BASE)) cutting = true;
    if (cutting || (frame && /^\s+at eval \(<anonymous>\)$/.test(line))) continue;
    out.push(line);
  }
  return out.join('\n');
}

function byteLength(text) {
  try {
    return new TextEncoder().encode(text).length;
  } catch {
    return text.length * 3;
  }
}
