/* Attaching a file to a reply: one PDF, JPEG or PNG (WhatsApp's limits: a document up to 100 MB, an
 * image up to 5 MB), told by its first bytes as the server tells it (the server checks again), shown
 * with its name, size and a remove ×; the composer's text becomes its caption. A wrong or too big
 * file is refused here, inline, before anything is sent. Sending is sendFile in send.js. */
import { el } from "./dom.js";
import { state, ui } from "./state.js";

const MB = 1024 * 1024;
export const CAPTION_MAX = 1024;
const KINDS = [
  { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], type: "document", label: "PDF", limit: 100 * MB }, // %PDF-
  { magic: [0xff, 0xd8, 0xff], type: "image", label: "JPEG image", limit: 5 * MB },
  { magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], type: "image", label: "PNG image", limit: 5 * MB },
];
export const WRONG_TYPE = "Only PDF, JPEG and PNG files can be sent on WhatsApp; this file is none of them.";

let chosen = null; // { file, kind, patientId } once a file passed the checks
let problem = null; // { text, patientId } when the last choice was refused

export function sizeLabel(bytes) {
  if (bytes >= 10 * MB) return Math.floor(bytes / MB) + " MB";
  if (bytes >= MB) return (bytes / MB).toFixed(1) + " MB";
  return Math.max(1, Math.round(bytes / 1024)) + " KB";
}

async function kindOf(file) {
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  return KINDS.find((k) => k.magic.every((byte, i) => head[i] === byte)) || null;
}

/** Why WhatsApp would refuse this file, or "" when it can go. */
function refusal(file, kind) {
  if (!file.size) return "The file is empty.";
  if (!kind) return WRONG_TYPE;
  if (file.size > kind.limit) return "This " + kind.label + " is " + sizeLabel(file.size) + "; WhatsApp takes at most " + sizeLabel(kind.limit) + ".";
  return "";
}

/** The <input type=file> changed: keep the file if WhatsApp takes it, else say why, inline (the
 * caller redraws the composer, which draws the attachment). */
export async function chooseFile(file) {
  const patientId = state.open ? state.open.id : null;
  ui.attachInput.value = ""; // choosing the same file again after a remove fires change again
  if (!file || patientId === null) return;
  const kind = await kindOf(file);
  const why = refusal(file, kind);
  chosen = why ? null : { file: file, kind: kind, patientId: patientId };
  problem = why ? { text: why, patientId: patientId } : null;
  if (!why) ui.text.focus();
}

/** The file to send with the open conversation's reply, or null. */
export function attachedFile() {
  return chosen && state.open && chosen.patientId === state.open.id ? chosen : null;
}

export function clearAttachment() {
  chosen = null;
  problem = null;
}

/** An error about the file from the server (too big, wrong type, window closed), shown where the
 * file was. */
export function showAttachProblem(text) {
  problem = { text: text, patientId: state.open ? state.open.id : null };
}

export function renderAttachment() {
  const file = attachedFile();
  const open = state.open;
  const why = problem && open && problem.patientId === open.id ? problem.text : "";
  ui.attachment.hidden = !file;
  ui.attachError.hidden = !why;
  ui.attachError.textContent = why;
  ui.attachButton.classList.toggle("attached", Boolean(file));
  if (!file) {
    ui.attachment.replaceChildren();
    return;
  }
  const name = el("span", "attachment-name", file.file.name);
  name.title = file.file.name;
  const remove = el("button", "attachment-remove", "×"); // a click is handled in main.js
  remove.type = "button";
  remove.setAttribute("aria-label", "Remove " + file.file.name);
  const icon = el("span", "attachment-kind", file.kind.type === "image" ? "Image" : "PDF");
  ui.attachment.replaceChildren(icon, name, el("span", "attachment-size muted", sizeLabel(file.file.size)), remove);
}
