// Value text and deep equality for the in-page `node:assert` (assert.js), after node's
// `util.inspect` with `{compact: false, sorted: true}` (how node's AssertionError shows values:
// one entry per line, so a line diff points at what differs) and its `isDeepStrictEqual`.

const MAX_DEPTH = 20;

/**
 * The value as node's assert messages show it: strings in single quotes, `-0`, `1n`,
 * `[Function: f]`, `[class A]`, `Map(1) {...}`, `Point {...}`, `[Circular *1]`; objects and arrays one
 * entry per line with sorted keys.
 *
 * @param {*} value anything
 * @returns {string}
 */
export function inspect(value) {
  return fmt(value, 0, []);
}

function quote(s) {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

function key(k) {
  if (typeof k === 'symbol') return `[${k.toString()}]`;
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
}

function fmt(v, depth, seen) {
  switch (typeof v) {
    case 'string': return quote(v);
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint': return `${v}n`;
    case 'boolean': return String(v);
    case 'undefined': return 'undefined';
    case 'symbol': return v.toString();
    case 'function': {
      const src = Function.prototype.toString.call(v);
      if (/^class\b/.test(src)) return `[class ${v.name || '(anonymous)'}]`;
      return v.name ? `[Function: ${v.name}]` : '[Function (anonymous)]';
    }
    default: break;
  }
  if (v === null) return 'null';
  if (seen.includes(v)) return '[Circular *1]';
  if (depth > MAX_DEPTH) return Array.isArray(v) ? '[Array]' : '[Object]';
  const ind = '  '.repeat(depth + 1);
  const end = '  '.repeat(depth);
  const inner = (x) => fmt(x, depth + 1, [...seen, v]);
  const block = (open, items, close) => (items.length ? `${open}\n${items.map((i) => ind + i).join(',\n')}\n${end}${close}` : `${open}${close}`);
  const tag = Object.prototype.toString.call(v);
  if (v instanceof Date || tag === '[object Date]') {
    const t = Date.prototype.getTime.call(v);
    return Number.isNaN(t) ? 'Invalid Date' : Date.prototype.toISOString.call(v);
  }
  if (v instanceof RegExp) return String(v);
  if (v instanceof Error) {
    const head = `${v.name}: ${v.message}`;
    const props = ownKeys(v).filter((k) => k !== 'stack' && k !== 'message');
    const base = `[${head}]`;
    return props.length ? block(`${base} {`, props.map((k) => `${key(k)}: ${inner(v[k])}`), '}') : base;
  }
  if (Array.isArray(v)) {
    const items = [];
    for (let i = 0; i < v.length; i++) items.push(i in v ? inner(v[i]) : '<1 empty item>');
    for (const k of ownKeys(v)) if (!/^\d+$/.test(String(k))) items.push(`${key(k)}: ${inner(v[k])}`);
    return block('[', items, ']');
  }
  if (v instanceof Map) {
    return block(`Map(${v.size}) {`, [...v].map(([k, x]) => `${inner(k)} => ${inner(x)}`), '}');
  }
  if (v instanceof Set) return block(`Set(${v.size}) {`, [...v].map(inner), '}');
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return block(`${v.constructor.name}(${v.length}) [`, Array.from(v, (x) => inner(x)), ']');
  }
  if (v instanceof Promise) return 'Promise { <pending> }';
  const name = className(v);
  const items = ownKeys(v).map((k) => `${key(k)}: ${inner(v[k])}`);
  return block(name ? `${name} {` : '{', items, '}');
}

function className(v) {
  const proto = Object.getPrototypeOf(v);
  if (proto === null) return '[Object: null prototype]';
  if (proto === Object.prototype) return '';
  const ctor = proto.constructor;
  return ctor && typeof ctor.name === 'string' && ctor.name ? ctor.name : '';
}

function ownKeys(v) {
  const names = Object.keys(v).sort();
  const symbols = Object.getOwnPropertySymbols(v).filter((s) => Object.prototype.propertyIsEnumerable.call(v, s));
  return [...names, ...symbols];
}

/**
 * Deep equality as node's `assert.deepStrictEqual` (strict) or `assert.deepEqual` (loose) decides it.
 * Strict: `Object.is` for primitives, same prototypes and type tags, own enumerable string and symbol
 * keys, `Error` name and message, Map and Set contents, typed array contents, Date times, RegExp source
 * and flags, boxed primitives. Loose: `==` for primitives (NaN equals NaN), prototypes ignored.
 *
 * @param {*} a actual
 * @param {*} b expected
 * @param {boolean} strict
 * @returns {boolean}
 */
export function isDeepEqual(a, b, strict) {
  return eq(a, b, strict, new Map());
}

function eq(a, b, strict, memo) {
  if (strict ? Object.is(a, b) : a === b) return true;
  const objA = a !== null && typeof a === 'object';
  const objB = b !== null && typeof b === 'object';
  if (!objA || !objB) {
    if (strict) return false;
    if (objA || objB) return false;
    // eslint-disable-next-line eqeqeq
    return a == b || (Number.isNaN(a) && Number.isNaN(b));
  }
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const tag = Object.prototype.toString.call(a);
  if (tag !== Object.prototype.toString.call(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  // Cycles: a pair under comparison is assumed equal.
  let seen = memo.get(a);
  if (seen && seen.has(b)) return true;
  if (!seen) memo.set(a, (seen = new Set()));
  seen.add(b);

  if (a instanceof Date) return Date.prototype.getTime.call(a) === Date.prototype.getTime.call(b) && keysEqual(a, b, strict, memo);
  if (a instanceof RegExp) {
    return String(a) === String(b) && (!strict || a.lastIndex === b.lastIndex) && keysEqual(a, b, strict, memo);
  }
  if (a instanceof Error && (a.name !== b.name || a.message !== b.message)) return false;
  for (const Box of [Number, String, Boolean, BigInt, Symbol]) {
    if (tag === `[object ${Box.name}]` && typeof a === 'object') {
      if (!Object.is(Box.prototype.valueOf.call(a), Box.prototype.valueOf.call(b))) return false;
    }
  }
  if (ArrayBuffer.isView(a)) {
    if (a.byteLength !== b.byteLength) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    if (!strict) return true;
  }
  if (a instanceof Map) {
    if (a.size !== b.size) return false;
    const rest = [...b];
    for (const [k, v] of a) {
      if (b.has(k) && eq(v, b.get(k), strict, memo)) {
        const at = rest.findIndex(([k2]) => Object.is(k2, k));
        rest.splice(at, 1);
        continue;
      }
      const at = rest.findIndex(([k2, v2]) => eq(k, k2, strict, memo) && eq(v, v2, strict, memo));
      if (at < 0) return false;
      rest.splice(at, 1);
    }
  } else if (a instanceof Set) {
    if (a.size !== b.size) return false;
    const rest = [...b];
    for (const v of a) {
      const at = b.has(v) ? rest.findIndex((v2) => Object.is(v2, v)) : rest.findIndex((v2) => eq(v, v2, strict, memo));
      if (at < 0) return false;
      rest.splice(at, 1);
    }
  }
  if (Array.isArray(a) && a.length !== b.length) return false;
  return keysEqual(a, b, strict, memo);
}

function keysEqual(a, b, strict, memo) {
  const ka = enumerableKeys(a, strict);
  const kb = enumerableKeys(b, strict);
  if (ka.length !== kb.length) return false;
  const setB = new Set(kb);
  for (const k of ka) {
    if (!setB.has(k)) return false;
    if (!eq(a[k], b[k], strict, memo)) return false;
  }
  return true;
}

function enumerableKeys(v, strict) {
  const keys = Object.keys(v);
  if (!strict) return keys;
  return [...keys, ...Object.getOwnPropertySymbols(v).filter((s) => Object.prototype.propertyIsEnumerable.call(v, s))];
}
