/*
 * The doctor's live chat, the page's entry point (<script type="module"> in templates/chat/live.html).
 * Writes go over HTTP (CSRF-protected POSTs to /api/chat/...); events come in over the websocket at
 * /ws/chat/ (socket.js), which subscribes first and fetches after, so an event that fired while
 * loading or while offline is never lost. This file wires the page's controls to the modules.
 *
 * Patient text reaches the DOM only through textContent (the el() helper in dom.js, and
 * whatsappText() from whatsapp_format.js for message bodies); nothing here uses innerHTML.
 */
import { openOnNotificationClick, renderAlerts, toggleAlerts } from "./alerts.js";
import { newClientId } from "./api.js";
import { attachedFile, CAPTION_MAX, chooseFile, clearAttachment } from "./attach.js";
import { autosize, renderComposer } from "./composer.js";
import { debounce } from "./dom.js";
import { fillList, loadConversations } from "./list.js";
import { messageOf } from "./messages.js";
import { retryMessage, sendFile, sendText } from "./send.js";
import { connect, initialLoad, reconnectNow } from "./socket.js";
import { showBanner, state, ui } from "./state.js";
import { renderTemplateParams, sendTemplate } from "./templates.js";
import { closeConversation, loadOlder, markRead, openConversation, togglePause } from "./thread.js";

// Modules import only downwards (dom, api, state, format < messages, templates < composer, alerts <
// list < thread < send < events < socket < main): the two calls that go up are handed down here.

ui.list.addEventListener("click", (e) => {
  const button = e.target.closest(".conv-button");
  if (button) openConversation(Number(button.dataset.id));
});
ui.listScroll.addEventListener("scroll", fillList, { passive: true });
ui.search.addEventListener(
  "input",
  debounce(() => {
    state.q = ui.search.value.trim();
    state.next = null;
    loadConversations(true);
  }, 250)
);
ui.messages.addEventListener("click", (e) => {
  const retry = e.target.closest(".retry");
  const m = retry && messageOf(retry);
  if (m) retryMessage(m);
});
openOnNotificationClick(openConversation);
ui.messages.addEventListener(
  "scroll",
  () => {
    if (ui.messages.scrollTop < 120) loadOlder();
  },
  { passive: true }
);
ui.back.addEventListener("click", closeConversation);
ui.pause.addEventListener("click", togglePause);
if (ui.alerts) ui.alerts.addEventListener("click", toggleAlerts);
renderAlerts();
ui.textForm.addEventListener("submit", (e) => {
  e.preventDefault();
  const open = state.open;
  const body = ui.text.value.trim();
  const file = attachedFile();
  if (!open || (!body && !file)) return;
  if (file && body.length > CAPTION_MAX) return showBanner("A caption can be " + CAPTION_MAX + " characters; this one is " + body.length + ".");
  if (body.length > 4096) return showBanner("That message is " + body.length + " characters; WhatsApp allows 4096.");
  ui.text.value = "";
  state.drafts.delete(open.id);
  autosize();
  if (!file) return sendText(open.id, body, newClientId());
  clearAttachment();
  renderComposer();
  sendFile(open.id, file, body, newClientId());
});
ui.attachInput.addEventListener("change", async () => {
  await chooseFile(ui.attachInput.files[0]);
  renderComposer();
});
ui.attachment.addEventListener("click", (e) => {
  if (!e.target.closest(".attachment-remove")) return;
  clearAttachment();
  renderComposer();
  ui.text.focus();
});
ui.text.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    ui.textForm.requestSubmit();
  }
});
ui.text.addEventListener("input", autosize);
ui.templateSelect.addEventListener("change", renderTemplateParams);
ui.templateForm.addEventListener("submit", (e) => {
  e.preventDefault();
  sendTemplate();
});
document.addEventListener("visibilitychange", () => {
  if (document.hidden) return;
  reconnectNow();
  if (state.open && state.open.patient && state.open.patient.unread_count > 0) markRead();
});
window.addEventListener("online", reconnectNow);
window.addEventListener("resize", fillList);
setInterval(() => state.open && renderComposer(), 60000); // the window closes while you watch

// For the browser tests and for debugging from the console.
window.clinicbotLive = {
  get socket() {
    return state.socket;
  },
  state: state,
};

connect();
// If the socket is slow to come up, show the page anyway; the hello that follows resyncs it.
setTimeout(initialLoad, 2500);
