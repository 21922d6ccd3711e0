/* The open thread's messages: kept by id (ticks only move forward), drawn by day, replaced one at a time. */
import { el } from "./dom.js";
import { clock, dayKey, dayLabel, messageTime, tzOf } from "./format.js";
import { mediaElement } from "./media.js";
import { state, ui, windowOpen } from "./state.js";

const RANK = { queued: 0, sending: 1, sent: 2, delivered: 3, read: 4 };
/** Ticks only move forward (events can cross); failed ↔ queued is a retry or a failure, and
 * "unknown" (the Graph API did not answer in time; the server is checking) may go anywhere. */
export function statusMoves(from, to) {
  if (!from || from === to) return from !== to;
  if (from in RANK && to in RANK) return RANK[to] > RANK[from];
  return !(from === "read" && to === "failed");
}

export function putMessage(m) {
  const open = state.open;
  if (m.client_id && open.pending.has(m.client_id)) open.pending.delete(m.client_id);
  const old = open.messages.get(m.id);
  if (old && !statusMoves(old.status, m.status)) {
    m = Object.assign({}, m, { status: old.status, error_code: old.error_code, error_title: old.error_title });
  }
  open.messages.set(m.id, m);
  return !old;
}

export function lastId() {
  let max = 0;
  for (const id of state.open.messages.keys()) max = Math.max(max, id);
  return max;
}
export function firstId() {
  let min = Infinity;
  for (const id of state.open.messages.keys()) min = Math.min(min, id);
  return min === Infinity ? 0 : min;
}

function tick(m) {
  const span = el("span", "tick tick-" + m.status);
  const labels = {
    queued: "Queued",
    sending: "Sending",
    unknown: "Not confirmed yet: checking whether WhatsApp took it",
    sent: "Sent",
    delivered: "Delivered",
    read: "Read",
    failed: "Not sent",
  };
  span.title = labels[m.status] || m.status;
  span.setAttribute("aria-label", span.title);
  if (m.status === "sent") span.textContent = "✓";
  else if (m.status === "delivered" || m.status === "read") span.textContent = "✓✓";
  else if (m.status === "failed") span.textContent = "!";
  else if (m.status === "unknown") span.textContent = "?";
  return span;
}

/** Retry only what could go out now: not a cancelled bot reply while the bot is paused, and
 * not free text once the 24-hour window has closed (the server would refuse both). */
function canRetry(m) {
  if (m.pending) return !m.final;
  if (m.status !== "failed" || m.direction !== "out") return false;
  const p = state.open.patient;
  if (m.sender === "bot" && p && p.ai_paused) return false;
  return m.type === "template" || windowOpen(p);
}

function messageElement(m) {
  const tz = tzOf(state.open.patient ? state.open.patient.doctor_id : null);
  const failed = m.status === "failed";
  const wrap = el("div", "msg " + (m.direction === "in" ? "msg-in" : "msg-out") + (failed ? " msg-failed" : ""));
  if (m.id) wrap.dataset.id = String(m.id);
  if (m.client_id) wrap.dataset.client = m.client_id;
  const bubble = el("div", "bubble" + (m.sender === "bot" ? " bubble-bot" : ""));
  if (m.direction === "out") {
    const who = el("div", "sender", m.sender === "bot" ? "Bot" : m.sender_name || "Staff");
    if (m.type === "template") who.append(el("span", "tag", "template"));
    bubble.append(who);
  }
  if (m.media) bubble.append(mediaElement(m));
  if (m.direction === "in" && m.type === "interactive") bubble.append(el("div", "tapped", "Tapped"));
  // whatsappText: the global of static/js/whatsapp_format.js (a classic script the simulator shares),
  // loaded before this module: *bold*, _italic_, links… as WhatsApp shows them, built from DOM nodes.
  if (m.text) bubble.append(window.whatsappText(m.text));
  else if (!m.media) bubble.append(el("div", "text muted", "[" + m.type + "]"));
  if (m.buttons && m.buttons.length) {
    const choices = el("div", "choices");
    for (const title of m.buttons) choices.append(el("span", "choice", title));
    bubble.append(choices);
  }
  const meta = el("div", "meta");
  const time = el("time", "time", clock(messageTime(m), tz));
  time.dateTime = messageTime(m);
  meta.append(time);
  if (m.direction === "out") meta.append(tick(m));
  bubble.append(meta);
  if (failed) {
    const fail = el("div", "fail");
    const reason = m.local_error || m.error_title || "Not sent";
    fail.append(el("span", "fail-reason", m.error_code ? reason + " (" + m.error_code + ")" : reason));
    if (canRetry(m)) {
      const retry = el("button", "link-button retry", "Retry");
      retry.type = "button"; // a click is handled in main.js (send.retryMessage), via messageOf
      fail.append(retry);
    }
    bubble.append(fail);
  }
  wrap.append(bubble);
  return wrap;
}

/** keep: "bottom" scrolls to the newest; "anchor" keeps what is on screen (older page added);
 * "auto" follows new messages only when the doctor was already at the bottom. */
export function renderThread(keep) {
  const open = state.open;
  if (!open) return;
  const box = ui.messages;
  const fromBottom = box.scrollHeight - box.scrollTop;
  const atBottom = fromBottom - box.clientHeight < 80;
  const tz = tzOf(open.patient ? open.patient.doctor_id : null);
  const ordered = Array.from(open.messages.values()).sort((a, b) => a.id - b.id).concat(Array.from(open.pending.values()));
  const frag = document.createDocumentFragment();
  if (open.hasOlder) frag.append(el("div", "older muted", open.loadingOlder ? "Loading older messages…" : "Scroll up for older messages"));
  else if (open.loaded && ordered.length) frag.append(el("div", "older muted", "Start of the conversation"));
  let day = null;
  for (const m of ordered) {
    const key = dayKey(new Date(messageTime(m)), tz);
    if (key !== day) {
      day = key;
      frag.append(el("div", "day", dayLabel(messageTime(m), tz)));
    }
    frag.append(messageElement(m));
  }
  if (open.loaded && !ordered.length) frag.append(el("div", "older muted", "No messages yet."));
  box.replaceChildren(frag);
  if (keep === "bottom" || (keep === "auto" && atBottom)) box.scrollTop = box.scrollHeight;
  else box.scrollTop = box.scrollHeight - fromBottom;
}

/** The message a node of the thread is part of (a Retry button's), as it is now. */
export function messageOf(node) {
  const wrap = node.closest(".msg");
  const open = state.open;
  if (!wrap || !open) return null;
  if (wrap.dataset.id) return open.messages.get(Number(wrap.dataset.id)) || null;
  return open.pending.get(wrap.dataset.client) || null;
}

export function replaceMessage(m) {
  const selector = m.id ? '[data-id="' + m.id + '"]' : '[data-client="' + CSS.escape(m.client_id) + '"]';
  const node = ui.messages.querySelector(selector);
  if (node) node.replaceWith(messageElement(m));
  else renderThread("auto");
}
