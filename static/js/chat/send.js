/* Sending a reply: shown at once as queued, kept by its clientId (a retry is sent at most once),
 * replaced by the server's message; a failure says why and offers Retry when it could go out now. */
import { api } from "./api.js";
import { renderComposer } from "./composer.js";
import { putMessage, renderThread, replaceMessage } from "./messages.js";
import { config, showBanner, state } from "./state.js";
import { refreshOpenPatient } from "./thread.js";

export async function sendText(patientId, body, clientId) {
  const open = state.open;
  let pending = open && open.id === patientId ? open.pending.get(clientId) : null;
  if (!pending && open && open.id === patientId) {
    pending = {
      id: null,
      pending: true,
      client_id: clientId,
      patient_id: patientId,
      direction: "out",
      type: "text",
      text: body,
      status: "queued",
      sender: "staff",
      sender_name: config.user,
      created_at: new Date().toISOString(),
      buttons: [],
    };
    open.pending.set(clientId, pending);
  } else if (pending) {
    Object.assign(pending, { status: "queued", local_error: "", final: false });
  }
  renderThread("bottom");
  try {
    const { data } = await api("/api/chat/send", { patientId: patientId, messageBody: body, clientId: clientId });
    if (state.open === open && open) {
      putMessage(data.message);
      renderThread("bottom");
    }
  } catch (err) {
    if (!pending || state.open !== open) return showBanner("Not sent: " + err.message);
    pending.status = "failed";
    pending.local_error = err.status ? err.message : "Not sent: no connection. Retry when you are back online.";
    pending.final = err.status >= 400 && err.status < 500;
    if (err.code === "window_closed") {
      pending.local_error = "Outside the 24-hour window: send a template instead.";
      if (open.patient) open.patient.last_inbound_at = null;
      renderComposer();
      refreshOpenPatient();
    }
    replaceMessage(pending);
  }
}

export async function retryMessage(m) {
  if (m.pending) return sendText(m.patient_id, m.text, m.client_id); // same clientId: sent at most once
  try {
    const { data } = await api("/api/chat/retry", { messageId: m.id });
    if (state.open && state.open.messages.has(data.message.id)) {
      putMessage(data.message); // a tick that already arrived by socket is kept
      replaceMessage(state.open.messages.get(data.message.id));
    }
  } catch (err) {
    showBanner("Retry failed: " + err.message);
  }
}
