// A reconnecting WebSocket transport. It knows nothing about Daebug's messages: the job
// protocol (realm.js) sits on top of it.
//
// Lifecycle: `connecting` -> `open` -> (`close` -> wait -> `connecting` ...) until close().
// Events are real Events dispatched on this EventTarget:
//   open     a connection is established. Listeners run before the outbox is flushed, so a
//            frame sent from an `open` listener (a greeting) is the first on the wire.
//   message  a frame arrived; `event.data` holds it.
//   close    a connection ended (or an attempt failed); `event.code`, `event.reason`,
//            `event.willRetry` tell what happens next.
//   error    the WebSocket reported an error; `event.message` holds its text when the
//            implementation gives one (Node's `ws`: "Unexpected server response: 401"), else "".
//            A `close` always follows.
// Frames sent while disconnected wait in a bounded outbox; past `maxQueued` the oldest is
// dropped and `onWarn` is called once per overflow episode.

/**
 * Default options of {@link DaebugSocket}. Delays are in milliseconds.
 */
export const DEFAULTS = Object.freeze({
  minDelayMs: 250, // first retry delay
  maxDelayMs: 10000, // cap of the retry delay
  growFactor: 1.5, // delay multiplier per failed attempt
  jitter: 0.3, // +/- fraction of random spread applied to each delay
  minUptimeMs: 5000, // a connection open this long resets the retry count
  connectTimeoutMs: 4000, // an attempt not open by then is abandoned and retried
  maxRetries: Infinity, // give up after this many consecutive failed attempts
  maxQueued: 1000, // frames kept while disconnected; the oldest are dropped beyond
  WebSocket: null, // WebSocket constructor; null means globalThis.WebSocket
  random: Math.random, // source of jitter, injectable for tests
  onWarn: (message) => console.warn(message), // called once per outbox overflow episode
});

/**
 * Reconnecting WebSocket with exponential backoff, jitter and a bounded outbox.
 * @extends EventTarget
 */
export class DaebugSocket extends EventTarget {
  /**
   * Starts connecting at once.
   *
   * @param {string|(() => string)} url the WebSocket URL, or a function giving it for each attempt
   * @param {Partial<typeof DEFAULTS>} [options] overrides of {@link DEFAULTS}
   */
  constructor(url, options = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
    this._url = url;
    this._ws = null;
    this._outbox = [];
    this._overflowing = false;
    this._closed = false;
    this._timers = { retry: null, uptime: null, connect: null };
    /** Consecutive failed attempts since the last stable connection. */
    this.retryCount = 0;
    this._connect();
  }

  /** @returns {boolean} whether frames go out immediately */
  get connected() {
    return Boolean(this._ws) && this._ws.readyState === 1;
  }

  /** @returns {number} frames waiting for a connection */
  get queued() {
    return this._outbox.length;
  }

  /**
   * Sends a text frame now, or queues it until the next connection.
   *
   * @param {string} data the frame
   * @returns {boolean} true when it was handed to the open WebSocket, false when queued or dropped
   */
  send(data) {
    if (this._closed) return false;
    if (this.connected) {
      try {
        this._ws.send(data);
        return true;
      } catch {
        // fall through: keep it for the next connection
      }
    }
    this._outbox.push(data);
    if (this._outbox.length > this.options.maxQueued) {
      this._outbox.shift();
      if (!this._overflowing) {
        this._overflowing = true;
        this._warn(`daebug: outbox full (${this.options.maxQueued} frames), dropping the oldest`);
      }
    }
    return false;
  }

  /**
   * Closes the connection for good: no more reconnects; queued frames are discarded.
   *
   * @param {number} [code] close code, default 1000
   * @param {string} [reason]
   */
  close(code = 1000, reason = '') {
    this._closed = true;
    this._clearTimers();
    this._outbox.length = 0;
    const ws = this._ws;
    this._ws = null;
    if (ws) {
      try { ws.close(code, reason); } catch { /* already closing */ }
    }
  }

  /**
   * The delay before attempt number `retryCount` (0 = immediately).
   *
   * @param {number} retryCount failed attempts so far
   * @returns {number} milliseconds
   */
  delayFor(retryCount) {
    if (retryCount <= 0) return 0;
    const o = this.options;
    const base = Math.min(o.maxDelayMs, o.minDelayMs * Math.pow(o.growFactor, retryCount - 1));
    const spread = 1 + o.jitter * (2 * o.random() - 1);
    return Math.max(0, Math.min(o.maxDelayMs, Math.round(base * spread)));
  }

  _connect() {
    if (this._closed) return;
    const Ctor = this.options.WebSocket || globalThis.WebSocket;
    let ws;
    try {
      ws = new Ctor(typeof this._url === 'function' ? this._url() : this._url);
    } catch (e) {
      this._lost(ws, 1006, String(e && e.message || e));
      return;
    }
    this._ws = ws;
    this._timers.connect = setTimeout(() => {
      if (ws.readyState !== 1) {
        try { ws.close(); } catch { /* ignore */ }
        this._lost(ws, 1006, 'connect timeout');
      }
    }, this.options.connectTimeoutMs);
    ws.onopen = () => this._opened(ws);
    ws.onmessage = (e) => {
      if (ws !== this._ws) return;
      this.dispatchEvent(messageEvent(e.data));
    };
    ws.onclose = (e) => this._lost(ws, e && e.code, e && e.reason);
    ws.onerror = (e) => {
      if (ws === this._ws) this.dispatchEvent(errorEvent(e)); // a close event follows
    };
  }

  _opened(ws) {
    if (ws !== this._ws) return;
    clearTimeout(this._timers.connect);
    this._timers.uptime = setTimeout(() => { this.retryCount = 0; }, this.options.minUptimeMs);
    this.dispatchEvent(new Event('open'));
    this._flush();
  }

  _flush() {
    while (this._outbox.length && this.connected) {
      const frame = this._outbox[0];
      try {
        this._ws.send(frame);
      } catch {
        return;
      }
      this._outbox.shift();
    }
    if (!this._outbox.length) this._overflowing = false;
  }

  _lost(ws, code, reason) {
    if (ws !== this._ws && ws !== undefined) return; // a stale socket, already handled
    this._ws = null;
    clearTimeout(this._timers.connect);
    clearTimeout(this._timers.uptime);
    if (ws) { ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null; }
    const willRetry = !this._closed && this.retryCount < this.options.maxRetries;
    this.dispatchEvent(closeEvent(code || 1006, reason || '', willRetry));
    if (!willRetry) return;
    this.retryCount++;
    this._timers.retry = setTimeout(() => this._connect(), this.delayFor(this.retryCount));
  }

  _clearTimers() {
    for (const t of Object.values(this._timers)) clearTimeout(t);
  }

  _warn(message) {
    try { this.options.onWarn(message); } catch { /* ignore */ }
  }
}

function messageEvent(data) {
  if (typeof MessageEvent === 'function') return new MessageEvent('message', { data });
  return Object.assign(new Event('message'), { data });
}

function errorEvent(e) {
  let message = '';
  try {
    message = String((e && (e.message || (e.error && e.error.message))) || '');
  } catch { /* keep "" */ }
  return Object.assign(new Event('error'), { message });
}

function closeEvent(code, reason, willRetry) {
  return Object.assign(new Event('close'), { code, reason, willRetry });
}
