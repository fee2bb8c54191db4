// The dashboard at /-daebug/: a controller (docs/protocol.md, "Controller protocol") named "dashboard" that
// watches every realm's jobs and events, lists the realms, runs code typed into its box, and polls
// /-daebug/health. Served by the broker as plain ES modules, without the realm shim: this page is no realm.
//
// The token. Where the broker requires one from controllers (--require-token, or a client not on loopback),
// the user opens the URL the broker printed with /-daebug/?token=T. The page keeps T in this tab's
// sessionStorage (not in a cookie, which the controller endpoint refuses, and not in the address bar, which
// history.replaceState clears), and presents it as ?token= on its controller socket and as a Bearer header on
// its fetches. Links to realm pages open in a new tab without an opener, so those pages cannot read it.

import { DaebugSocket } from '/-daebug/socket.js';
import { MAX_ENTRIES, apply, createState } from './model.js';
import { renderConnection, renderHealth, renderProblem, renderRealms, renderStream, updateStream } from './view.js';

const TOKEN_KEY = 'daebug-dashboard-token';
const HEALTH_EVERY_MS = 5000;
const LOG_TAIL_BYTES = 256 * 1024;

const token = takeToken();
const state = createState();
let selected = null;
let refs = 0;
let realmsScheduled = false;
let failures = 0;

const controlUrl = () => {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/-daebug/control${token ? `?token=${encodeURIComponent(token)}` : ''}`;
};
const socket = new DaebugSocket(controlUrl, { maxQueued: 100, onWarn: () => {} });
const send = (m) => socket.send(JSON.stringify(m));

socket.addEventListener('open', () => {
  failures = 0;
  send({ type: 'hello', name: 'dashboard', protocol: 1 });
  send({ type: 'watch', realm: '*', jobs: true });
  renderConnection('connected', true);
  renderProblem('');
});
socket.addEventListener('close', () => {
  failures++;
  renderConnection('disconnected, reconnecting…', false);
  if (failures >= 3) {
    renderProblem(token
      ? 'The broker refuses this dashboard\'s connection, or is not running. If it was restarted, open the new URL it printed (…/-daebug/?token=…).'
      : 'Cannot connect to the broker. If it requires a token (--require-token, or a broker not on loopback), open the dashboard with the URL it printed: …/-daebug/?token=…');
  }
});
socket.addEventListener('message', (event) => {
  let m;
  try {
    m = JSON.parse(event.data);
  } catch {
    return;
  }
  const before = m.type === 'realm' && m.realm ? state.realms.get(m.realm.name)?.state : undefined;
  const change = apply(state, m, Date.now());
  if (m.type === 'realm' && m.realm) announce(m.realm, before);
  if (m.type === 'welcome' || m.type === 'realms') {
    renderStream(state, selected);
  }
  if (change.added || change.changed) updateStream(change, selected, MAX_ENTRIES);
  if (change.realms) scheduleRealms();
  if (change.ownQueued) status(`queued as ${change.ownQueued.job}${change.ownQueued.ahead ? ` (${change.ownQueued.ahead} ahead)` : ''}`);
  if (change.ownError) status(`refused: ${change.ownError.message}`, true);
  if (m.type === 'result' && m.ref && m.ref.startsWith('dash-')) status(`${m.job}: ${m.outcome}`);
});

/** Tells screen readers when a realm comes, goes or changes between live and not (not every job's state). */
function announce(realm, before) {
  const word = (st) => String(st || '').split(' ')[0];
  const now = word(realm.state);
  const was = word(before);
  const quiet = ['executing', 'queued', 'live'];
  if (now === was || (quiet.includes(now) && quiet.includes(was))) return;
  const text = realm.state === 'gone' ? `realm ${realm.name} is gone`
    : before === undefined ? `realm ${realm.name} connected` : `realm ${realm.name} is ${realm.state}`;
  document.getElementById('announce').textContent = text;
}

function scheduleRealms() {
  if (realmsScheduled) return;
  realmsScheduled = true;
  requestAnimationFrame(() => {
    realmsScheduled = false;
    renderRealms(state, selected, { select, openLog });
  });
}

function select(name) {
  selected = name;
  document.getElementById('activity-realm').textContent = name ?? 'all realms';
  renderRealms(state, selected, { select, openLog });
  renderStream(state, selected);
  if (name) document.getElementById('run-realm').value = name;
}

// ---- the run box ----

const form = document.getElementById('run');
const code = document.getElementById('run-code');
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const realm = document.getElementById('run-realm').value;
  const text = code.value;
  if (!realm || !text.trim()) {
    status(!realm ? 'no realm to run it in' : 'nothing to run', true);
    return;
  }
  const timeout = document.getElementById('run-timeout').value.trim();
  const seconds = timeout === '' ? NaN : Number(timeout); // empty: the broker's --job-timeout
  const ref = `dash-${++refs}`;
  state.refs.set(ref, realm);
  const message = { type: 'submit', ref, realm, code: text };
  if (Number.isFinite(seconds) && seconds > 0) message.timeoutMs = Math.round(seconds * 1000);
  send(message);
  status(socket.connected ? `sent to ${realm}` : 'waiting for the connection…');
});
code.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    form.requestSubmit();
  }
});

function status(text, bad = false) {
  const out = document.getElementById('run-status');
  out.textContent = text;
  out.classList.toggle('bad', bad);
}

document.getElementById('show-all').addEventListener('click', () => select(null));
document.getElementById('clear').addEventListener('click', () => {
  state.entries.length = 0;
  renderStream(state, selected);
});

// ---- health ----

async function pollHealth() {
  try {
    const response = await fetch('/-daebug/health', { headers: authorization(), cache: 'no-store' });
    renderHealth(response.ok ? await response.json() : null);
  } catch {
    renderHealth(null);
  }
}
pollHealth();
setInterval(pollHealth, HEALTH_EVERY_MS);

// ---- logs ----

const viewer = document.getElementById('log-viewer');
document.getElementById('log-close').addEventListener('click', () => viewer.close());

async function openLog(realm) {
  document.getElementById('log-title').textContent = realm.log;
  const note = document.getElementById('log-note');
  const text = document.getElementById('log-text');
  note.textContent = 'loading…';
  text.textContent = '';
  viewer.showModal();
  try {
    const response = await fetch(`/-daebug/log?realm=${encodeURIComponent(realm.name)}&tail=${LOG_TAIL_BYTES}`,
      { headers: authorization(), cache: 'no-store' });
    const body = await response.text();
    if (!response.ok) {
      note.textContent = `cannot read it: ${body.trim()}`;
      return;
    }
    const size = Number(response.headers.get('X-Daebug-Log-Size'));
    note.textContent = Number.isFinite(size) && size > LOG_TAIL_BYTES
      ? `The last ${Math.round(LOG_TAIL_BYTES / 1024)} KB of ${Math.round(size / 1024)} KB; the whole log is ${realm.log} under the broker's folder.`
      : `${realm.log} under the broker's folder.`;
    text.textContent = body;
    text.scrollTop = text.scrollHeight;
  } catch (e) {
    note.textContent = `cannot read it: ${e.message}`;
  }
}

function authorization() {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** The token from the address (then dropped from it), or the one this tab kept. */
function takeToken() {
  const params = new URLSearchParams(location.search);
  let t = params.get('token');
  try {
    if (t) {
      sessionStorage.setItem(TOKEN_KEY, t);
    } else {
      t = sessionStorage.getItem(TOKEN_KEY);
    }
  } catch {
    // no storage (a sandboxed frame): the token lives in memory only
  }
  if (params.has('token')) {
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
  }
  return t || null;
}

// For the end-to-end tests (and the curious): the state, read only.
Object.defineProperty(window, 'daebugDashboard', { value: Object.freeze({ state, get selected() { return selected; } }) });
