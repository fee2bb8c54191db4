// Formats console arguments and uncaught errors as text, the way the browser console shows them.
// Nothing here throws: every function falls back to a plainer rendering.

import { encode } from './encode.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Formats the arguments of one console call: strings as they are, other values compactly
 * (plain JSON values as JSON, anything else in console notation, Errors as their stack),
 * joined by a space. A first string argument may use `%s %d %i %f %o %O %j %c %%`.
 *
 * @param {Array<*>} args the arguments given to console.log & co.
 * @returns {string}
 */
export function formatArgs(args) {
  try {
    const rest = Array.from(args);
    const parts = [];
    if (typeof rest[0] === 'string' && rest[0].includes('%') && rest.length > 1) {
      parts.push(substitute(rest.shift(), rest));
    }
    for (const a of rest) parts.push(typeof a === 'string' ? a : formatValue(a));
    return parts.join(' ');
  } catch (e) {
    return '[unformattable console arguments]';
  }
}

function substitute(format, rest) {
  return format.replace(/%([sdifoOjc%])/g, (m, c) => {
    if (c === '%') return '%';
    if (!rest.length) return m;
    const a = rest.shift();
    switch (c) {
      case 's': return typeof a === 'string' ? a : formatValue(a);
      case 'd': case 'i': return typeof a === 'bigint' ? a + 'n' : String(Math.trunc(Number(a)));
      case 'f': return String(Number(a));
      case 'c': return '';
      default: return formatValue(a);
    }
  });
}

/**
 * Formats one value like the console does: top-level strings quoted only when nested,
 * Errors as their stack, plain JSON as JSON, the rest in console notation.
 *
 * @param {*} value anything
 * @returns {string}
 */
export function formatValue(value) {
  try {
    if (typeof value === 'string') return value;
    const tree = encode(value);
    if (tree && tree.$daebug === 'error') return errorText(tree);
    if (!hasMarker(tree)) return JSON.stringify(tree);
    return render(tree);
  } catch {
    try {
      return String(value);
    } catch {
      return '[unformattable value]';
    }
  }
}

/**
 * Formats an uncaught error for a `window.onerror` / `self.onerror` event: the error's stack
 * when there is one, else `message at file:line:col`.
 *
 * @param {*} error the thrown value (`ErrorEvent.error`), may be null for cross-origin scripts
 * @param {{message?: string, filename?: string, lineno?: number, colno?: number}} [where]
 * @returns {string}
 */
export function formatError(error, where = {}) {
  try {
    if (error !== null && error !== undefined) {
      const text = formatThrown(error);
      if (text) return text;
    }
    const place = where.filename ? ` at ${where.filename}:${where.lineno || 0}:${where.colno || 0}` : '';
    return `${where.message || 'Script error.'}${place}`;
  } catch {
    return 'uncaught error';
  }
}

/**
 * Formats the reason of an `unhandledrejection`: its stack when it is an Error, else the value.
 *
 * @param {*} reason the rejection reason
 * @returns {string}
 */
export function formatRejection(reason) {
  try {
    return formatThrown(reason);
  } catch {
    return 'unhandled rejection';
  }
}

function formatThrown(value) {
  const tree = encode(value);
  if (tree && tree.$daebug === 'error') return errorText(tree);
  return typeof value === 'string' ? value : formatValue(value);
}

function errorText(e) {
  const head = e.message ? `${e.name}: ${e.message}` : e.name;
  if (!e.stack) return head;
  // V8 stacks start with "Name: message"; Firefox and Safari stacks hold only the frames.
  return e.stack.includes(e.message ? `: ${e.message}` : e.name) ? e.stack : `${head}\n${e.stack}`;
}

function hasMarker(tree) {
  if (tree === null || typeof tree !== 'object') return false;
  if (Array.isArray(tree)) return tree.some(hasMarker);
  if (Object.prototype.hasOwnProperty.call(tree, '$daebug')) return true;
  return Object.values(tree).some(hasMarker);
}

/**
 * Renders an encoded tree (see encode.js) in the console's notation, on one line:
 * `{a: undefined, b: [Circular ~]}`, `Map(1) {"k" => 1}`, `[Function: f]`.
 *
 * @param {*} t a tree produced by encode()
 * @returns {string}
 */
export function render(t) {
  if (t === null || typeof t !== 'object') return JSON.stringify(t);
  if (Array.isArray(t)) return '[' + t.map(render).join(', ') + ']';
  if (!Object.prototype.hasOwnProperty.call(t, '$daebug')) return renderEntries(t);
  switch (t.$daebug) {
    case 'undefined': return 'undefined';
    case 'number': case 'symbol': case 'node': case 'regexp': case 'opaque':
    case 'unreadable': case 'truncated': return String(t.repr);
    case 'bigint': return t.repr + 'n';
    case 'function':
      if (t.class) return t.name ? `[class ${t.name}]` : '[class (anonymous)]';
      return t.name ? `[Function: ${t.name}]` : '[Function (anonymous)]';
    case 'circular': return `[Circular ${t.path}]`;
    case 'map': return `Map(${t.size}) {` + t.entries.map((e) => Array.isArray(e)
      ? `${render(e[0])} => ${render(e[1])}` : render(e)).join(', ') + '}';
    case 'set': return `Set(${t.size}) {` + t.values.map(render).join(', ') + '}';
    case 'date': return t.iso;
    case 'error': return errorText(t);
    case 'object': return (t.class === 'Object' ? '' : t.class + ' ') + renderEntries(t.entries);
    case 'typedarray': return `${t.class}(${t.size}) [` + t.values.map(render).join(', ') + ']';
    case 'hole': return '<1 empty item>';
    default: return JSON.stringify(t);
  }
}

function renderEntries(o) {
  const parts = Object.keys(o).map((k) => (IDENTIFIER.test(k) ? k : JSON.stringify(k)) + ': ' + render(o[k]));
  return '{' + parts.join(', ') + '}';
}
