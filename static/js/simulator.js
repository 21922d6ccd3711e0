/*
 * The demo patient's phone. Each message is POSTed to /simulator/send, which delivers it through
 * the real webhook and answers with what the clinic sent back, so nothing here polls. When the
 * visitor is logged in, the live socket also says when a staff reply went out, and the page asks
 * /simulator/replies for it. On load (and when the number or clinic changes) the phone shows the
 * stored conversation from /simulator/history, so a reload loses nothing. The clip attaches a photo
 * or PDF as the patient (/simulator/attach: the real webhook, the sandbox serves the file back to
 * the fetch task, no network). The number, name and
 * clinic are remembered in localStorage. Message text reaches the DOM only through textContent
 * (el() here, whatsappText() from whatsapp_format.js for message bodies).
 */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("sim-config").textContent);
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);
  const ui = {
    doctor: $("sim-doctor"),
    phone: $("sim-phone"),
    name: $("sim-name"),
    fresh: $("sim-new"),
    clinic: $("sim-clinic"),
    avatar: document.querySelector(".phone-head .avatar"),
    who: $("sim-who"),
    log: $("sim-log"),
    form: $("sim-form"),
    text: $("sim-text"),
    file: $("sim-file"),
  };
  const state = { lastReplyId: 0, shown: new Set(), patientId: null, busy: false, loading: 0, history: null };
  const REMEMBER = "clinicbot.simulator";

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** The phone shows the clinic's local time (a patient's phone is in the clinic's town). */
  function clock(date) {
    const doctor = config.doctors.find((d) => String(d.id) === ui.doctor.value);
    const options = { hour: "numeric", minute: "2-digit", timeZone: (doctor && doctor.tz) || "Asia/Kolkata" };
    return date.toLocaleTimeString("en-IN", options);
  }

  function header() {
    const option = ui.doctor.selectedOptions[0];
    ui.clinic.textContent = option ? option.textContent : "Clinic";
    ui.avatar.textContent = ui.clinic.textContent.replace(/^Dr\.?\s*/, "").charAt(0).toUpperCase() || "C";
    ui.who.textContent = "You are " + (ui.name.value.trim() || "a patient") + " · +" + ui.phone.value.trim();
  }

  function bubble(side, text, at) {
    const wrap = el("div", "msg " + side);
    const box = el("div", "bubble");
    box.append(whatsappText(text));
    const meta = el("div", "meta");
    meta.append(el("span", "time", clock(at ? new Date(at) : new Date())));
    box.append(meta);
    wrap.append(box);
    ui.log.append(wrap);
    ui.log.scrollTop = ui.log.scrollHeight;
    return box;
  }

  /** The clinic's document or photo on the phone: a link to the file (chat's media view, for the
   * clinic's members), a photo as its picture. Nothing until the file is stored. */
  function mediaOf(media) {
    if (!media || !media.url) return null;
    const open = el("a", "phone-media");
    open.href = media.url;
    open.target = "_blank";
    open.rel = "noopener";
    if (media.kind === "image") {
      const img = el("img", "phone-photo");
      img.src = media.thumbnail_url || media.url;
      img.alt = media.label;
      img.addEventListener("load", () => (ui.log.scrollTop = ui.log.scrollHeight)); // its height is known now
      open.append(img);
    } else {
      const kb = media.size ? " · " + Math.max(1, Math.round(media.size / 1024)) + " KB" : "";
      open.textContent = (media.filename || media.label) + kb;
    }
    return open;
  }

  /** A message from the clinic; its buttons can be tapped unless it is history with later
   * messages after it (`tappable` false). */
  function showReply(reply, tappable) {
    if (state.shown.has(reply.id)) return;
    state.shown.add(reply.id);
    state.lastReplyId = Math.max(state.lastReplyId, reply.id);
    if (reply.status === "failed") return; // it never reached the phone
    const media = mediaOf(reply.media);
    const box = bubble("msg-in", reply.text || (media ? "" : "[" + reply.type + "]"), reply.at);
    if (media) box.prepend(media);
    if (!reply.choices.length) return;
    const choices = el("div", "phone-buttons");
    const isList = reply.choices[0].kind === "list_reply";
    let rows = choices;
    if (isList) {
      const toggle = el("button", null, "Choose…");
      toggle.type = "button";
      rows = el("div", "phone-buttons");
      rows.hidden = true;
      toggle.addEventListener("click", () => (rows.hidden = !rows.hidden));
      choices.append(toggle, rows);
    }
    for (const choice of reply.choices) {
      const button = el("button", null, choice.title);
      button.type = "button";
      button.addEventListener("click", () => {
        for (const other of choices.querySelectorAll("button")) other.disabled = true;
        send({ choice: choice }, choice.title);
      });
      button.disabled = tappable === false;
      rows.append(button);
    }
    box.insertBefore(choices, box.lastChild);
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function target() {
    return { doctorId: Number(ui.doctor.value), waId: ui.phone.value.replace(/\D/g, ""), name: ui.name.value.trim() };
  }

  async function send(what, shownText) {
    if (state.busy) return;
    state.busy = true;
    await state.history; // the stored conversation first, so the new message goes below it
    remember();
    bubble("msg-out", shownText);
    try {
      const response = await fetch("/simulator/send", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify(Object.assign(target(), what, { after: state.lastReplyId || undefined })),
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(data.error || "HTTP " + response.status);
      state.patientId = data.patient_id;
      data.replies.forEach((reply) => showReply(reply));
    } catch (err) {
      bubble("msg-in", "(simulator: " + err.message + ")");
    } finally {
      state.busy = false;
    }
  }

  /** The patient attaches a photo or PDF (the text box, if filled, is its caption): posted as
   * multipart to /simulator/attach, which delivers it through the real webhook. */
  async function attach(file) {
    if (state.busy || !file) return;
    state.busy = true;
    await state.history;
    remember();
    const caption = ui.text.value.trim();
    ui.text.value = "";
    bubble("msg-out", "📎 " + file.name + (caption ? "\n" + caption : ""));
    const form = new FormData();
    const t = target();
    form.append("file", file);
    form.append("caption", caption);
    form.append("doctorId", t.doctorId);
    form.append("waId", t.waId);
    form.append("name", t.name);
    if (state.lastReplyId) form.append("after", state.lastReplyId);
    try {
      const response = await fetch("/simulator/attach", {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken },
        body: form,
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(data.error || "HTTP " + response.status);
      state.patientId = data.patient_id;
      data.replies.forEach((reply) => showReply(reply));
    } catch (err) {
      bubble("msg-in", "(simulator: " + err.message + ")");
    } finally {
      state.busy = false;
      ui.file.value = "";
    }
  }

  async function fetchReplies() {
    const t = target();
    const params = new URLSearchParams({ doctorId: t.doctorId, waId: t.waId, after: state.lastReplyId });
    const response = await fetch("/simulator/replies?" + params.toString(), { credentials: "same-origin" });
    if (response.ok) (await response.json()).replies.forEach((reply) => showReply(reply));
  }

  /** The stored conversation of this number with this clinic, oldest first. */
  async function loadHistory() {
    const loading = ++state.loading;
    const t = target();
    if (!/^\d{8,15}$/.test(t.waId)) return;
    const params = new URLSearchParams({ doctorId: t.doctorId, waId: t.waId });
    const response = await fetch("/simulator/history?" + params.toString(), { credentials: "same-origin" });
    if (!response.ok || loading !== state.loading) return; // a newer reset won
    const data = await response.json();
    state.patientId = data.patient_id;
    const last = data.messages[data.messages.length - 1];
    for (const m of data.messages) {
      if (m.direction === "in") {
        const media = mediaOf(m.media);
        const box = bubble("msg-out", m.text || (media ? "" : "[" + m.type + "]"), m.at);
        if (media) box.prepend(media);
      }
      else showReply(m, m === last);
    }
  }

  function remember() {
    const t = target();
    try {
      localStorage.setItem(REMEMBER, JSON.stringify({ doctorId: t.doctorId, waId: t.waId, name: t.name }));
    } catch (err) {
      /* private mode: the page still works, it just forgets */
    }
  }

  function restore() {
    let saved = null;
    try {
      saved = JSON.parse(localStorage.getItem(REMEMBER) || "null");
    } catch (err) {
      saved = null;
    }
    if (!saved) return;
    if (config.doctors.some((d) => d.id === saved.doctorId)) ui.doctor.value = String(saved.doctorId);
    if (/^\d{8,15}$/.test(saved.waId || "")) ui.phone.value = saved.waId;
    if (saved.name) ui.name.value = String(saved.name).slice(0, 60);
  }

  function listen(delay) {
    const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/chat/");
    ws.addEventListener("message", (e) => {
      const event = JSON.parse(e.data);
      const m = event.message || {};
      if (event.type === "message.created" && m.direction === "out" && m.patient_id === state.patientId && !state.busy) fetchReplies();
    });
    ws.addEventListener("open", () => (delay = 1000));
    ws.addEventListener("close", () => setTimeout(() => listen(Math.min(delay * 2, 30000)), delay));
  }

  function reset() {
    ui.log.replaceChildren(el("div", "day", "Today"));
    state.lastReplyId = 0;
    state.shown.clear();
    state.patientId = null;
    header();
    remember();
    state.history = loadHistory().catch(() => {});
  }

  ui.form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = ui.text.value.trim();
    if (!text) return;
    ui.text.value = "";
    send({ text: text }, text);
  });
  ui.file.addEventListener("change", () => attach(ui.file.files[0]));
  ui.fresh.addEventListener("click", () => {
    ui.phone.value = "9198" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
    reset();
    ui.text.focus();
  });
  for (const input of [ui.phone, ui.name, ui.doctor]) input.addEventListener("change", reset);

  restore();
  reset();
  listen(1000);
  // The button is disabled in the HTML so that Enter pressed before this script ran cannot submit
  // the form natively (a page reload that drops the typed text); from here on the handler has it.
  ui.form.querySelector("button.send").disabled = false;
})();
