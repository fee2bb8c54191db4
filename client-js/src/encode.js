// Encodes any JavaScript value into a JSON-able tree, following the "Values" table of
// docs/protocol.md. Plain JSON stays plain JSON; everything else becomes a node with the
// reserved key `$daebug`. Encoding never throws and never invokes code other than own
// property getters (a getter that throws becomes `unreadable`).

/** Limits of the encoding: nesting depth, entries per collection, nodes per value. */
export const LIMITS = Object.freeze({ maxDepth: 20, maxEntries: 10000, maxNodes: 200000 });

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** The longest array the last encode() kept (encodeWithin scales its next limit from it). */
let lastWidest = 0;
const objectToString = Object.prototype.toString;
const fnToString = Function.prototype.toString;

/**
 * Encodes a value for a `result` message.
 *
 * @param {*} value any value, including proxies, host objects and cyclic graphs
 * @returns {*} a tree of JSON values; never throws
 */
export function encode(value, limits = LIMITS) {
  const state = { ancestors: new Map(), nodes: 0, limits, widest: 0 };
  try {
    const tree = enc(value, '~', 0, state);
    lastWidest = state.widest;
    return tree;
  } catch (e) {
    return unreadable('[Unencodable: ' + describeError(e) + ']');
  }
}

/**
 * Encodes a value whole when its JSON fits `maxBytes`, else with fewer entries per collection until it
 * fits: each cut is a `truncated` node naming how many items are missing and the path of the container.
 *
 * @param {*} value any value
 * @param {number} maxBytes the largest UTF-8 size of the tree's JSON
 * @returns {*} a tree of JSON values; never throws
 */
export function encodeWithin(value, maxBytes) {
  let limits = { ...LIMITS, maxEntries: LIMITS.maxNodes };
  for (let attempt = 0; attempt < 8; attempt++) {
    const tree = encode(value, limits);
    const size = utf8Length(JSON.stringify(tree));
    if (size <= maxBytes || limits.maxEntries <= 1) return tree;
    // Scaled from the widest array actually kept, not from the limit: one more pass usually fits.
    const fewer = Math.floor(Math.min(limits.maxEntries, lastWidest || limits.maxEntries) * (maxBytes / size) * 0.95);
    limits = { ...limits, maxEntries: Math.max(1, Math.min(fewer, limits.maxEntries - 1)) };
  }
  return encode(value, { ...LIMITS, maxEntries: 1 });
}

function utf8Length(text) {
  if (typeof text !== 'string') return 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; } else n += 3;
  }
  return n;
}

function enc(v, path, depth, state) {
  try {
    return encodeValue(v, path, depth, state);
  } catch (e) {
    return unreadable('[Unreadable: threw ' + describeError(e) + ']');
  }
}

function encodeValue(v, path, depth, state) {
  switch (typeof v) {
    case 'string': case 'boolean': return v;
    case 'undefined': return { $daebug: 'undefined' };
    case 'number':
      if (Number.isNaN(v)) return num('NaN');
      if (v === Infinity) return num('Infinity');
      if (v === -Infinity) return num('-Infinity');
      if (Object.is(v, -0)) return num('-0');
      return v;
    case 'bigint': return { $daebug: 'bigint', repr: String(v) };
    case 'symbol': return { $daebug: 'symbol', repr: v.toString() };
    case 'function': return encodeFunction(v);
    default: break;
  }
  if (v === null) return null;
  if (state.ancestors.has(v)) return { $daebug: 'circular', path: state.ancestors.get(v) };
  if (++state.nodes > state.limits.maxNodes) return truncated('[Object]', path);
  if (depth >= state.limits.maxDepth) return truncated(Array.isArray(v) ? '[Array]' : '[Object]', path);
  state.ancestors.set(v, path);
  try {
    return encodeObject(v, path, depth + 1, state);
  } finally {
    state.ancestors.delete(v);
  }
}

function encodeObject(v, path, depth, state) {
  const child = (x, p) => enc(x, p, depth, state);
  const max = state.limits.maxEntries;
  if (Array.isArray(v)) {
    const length = v.length;
    const out = [];
    const limit = Math.min(length, max);
    if (limit > state.widest) state.widest = limit;
    for (let i = 0; i < limit; i++) {
      if (!(i in v)) { out.push({ $daebug: 'hole' }); continue; }
      out.push(readAndEncode(v, i, path + '[' + i + ']', child));
    }
    if (length > limit) out.push(truncated('... ' + (length - limit) + ' more items', path));
    return out;
  }
  if (isNode(v)) return { $daebug: 'node', repr: nodeRepr(v) };
  if (depth === 1 && isText(v)) return { $daebug: 'text', repr: v[TEXT] };
  if (isPlain(v)) return encodePlain(v, child, path, max); // skips the brand checks below: each one throws
  if (brand(Map.prototype.has, v)) {
    const entries = [];
    let i = 0;
    for (const [k, x] of Map.prototype.entries.call(v)) {
      if (i === max) break;
      entries.push([child(k, `${path}[${i}][0]`), child(x, `${path}[${i}][1]`)]);
      i++;
    }
    const size = Reflect.apply(Object.getOwnPropertyDescriptor(Map.prototype, 'size').get, v, []);
    const out = { $daebug: 'map', size, entries };
    if (size > i) entries.push(truncated('... ' + (size - i) + ' more items', path));
    return out;
  }
  if (brand(Set.prototype.has, v)) {
    const values = [];
    let i = 0;
    for (const x of Set.prototype.values.call(v)) {
      if (i === max) break;
      values.push(child(x, `${path}[${i}]`));
      i++;
    }
    const size = Reflect.apply(Object.getOwnPropertyDescriptor(Set.prototype, 'size').get, v, []);
    if (size > i) values.push(truncated('... ' + (size - i) + ' more items', path));
    return { $daebug: 'set', size, values };
  }
  if (brand(Date.prototype.getTime, v)) {
    const t = Date.prototype.getTime.call(v);
    return { $daebug: 'date', iso: Number.isNaN(t) ? 'Invalid Date' : Date.prototype.toISOString.call(v) };
  }
  if (isRegExp(v)) return { $daebug: 'regexp', repr: RegExp.prototype.toString.call(v) };
  if (isError(v)) {
    return { $daebug: 'error', name: safeString(v.name, 'Error'), message: safeString(v.message, ''),
      stack: safeString(v.stack, '') };
  }
  if (ArrayBuffer.isView(v) || objectToString.call(v) === '[object ArrayBuffer]'
      || objectToString.call(v) === '[object SharedArrayBuffer]') {
    return encodeTyped(v, child, path, max);
  }
  const tag = objectToString.call(v);
  if (brand(WeakMap.prototype.has, v)) return opaque('WeakMap { <items unknown> }');
  if (brand(WeakSet.prototype.has, v)) return opaque('WeakSet { <items unknown> }');
  if (tag === '[object Promise]' || v instanceof Promise) return opaque('Promise { <state unknown> }');
  if (tag === '[object WeakRef]') return opaque('WeakRef {}');
  if (typeof Window !== 'undefined' && v instanceof Window) return opaque('Window {}');
  if (brand(Number.prototype.valueOf, v)) return opaque(`[Number: ${Number.prototype.valueOf.call(v)}]`);
  if (brand(String.prototype.valueOf, v)) return opaque(`[String: ${JSON.stringify(String.prototype.valueOf.call(v))}]`);
  if (brand(Boolean.prototype.valueOf, v)) return opaque(`[Boolean: ${Boolean.prototype.valueOf.call(v)}]`);
  return encodePlain(v, child, path, max);
}

function encodePlain(v, child, path, max) {
  const proto = Object.getPrototypeOf(v);
  const plain = proto === null || proto === Object.prototype || isForeignObjectPrototype(proto);
  const keys = Object.keys(v);
  const entries = {};
  const limit = Math.min(keys.length, max);
  for (let i = 0; i < limit; i++) {
    const k = keys[i];
    entries[k] = readAndEncode(v, k, path + pathKey(k), child);
  }
  if (keys.length > limit) entries['...'] = truncated('... ' + (keys.length - limit) + ' more items', path);
  if (plain && !Object.prototype.hasOwnProperty.call(entries, '$daebug')) return entries;
  return { $daebug: 'object', class: plain ? 'Object' : className(proto), entries };
}

/** Reads own property `k` without invoking inherited getters; a throwing own getter becomes `unreadable`. */
function readAndEncode(obj, k, path, child) {
  let desc;
  try {
    desc = Object.getOwnPropertyDescriptor(obj, k);
  } catch (e) {
    return unreadable('[Unreadable: threw ' + describeError(e) + ']');
  }
  if (!desc) return { $daebug: 'undefined' };
  if ('value' in desc) return child(desc.value, path);
  if (!desc.get) return { $daebug: 'undefined' };
  let value;
  try {
    value = Reflect.apply(desc.get, obj, []);
  } catch (e) {
    return unreadable('[Getter: threw ' + describeError(e) + ']');
  }
  return child(value, path);
}

function encodeTyped(v, child, path, max) {
  const tag = objectToString.call(v).slice(8, -1);
  let view = v;
  if (!ArrayBuffer.isView(v)) view = new Uint8Array(v);
  else if (tag === 'DataView') view = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const size = view.length;
  const limit = Math.min(size, max);
  const values = [];
  for (let i = 0; i < limit; i++) values.push(child(view[i], `${path}[${i}]`));
  if (size > limit) values.push(truncated('... ' + (size - limit) + ' more items', path));
  return { $daebug: 'typedarray', class: tag, size, values };
}

function encodeFunction(f) {
  let name = '';
  try {
    const d = Object.getOwnPropertyDescriptor(f, 'name');
    if (d && typeof d.value === 'string') name = d.value;
  } catch { /* a proxy: keep "" */ }
  let isClass = false;
  try {
    isClass = /^class[\s{]/.test(fnToString.call(f));
  } catch { /* not inspectable */ }
  return { $daebug: 'function', name, class: isClass };
}

function isNode(v) {
  try {
    return typeof Node !== 'undefined' && v instanceof Node;
  } catch {
    return false;
  }
}

/** A short, one-line description of a DOM node: the opening tag, `#text "hi"`, `#comment`, `#document`. */
export function nodeRepr(n) {
  try {
    if (n.nodeType === 1) {
      const attrs = Array.from(n.attributes, (a) => ` ${a.name}="${a.value.replace(/"/g, '&quot;')}"`);
      return `<${n.localName || n.nodeName.toLowerCase()}${attrs.join('')}>`;
    }
    if (n.nodeType === 3) {
      const text = n.data.length > 200 ? n.data.slice(0, 200) + '…' : n.data;
      return '#text ' + JSON.stringify(text);
    }
    if (n.nodeType === 10) return `<!DOCTYPE ${n.name}>`;
    return n.nodeName;
  } catch (e) {
    return '#node';
  }
}

/**
 * A plain object (prototype Object.prototype or null, tag `[object Object]`): none of the built-ins the brand
 * checks look for, whose tags come from internal slots or from their prototypes. Checking this first keeps
 * a big array of records fast: a failed brand check throws, and nine of them per object cost more than the
 * rest of the encoding.
 */
function isPlain(v) {
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && objectToString.call(v) === '[object Object]';
}

function brand(method, v) {
  try {
    method.call(v);
    return true;
  } catch {
    return false;
  }
}

function isRegExp(v) {
  try {
    if (v === RegExp.prototype) return false;
    Object.getOwnPropertyDescriptor(RegExp.prototype, 'source').get.call(v);
    return true;
  } catch {
    return false;
  }
}

function isError(v) {
  try {
    return v instanceof Error || objectToString.call(v) === '[object Error]';
  } catch {
    return false;
  }
}

function isForeignObjectPrototype(proto) {
  // Object.prototype of another realm (an iframe): its own prototype is null and its
  // constructor is named Object.
  try {
    if (Object.getPrototypeOf(proto) !== null) return false;
    const d = Object.getOwnPropertyDescriptor(proto, 'constructor');
    return Boolean(d && typeof d.value === 'function' && d.value.name === 'Object');
  } catch {
    return false;
  }
}

function className(proto) {
  try {
    const d = Object.getOwnPropertyDescriptor(proto, 'constructor');
    const name = d && typeof d.value === 'function' ? d.value.name : '';
    if (typeof name === 'string' && name) return name;
    const tag = objectToString.call(proto).slice(8, -1);
    return tag && tag !== 'Object' ? tag : 'Object';
  } catch {
    return 'Object';
  }
}

function pathKey(k) {
  return IDENTIFIER.test(k) ? '.' + k : '[' + JSON.stringify(k) + ']';
}

function safeString(x, fallback) {
  try {
    return typeof x === 'string' ? x : x === undefined ? fallback : String(x);
  } catch {
    return fallback;
  }
}

/** `TypeError: message` for any thrown value, never throwing itself. */
function describeError(e) {
  try {
    if (e && typeof e === 'object' && 'message' in e) return `${safeString(e.name, 'Error')}: ${safeString(e.message, '')}`;
    return String(e);
  } catch {
    return 'unknown error';
  }
}

const num = (repr) => ({ $daebug: 'number', repr });
const opaque = (repr) => ({ $daebug: 'opaque', repr });

/** Key of {@link text} objects. */
const TEXT = Symbol.for('daebug.text');

/**
 * A result shown as plain text: a job whose value is `text(s)` gets `s` verbatim in a `Text` fence
 * (encoded as `{$daebug: 'text', repr: s}`) instead of a quoted JSON string. Only the job's value
 * itself is treated so; nested inside another value it is an ordinary object.
 *
 * @param {string} s the text
 * @returns {{[key: symbol]: string, toString: () => string}}
 */
export function text(s) {
  const str = String(s);
  const out = { [TEXT]: str };
  Object.defineProperty(out, 'toString', { value: () => str });
  return Object.freeze(out);
}

function isText(v) {
  try {
    return typeof Object.getOwnPropertyDescriptor(v, TEXT)?.value === 'string';
  } catch {
    return false;
  }
}
const truncated = (repr, path) => ({ $daebug: 'truncated', repr, path });
const unreadable = (repr) => ({ $daebug: 'unreadable', repr });
