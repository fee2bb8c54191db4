// The text of console calls beyond plain logging: console.table as a text table, console.dir as
// the value in console notation, console.trace with its stack, and the indentation of
// console.group. The realms' console wrappers record the call ({kind, args, indent?, stack?});
// this module turns it into the event's text. Nothing here throws.

import { encode } from './encode.js';
import { formatArgs, formatValue, render } from './format.js';

/** The largest table written: more rows or columns are counted, not shown. */
const MAX_ROWS = 1000;
const MAX_COLUMNS = 50;

/**
 * The text of a recorded console call.
 *
 * @param {{kind: string, args?: *[], indent?: number, stack?: string}} ev
 * @returns {string}
 */
export function consoleText(ev) {
  const args = ev.args || [];
  let text;
  switch (ev.kind) {
    case 'table': text = args.length && isObject(args[0]) ? formatTable(args[0], args[1]) : formatArgs(args); break;
    case 'dir': text = args.length ? formatDir(args[0]) : 'undefined'; break;
    case 'trace': text = traceText(args, ev.stack); break;
    case 'group': text = args.length ? formatArgs(args) : 'console.group'; break;
    default: text = formatArgs(args);
  }
  return indent(text, ev.indent || 0);
}

/** Two spaces per open `console.group`, on every line. */
export function indent(text, depth) {
  if (!depth) return text;
  const pad = '  '.repeat(Math.min(depth, 20));
  return text.split('\n').map((line) => pad + line).join('\n');
}

/** console.dir: the value in console notation, objects too (not as JSON). */
function formatDir(value) {
  if (typeof value === 'string') return `'${value}'`;
  try {
    return render(encode(value));
  } catch {
    return formatValue(value);
  }
}

function traceText(args, stack) {
  const head = 'Trace' + (args.length ? ': ' + formatArgs(args) : '');
  const frames = String(stack || '').split('\n').filter((line) => /^\s+at /.test(line) || /@/.test(line));
  return [head, ...frames.map((f) => '    ' + f.trim())].join('\n');
}

/**
 * A table of `data` as the console shows it: one row per entry (index or key), one column per
 * property of the entries that are objects, and `Values` for the entries that are not.
 *
 * @param {object} data an array, object, Map or Set
 * @param {string[]} [only] the columns to show (console.table's second argument)
 * @returns {string}
 */
export function formatTable(data, only) {
  try {
    const rows = entries(data);
    const columns = [];
    const seen = new Set();
    let values = false;
    for (const [, v] of rows.slice(0, MAX_ROWS)) {
      if (isObject(v)) {
        for (const k of Object.keys(v)) {
          if (!seen.has(k)) { seen.add(k); columns.push(k); }
        }
      } else {
        values = true;
      }
    }
    const shown = (Array.isArray(only) ? only.map(String) : columns).slice(0, MAX_COLUMNS);
    const header = [data instanceof Map ? '(iteration index)' : '(index)', ...(data instanceof Map ? ['Key'] : []),
      ...shown, ...(values ? ['Values'] : [])];
    const body = rows.slice(0, MAX_ROWS).map(([k, v, key]) => {
      const cells = [String(k)];
      if (data instanceof Map) cells.push(cell(key));
      for (const c of shown) cells.push(isObject(v) && Object.prototype.hasOwnProperty.call(v, c) ? cell(v[c]) : '');
      if (values) cells.push(isObject(v) ? '' : cell(v));
      return cells;
    });
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
    const line = (l, m, r) => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
    const row = (cells) => '│' + cells.map((c, i) => ' ' + c.padEnd(widths[i]) + ' ').join('│') + '│';
    const out = [line('┌', '┬', '┐'), row(header), line('├', '┼', '┤'), ...body.map(row), line('└', '┴', '┘')];
    if (rows.length > MAX_ROWS) out.push(`... ${rows.length - MAX_ROWS} more rows`);
    if (!Array.isArray(only) && columns.length > MAX_COLUMNS) out.push(`... ${columns.length - MAX_COLUMNS} more columns`);
    return out.join('\n');
  } catch {
    return formatValue(data);
  }
}

function entries(data) {
  if (data instanceof Map) return [...data].map(([k, v], i) => [i, v, k]);
  if (data instanceof Set) return [...data].map((v, i) => [i, v]);
  return Object.keys(data).map((k) => [k, data[k]]);
}

function cell(v) {
  const text = typeof v === 'string' ? `'${v}'` : formatValue(v);
  return text.replace(/\s*\n\s*/g, ' ');
}

function isObject(v) {
  return v !== null && (typeof v === 'object' || typeof v === 'function');
}
