/* The composer shows what may be sent now: the reply box (text, or a file with a caption: attach.js)
 * while the 24-hour window is open, else the template form (templates.js). Sending is in send.js. */
import { attachedFile, renderAttachment } from "./attach.js";
import { tzOf, whenLabel } from "./format.js";
import { DAY_MS, state, ui, windowOpen } from "./state.js";
import { renderTemplates } from "./templates.js";

export function renderComposer() {
  const open = state.open;
  if (!open || !open.patient) return;
  const p = open.patient;
  const isOpen = windowOpen(p);
  ui.textForm.hidden = !isOpen;
  ui.windowClosed.hidden = isOpen;
  renderAttachment();
  if (isOpen) {
    const closes = new Date(Date.parse(p.last_inbound_at) + DAY_MS).toISOString();
    const until = whenLabel(closes, tzOf(p.doctor_id)).replace(/^(Tomorrow|Today), /, (m, day) => day.toLowerCase() + " ");
    const narrow = window.matchMedia("(max-width: 719px)").matches;
    ui.text.placeholder = attachedFile() ? "Add a caption (optional)" : narrow ? "Type a reply" : "Reply · window open until " + until;
    ui.text.title = "The 24-hour window is open until " + until;
    return;
  }
  ui.windowNote.textContent = p.last_inbound_at
    ? "The patient last wrote " + whenLabel(p.last_inbound_at, tzOf(p.doctor_id)).replace(/^(\d)/, "at $1") + ", more than 24 hours ago. WhatsApp only allows an approved template until they write again."
    : "The patient has never written, so WhatsApp only allows an approved template.";
  ui.windowNote.textContent += " No free text and no files: only templates can be sent.";
  renderTemplates();
}

export function autosize() {
  ui.text.style.height = "auto";
  ui.text.style.height = Math.min(ui.text.scrollHeight, 160) + "px";
}
