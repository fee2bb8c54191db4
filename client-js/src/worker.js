// Daebug worker shim, loaded in every web worker the page creates (page.js's bootstrap runs it with
// importScripts in a classic worker, as the second static import in a module worker), before the
// page's own worker script. It is parsed as a classic script or as a module, so it has no import or
// export statements and reads nothing from import.meta.
//
// Synchronously: wraps console.log/info/warn/error/debug and listens for `error` (kind
// `self.onerror`) and `unhandledrejection`, buffering each event; makes relative URLs given to
// importScripts, fetch and XMLHttpRequest resolve against the page's worker script (the worker
// itself runs from a blob: URL). Then it waits for the page's `{__daebug: 'init'}` message (its
// realm name, owner and the broker's URL; never seen by the page's own message handlers) and
// imports worker-realm.js, which connects and takes over the buffer.
(function () {
  'use strict';
  var g = self;
  if (g.daebug && g.daebug.injected === true) return;
  var boot = g.__daebugBoot || {};
  // table, dir, trace and group are recorded too (console-text.js makes their text); groupEnd only
  // closes a group: each event records how many groups are open, for its indentation.
  var LEVELS = ['log', 'info', 'warn', 'error', 'debug', 'table', 'dir', 'trace', 'group', 'groupCollapsed', 'groupEnd'];
  var groups = 0;
  var inside = false; // a console method calling another (in some engines) is recorded once
  var MAX_BUFFER = 1000;
  var state = {
    injected: true,
    kind: 'worker',
    src: boot.src || null, // the page's worker script
    name: null,
    socket: null,
    original: {},
    jobs: [],
    buffer: [],
    dropped: 0,
    sink: null,
  };

  function record(ev) {
    ev.time = Date.now();
    if (state.jobs.length) ev.job = state.jobs[state.jobs.length - 1];
    if (state.sink) {
      try { state.sink(ev); } catch (e) { /* never break the worker's console */ }
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
    record({ kind: 'self.onerror', error: e.error, message: e.message, filename: e.filename,
      lineno: e.lineno, colno: e.colno });
  });
  g.addEventListener('unhandledrejection', function (e) {
    record({ kind: 'unhandledrejection', reason: e.reason });
  });

  if (state.src) {
    var resolve = function (u) {
      try { return typeof u === 'string' ? new URL(u, state.src).href : u; } catch (e) { return u; }
    };
    if (typeof g.importScripts === 'function') {
      var importScripts = g.importScripts;
      g.importScripts = function () {
        return importScripts.apply(this, Array.prototype.map.call(arguments, resolve));
      };
    }
    if (typeof g.fetch === 'function') {
      var fetch = g.fetch;
      g.fetch = function (input, init) {
        return fetch.call(this, resolve(input), init);
      };
    }
    if (typeof g.XMLHttpRequest === 'function') {
      var open = g.XMLHttpRequest.prototype.open;
      g.XMLHttpRequest.prototype.open = function (method, url) {
        var args = Array.prototype.slice.call(arguments);
        args[1] = resolve(url);
        return open.apply(this, args);
      };
    }
  }

  g.addEventListener('message', function (e) {
    var d = e.data;
    if (!d || typeof d !== 'object' || d.__daebug !== 'init') return;
    e.stopImmediatePropagation();
    if (state.started) return;
    state.started = true;
    import(new URL('worker-realm.js', d.base).href)
      .then(function (realm) { return realm.start(state, d); })
      .catch(function (err) {
        var warn = state.original.warn || function () {};
        warn.call(console, 'daebug: the worker shim did not start', err);
      });
  });

  g.daebug = state;
})();
