/* What every part of the page shares: the server's config (the json_script in live.html), the
 * page's elements, the state of the list, the open thread and the socket, and the banner. */
import { $ } from "./dom.js";

export const config = JSON.parse($("chat-config").textContent);
export const doctors = new Map(config.doctors.map((d) => [d.id, d]));
export const severalClinics = config.doctors.length > 1;
export const DAY_MS = 24 * 3600 * 1000;

export const ui = {
  list: $("conv-list"),
  listFoot: $("list-foot"),
  listScroll: $("conv-scroll"),
  search: $("search"),
  conn: $("conn"),
  thread: $("thread"),
  empty: $("thread-empty"),
  messages: $("messages"),
  name: $("t-name"),
  sub: $("t-sub"),
  avatar: $("t-avatar"),
  pause: $("pause-btn"),
  strip: $("bot-strip"),
  banner: $("banner"),
  textForm: $("text-form"),
  text: $("text"),
  attachInput: $("attach-input"),
  attachButton: $("attach-btn"),
  attachment: $("attachment"),
  attachError: $("attach-error"),
  windowClosed: $("window-closed"),
  windowNote: $("window-note"),
  templateForm: $("template-form"),
  templateSelect: $("template-select"),
  templateParams: $("template-params"),
  templatePreview: $("template-preview"),
  back: $("back"),
  alerts: $("alerts-btn"),
};

export const state = {
  rows: new Map(), // patient id -> conversation row
  rowEls: new Map(), // patient id -> <li>
  next: null, // keyset cursor of the next page, or null
  q: "",
  listGen: 0,
  listLoading: false,
  loaded: false,
  unreadTotal: 0,
  open: null, // the open conversation (see openConversation)
  threadGen: 0,
  drafts: new Map(), // patient id -> unsent text
  socket: null,
  attempts: 0,
  pingTimer: null,
  pongTimer: null,
  reconnectTimer: null,
  alertsOn: config.emergencyAlerts !== false, // this user's setting (AlertSettings)
  alarmed: new Set(), // patient ids whose current emergency has rung (or was there at first load)
  alarms: [], // every emergency raised on this page, for the browser tests and the console
  listLoadedOnce: false,
  audio: null,
};

export function windowOpen(p) {
  return Boolean(p && p.last_inbound_at && Date.now() - Date.parse(p.last_inbound_at) < DAY_MS);
}

export function showBanner(text, sticky) {
  ui.banner.textContent = text;
  ui.banner.hidden = false;
  clearTimeout(showBanner.timer);
  if (!sticky) showBanner.timer = setTimeout(() => (ui.banner.hidden = true), 7000);
}
