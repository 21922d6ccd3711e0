/* The conversation list: rows merged from pages and events, newest first with an unanswered
 * emergency on top, the next page loaded while the list's end is in view; the unread total in the title. */
import { raiseAlarm } from "./alerts.js";
import { api } from "./api.js";
import { debounce, el } from "./dom.js";
import { avatar, listTime, tzOf } from "./format.js";
import { doctors, severalClinics, state, ui } from "./state.js";

function setUnreadTotal(n) {
  state.unreadTotal = Math.max(0, n);
  document.title = (state.unreadTotal > 0 ? "(" + state.unreadTotal + ") " : "") + "Clinicbot";
}

/** A patient wrote an emergency and no one from the clinic has answered yet. */
function isEmergency(row) {
  return row.bot_state === "needs_doctor" && row.ai_pause_reason === "emergency";
}

function compareRows(a, b) {
  const urgent = Number(isEmergency(b)) - Number(isEmergency(a));
  if (urgent) return urgent; // an unanswered emergency stays on top
  const at = Date.parse(a.last_message_at || 0);
  const bt = Date.parse(b.last_message_at || 0);
  return bt - at || b.id - a.id;
}

/** A preview as plain text: WhatsApp's *bold*, _italic_, ~strike~ and ```monospace``` markers
 * taken out by the rules the thread formats them with (whatsappText, the global of
 * whatsapp_format.js), so "*Fever* since _Monday_" reads "Fever since Monday". Only its text is
 * kept: no bold in a one-line list. Previews are cut at 120 characters, far below where
 * whatsappText folds a long message behind "Read more". */
function plainPreview(text) {
  return text ? window.whatsappText(text).textContent : "";
}

function rowElement(row) {
  const isOpen = state.open && state.open.id === row.id;
  const li = el("li", "conv" + (isOpen ? " active" : "") + (row.unread_count ? " has-unread" : "") + (isEmergency(row) ? " emergency" : ""));
  const button = el("button", "conv-button");
  button.type = "button";
  button.dataset.id = String(row.id);
  const face = el("span", "avatar");
  avatar(face, row);
  const body = el("span", "conv-body");
  const top = el("span", "conv-top");
  top.append(el("span", "conv-name", row.name), el("span", "conv-time", listTime(row.last_message_at, tzOf(row.doctor_id))));
  const bottom = el("span", "conv-bottom");
  bottom.append(el("span", "conv-preview", plainPreview(row.preview)));
  if (isEmergency(row)) bottom.append(el("span", "badge badge-emergency", "Emergency"));
  else if (row.bot_state === "needs_doctor") bottom.append(el("span", "badge badge-alert", "Needs doctor"));
  else if (row.ai_paused) bottom.append(el("span", "badge badge-manual", "Manual"));
  if (row.unread_count) {
    const count = el("span", "unread", row.unread_count > 99 ? "99+" : row.unread_count);
    count.setAttribute("aria-label", row.unread_count + " unread");
    bottom.append(count);
  }
  body.append(top, bottom);
  if (severalClinics && doctors.has(row.doctor_id)) body.append(el("span", "conv-clinic", doctors.get(row.doctor_id).name));
  button.append(face, body);
  li.append(button);
  return li;
}

/** Add or update a row; the unread total moves by however much this row's count changed.
 * A row that turns into an emergency rings once (quiet: rows already there at first load). */
export function mergeRow(partial, quiet) {
  const old = state.rows.get(partial.id);
  if (!old && partial.name === undefined) return false; // an event for a row we never loaded
  const row = Object.assign({}, old || {}, partial);
  if (!isEmergency(row)) state.alarmed.delete(row.id);
  else if (!state.alarmed.has(row.id)) {
    state.alarmed.add(row.id);
    if (!quiet) raiseAlarm(row);
  }
  if (old && typeof partial.unread_count === "number") setUnreadTotal(state.unreadTotal + partial.unread_count - (old.unread_count || 0));
  state.rows.set(row.id, row);
  const fresh = rowElement(row);
  const before = state.rowEls.get(row.id);
  if (before) before.replaceWith(fresh);
  state.rowEls.set(row.id, fresh);
  return true;
}

export function renderList() {
  const rows = Array.from(state.rows.values()).sort(compareRows);
  for (const row of rows) ui.list.append(state.rowEls.get(row.id)); // append moves existing nodes
  if (state.next) ui.listFoot.textContent = "Loading more…";
  else if (!rows.length) ui.listFoot.textContent = state.q ? "No conversation matches “" + state.q + "”." : "No conversations yet.";
  else ui.listFoot.textContent = "";
}

/** reset: the first page replaces the list (search, reconnect); otherwise the next page is added. */
export async function loadConversations(reset) {
  if (!reset && (state.listLoading || !state.next)) return;
  const gen = reset ? ++state.listGen : state.listGen;
  state.listLoading = true;
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  if (!reset) params.set("before", state.next);
  try {
    const { data } = await api("/api/chat/conversations?" + params.toString());
    if (gen !== state.listGen) return; // a newer search or reload won
    if (reset) {
      state.rows.clear();
      state.rowEls.clear();
      ui.list.replaceChildren();
    }
    for (const row of data.conversations) mergeRow(row, !state.listLoadedOnce);
    state.listLoadedOnce = true;
    state.next = data.next;
    if (typeof data.unread_total === "number") setUnreadTotal(data.unread_total);
    renderList();
  } catch (err) {
    if (err.status !== 401) ui.listFoot.textContent = "Could not load conversations: " + err.message;
  } finally {
    if (gen === state.listGen) state.listLoading = false;
  }
  if (gen === state.listGen) fillList();
}

/** The first page merged in without dropping what was scrolled to: for a row we have not loaded. */
export const refreshTop = debounce(async function () {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  try {
    const { data } = await api("/api/chat/conversations?" + params.toString());
    for (const row of data.conversations) mergeRow(row);
    if (state.rows.size <= data.conversations.length) state.next = data.next;
    setUnreadTotal(data.unread_total);
    renderList();
  } catch (err) {
    /* the next reconnect reloads the list */
  }
}, 300);

/** More on scroll: load the next page while the list's end is in view. */
export function fillList() {
  if (!state.next || state.listLoading) return;
  const pane = ui.listScroll.getBoundingClientRect();
  const foot = ui.listFoot.getBoundingClientRect();
  if (foot.top < pane.bottom + 200) loadConversations(false);
}
