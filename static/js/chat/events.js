/* What each live event does to the page (socket.js delivers them and answers hello and pong itself). */
import { renderComposer } from "./composer.js";
import { messageTime } from "./format.js";
import { mergeRow, refreshTop, renderList } from "./list.js";
import { putMessage, renderThread, replaceMessage, statusMoves } from "./messages.js";
import { state } from "./state.js";
import { markRead, refreshOpenPatient, renderHead } from "./thread.js";

function previewOf(m) {
  return (m.text || "[" + m.type + "]").slice(0, 120);
}

export function onEvent(event) {
  switch (event.type) {
    case "message.created":
      onMessageCreated(event.message);
      break;
    case "message.status":
      onMessageStatus(event.message);
      break;
    case "message.media":
      onMessageMedia(event.message);
      break;
    case "patient.updated":
      onPatientUpdated(event.patient);
      break;
    case "appointment.changed":
      // The next visit and its reminder in the header: fetched again, never read from the event.
      if (state.open && event.appointment.patient_id === state.open.id) refreshOpenPatient();
      break;
  }
}

function onMessageCreated(m) {
  const known = mergeRow({ id: m.patient_id, preview: previewOf(m), last_message_at: messageTime(m) });
  if (known) renderList();
  else refreshTop();
  const open = state.open;
  if (!open || open.id !== m.patient_id) return;
  // Kept even while the thread's first page is loading: that page may have been read before this
  // message was stored, and it is drawn with the page when it arrives.
  putMessage(m);
  if (!open.loaded) return;
  if (m.direction === "in" && open.patient) {
    const at = messageTime(m);
    if (!open.patient.last_inbound_at || Date.parse(at) > Date.parse(open.patient.last_inbound_at)) open.patient.last_inbound_at = at;
    renderComposer();
  }
  renderThread(m.direction === "out" && m.sender === "staff" ? "bottom" : "auto");
}

function onMessageStatus(s) {
  const open = state.open;
  if (!open || open.id !== s.patient_id) return;
  const m = open.messages.get(s.id);
  if (!m || !statusMoves(m.status, s.status)) return;
  Object.assign(m, { status: s.status, error_code: s.error_code, error_title: s.error_title });
  replaceMessage(m);
}

/** A file downloaded, failed or being fetched again: only that message is redrawn. */
function onMessageMedia(s) {
  const open = state.open;
  if (!open || open.id !== s.patient_id) return;
  const m = open.messages.get(s.id);
  if (!m) return;
  m.media = s.media;
  replaceMessage(m);
}

function onPatientUpdated(p) {
  if (mergeRow(p)) renderList();
  else refreshTop();
  const open = state.open;
  if (open && open.id === p.id && open.patient) {
    Object.assign(open.patient, p);
    renderHead();
    if (p.unread_count > 0) markRead();
  }
}
