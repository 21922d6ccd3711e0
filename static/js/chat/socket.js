/* The socket: reconnect with backoff, heartbeat, catch up. Following Zulip's events-system note, the
 * page subscribes first and fetches after: every "hello" (first load and every reconnect) reloads
 * the list and the open thread fetches what came after its last message. */
import { api } from "./api.js";
import { onEvent } from "./events.js";
import { loadConversations } from "./list.js";
import { state, ui } from "./state.js";
import { catchUpThread, openConversation } from "./thread.js";

const PING_EVERY_MS = 25000;
const PONG_WITHIN_MS = 10000;
const MAX_BACKOFF_MS = 30000;

function setConn(kind, retryMs) {
  ui.conn.dataset.state = kind;
  if (kind === "live") ui.conn.textContent = "Live";
  else if (kind === "connecting") ui.conn.textContent = "Connecting…";
  else ui.conn.textContent = "Offline · retrying in " + Math.max(1, Math.round(retryMs / 1000)) + " s";
}

export function connect() {
  clearTimeout(state.reconnectTimer);
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  const ws = new WebSocket(scheme + location.host + "/ws/chat/");
  state.socket = ws;
  setConn("connecting");
  ws.addEventListener("open", () => startHeartbeat(ws));
  ws.addEventListener("message", (e) => {
    let event;
    try {
      event = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    if (state.socket === ws) onFrame(event);
  });
  ws.addEventListener("close", () => lost(ws));
}

/** hello and pong are the socket's own; every other event is the page's (events.js). */
function onFrame(event) {
  if (event.type === "hello") {
    state.attempts = 0;
    setConn("live");
    if (!state.loaded) initialLoad();
    else resync();
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
  setConn("offline", delay);
  state.reconnectTimer = setTimeout(connect, delay);
  // A refused socket and an expired session look alike from here: the API tells them apart (401).
  if (state.attempts >= 3) api("/api/chat/conversations").catch(() => {});
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

export function reconnectNow() {
  if (state.socket) return;
  state.attempts = 0;
  connect();
}

export function initialLoad() {
  if (state.loaded) return;
  state.loaded = true;
  loadConversations(true);
  const match = /^#p=(\d+)$/.exec(location.hash);
  if (match) openConversation(Number(match[1]));
}

function resync() {
  loadConversations(true);
  catchUpThread();
}
