// The dashboard's DOM: the realm table, the activity stream, the run box's realm list and the health line.
// Everything a realm or an agent wrote is set as text (textContent), never parsed as HTML.

import { entriesOf, formatUptime, jobFigures } from './model.js';

const $ = (id) => document.getElementById(id);

/** Creates an element with a class and text. */
function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString(undefined, { hour12: false });
}

/** The state's base word, for styling: {@code queued 3} is {@code queued}. */
function stateWord(state) {
  return String(state || '').split(' ')[0] || 'unknown';
}

/**
 * Renders the realm table and the run box's realm choices.
 *
 * @param {ReturnType<import('./model.js').createState>} state
 * @param {string|null} selected the realm whose activity is shown, or null for all
 * @param {{select: (name: string) => void, openLog: (realm: object) => void}} actions
 */
export function renderRealms(state, selected, actions) {
  const body = $('realms').tBodies[0];
  // Rows are rebuilt on every change: the button that had the focus gets it back.
  const active = document.activeElement;
  const focused = active?.dataset?.realm ? { realm: active.dataset.realm, cls: active.className } : null;
  body.replaceChildren();
  for (const r of state.realms.values()) {
    const row = el('tr', `state-${stateWord(r.state)}`);
    row.dataset.realm = r.name;
    if (r.name === selected) row.setAttribute('aria-current', 'true');
    const name = el('td');
    const pick = el('button', 'realm-name', r.name);
    pick.type = 'button';
    pick.dataset.realm = r.name;
    pick.title = `Follow ${r.name}'s activity and run code in it`;
    pick.addEventListener('click', () => actions.select(r.name));
    name.append(pick);
    const url = el('td', 'url');
    if (r.url) {
      url.append(link(r.url, r.url));
    }
    const last = r.lastActivity ? clock(r.lastActivity) : (r.lastSeen || '');
    const log = el('td');
    if (r.log) {
      const open = el('button', 'log-link', r.log);
      open.type = 'button';
      open.dataset.realm = r.name;
      open.title = `Show the end of ${r.log}`;
      open.addEventListener('click', () => actions.openLog(r));
      log.append(open);
    }
    row.append(name, el('td', null, r.kind || ''), el('td', 'state', r.state || ''), el('td', 'title', r.title || ''),
      url, el('td', 'time', last), log);
    body.append(row);
  }
  $('realm-count').textContent = `(${state.realms.size})`;
  $('no-realms').hidden = state.realms.size > 0;
  if (focused) {
    body.querySelector(`button.${CSS.escape(focused.cls)}[data-realm="${CSS.escape(focused.realm)}"]`)?.focus();
  }
  renderRealmChoices(state, selected);
}

function renderRealmChoices(state, selected) {
  const select = $('run-realm');
  const current = select.value;
  select.replaceChildren();
  for (const r of state.realms.values()) {
    const option = el('option', null, `${r.name}${r.state && r.state !== 'live' ? ` (${r.state})` : ''}`);
    option.value = r.name;
    select.append(option);
  }
  const want = selected ?? current;
  if (want && state.realms.has(want)) select.value = want;
}

/** A link that opens in a new tab without giving that page this one (its token) or its address. */
function link(href, text) {
  const a = el('a', null, text);
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

/** Replaces the stream with the entries of {@code selected} (null: all). */
export function renderStream(state, selected) {
  const list = $('stream');
  list.replaceChildren(...entriesOf(state, selected).map((e) => entryItem(e, selected)));
  list.scrollTop = list.scrollHeight;
}

/** Appends new entries and refreshes changed ones, keeping the list's length bounded. */
export function updateStream(change, selected, max) {
  const list = $('stream');
  const atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  for (const e of change.changed || []) {
    const item = list.querySelector(`li[data-seq="${e.seq}"]`);
    if (item) item.replaceWith(entryItem(e, selected));
  }
  for (const e of change.added || []) {
    if (selected === null || e.realm === selected) list.append(entryItem(e, selected));
  }
  while (list.children.length > max) list.firstElementChild.remove();
  if (atEnd) list.scrollTop = list.scrollHeight;
}

function entryItem(e, selected) {
  const item = el('li', `entry ${e.type} ${e.outcome ? `outcome-${e.outcome}` : ''} ${e.kind ? `kind-${e.kind}` : ''}`);
  item.dataset.seq = String(e.seq);
  if (e.job) item.dataset.job = e.job;
  const head = el('div', 'entry-head');
  head.append(el('time', 'time', clock(e.time)));
  if (selected === null) head.append(el('span', 'realm', e.realm));
  switch (e.type) {
    case 'request':
      head.append(el('span', 'what', `${e.agent || 'agent'} → ${e.realm}`), el('span', 'status', e.status));
      item.append(head, el('pre', 'code', e.code));
      break;
    case 'reply': {
      const ok = e.outcome === 'ok';
      const took = typeof e.durationMs === 'number' ? ` (${Math.round(e.durationMs)}ms)` : '';
      head.append(el('span', 'what', `${e.realm} → ${e.agent || '?'}${took}${e.late ? ' (late)' : ''}`),
        el('span', 'status', e.outcome));
      item.append(head, el('pre', ok ? 'value' : 'error', e.stack && !ok && e.outcome === 'error' ? e.stack : e.text));
      break;
    }
    case 'event':
      head.append(el('span', 'what', `${e.kind}${e.job ? ` (${e.job})` : ' (background)'}`));
      item.append(head, el('pre', 'text', e.text));
      break;
    default:
      head.append(el('span', 'what', e.text));
      item.append(head);
  }
  return item;
}

/** Shows the broker's health ({@code /-daebug/health}), or that it cannot be read. */
export function renderHealth(health) {
  if (!health) {
    $('health-uptime').textContent = '?';
    return;
  }
  $('health-uptime').textContent = typeof health.uptimeSeconds === 'number' ? formatUptime(health.uptimeSeconds) : '–';
  const { run, failures, detail } = jobFigures(health.jobs);
  $('health-jobs').textContent = run === null ? '–' : String(run);
  $('health-failures').textContent = failures === null ? '–' : `${failures}${detail ? ` (${detail})` : ''}`;
  $('health-version').textContent = health.version || '–';
  if (health.status && health.status !== 'ok') {
    $('health-uptime').textContent += ` (core ${health.status})`;
  }
}

/** The connection pill: connecting, connected, or disconnected. */
export function renderConnection(text, ok) {
  const c = $('connection');
  c.textContent = text;
  c.classList.toggle('ok', ok);
  c.classList.toggle('bad', !ok);
}

/** A problem the user must act on (shown in an alert region), or none. */
export function renderProblem(text) {
  const p = $('problem');
  p.textContent = text || '';
  p.hidden = !text;
}
