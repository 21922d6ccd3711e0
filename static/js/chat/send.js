/* Sending a reply or a file: shown at once as queued, kept by its clientId (a retry is sent at most
 * once), replaced by the server's message; a failure says why and offers Retry when it could go out now. */
import { api, apiForm } from "./api.js";
import { sizeLabel } from "./attach.js";
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
    failed(pending, open, err);
  }
}

function failed(pending, open, err) {
  if (!pending || state.open !== open) return showBanner("Not sent: " + err.message);
  pending.status = "failed";
  pending.local_error = err.status ? err.message : "Not sent: no connection. Retry when you are back online.";
  pending.final = err.status >= 400 && err.status < 500;
  if (err.code === "window_closed") {
    pending.local_error = "Outside the 24-hour window: only templates can be sent.";
    if (open.patient) open.patient.last_inbound_at = null;
    renderComposer();
    refreshOpenPatient();
  }
  replaceMessage(pending);
}

/** A PDF, JPEG or PNG with the composer's text as its caption (attach.js checked it first). */
export async function sendFile(patientId, chosen, caption, clientId) {
  const open = state.open;
  let pending = open && open.id === patientId ? open.pending.get(clientId) : null;
  if (!pending && open && open.id === patientId) {
    const name = chosen.file.name;
    const label = (chosen.kind.type === "image" ? "Image: " : "Document: ") + name + " (" + sizeLabel(chosen.file.size) + ")";
    pending = {
      id: null,
      pending: true,
      file: chosen,
      client_id: clientId,
      patient_id: patientId,
      direction: "out",
      type: chosen.kind.type,
      text: caption,
      status: "queued",
      sender: "staff",
      sender_name: config.user,
      created_at: new Date().toISOString(),
      media: { kind: chosen.kind.type, label: label, state: null, filename: name, size: chosen.file.size },
      buttons: [],
    };
    open.pending.set(clientId, pending);
  } else if (pending) {
    Object.assign(pending, { status: "queued", local_error: "", final: false });
  }
  renderThread("bottom");
  const form = new FormData();
  form.append("patientId", String(patientId));
  form.append("clientId", clientId);
  form.append("caption", caption);
  form.append("file", chosen.file, chosen.file.name);
  try {
    const { data } = await apiForm("/api/chat/send-file", form);
    if (state.open === open && open) {
      putMessage(data.message);
      renderThread("bottom");
    }
  } catch (err) {
    failed(pending, open, err);
  }
}

export async function retryMessage(m) {
  if (m.pending && m.file) return sendFile(m.patient_id, m.file, m.text, m.client_id);
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
