// `node:assert` for pages and workers (mapped by the broker's import map; also `daebug.assert`).
// The legacy mode of node's module: `equal` is `==`, `deepEqual` is loose. `assert-strict.js`
// (`node:assert/strict`) is the strict mode, where `equal` is `strictEqual` and `deepEqual` is
// `deepStrictEqual`. Failures throw an AssertionError with `actual`, `expected`, `operator`,
// `code: 'ERR_ASSERTION'`, `generatedMessage`, and a message holding a line diff of both values as
// node prints it (`+ actual - expected`).

import { inspect, isDeepEqual } from './inspect.js';

/** The error every failed assertion throws, as in node. */
export class AssertionError extends Error {
  /**
   * @param {{message?: string|Error, actual?: *, expected?: *, operator?: string,
   *   stackStartFn?: Function}} options
   */
  constructor(options = {}) {
    const { actual, expected, operator, stackStartFn } = options;
    const generated = options.message === undefined || options.message === null;
    super(generated ? defaultMessage(actual, expected, operator) : String(options.message));
    this.name = 'AssertionError';
    this.code = 'ERR_ASSERTION';
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
    this.generatedMessage = generated;
    if (typeof Error.captureStackTrace === 'function') Error.captureStackTrace(this, stackStartFn || AssertionError);
  }
}

const HEADERS = {
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  deepEqual: 'Expected values to be loosely deep-equal:',
  equal: 'Expected values to be loosely equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notEqual: 'Expected "actual" to be loosely unequal to:',
};

function defaultMessage(actual, expected, operator) {
  const header = HEADERS[operator];
  if (!header) return `${inspect(actual)} ${operator || '=='} ${inspect(expected)}`;
  const a = inspect(actual).split('\n');
  const e = inspect(expected).split('\n');
  if (operator.startsWith('not')) return `${header}\n\n${a.join('\n')}\n`;
  if (a.length === 1 && e.length === 1 && !(typeof actual === 'object' && actual !== null)) {
    return `${header}\n\n${a[0]} !== ${e[0]}\n`;
  }
  return `${header}\n+ actual - expected\n\n${diffLines(a, e).join('\n')}\n`;
}

/**
 * A line diff of two texts (longest common subsequence): `+ ` lines only in `actual`, `- ` lines only
 * in `expected`, `  ` lines in both.
 *
 * @param {string[]} a actual lines
 * @param {string[]} e expected lines
 * @returns {string[]}
 */
export function diffLines(a, e) {
  if (a.length * e.length > 4e6) return [...a.map((l) => `+ ${l}`), ...e.map((l) => `- ${l}`)];
  const n = a.length;
  const m = e.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === e[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === e[j]) { out.push(`  ${a[i]}`); i++; j++; }
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) { out.push(`+ ${a[i]}`); i++; }
    else { out.push(`- ${e[j]}`); j++; }
  }
  return out;
}

function fail(message, props, fn) {
  if (message instanceof Error) throw message;
  const error = new AssertionError({ ...props, message: message ?? props.message, stackStartFn: fn });
  error.generatedMessage = message === undefined || message === null;
  throw error;
}

function isPromiseLike(x) {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof x.then === 'function';
}

/** Checks a thrown value against `expected` of throws/rejects (class, RegExp, function, object). */
function checkError(actual, expected, message, operator, fn) {
  if (expected === undefined) return;
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && actual instanceof expected) return;
    if (Error.isPrototypeOf(expected) || expected === Error) {
      fail(message, { actual, expected, operator,
        message: message ?? `The error is expected to be an instance of "${expected.name}". Received ${inspect(actual)}` }, fn);
    }
    if (expected.call({}, actual) === true) return;
    fail(message, { actual, expected, operator,
      message: message ?? `The ${expected.name || 'validation'} function is expected to return "true". Received false` }, fn);
  }
  if (expected instanceof RegExp) {
    if (expected.test(String(actual))) return;
    fail(message, { actual, expected, operator,
      message: message ?? `The input did not match the regular expression ${expected}. Input:\n\n${inspect(String(actual))}\n` }, fn);
  }
  if (typeof expected === 'object' && expected !== null) {
    for (const key of Object.keys(expected)) {
      const want = expected[key];
      const got = actual == null ? undefined : actual[key];
      const ok = want instanceof RegExp && typeof got === 'string' ? want.test(got) : isDeepEqual(got, want, true);
      if (!ok) {
        fail(message, { actual, expected, operator,
          message: message ?? `${HEADERS.deepStrictEqual}\n+ actual - expected\n\n${diffLines(
            inspect(pick(actual, expected)).split('\n'), inspect(expected).split('\n')).join('\n')}\n` }, fn);
      }
    }
  }
}

function pick(actual, expected) {
  const out = {};
  for (const key of Object.keys(expected)) out[key] = actual == null ? undefined : actual[key];
  return out;
}

const NO_EXCEPTION = Symbol('no exception');

/**
 * Builds an assert function with node's API.
 *
 * @param {boolean} strict whether `equal`/`deepEqual` are the strict versions
 */
export function makeAssert(strict) {
  function ok(value, message) {
    if (!value) {
      fail(message, { actual: value, expected: true, operator: '==',
        message: message ?? (arguments.length === 0 ? 'No value argument passed to `assert.ok()`'
          : `The expression evaluated to a falsy value:\n\n  assert.ok(${inspect(value)})\n`) }, ok);
    }
  }
  const assert = function assert(value, message) {
    if (!value) {
      fail(message, { actual: value, expected: true, operator: '==',
        message: message ?? `The expression evaluated to a falsy value:\n\n  assert(${inspect(value)})\n` }, assert);
    }
  };
  const api = {
    ok,
    fail(message = 'Failed') {
      fail(message, { operator: 'fail' }, api.fail);
    },
    strictEqual: function strictEqual(actual, expected, message) {
      if (!Object.is(actual, expected)) fail(message, { actual, expected, operator: 'strictEqual' }, strictEqual);
    },
    notStrictEqual: function notStrictEqual(actual, expected, message) {
      if (Object.is(actual, expected)) fail(message, { actual, expected, operator: 'notStrictEqual' }, notStrictEqual);
    },
    deepStrictEqual: function deepStrictEqual(actual, expected, message) {
      if (!isDeepEqual(actual, expected, true)) fail(message, { actual, expected, operator: 'deepStrictEqual' }, deepStrictEqual);
    },
    notDeepStrictEqual: function notDeepStrictEqual(actual, expected, message) {
      if (isDeepEqual(actual, expected, true)) fail(message, { actual, expected, operator: 'notDeepStrictEqual' }, notDeepStrictEqual);
    },
    looseEqual: function equal(actual, expected, message) {
      // eslint-disable-next-line eqeqeq
      if (!(actual == expected || (Number.isNaN(actual) && Number.isNaN(expected)))) {
        fail(message, { actual, expected, operator: '==' }, equal);
      }
    },
    looseNotEqual: function notEqual(actual, expected, message) {
      // eslint-disable-next-line eqeqeq
      if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) {
        fail(message, { actual, expected, operator: '!=' }, notEqual);
      }
    },
    looseDeepEqual: function deepEqual(actual, expected, message) {
      if (!isDeepEqual(actual, expected, false)) fail(message, { actual, expected, operator: 'deepEqual' }, deepEqual);
    },
    looseNotDeepEqual: function notDeepEqual(actual, expected, message) {
      if (isDeepEqual(actual, expected, false)) fail(message, { actual, expected, operator: 'notDeepEqual' }, notDeepEqual);
    },
    throws: function throws(fn, expected, message) {
      if (typeof expected === 'string') { message = expected; expected = undefined; }
      let caught = NO_EXCEPTION;
      try { fn(); } catch (e) { caught = e; }
      if (caught === NO_EXCEPTION) {
        fail(message, { actual: undefined, expected, operator: 'throws',
          message: message ?? `Missing expected exception${expected && expected.name ? ` (${expected.name})` : ''}.` }, throws);
      }
      checkError(caught, expected, message, 'throws', throws);
    },
    doesNotThrow: function doesNotThrow(fn, expected, message) {
      if (typeof expected === 'string') message = expected;
      try { fn(); } catch (e) {
        fail(message, { actual: e, operator: 'doesNotThrow',
          message: message ?? `Got unwanted exception.\nActual message: "${e && e.message}"` }, doesNotThrow);
      }
    },
    rejects: async function rejects(promiseOrFn, expected, message) {
      if (typeof expected === 'string') { message = expected; expected = undefined; }
      let caught = NO_EXCEPTION;
      try {
        const p = typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn;
        if (!isPromiseLike(p)) {
          throw new TypeError('The "promiseFn" argument must be a Promise or a function returning one');
        }
        await p;
      } catch (e) { caught = e; }
      if (caught === NO_EXCEPTION) {
        fail(message, { actual: undefined, expected, operator: 'rejects',
          message: message ?? `Missing expected rejection${expected && expected.name ? ` (${expected.name})` : ''}.` }, rejects);
      }
      checkError(caught, expected, message, 'rejects', rejects);
    },
    doesNotReject: async function doesNotReject(promiseOrFn, expected, message) {
      if (typeof expected === 'string') message = expected;
      try {
        await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
      } catch (e) {
        fail(message, { actual: e, operator: 'doesNotReject',
          message: message ?? `Got unwanted rejection.\nActual message: "${e && e.message}"` }, doesNotReject);
      }
    },
    match: function match(string, regexp, message) {
      if (typeof string !== 'string' || !regexp.test(string)) {
        fail(message, { actual: string, expected: regexp, operator: 'match',
          message: message ?? (typeof string !== 'string'
            ? `The "string" argument must be of type string. Received ${inspect(string)}`
            : `The input did not match the regular expression ${regexp}. Input:\n\n${inspect(string)}\n`) }, match);
      }
    },
    doesNotMatch: function doesNotMatch(string, regexp, message) {
      if (typeof string !== 'string' || regexp.test(string)) {
        fail(message, { actual: string, expected: regexp, operator: 'doesNotMatch',
          message: message ?? `The input was expected to not match the regular expression ${regexp}. Input:\n\n${inspect(string)}\n` }, doesNotMatch);
      }
    },
    ifError: function ifError(value) {
      if (value !== null && value !== undefined) {
        fail(undefined, { actual: value, expected: null, operator: 'ifError',
          message: `ifError got unwanted exception: ${value && value.message !== undefined ? value.message : inspect(value)}` }, ifError);
      }
    },
    AssertionError,
  };
  api.equal = strict ? api.strictEqual : api.looseEqual;
  api.notEqual = strict ? api.notStrictEqual : api.looseNotEqual;
  api.deepEqual = strict ? api.deepStrictEqual : api.looseDeepEqual;
  api.notDeepEqual = strict ? api.notDeepStrictEqual : api.looseNotDeepEqual;
  for (const k of ['looseEqual', 'looseNotEqual', 'looseDeepEqual', 'looseNotDeepEqual']) delete api[k];
  return Object.assign(assert, api);
}

const assert = makeAssert(false);
assert.strict = makeAssert(true);
assert.strict.strict = assert.strict;

export default assert;
export const { ok, equal, notEqual, deepEqual, notDeepEqual, strictEqual, notStrictEqual, deepStrictEqual,
  notDeepStrictEqual, throws, doesNotThrow, rejects, doesNotReject, match, doesNotMatch, ifError } = assert;
export const strict = assert.strict;
const failFn = assert.fail;
export { failFn as fail };
