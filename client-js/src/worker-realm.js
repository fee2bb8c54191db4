// A web worker realm (`<page>-webworker`, `<page>-worker-2`, ...): its own socket to the broker,
// the job protocol (session.js) and heartbeats, started by worker.js once the page sent its
// `init` message ({name, parent, tab, base, restartedFor}).

import { DaebugSocket } from './socket.js';
import { serve, startBeats } from './session.js';

/**
 * Connects the worker to the broker and serves jobs for the worker's lifetime.
 *
 * @param {object} state `self.daebug`, prepared by worker.js
 * @param {{name: string, parent: string, tab: string, base: string, restartedFor?: string}} init
 *   from the page: the proposed realm name, the page's realm name, a tab id kept across restarts, the
 *   URL of page.js (the broker is beside it), and the job whose cancel restarted this worker
 */
export function start(state, init) {
  const warn = (...args) => {
    try { Reflect.apply(state.original.warn || (() => {}), console, args); } catch { /* ignore */ }
  };
  state.name = String(init.name);
  const http = new URL('realm', init.base);
  const url = `${http.protocol === 'https:' ? 'wss:' : 'ws:'}//${http.host}${http.pathname}`;
  const socket = new DaebugSocket(url, { onWarn: (m) => warn(m) });
  state.socket = socket;
  const { emit, send } = serve(socket, {
    jobs: state.jobs,
    warn,
    hello: () => ({ type: 'hello', name: state.name, kind: 'worker', url: `worker://${state.name}`,
      language: 'javascript', tab: init.tab, protocol: 1, parent: init.parent }),
    onWelcome: (message) => {
      if (typeof message.name === 'string' && message.name) state.name = message.name;
      self.postMessage({ __daebug: 'welcome', name: state.name });
    },
  });
  startBeats(socket, send);
  for (const ev of state.buffer.splice(0)) emit(ev);
  if (state.dropped) {
    emit({ kind: 'warn', time: Date.now(), args: [`daebug: ${state.dropped} early events were dropped`] });
  }
  if (init.restartedFor) {
    emit({ kind: 'info', time: Date.now(),
      args: [`daebug: worker terminated and restarted to stop job ${init.restartedFor}`] });
  }
  state.sink = emit;
}
