/* The open conversation: its header, bot strip and Pause AI button, opening and closing it, older
 * pages, catching up after a reconnect, and marking it read. */
import { api } from "./api.js";
import { autosize, renderComposer } from "./composer.js";
import { debounce, el } from "./dom.js";
import { avatar, phone, tzOf, whenLabel } from "./format.js";
import { mergeRow, renderList } from "./list.js";
import { firstId, lastId, putMessage, renderThread } from "./messages.js";
import { doctors, severalClinics, showBanner, state, ui } from "./state.js";

export function renderHead() {
  const open = state.open;
  const p = open.patient;
  if (!p) return;
  const tz = tzOf(p.doctor_id);
  ui.name.textContent = p.name;
  avatar(ui.avatar, p);
  const sub = [phone(p.wa_id)];
  if (severalClinics && doctors.has(p.doctor_id)) sub.push(doctors.get(p.doctor_id).name);
  if (p.next_appointment) sub.push("Next visit " + whenLabel(p.next_appointment, tz));
  ui.sub.textContent = sub.filter(Boolean).join(" · ");
  const reminder = reminderLabel(p.reminder, tz);
  if (reminder) {
    const failed = p.reminder.state === "failed";
    ui.sub.append(" · ", el("span", "head-reminder" + (failed ? " notice-bad" : ""), reminder));
  }
  ui.sub.title = ui.sub.textContent; // the line is cut to one row: a failure's reason stays readable

  ui.pause.textContent = p.ai_paused ? "Resume AI" : "Pause AI";
  ui.pause.classList.toggle("primary", Boolean(p.ai_paused));
  ui.pause.setAttribute("aria-pressed", p.ai_paused ? "true" : "false");
  ui.strip.replaceChildren();
  ui.strip.className = "bot-strip " + (p.bot_state === "needs_doctor" ? "needs-doctor" : p.ai_paused ? "manual" : "auto");
  if (p.ai_paused) {
    const who = p.ai_paused_by ? "by " + p.ai_paused_by : p.bot_state === "needs_doctor" ? "by the patient's request" : "";
    const parts = [p.bot_state === "needs_doctor" ? "Needs doctor: AI paused" : "AI paused", who].filter(Boolean).join(" ");
    ui.strip.append(el("span", "dot"), el("span", null, parts));
    const detail = [p.ai_paused_at ? whenLabel(p.ai_paused_at, tz) : "", p.ai_pause_reason].filter(Boolean).join(" · ");
    if (detail) ui.strip.append(el("span", "muted", " · " + detail));
    ui.strip.append(el("span", "muted", " — you are replying by hand."));
  } else {
    ui.strip.append(el("span", "dot"), el("span", null, "AI is answering this patient."), el("span", "muted", " Your reply pauses it."));
  }
  renderComposer();
}

/** The next visit's reminder (booking.reminders.ReminderState): "Reminded Yesterday, 3:00 PM", "Reminder failed …: why". */
function reminderLabel(r, tz) {
  if (!r) return "";
  if (r.state === "none") return "No reminder";
  const words = { scheduled: "Reminder due", sent: "Reminded", failed: "Reminder failed" }[r.state];
  if (!words) return "";
  return words + " " + whenLabel(r.at, tz) + (r.detail ? ": " + r.detail : "");
}

export async function openConversation(id) {
  const gen = ++state.threadGen;
  if (state.open) state.drafts.set(state.open.id, ui.text.value);
  ui.text.value = state.drafts.get(id) || "";
  autosize();
  ui.templateSelect.dataset.ids = ""; // a fresh template form for every conversation
  state.open = {
    id: id,
    patient: state.rows.get(id) || null,
    messages: new Map(),
    pending: new Map(),
    templates: [],
    hasOlder: false,
    loadingOlder: false,
    loaded: false,
  };
  for (const [rowId, node] of state.rowEls) node.classList.toggle("active", rowId === id);
  ui.empty.hidden = true;
  ui.thread.hidden = false;
  document.body.classList.add("thread-open");
  ui.messages.replaceChildren(el("div", "older muted", "Loading…"));
  if (state.open.patient) renderHead();
  history.replaceState(null, "", "#p=" + id);
  markRead(id); // opening counts as reading, even if the doctor goes back before the thread loads
  try {
    const { data } = await api("/api/chat/messages/" + id);
    if (gen !== state.threadGen) return;
    state.open.patient = data.patient;
    state.open.templates = data.templates || [];
    state.open.hasOlder = data.has_older;
    state.open.loaded = true;
    for (const m of data.messages) putMessage(m);
    renderHead();
    renderThread("bottom");
    if (data.patient.unread_count > 0) markRead(id); // one POST if the load took under 250 ms
    if (window.matchMedia("(min-width: 720px)").matches) ui.text.focus();
  } catch (err) {
    if (gen !== state.threadGen) return;
    closeConversation();
    if (err.status !== 401) showBanner(err.status === 404 ? "That conversation is not available." : err.message, true);
  }
}

export function closeConversation() {
  state.threadGen++;
  if (state.open) state.drafts.set(state.open.id, ui.text.value);
  state.open = null;
  for (const node of state.rowEls.values()) node.classList.remove("active");
  ui.thread.hidden = true;
  ui.empty.hidden = false;
  document.body.classList.remove("thread-open");
  history.replaceState(null, "", location.pathname);
}

export async function loadOlder() {
  const open = state.open;
  if (!open || !open.hasOlder || open.loadingOlder) return;
  open.loadingOlder = true;
  try {
    const { data } = await api("/api/chat/messages/" + open.id + "?before=" + firstId());
    if (state.open !== open) return;
    for (const m of data.messages) putMessage(m);
    open.hasOlder = data.has_older;
  } catch (err) {
    showBanner("Could not load older messages: " + err.message);
  } finally {
    open.loadingOlder = false;
  }
  if (state.open === open) renderThread("anchor");
}

/** After a reconnect: fresh ticks from the newest page, then everything after our last id. */
export async function catchUpThread() {
  const open = state.open;
  if (!open || !open.loaded) return;
  let after = lastId();
  try {
    const { data } = await api("/api/chat/messages/" + open.id);
    if (state.open !== open) return;
    open.patient = data.patient;
    open.templates = data.templates || open.templates;
    for (const m of data.messages) putMessage(m);
    for (;;) {
      const page = (await api("/api/chat/messages/" + open.id + "?after=" + after)).data;
      if (state.open !== open) return;
      for (const m of page.messages) putMessage(m);
      if (!page.has_newer || !page.messages.length) break;
      after = page.messages[page.messages.length - 1].id;
    }
  } catch (err) {
    return; // the next hello tries again
  }
  renderHead();
  renderThread("auto");
  if (open.patient.unread_count > 0 && !document.hidden) markRead();
}

export const refreshOpenPatient = debounce(async function () {
  const open = state.open;
  if (!open || !open.loaded) return;
  try {
    const { data } = await api("/api/chat/messages/" + open.id + "?after=" + lastId());
    if (state.open !== open) return;
    open.patient = data.patient;
    for (const m of data.messages) putMessage(m);
    renderHead();
    renderThread("auto");
  } catch (err) {
    /* shown again on the next event or reconnect */
  }
}, 300);

/** The doctor has seen this conversation: its unread count goes to zero everywhere. Debounced per
 * conversation (messages arrive in bursts), and bound to the id it was called for, so opening a
 * thread and leaving it at once still counts as reading it. */
const readTimers = new Map();
export function markRead(id) {
  if (id === undefined) id = state.open && state.open.id;
  if (!id || document.hidden) return;
  clearTimeout(readTimers.get(id));
  readTimers.set(
    id,
    setTimeout(async () => {
      readTimers.delete(id);
      try {
        const { data } = await api("/api/chat/read", { patientId: id });
        mergeRow(data.patient);
        renderList();
        if (state.open && state.open.id === id && state.open.patient) state.open.patient.unread_count = 0;
      } catch (err) {
        /* the count stays until the next open */
      }
    }, 250)
  );
}

export async function togglePause() {
  const open = state.open;
  if (!open || !open.patient) return;
  ui.pause.disabled = true;
  try {
    const { data } = await api("/api/chat/pause-ai", { patientId: open.id, pause: !open.patient.ai_paused });
    if (state.open === open) {
      open.patient = Object.assign(open.patient, data.patient);
      renderHead();
    }
    mergeRow(data.patient);
    renderList();
  } catch (err) {
    showBanner(err.message);
  } finally {
    ui.pause.disabled = false;
  }
}
