// What a Node realm records: console.log/info/warn/error/debug calls (the originals still print
// to stdout/stderr) and, optionally, uncaught exceptions and unhandled rejections.
//
// The hooks are process-wide and installed once, however many realms listen: each listener gets
// every event and adds its own job id. They are removed when the last listener goes; a console
// method wrapped again by someone else after us is left in place (our wrapper then just calls
// through).
//
// Errors: listening with `errors: true` adds `uncaughtException` and `unhandledRejection`
// listeners to `process`. As in a browser, where an uncaught error never closes the page, the
// process then survives them: Node's default of printing the error and exiting (status 1) is
// replaced by recording the event and printing `Uncaught <stack>` to stderr.

import { formatError, formatRejection } from '../src/format.js';
import { trimStack } from '../src/session.js';

export const LEVELS = Object.freeze(['log', 'info', 'warn', 'error', 'debug', 'table', 'dir', 'trace', 'group',
  'groupCollapsed', 'groupEnd']);

/** Event kinds of uncaught errors, named after the `process` events that report them. */
export const ERROR_KINDS = Object.freeze({ exception: 'uncaughtException', rejection: 'unhandledRejection' });

const listeners = new Set();
const errorListeners = new Set();
/** console methods as they were before wrapping, by level. */
const original = {};
const wrappers = {};
let busy = false;

/**
 * Starts delivering events to `listener`.
 *
 * @param {(ev: {kind: string, time: number, args?: *[], error?: *, reason?: *}) => void} listener
 *   called synchronously for each console call (`args`), uncaught exception (`error`) and
 *   unhandled rejection (`reason`); it must not keep `ev` (copy it). Console calls made while
 *   a listener runs are printed but not recorded, so a listener cannot loop.
 * @param {{errors?: boolean}} [options] `errors` (default true): also record uncaught exceptions
 *   and unhandled rejections, which keeps the process alive after them
 * @returns {() => void} stops delivering; idempotent
 */
export function listen(listener, { errors = true } = {}) {
  if (listeners.size === 0) wrapConsole();
  listeners.add(listener);
  if (errors) {
    if (errorListeners.size === 0) {
      process.on('uncaughtException', onException);
      process.on('unhandledRejection', onRejection);
    }
    errorListeners.add(listener);
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    listeners.delete(listener);
    if (errorListeners.delete(listener) && errorListeners.size === 0) {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
    }
    if (listeners.size === 0) unwrapConsole();
  };
}

/**
 * The console methods as they were before the first {@link listen}: calling them prints
 * without recording.
 *
 * @returns {Readonly<Record<string, Function>>} by level; the current methods when nothing is wrapped
 */
export function originalConsole() {
  const out = {};
  for (const level of LEVELS) out[level] = original[level] || console[level];
  return Object.freeze(out);
}

let groups = 0;
let inside = false;

function wrapConsole() {
  for (const level of LEVELS) {
    if (wrappers[level] && console[level] === wrappers[level]) continue;
    const method = console[level];
    if (typeof method !== 'function') continue;
    original[level] = method;
    wrappers[level] = function daebugConsole(...args) {
      // Node's table, trace, group and dir print through console.log/error: those inner calls are not
      // recorded again. groupEnd only closes a group; each event records how many are open.
      if (inside) return Reflect.apply(method, this, args);
      if (level === 'groupEnd') {
        if (groups > 0) groups--;
      } else {
        const ev = { kind: level === 'groupCollapsed' ? 'group' : level, args };
        if (groups) ev.indent = groups;
        if (level === 'trace') {
          const at = {};
          Error.captureStackTrace(at, daebugConsole); // the stack from the caller of console.trace
          ev.stack = at.stack;
        }
        record(ev, listeners);
        if (level === 'group' || level === 'groupCollapsed') groups++;
      }
      inside = true;
      try {
        return Reflect.apply(method, this, args);
      } finally {
        inside = false;
      }
    };
    console[level] = wrappers[level];
  }
}

function unwrapConsole() {
  for (const level of LEVELS) {
    if (wrappers[level] && console[level] === wrappers[level]) {
      console[level] = original[level];
      delete wrappers[level];
      delete original[level];
    }
  }
}

function record(ev, targets) {
  if (busy || targets.size === 0) return;
  busy = true;
  try {
    ev.time = Date.now();
    for (const listener of [...targets]) {
      try { listener({ ...ev }); } catch { /* a listener never breaks the program's console */ }
    }
  } finally {
    busy = false;
  }
}

function onException(error) {
  record({ kind: ERROR_KINDS.exception, error }, errorListeners);
  printUncaught(formatError(error));
}

function onRejection(reason) {
  record({ kind: ERROR_KINDS.rejection, reason }, errorListeners);
  printUncaught(`(in promise) ${formatRejection(reason)}`);
}

function printUncaught(text) {
  try {
    process.stderr.write(`Uncaught ${trimStack(text)}\n`);
  } catch { /* stderr closed */ }
}
