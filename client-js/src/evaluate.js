// Runs a job's code in the global scope with the semantics of the browser console:
// the value of the last expression statement, top-level await, declarations that persist.
//
// The code never runs twice. How to run it is decided by analysis only: tokenizing
// (tokenize.js) and compiling candidate wrappings with `new Function` / `new AsyncFunction`,
// which parses without running. Exactly one of them is then run, once.
//
// - Code without `await` runs through indirect eval, which yields the exact completion value
//   (`1; if (true) { 2 }` gives 2) and makes `var` and function declarations global.
// - Code with top-level `await` runs as the body of an AsyncFunction; its last top-level
//   expression statement becomes `return (...)`.
// - Top-level `let`, `const` and `class` (and, in the async form, `var` and functions) are
//   copied to globalThis once the job settles, so the next job sees them, as in the console.
//   A name whose global property is an accessor or read-only (`location`, `name`, ...) is
//   never written.

import { tokenize } from './tokenize.js';

const AsyncFunction = (async function () {}).constructor;
const REGISTER = Symbol.for('daebug.register');
const DECLS_VAR = '__daebug_decls__';

/** Words that start a statement that must not be turned into `return (...)`. */
const STATEMENT_WORDS = new Set(['let', 'const', 'var', 'class', 'function', 'if', 'for', 'while',
  'do', 'switch', 'try', 'return', 'throw', 'break', 'continue', 'export', 'debugger', 'with']);
const CONTROL_HEADS = new Set(['if', 'for', 'while', 'with']);

let pending = null;
try {
  Object.defineProperty(globalThis, REGISTER, {
    value: (thunks) => { pending = thunks; },
    configurable: true, writable: true, enumerable: false,
  });
} catch { /* a frozen global: declarations will not persist */ }

/**
 * Evaluates `code` once in the global scope, like the browser console.
 *
 * @param {string} code JavaScript source: an expression or several statements, may use `await`
 * @param {{sourceURL?: string}} [options] `sourceURL` names the code in stack traces
 * @returns {Promise<*>} the value of the last expression statement (awaited when it is a
 *   thenable); rejects with the thrown value, or with a SyntaxError when the code does not parse
 */
export async function evaluate(code, options = {}) {
  const plan = prepare(String(code), options);
  let value;
  let thunks = null;
  if (plan.mode === 'eval') {
    pending = null;
    try {
      value = (0, eval)(plan.source);
    } catch (e) {
      if (plan.where && e instanceof SyntaxError) throw located(e, plan.where);
      throw e;
    } finally {
      thunks = pending;
      pending = null;
      try { if (thunks) delete globalThis[DECLS_VAR]; } catch { /* ignore */ }
      persist(thunks);
    }
  } else {
    const fn = new AsyncFunction(plan.source);
    pending = null;
    let promise;
    try {
      promise = fn.call(globalThis);
    } finally {
      thunks = pending;
      pending = null;
    }
    try {
      value = await promise;
    } finally {
      persist(thunks);
    }
  }
  return isThenable(value) ? await value : value;
}

/**
 * Decides how to run `code` without running it.
 *
 * @param {string} code source text
 * @param {{sourceURL?: string}} [options]
 * @returns {{mode: 'eval'|'async', source: string}} the source to pass to indirect eval or to
 *   `new AsyncFunction`
 * @throws {SyntaxError} when the code does not parse in either form
 */
export function prepare(code, options = {}) {
  const tokens = tokenize(code);
  const tail = sourceUrlComment(options.sourceURL);
  const hasAwait = tokens.some((t) => t.type === 'name' && t.value === 'await');
  const asyncError = hasAwait ? compileError(AsyncFunction, code) : undefined;
  if (hasAwait && !asyncError) return asyncPlan(code, tokens, tail);
  const syncError = compileError(Function, code);
  if (!syncError) return evalPlan(code, tokens, tail);
  if (asyncError) throw located(asyncError, whereError(AsyncFunction, code, asyncError));
  if (!compileError(AsyncFunction, code)) return asyncPlan(code, tokens, tail);
  // Nothing compiles. Indirect eval reports the clearest SyntaxError; a parse error is raised
  // before anything runs, so this cannot execute the code.
  return { mode: 'eval', source: code + tail, where: whereError(Function, code, syncError) };
}

/** Messages of errors that mean "the code ended too soon": they sit at the end of the code. */
const AT_END = /end of input|Unterminated|missing \) after/i;

/**
 * Where a SyntaxError lies, as `{line, column}` (1-based), found by parsing prefixes of the code: the
 * shortest prefix that fails with the same message ends at the error. Engines do not say where a
 * SyntaxError of `new Function` or `eval` is.
 */
function whereError(Ctor, code, error) {
  const message = String(error && error.message);
  let end = code.length;
  const token = /^Unexpected token '(.+)'$/.exec(message);
  if (token) {
    // The first place the token occurs where the code up to it fails so. (A prefix cut anywhere else can
    // fail with "Unexpected token '}'" because of the closing brace the Function constructor adds.)
    for (let at = code.indexOf(token[1]); at >= 0; at = code.indexOf(token[1], at + 1)) {
      const e = compileError(Ctor, code.slice(0, at + token[1].length));
      if (e && String(e.message) === message) { end = at; break; }
    }
  } else if (!AT_END.test(message)) {
    let lo = 0;
    let hi = code.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = compileError(Ctor, code.slice(0, mid + 1));
      if (e && String(e.message) === message) hi = mid; else lo = mid + 1;
    }
    end = lo;
  } else {
    while (end > 0 && /\s/.test(code[end - 1])) end--;
    end = Math.max(0, end - 1);
  }
  const before = code.slice(0, end);
  const line = before.split(/\r\n|\r|\n/).length;
  const column = end - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')); // 1-based
  return { line, column };
}

/** The error with its place in the code added to its message (and the first line of its stack). */
function located(error, where) {
  if (!where) return error;
  const suffix = ` (line ${where.line}, column ${where.column})`;
  const old = String(error.message);
  try {
    const stack = error.stack; // formatted now, before the message changes
    error.message = old + suffix;
    if (typeof stack === 'string') error.stack = stack.replace(old, old + suffix);
  } catch { /* a frozen error keeps its message */ }
  return error;
}

function evalPlan(code, tokens, tail) {
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  // `{a: 1}` is an object, as in the console, not a block with a label.
  if (first && first.value === '{' && last.value === '}' && last.depth === 0
      && !compileError(Function, `return (${code}\n)`)) {
    return { mode: 'eval', source: `(${code}\n)${tail}` };
  }
  const names = declaredNames(tokens).lexical;
  const decls = names.length ? `\n;var ${DECLS_VAR} = ${registration(names)};` : '';
  return { mode: 'eval', source: code + decls + tail };
}

function asyncPlan(code, tokens, tail) {
  const { lexical, hoisted } = declaredNames(tokens);
  const names = [...lexical, ...hoisted];
  const head = names.length ? `${registration(names)};` : '';
  let starts = [];
  if (tokens.length) starts.push(0);
  for (let k = 1; k < tokens.length; k++) if (isStatementBoundary(tokens, k)) starts.push(k);
  if (starts.length > 100) starts = [0, ...starts.slice(-99)];
  for (const k of starts) {
    const t = tokens[k];
    if (t.type === 'name' && STATEMENT_WORDS.has(t.value)) continue;
    if (t.value === 'async' && tokens[k + 1] && tokens[k + 1].value === 'function') continue;
    if (t.value === '{' && k !== 0) continue;
    const body = `${head}${code.slice(0, t.start)}return (${code.slice(t.start)}\n);${tail}`;
    if (!compileError(AsyncFunction, body)) return { mode: 'async', source: body };
  }
  return { mode: 'async', source: head + code + tail };
}

/** An arrow per name, called once the job settles; TDZ errors are caught there. */
function registration(names) {
  const entries = names.map((n) => `${JSON.stringify(n)}: () => ${n}`).join(', ');
  return `(() => { try { return globalThis[Symbol.for("daebug.register")]({${entries}}); } catch (e) {} })()`;
}

function persist(thunks) {
  if (!thunks) return;
  for (const name of Object.keys(thunks)) {
    try {
      const value = thunks[name]();
      if (writableGlobal(name)) globalThis[name] = value;
    } catch { /* not initialised (TDZ) or not writable: skip */ }
  }
}

function writableGlobal(name) {
  for (let o = globalThis; o; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (d) return 'value' in d && d.writable === true;
  }
  return true;
}

function compileError(Ctor, body) {
  try {
    Ctor(body); // compiles, never runs
    return undefined;
  } catch (e) {
    return e;
  }
}

function isThenable(value) {
  try {
    return value !== null && (typeof value === 'object' || typeof value === 'function')
      && typeof value.then === 'function';
  } catch {
    return false;
  }
}

function sourceUrlComment(url) {
  if (!url) return '';
  return `\n//# sourceURL=${String(url).replace(/[\s'"]/g, '_')}`;
}

/** Tokens that may start a statement after a line break or `}` without continuing the previous one. */
function safeStart(t) {
  if (t.type === 'name') return t.value !== 'in' && t.value !== 'instanceof';
  if (t.type === 'num' || t.type === 'str' || t.type === 'regex') return true;
  return t.type === 'punct' && ['!', '~', '++', '--', '{'].includes(t.value);
}

function endsExpression(t) {
  if (t.type === 'punct') return [')', ']', '}', '++', '--'].includes(t.value);
  return t.type !== 'tmpl' || t.value.endsWith('`');
}

function isStatementBoundary(tokens, k) {
  const t = tokens[k];
  const prev = tokens[k - 1];
  if (t.depth !== 0 || prev.depth !== 0) return false;
  if (prev.value === ';' && prev.type === 'punct') return true;
  if (!(t.nl || prev.value === '}') || !safeStart(t) || !endsExpression(prev)) return false;
  if (prev.type === 'name' && (prev.value === 'else' || prev.value === 'do')) return false;
  if (prev.value === ')') {
    // `for (...)\n body`: the body belongs to the loop head, never split there.
    let j = k - 2;
    while (j >= 0 && !(tokens[j].value === '(' && tokens[j].depth === 0)) j--;
    let word = tokens[j - 1];
    if (word && word.value === 'await') word = tokens[j - 2];
    if (word && word.type === 'name' && CONTROL_HEADS.has(word.value)) return false;
  }
  return true;
}

function isDeclarationStart(tokens, k) {
  const t = tokens[k];
  if (t.depth !== 0) return false;
  if (k === 0) return true;
  const prev = tokens[k - 1];
  if (prev.type === 'punct' && (prev.value === ';' || prev.value === '}')) return true;
  return t.nl && endsExpression(prev);
}

/**
 * Names declared by the top-level statements of the tokenized code.
 *
 * @param {Array<object>} tokens from tokenize()
 * @returns {{lexical: string[], hoisted: string[]}} `let`/`const`/`class` names and
 *   `var`/function names
 */
export function declaredNames(tokens) {
  const lexical = [];
  const hoisted = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.type !== 'name' || !isDeclarationStart(tokens, k)) continue;
    const next = tokens[k + 1];
    if (!next) break;
    if ((t.value === 'let' || t.value === 'const' || t.value === 'var')
        && (next.type === 'name' || next.value === '[' || next.value === '{')) {
      declarators(tokens, k + 1, t.value === 'var' ? hoisted : lexical);
    } else if (t.value === 'class' && next.type === 'name') {
      lexical.push(next.value);
    } else if (t.value === 'function' || (t.value === 'async' && next.value === 'function' && !next.nl)) {
      let j = t.value === 'async' ? k + 2 : k + 1;
      if (tokens[j] && tokens[j].value === '*') j++;
      if (tokens[j] && tokens[j].type === 'name') hoisted.push(tokens[j].value);
    }
  }
  const valid = (n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== DECLS_VAR;
  return { lexical: [...new Set(lexical.filter(valid))], hoisted: [...new Set(hoisted.filter(valid))] };
}

function declarators(tokens, i, names) {
  while (i < tokens.length) {
    i = target(tokens, i, names);
    if (tokens[i] && tokens[i].value === '=') {
      i++;
      while (i < tokens.length) {
        const t = tokens[i];
        if (t.depth === 0 && t.type === 'punct' && (t.value === ',' || t.value === ';')) break;
        if (t.depth === 0 && t.nl && safeStart(t) && endsExpression(tokens[i - 1])) return;
        i++;
      }
    }
    if (!tokens[i] || tokens[i].value !== ',') return;
    i++;
  }
}

/** Reads one binding target (a name or a destructuring pattern) and returns the next index. */
function target(tokens, i, names) {
  const t = tokens[i];
  if (!t) return i;
  if (t.type === 'name') { names.push(t.value); return i + 1; }
  if (t.value !== '[' && t.value !== '{') return i + 1;
  const depth = t.depth;
  const object = t.value === '{';
  const inner = depth + 1;
  const closes = (x) => x.depth === depth && (x.value === ']' || x.value === '}') && x.type === 'punct';
  i++;
  while (i < tokens.length && !closes(tokens[i])) {
    let x = tokens[i];
    if (x.value === ',') { i++; continue; }
    if (x.value === '...') { i++; x = tokens[i]; if (!x) break; }
    if (object && tokens[i + 1] && tokens[i + 1].value === ':' && tokens[i + 1].depth === inner) {
      i = target(tokens, i + 2, names);
    } else if (object && x.value === '[') {
      while (i < tokens.length && !(tokens[i].value === ']' && tokens[i].depth === inner)) i++;
      i = tokens[i + 1] && tokens[i + 1].value === ':' ? target(tokens, i + 2, names) : i + 1;
    } else {
      i = target(tokens, i, names);
    }
    if (tokens[i] && tokens[i].value === '=' && tokens[i].depth === inner) {
      while (i < tokens.length && !closes(tokens[i])
             && !(tokens[i].value === ',' && tokens[i].depth === inner)) i++;
    }
  }
  return i + 1;
}
