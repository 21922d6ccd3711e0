/*
 * A page's live connection to /ws/chat/, shared by /chat/ (chat/socket.js) and /appointments/
 * (appointments.js): reconnect with backoff, a heartbeat, and a catch-up on every connect.
 *
 * Following Zulip's events-system note, a page subscribes first and fetches after: the server
 * says "hello" on every (re)connect, and the page fetches then whatever it may have missed (events
 * sent before it joined or while it was away). What the other events mean is the page's business.
 *
 *   const live = liveSocket({ state, onStatus, onHello, onEvent, onLost });
 *   live.connect();       // at load
 *   live.reconnectNow();  // the tab is shown again, the network is back: no waiting out the backoff
 *
 * state: the page's own state object; the socket and its timers are kept there (socket, attempts,
 *   pingTimer, pongTimer, reconnectTimer), so the console and the browser tests see state.socket.
 * onStatus(kind, retryMs): "connecting", "live", or "offline" with the wait before the next try.
 * onHello(): connected, the first time or again. onEvent(event): any other frame, parsed.
 * onLost(attempts): optional, after a lost connection is counted and the next try is set.
 */

const PING_EVERY_MS = 25000;
const PONG_WITHIN_MS = 10000;
const MAX_BACKOFF_MS = 30000;

export function liveSocket({ state, onStatus, onHello, onEvent, onLost }) {
  function connect() {
    clearTimeout(state.reconnectTimer);
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const ws = new WebSocket(scheme + location.host + "/ws/chat/");
    state.socket = ws;
    onStatus("connecting");
    ws.addEventListener("open", () => startHeartbeat(ws));
    ws.addEventListener("message", (e) => {
      let event;
      try {
        event = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      if (state.socket === ws && event && typeof event === "object") onFrame(event);
    });
    ws.addEventListener("close", () => lost(ws));
  }

  /** hello and pong are the socket's own; every other event is the page's. */
  function onFrame(event) {
    if (event.type === "hello") {
      state.attempts = 0;
      onStatus("live");
      onHello();
    } else if (event.type === "pong") clearTimeout(state.pongTimer);
    else onEvent(event);
  }

  function lost(ws) {
    if (state.socket !== ws) return; // already replaced
    state.socket = null;
    stopHeartbeat();
    // 1 s, 2 s, 4 s … at most 30 s, with jitter so a restarted server is not hit by every page at once.
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** state.attempts);
    const delay = Math.min(MAX_BACKOFF_MS, base * (0.75 + Math.random() * 0.5));
    state.attempts += 1;
    onStatus("offline", delay);
    state.reconnectTimer = setTimeout(connect, delay);
    if (onLost) onLost(state.attempts);
  }

  function startHeartbeat(ws) {
    stopHeartbeat();
    state.pingTimer = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(JSON.stringify({ type: "ping" }));
      clearTimeout(state.pongTimer);
      state.pongTimer = setTimeout(() => {
        lost(ws); // no pong: the connection is dead even if the browser has not noticed
        ws.close();
      }, PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  function stopHeartbeat() {
    clearInterval(state.pingTimer);
    clearTimeout(state.pongTimer);
  }

  function reconnectNow() {
    if (state.socket) return;
    state.attempts = 0;
    connect();
  }

  return { connect, reconnectNow };
}
