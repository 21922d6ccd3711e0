/* The socket of /chat/: live_socket.js reconnects (backoff, heartbeat); on every "hello" (first load
 * and every reconnect) the list is reloaded and the open thread fetches what came after its last
 * message (subscribe first, fetch after); every other event goes to events.js. */
import { liveSocket } from "../live_socket.js";
import { api } from "./api.js";
import { onEvent } from "./events.js";
import { loadConversations } from "./list.js";
import { state, ui } from "./state.js";
import { catchUpThread, openConversation } from "./thread.js";

function setConn(kind, retryMs) {
  ui.conn.dataset.state = kind;
  if (kind === "live") ui.conn.textContent = "Live";
  else if (kind === "connecting") ui.conn.textContent = "Connecting…";
  else ui.conn.textContent = "Offline · retrying in " + Math.max(1, Math.round(retryMs / 1000)) + " s";
}

const live = liveSocket({
  state, // state.socket is what window.clinicbotLive.socket shows (main.js)
  onStatus: setConn,
  onHello() {
    if (!state.loaded) initialLoad();
    else resync();
  },
  onEvent,
  onLost(attempts) {
    // A refused socket and an expired session look alike from here: the API tells them apart (401).
    if (attempts >= 3) api("/api/chat/conversations").catch(() => {});
  },
});

export function connect() {
  live.connect();
}

export function reconnectNow() {
  live.reconnectNow();
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
