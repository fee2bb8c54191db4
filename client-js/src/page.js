// Daebug page shim: a CLASSIC script, injected by the broker as the first element of <head>:
//   <script src="/-daebug/page.js"></script>
// (or included by hand from a page served elsewhere: <script src="http://127.0.0.1:PORT/-daebug/page.js">).
//
// Synchronously, before the page's own scripts run, it wraps console.log/info/warn/error/debug
// (the originals are still called) and listens for `error` and `unhandledrejection`, buffering
// each event with its time. Then it imports realm.js from beside itself, which connects to
// ws(s)://<same host:port>/-daebug/realm and takes over the buffer (see realm.js).
//
// Globals: `globalThis.daebug` = {injected, name, tab, socket, original, jobs, ...}.
// `daebug.injected === true` is the guard against a second injection.
(function () {
  'use strict';
  var g = globalThis;
  if (g.daebug && g.daebug.injected === true) return;

  var script = document.currentScript;
  var base = script && script.src ? script.src : new URL('/-daebug/page.js', location.href).href;
  var LEVELS = ['log', 'info', 'warn', 'error', 'debug'];
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
    console[level] = function () {
      var args = Array.prototype.slice.call(arguments);
      try { record({ kind: level, args: args }); } catch (e) { /* ignore */ }
      return original.apply(this, arguments);
    };
  });

  g.addEventListener('error', function (e) {
    record({ kind: 'window.onerror', error: e.error, message: e.message, filename: e.filename,
      lineno: e.lineno, colno: e.colno });
  });
  g.addEventListener('unhandledrejection', function (e) {
    record({ kind: 'unhandledrejection', reason: e.reason });
  });

  g.daebug = state;

  import(new URL('realm.js', base).href)
    .then(function (realm) { return realm.start(state, base); })
    .catch(function (e) {
      var warn = state.original.warn || function () {};
      warn.call(console, 'daebug: the realm shim did not start', e);
    });
})();
