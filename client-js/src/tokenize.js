// A small JavaScript tokenizer: just enough structure for evaluate.js to find top-level
// statements and declarations without a full parser. It respects strings, template literals
// (with nested ${...}), comments, regular expression literals and brackets. It never throws:
// on malformed input it stops early, and the code then fails to compile anyway.

/** Keywords after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete',
  'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

const PUNCTUATORS = ['>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=',
  '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=',
  '&=', '|=', '^=', '**', '<<', '>>'];

const NUMBER = /(?:0[xXoObB][0-9a-fA-F_]+n?|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?n?)/y;
const NAME = /[#A-Za-z_$\u0080-\uffff\\][\w$\u0080-\uffff\\]*/y;
const NEWLINE = /[\n\r\u2028\u2029]/;

/**
 * Splits JavaScript source into tokens.
 *
 * Each token is `{type, value, start, end, depth, nl}` where `type` is one of `name`, `num`,
 * `str`, `tmpl`, `regex` or `punct`; `depth` is the bracket depth the token sits at (an opening
 * bracket has the depth outside it, a closing bracket the depth after it closes), and `nl` tells
 * whether a line break precedes the token. Template literal pieces and the code inside their
 * `${...}` sit at depth 1 or more, so they never look top-level.
 *
 * @param {string} src source text
 * @returns {Array<{type:string,value:string,start:number,end:number,depth:number,nl:boolean}>}
 */
export function tokenize(src) {
  const tokens = [];
  const stack = []; // open brackets; '${' marks a template substitution
  let i = 0;
  let nl = false;
  const n = src.length;
  const push = (type, start, end) => {
    tokens.push({ type, value: src.slice(start, end), start, end, depth: stack.length, nl });
    nl = false;
  };
  // Scans a template literal body from i (just after ` or }) up to the closing ` or a ${.
  const template = (start) => {
    while (i < n) {
      const c = src[i];
      if (c === '\\') { i += 2; continue; }
      if (c === '`') { i++; push('tmpl', start, i); return; }
      if (c === '$' && src[i + 1] === '{') {
        i += 2;
        push('tmpl', start, i);
        stack.push('${');
        return;
      }
      i++;
    }
    push('tmpl', start, n);
  };
  while (i < n) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\v' || c === '\f' || c === '\ufeff' || c === '\u00a0') { i++; continue; }
    if (NEWLINE.test(c)) { nl = true; i++; continue; }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && !NEWLINE.test(src[i])) i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      if (NEWLINE.test(src.slice(i, stop))) nl = true;
      i = stop;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      i++;
      while (i < n && src[i] !== c && !NEWLINE.test(src[i])) i += src[i] === '\\' ? 2 : 1;
      i = Math.min(n, i + 1);
      push('str', start, i);
      continue;
    }
    if (c === '`') { i++; template(start); continue; }
    if (c === '}' && stack[stack.length - 1] === '${') {
      stack.pop();
      i++;
      template(start);
      continue;
    }
    if (c === '/' && regexAllowed(tokens[tokens.length - 1])) {
      i++;
      let inClass = false;
      while (i < n && !NEWLINE.test(src[i])) {
        const d = src[i];
        if (d === '\\') { i += 2; continue; }
        if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        i++;
      }
      i = Math.min(n, i + 1);
      while (i < n && /[\w$]/.test(src[i])) i++;
      push('regex', start, i);
      continue;
    }
    NUMBER.lastIndex = i;
    if (/[\d.]/.test(c) && NUMBER.test(src) && NUMBER.lastIndex > i) {
      i = NUMBER.lastIndex;
      push('num', start, i);
      continue;
    }
    NAME.lastIndex = i;
    if (NAME.test(src)) {
      i = NAME.lastIndex;
      push('name', start, i);
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      i++;
      push('punct', start, i);
      stack.push(c);
      continue;
    }
    if (c === ')' || c === ']' || c === '}') {
      i++;
      stack.pop();
      push('punct', start, i);
      continue;
    }
    const p = PUNCTUATORS.find((q) => src.startsWith(q, i));
    i += p ? p.length : 1;
    push('punct', start, i);
  }
  return tokens;
}

function regexAllowed(prev) {
  if (!prev) return true;
  if (prev.type === 'name') return REGEX_AFTER_WORD.has(prev.value);
  if (prev.type === 'punct') return !(prev.value === ')' || prev.value === ']' || prev.value === '++' || prev.value === '--');
  if (prev.type === 'tmpl') return prev.value.endsWith('${');
  return false;
}
