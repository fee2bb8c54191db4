// The dashboard's state, kept apart from the page so Node can test it: the realms as the broker lists them,
// and a bounded stream of what happened in them (requests, dispatches, replies, console events), fed by the
// controller protocol's messages (docs/protocol.md, "Controller protocol"). No DOM here.

/** Stream entries kept, the oldest dropped first. */
export const MAX_ENTRIES = 2000;

/**
 * @typedef {{name: string, kind?: string, url?: string, language?: string, state?: string, log?: string,
 *   title?: string, lastSeen?: string, lastActivity?: number}} Realm
 * @typedef {{seq: number, type: 'request'|'reply'|'event'|'note', realm: string, time: number, job?: string,
 *   agent?: string, code?: string, language?: string, status?: string, outcome?: string, text?: string,
 *   kind?: string, durationMs?: number, late?: boolean, stack?: string}} Entry
 */

/** A new, empty state. */
export function createState() {
  return {
    /** @type {Map<string, Realm>} by name, in the broker's order (most recently seen first) */
    realms: new Map(),
    /** @type {Entry[]} oldest first */
    entries: [],
    /** requests by job id, to update their status */
    requests: new Map(),
    /** this dashboard's own submissions: ref -> realm */
    refs: new Map(),
    seq: 0,
  };
}

/**
 * Applies one message from the broker.
 *
 * @param {ReturnType<typeof createState>} state
 * @param {object} m the decoded message
 * @param {number} now epoch milliseconds of its arrival
 * @returns {{realms?: boolean, added?: Entry[], changed?: Entry[], ownError?: object, ownQueued?: object}}
 *   what changed, for the view
 */
export function apply(state, m, now) {
  switch (m.type) {
    case 'welcome':
    case 'realms':
      state.realms = new Map();
      for (const r of m.realms || []) state.realms.set(r.name, { ...r });
      return { realms: true };
    case 'realm': {
      const r = m.realm;
      if (!r || typeof r.name !== 'string') return {};
      if (r.state === 'gone') {
        state.realms.delete(r.name);
      } else {
        const old = state.realms.get(r.name);
        state.realms.set(r.name, { ...r, lastActivity: old?.lastActivity });
      }
      return { realms: true };
    }
    case 'request': {
      const e = add(state, { type: 'request', realm: m.realm, time: now, job: m.job, agent: m.agent, code: m.code,
        language: m.language, status: m.ahead > 0 ? `queued (${m.ahead} ahead)` : 'queued' });
      state.requests.set(m.job, e);
      touch(state, m.realm, now);
      return { added: [e], realms: true };
    }
    case 'dispatched': {
      const e = state.requests.get(m.job);
      if (!e) return {};
      e.status = 'running';
      return { changed: [e] };
    }
    case 'result': {
      const request = state.requests.get(m.job);
      const changed = [];
      if (request && !m.late) {
        request.status = m.outcome;
        state.requests.delete(m.job);
        changed.push(request);
      }
      const e = add(state, { type: 'reply', realm: m.realm, time: now, job: m.job, outcome: m.outcome,
        text: m.outcome === 'ok' ? describe(m.value) : errorText(m.error), stack: m.error?.stack,
        durationMs: m.durationMs, late: Boolean(m.late), agent: request?.agent });
      touch(state, m.realm, now);
      if (m.ref) state.refs.delete(m.ref);
      return { added: [e], changed, realms: true };
    }
    case 'event': {
      const e = add(state, { type: 'event', realm: m.realm, time: typeof m.time === 'number' ? m.time : now,
        job: m.job, kind: m.kind, text: m.text });
      touch(state, m.realm, now);
      return { added: [e], realms: true };
    }
    case 'queued':
      return { ownQueued: m };
    case 'error':
      if (m.ref) state.refs.delete(m.ref);
      return { ownError: m };
    default:
      return {}; // a message type this dashboard does not know: ignored, as the protocol asks
  }
}

/** The entries of one realm, or all of them (realm null). */
export function entriesOf(state, realm) {
  return realm == null ? state.entries : state.entries.filter((e) => e.realm === realm);
}

/** A job's value as text: JSON, or the `$daebug` encodings (docs/protocol.md, "Values") as JavaScript shows them. */
export function describe(value) {
  if (value === undefined) return 'undefined';
  const tagged = special(value);
  if (tagged !== null) return tagged;
  if (value !== null && typeof value === 'object' && containsSpecial(value)) return notation(value, 0);
  return JSON.stringify(value, null, 2);
}

/** The text an error shows: `Name: message`, then its stack below when the stack does not repeat them. */
export function errorText(error) {
  if (!error) return 'error';
  const head = error.name ? `${error.name}: ${error.message ?? ''}` : String(error.message ?? 'error');
  return head;
}

/** {@code 1h 02m}, {@code 3m 04s}, {@code 12s}. */
export function formatUptime(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Jobs run and failures (every outcome but ok) from {@code /-daebug/health}'s {@code jobs}. */
export function jobFigures(jobs) {
  if (!jobs || typeof jobs.total !== 'number') return { run: null, failures: null, detail: '' };
  const parts = [];
  for (const k of ['error', 'timeout', 'cancelled', 'disconnected', 'failed']) {
    if (jobs[k] > 0) parts.push(`${jobs[k]} ${k}`);
  }
  return { run: jobs.total, failures: jobs.total - (jobs.ok || 0), detail: parts.join(', ') };
}

function add(state, entry) {
  entry.seq = ++state.seq;
  state.entries.push(entry);
  if (state.entries.length > MAX_ENTRIES) {
    const dropped = state.entries.splice(0, state.entries.length - MAX_ENTRIES);
    for (const d of dropped) if (d.type === 'request' && state.requests.get(d.job) === d) state.requests.delete(d.job);
  }
  return entry;
}

function touch(state, name, now) {
  const r = state.realms.get(name);
  if (r) r.lastActivity = now;
}

function special(v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || typeof v.$daebug !== 'string') return null;
  switch (v.$daebug) {
    case 'undefined': return 'undefined';
    case 'hole': return '<empty>';
    case 'number': case 'bigint': return v.$daebug === 'bigint' ? `${v.repr}n` : String(v.repr);
    case 'function': return `[Function${v.class ? ' class' : ''}: ${v.name || '(anonymous)'}]`;
    case 'circular': return `[Circular ${v.path ?? ''}]`;
    case 'date': return v.iso;
    case 'error': return v.stack || `${v.name}: ${v.message}`;
    case 'text': case 'symbol': case 'node': case 'regexp': case 'opaque': case 'unreadable': case 'truncated':
      return String(v.repr);
    default: return null; // map, set, object, typedarray: shown by notation()
  }
}

function containsSpecial(v) {
  if (v === null || typeof v !== 'object') return false;
  if (!Array.isArray(v) && typeof v.$daebug === 'string') return true;
  return Object.values(v).some(containsSpecial);
}

/** Console-like notation for values holding {@code $daebug} nodes, indented, bounded in depth. */
function notation(v, depth) {
  const s = special(v);
  if (s !== null) return v.$daebug === 'text' ? JSON.stringify(s) : s;
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (depth > 8) return '…';
  const pad = '  '.repeat(depth + 1);
  const end = '  '.repeat(depth);
  if (Array.isArray(v)) return `[\n${v.map((x) => pad + notation(x, depth + 1)).join(',\n')}\n${end}]`;
  if (v.$daebug === 'map') {
    const rows = (v.entries || []).map(([k, x]) => `${pad}${notation(k, depth + 1)} => ${notation(x, depth + 1)}`);
    return `Map(${v.size}) {\n${rows.join(',\n')}\n${end}}`;
  }
  if (v.$daebug === 'set') return `Set(${v.size}) {\n${(v.values || []).map((x) => pad + notation(x, depth + 1)).join(',\n')}\n${end}}`;
  if (v.$daebug === 'typedarray') return `${v.class}(${v.size}) [${(v.values || []).join(', ')}]`;
  const entries = v.$daebug === 'object' ? v.entries || {} : v;
  const prefix = v.$daebug === 'object' && v.class !== 'Object' ? `${v.class} ` : '';
  const rows = Object.entries(entries).map(([k, x]) => `${pad}${JSON.stringify(k)}: ${notation(x, depth + 1)}`);
  return `${prefix}{\n${rows.join(',\n')}\n${end}}`;
}
