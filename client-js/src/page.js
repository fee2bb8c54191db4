// Daebug page shim: a CLASSIC script, injected by the broker as the first element of <head>:
//   <script src="/-daebug/page.js"></script>
// (or included by hand from a page served elsewhere: <script src="http://127.0.0.1:PORT/-daebug/page.js">).
//
// Synchronously, before the page's own scripts run, it wraps console.log/info/warn/error/debug
// (the originals are still called) and listens for `error` and `unhandledrejection`, buffering
// each event with its time. Then it imports realm.js from beside itself, which connects to
// ws(s)://<same host:port>/-daebug/realm and takes over the buffer (see realm.js).
//
// It also wraps `Worker` (see below), so the page's web workers become realms of their own.
//
// Globals: `globalThis.daebug` = {injected, name, tab, socket, original, jobs, workers, worker(), ...}.
// `daebug.injected === true` is the guard against a second injection.
(function () {
  'use strict';
  var g = globalThis;
  if (g.daebug && g.daebug.injected === true) return;

  var script = document.currentScript;
  var base = script && script.src ? script.src : new URL('/-daebug/page.js', location.href).href;
  dropToken();
  // table, dir, trace and group are recorded too (console-text.js makes their text); groupEnd only
  // closes a group: each event records how many groups are open, for its indentation.
  var LEVELS = ['log', 'info', 'warn', 'error', 'debug', 'table', 'dir', 'trace', 'group', 'groupCollapsed', 'groupEnd'];
  var groups = 0;
  var inside = false; // a console method calling another (in some engines) is recorded once
  var MAX_BUFFER = 1000;

  var state = {
    injected: true,
    version: 1,
    scriptUrl: base,
    name: null, // the realm name, set once known (the broker's `welcome` wins)
    tab: null, // the random tab id kept in sessionStorage
    socket: null, // the DaebugSocket, once realm.js has loaded
    original: {}, // the console methods as they were before wrapping
    jobs: [], // ids of the jobs running now; the last one gets the events
    buffer: [], // events recorded before realm.js took over
    dropped: 0, // events dropped from a full buffer
    sink: null, // set by realm.js: receives each event from then on
    workers: [], // one entry per Worker the page created (see wrapWorker)
    onWorker: null, // set by realm.js: called with each entry whose native worker was (re)started
  };

  function record(ev) {
    ev.time = Date.now();
    var jobs = state.jobs;
    if (jobs.length) ev.job = jobs[jobs.length - 1];
    if (state.sink) {
      try { state.sink(ev); } catch (e) { /* never break the page's console */ }
      return;
    }
    if (state.buffer.length >= MAX_BUFFER) {
      state.buffer.shift();
      state.dropped++;
    }
    state.buffer.push(ev);
  }

  LEVELS.forEach(function (level) {
    var original = console[level];
    if (typeof original !== 'function') return;
    state.original[level] = original;
    var wrapper = function () {
      if (inside) return original.apply(this, arguments);
      var args = Array.prototype.slice.call(arguments);
      try {
        if (level === 'groupEnd') {
          if (groups > 0) groups--;
        } else {
          var ev = { kind: level === 'groupCollapsed' ? 'group' : level, args: args };
          if (groups) ev.indent = groups;
          if (level === 'trace') ev.stack = callerStack(wrapper);
          record(ev);
          if (level === 'group' || level === 'groupCollapsed') groups++;
        }
      } catch (e) { /* ignore */ }
      inside = true;
      try {
        return original.apply(this, arguments);
      } finally {
        inside = false;
      }
    };
    console[level] = wrapper;
  });

  /** The stack of the code that called `fn` (without `fn`'s own frame, where the engine can leave it out). */
  function callerStack(fn) {
    if (typeof Error.captureStackTrace === 'function') {
      var holder = {};
      Error.captureStackTrace(holder, fn);
      return holder.stack;
    }
    return new Error().stack;
  }

  g.addEventListener('error', function (e) {
    record({ kind: 'window.onerror', error: e.error, message: e.message, filename: e.filename,
      lineno: e.lineno, colno: e.colno });
  });
  g.addEventListener('unhandledrejection', function (e) {
    record({ kind: 'unhandledrejection', reason: e.reason });
  });

  g.daebug = state;
  wrapWorker();

  // A page the broker served from its printed `?token=` URL already has the token as an HttpOnly cookie (set by
  // that very response): the token leaves the address bar, so it is not in the history, in a copied link, or in
  // what the page reports as its URL.
  function dropToken() {
    try {
      if (new URL(base).origin !== location.origin) return;
      var url = new URL(location.href);
      if (!url.searchParams.has('token')) return;
      url.searchParams.delete('token');
      history.replaceState(history.state, '', url.href);
    } catch (e) { /* no history API: the broker drops the token from what it records anyway */ }
  }

  import(new URL('realm.js', base).href)
    .then(function (realm) { return realm.start(state, base); })
    .catch(function (e) {
      var warn = state.original.warn || function () {};
      warn.call(console, 'daebug: the realm shim did not start', e);
    });

  // ---- workers ----
  // `new Worker(url, options)` returns a DaebugWorker: an EventTarget that stands for the page's
  // worker and forwards to the native Worker it owns. The native worker runs a bootstrap (a blob)
  // that loads worker.js (console capture, then its own socket as realm `<page>-webworker`,
  // `<page>-worker-2`, ...) and then the page's script. Because the page holds the facade, not the
  // native worker, the shim can terminate a worker stuck in a job and start a fresh one from the same
  // script behind the page's back (realm.js, on the broker's copy of a `cancel`).
  function wrapWorker() {
    var Native = g.Worker;
    if (typeof Native !== 'function' || typeof Blob !== 'function' || typeof URL.createObjectURL !== 'function') {
      return;
    }
    var workerJs = new URL('worker.js', base).href;
    var bootJs = new URL('worker-boot.js', base).href;
    function bootstrap(src, type) {
      var code = type === 'module'
        ? 'import ' + JSON.stringify(bootJs + '?src=' + encodeURIComponent(src)) + ';\n'
          + 'import ' + JSON.stringify(workerJs) + ';\nimport ' + JSON.stringify(src) + ';\n'
        : 'self.__daebugBoot = ' + JSON.stringify({ src: src }) + ';\n'
          + 'importScripts(' + JSON.stringify(workerJs) + ');\nimportScripts(' + JSON.stringify(src) + ');\n';
      return URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    }
    function spawn(entry) {
      var native = new Native(bootstrap(entry.src, entry.type), entry.options);
      entry.native = native;
      entry.ready = false;
      var facade = entry.facade;
      native.addEventListener('message', function (e) {
        var d = e.data;
        if (d && typeof d === 'object' && typeof d.__daebug === 'string') {
          if (d.__daebug === 'welcome') {
            entry.name = String(d.name);
            entry.ready = true;
            entry.waiting.splice(0).forEach(function (f) { f(entry.name); });
          }
          return;
        }
        facade.dispatchEvent(new MessageEvent('message', { data: d, origin: e.origin, lastEventId: e.lastEventId,
          ports: e.ports ? Array.prototype.slice.call(e.ports) : [] }));
      });
      native.addEventListener('messageerror', function (e) {
        facade.dispatchEvent(new MessageEvent('messageerror', { data: e.data }));
      });
      native.addEventListener('error', function (e) {
        var copy = new ErrorEvent('error', { message: e.message, filename: e.filename, lineno: e.lineno,
          colno: e.colno, error: e.error, cancelable: true });
        if (!facade.dispatchEvent(copy)) e.preventDefault();
      });
      if (state.onWorker) state.onWorker(entry);
      return native;
    }
    function restart(entry, jobId) {
      if (entry.terminated) return;
      try { entry.native.terminate(); } catch (e) { /* already gone */ }
      entry.restartedFor = jobId;
      spawn(entry);
    }

    class DaebugWorker extends EventTarget {
      constructor(url, options) {
        super();
        var type = options && options.type === 'module' ? 'module' : 'classic';
        var entry = { src: new URL(String(url), location.href).href, type: type, options: options,
          slot: state.workers.length + 1, name: null, facade: this, native: null, waiting: [],
          terminated: false, restartedFor: null, restart: null };
        entry.restart = function (jobId) { restart(entry, jobId); };
        Object.defineProperty(this, '__daebug', { value: entry });
        state.workers.push(entry);
        spawn(entry);
      }
      postMessage(message, transfer) {
        var native = this.__daebug.native;
        return native.postMessage.apply(native, arguments);
      }
      terminate() {
        var entry = this.__daebug;
        entry.terminated = true;
        entry.native.terminate();
      }
    }
    ['message', 'messageerror', 'error'].forEach(function (type) {
      var key = 'on' + type;
      var handlers = new WeakMap();
      Object.defineProperty(DaebugWorker.prototype, key, {
        configurable: true, enumerable: true,
        get: function () { var h = handlers.get(this); return h ? h.fn : null; },
        set: function (fn) {
          var h = handlers.get(this);
          if (!h) {
            h = { fn: null };
            handlers.set(this, h);
            this.addEventListener(type, function (e) {
              if (typeof h.fn === 'function') {
                var r = h.fn.call(this, e);
                if (r === false && type === 'error') e.preventDefault();
              }
            });
          }
          h.fn = typeof fn === 'function' ? fn : null;
        },
      });
    });
    Object.defineProperty(DaebugWorker, 'name', { value: 'Worker' });
    g.Worker = DaebugWorker;
    state.NativeWorker = Native;

    var scratch = null;
    /**
     * Starts this page's scratch worker (once) and resolves to its realm name, for running code off
     * the main thread: `await daebug.worker()`, then append requests to daebug/<that name>.md.
     */
    state.worker = function () {
      if (!scratch) {
        scratch = new DaebugWorker(URL.createObjectURL(new Blob(['// daebug scratch worker\n'],
          { type: 'text/javascript' })));
      }
      var entry = scratch.__daebug;
      return entry.ready ? Promise.resolve(entry.name)
        : new Promise(function (resolve) { entry.waiting.push(resolve); });
    };
  }
})();
