// Names of a page's child realms (FORMAT.md §1) and the iframe handshake.
//
// A framed page's shim asks its parent for a name with `postMessage({__daebug: 'frame-hello'})`,
// which works across origins; a parent running the shim answers `{__daebug: 'frame-welcome',
// parent, index}` where `index` is the frame's position among the parent's frames (1-based, stable
// across the frame's reloads). The frame is then realm `<parent>-frame-<index>`. A parent without the
// shim never answers, and the frame names itself.
//
// The parent also reports, once, each cross-origin iframe that did not ask within a few seconds of
// loading: it cannot be reached (the same-origin policy) and is not a realm.

/** How long a frame waits for its parent's answer. */
export const FRAME_HELLO_MS = 3000;
/** How long after an iframe loads the parent waits for its shim's hello before reporting it. */
export const FRAME_REPORT_MS = 3000;

/**
 * The proposed realm name of a page's worker: `<page>-webworker` for the first, then
 * `<page>-worker-2`, `<page>-worker-3`, ...
 *
 * @param {string} page the page's realm name
 * @param {number} slot 1-based, in the order the page created its workers
 * @returns {string}
 */
export function workerName(page, slot) {
  return slot <= 1 ? `${page}-webworker` : `${page}-worker-${slot}`;
}

/**
 * Asks the parent window for this frame's realm name.
 *
 * @param {number} [ms] how long to wait
 * @returns {Promise<{parent: string, index: number} | null>} null when no parent shim answered
 */
export function askParent(ms = FRAME_HELLO_MS) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      clearInterval(retry);
      clearTimeout(timeout);
      window.removeEventListener('message', onMessage);
      resolve(value);
    };
    const onMessage = (e) => {
      const d = e.data;
      if (e.source !== window.parent || !d || d.__daebug !== 'frame-welcome') return;
      if (typeof d.parent !== 'string' || !d.parent || !(d.index >= 1)) return;
      finish({ parent: d.parent, index: Math.floor(d.index) });
    };
    window.addEventListener('message', onMessage);
    const ask = () => {
      try { window.parent.postMessage({ __daebug: 'frame-hello' }, '*'); } catch { /* ignore */ }
    };
    ask();
    // The parent's shim may not be listening yet (it starts after its own name is settled).
    const retry = setInterval(ask, 200);
    const timeout = setTimeout(() => finish(null), ms);
  });
}

/**
 * Answers frame hellos with this page's realm name, and reports cross-origin iframes that never
 * asked as background events (kind `info`).
 *
 * @param {{name: string}} state the page's `daebug` state (its `name` is read at each answer)
 * @param {(ev: object) => void} emit sends a recorded event
 * @returns {() => void} stops watching
 */
export function watchFrames(state, emit) {
  const asked = new WeakSet();
  const reported = new WeakSet();
  const onMessage = (e) => {
    const d = e.data;
    if (!d || d.__daebug !== 'frame-hello' || !e.source) return;
    let index = 0;
    for (let i = 0; i < window.frames.length; i++) {
      if (window.frames[i] === e.source) { index = i + 1; break; }
    }
    if (!index) return;
    asked.add(e.source);
    try {
      e.source.postMessage({ __daebug: 'frame-welcome', parent: state.name, index },
        e.origin && e.origin !== 'null' ? e.origin : '*');
    } catch { /* the frame went away */ }
  };
  window.addEventListener('message', onMessage);

  const check = (iframe) => {
    const win = iframe.contentWindow;
    if (!win || asked.has(win) || reported.has(iframe)) return;
    let crossOrigin = false;
    try { void win.document; } catch { crossOrigin = true; }
    if (!crossOrigin) return; // a same-origin frame without the shim is reachable from the page's jobs
    reported.add(iframe);
    emit({ kind: 'info', time: Date.now(), args: [`iframe ${iframe.src || '(no src)'} is cross-origin and has `
      + 'no Daebug shim: not a realm'] });
  };
  const schedule = (iframe) => setTimeout(() => check(iframe), FRAME_REPORT_MS);
  const watch = (iframe) => {
    if (iframe.__daebugWatched) return;
    iframe.__daebugWatched = true;
    iframe.addEventListener('load', () => schedule(iframe));
    schedule(iframe);
  };
  const scan = () => document.querySelectorAll('iframe').forEach(watch);
  let observer = null;
  if (typeof document !== 'undefined' && typeof document.querySelectorAll === 'function') {
    scan();
    if (typeof MutationObserver === 'function') {
      observer = new MutationObserver(scan);
      observer.observe(document.documentElement, { childList: true, subtree: true });
    }
  }
  return () => {
    window.removeEventListener('message', onMessage);
    if (observer) observer.disconnect();
  };
}
