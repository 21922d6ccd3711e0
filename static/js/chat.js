/*
 * The doctor's live chat. Writes go over HTTP (CSRF-protected POSTs to /api/chat/...); events
 * come in over the websocket at /ws/chat/. Following Zulip's events-system note, the page
 * subscribes first and fetches after: every time the socket says "hello" (first load and every
 * reconnect) the conversation list is reloaded and the open thread fetches what came after its
 * last message, so an event that fired while loading or while offline is never lost.
 *
 * Patient text reaches the DOM only through textContent (the el() helper); nothing here uses
 * innerHTML.
 */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("chat-config").textContent);
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const doctors = new Map(config.doctors.map((d) => [d.id, d]));
  const severalClinics = config.doctors.length > 1;
  const DAY_MS = 24 * 3600 * 1000;
  const PING_EVERY_MS = 25000;
  const PONG_WITHIN_MS = 10000;
  const MAX_BACKOFF_MS = 30000;

  const $ = (id) => document.getElementById(id);
  const ui = {
    list: $("conv-list"),
    listFoot: $("list-foot"),
    listScroll: $("conv-scroll"),
    search: $("search"),
    conn: $("conn"),
    thread: $("thread"),
    empty: $("thread-empty"),
    messages: $("messages"),
    name: $("t-name"),
    sub: $("t-sub"),
    avatar: $("t-avatar"),
    pause: $("pause-btn"),
    strip: $("bot-strip"),
    banner: $("banner"),
    textForm: $("text-form"),
    text: $("text"),
    windowClosed: $("window-closed"),
    windowNote: $("window-note"),
    templateForm: $("template-form"),
    templateSelect: $("template-select"),
    templateParams: $("template-params"),
    templatePreview: $("template-preview"),
    back: $("back"),
    alerts: $("alerts-btn"),
  };

  const state = {
    rows: new Map(), // patient id -> conversation row
    rowEls: new Map(), // patient id -> <li>
    next: null, // keyset cursor of the next page, or null
    q: "",
    listGen: 0,
    listLoading: false,
    loaded: false,
    unreadTotal: 0,
    open: null, // the open conversation (see openConversation)
    threadGen: 0,
    drafts: new Map(), // patient id -> unsent text
    socket: null,
    attempts: 0,
    pingTimer: null,
    pongTimer: null,
    reconnectTimer: null,
    alertsOn: config.emergencyAlerts !== false, // this user's setting (AlertSettings)
    alarmed: new Set(), // patient ids whose current emergency has rung (or was there at first load)
    alarms: [], // every emergency raised on this page, for the browser tests and the console
    listLoadedOnce: false,
    audio: null,
  };

  // ---- small helpers ---------------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  class ApiError extends Error {
    constructor(status, message, code) {
      super(message);
      this.status = status;
      this.code = code || "";
    }
  }

  async function api(path, body) {
    const options = { credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrfToken;
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, options);
    } catch (err) {
      throw new ApiError(0, "No connection to the server", "network");
    }
    if (response.status === 401) {
      location.assign("/accounts/login/?next=" + encodeURIComponent(location.pathname));
      throw new ApiError(401, "Log in first", "not_authenticated");
    }
    let data = null;
    try {
      data = await response.json();
    } catch (err) {
      data = null;
    }
    if (!response.ok) {
      const message = (data && data.error) || "Something went wrong (" + response.status + ")";
      throw new ApiError(response.status, message, data && data.code);
    }
    return { status: response.status, data: data };
  }

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function debounce(fn, ms) {
    let timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  // ---- time, in the doctor's timezone ------------------------------------------------------------

  const formatters = new Map();
  function formatter(tz, options) {
    const key = tz + JSON.stringify(options);
    if (!formatters.has(key)) formatters.set(key, new Intl.DateTimeFormat("en-IN", Object.assign({ timeZone: tz }, options)));
    return formatters.get(key);
  }
  function tzOf(doctorId) {
    const doctor = doctors.get(doctorId);
    return (doctor && doctor.tz) || "Asia/Kolkata";
  }
  function clock(iso, tz) {
    return formatter(tz, { hour: "numeric", minute: "2-digit" }).format(new Date(iso));
  }
  function dayKey(date, tz) {
    return formatter(tz, { year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
  }
  function dayLabel(iso, tz) {
    const date = new Date(iso);
    const key = dayKey(date, tz);
    if (key === dayKey(new Date(), tz)) return "Today";
    if (key === dayKey(new Date(Date.now() - DAY_MS), tz)) return "Yesterday";
    if (key === dayKey(new Date(Date.now() + DAY_MS), tz)) return "Tomorrow";
    const year = formatter(tz, { year: "numeric" });
    const options = { weekday: "short", day: "numeric", month: "short" };
    if (year.format(date) !== year.format(new Date())) options.year = "numeric";
    return formatter(tz, options).format(date);
  }
  function listTime(iso, tz) {
    if (!iso) return "";
    const date = new Date(iso);
    const label = dayLabel(iso, tz);
    if (label === "Today") return clock(iso, tz);
    if (label === "Yesterday") return label;
    if (Date.now() - date.getTime() < 6 * DAY_MS) return formatter(tz, { weekday: "short" }).format(date);
    return formatter(tz, { day: "2-digit", month: "2-digit", year: "2-digit" }).format(date);
  }
  function whenLabel(iso, tz) {
    const day = dayLabel(iso, tz);
    return (day === "Today" ? "" : day + ", ") + clock(iso, tz);
  }
  /** When it was said: WhatsApp's own timestamp when there is one (incoming), else when we queued it. */
  function messageTime(m) {
    return m.wa_timestamp || m.created_at;
  }

  // ---- people ------------------------------------------------------------------------------------

  function phone(waId) {
    if (!waId) return "";
    if (/^91\d{10}$/.test(waId)) return "+91 " + waId.slice(2, 7) + " " + waId.slice(7);
    return "+" + waId;
  }
  function initials(name) {
    const words = String(name || "").replace(/[^\p{L}\s]/gu, " ").trim().split(/\s+/).filter(Boolean);
    if (!words.length) return "#";
    return (words[0][0] + (words.length > 1 ? words[words.length - 1][0] : "")).toUpperCase();
  }
  function avatar(node, row) {
    node.textContent = initials(row.name);
    node.dataset.hue = String((row.id * 47) % 6);
  }

  // ---- the title ---------------------------------------------------------------------------------

  function setUnreadTotal(n) {
    state.unreadTotal = Math.max(0, n);
    document.title = (state.unreadTotal > 0 ? "(" + state.unreadTotal + ") " : "") + "Clinicbot";
  }

  // ---- the conversation list ---------------------------------------------------------------------

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
    bottom.append(el("span", "conv-preview", row.preview || ""));
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
  function mergeRow(partial, quiet) {
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

  function renderList() {
    const rows = Array.from(state.rows.values()).sort(compareRows);
    for (const row of rows) ui.list.append(state.rowEls.get(row.id)); // append moves existing nodes
    if (state.next) ui.listFoot.textContent = "Loading more…";
    else if (!rows.length) ui.listFoot.textContent = state.q ? "No conversation matches “" + state.q + "”." : "No conversations yet.";
    else ui.listFoot.textContent = "";
  }

  /** reset: the first page replaces the list (search, reconnect); otherwise the next page is added. */
  async function loadConversations(reset) {
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
  const refreshTop = debounce(async function () {
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
  function fillList() {
    if (!state.next || state.listLoading) return;
    const pane = ui.listScroll.getBoundingClientRect();
    const foot = ui.listFoot.getBoundingClientRect();
    if (foot.top < pane.bottom + 200) loadConversations(false);
  }

  // ---- the open thread ---------------------------------------------------------------------------

  const RANK = { queued: 0, sending: 1, sent: 2, delivered: 3, read: 4 };
  /** Ticks only move forward (events can cross); failed ↔ queued is a retry or a failure. */
  function statusMoves(from, to) {
    if (!from || from === to) return from !== to;
    if (from in RANK && to in RANK) return RANK[to] > RANK[from];
    return !(from === "read" && to === "failed");
  }

  function putMessage(m) {
    const open = state.open;
    if (m.client_id && open.pending.has(m.client_id)) open.pending.delete(m.client_id);
    const old = open.messages.get(m.id);
    if (old && !statusMoves(old.status, m.status)) {
      m = Object.assign({}, m, { status: old.status, error_code: old.error_code, error_title: old.error_title });
    }
    open.messages.set(m.id, m);
    return !old;
  }

  function lastId() {
    let max = 0;
    for (const id of state.open.messages.keys()) max = Math.max(max, id);
    return max;
  }
  function firstId() {
    let min = Infinity;
    for (const id of state.open.messages.keys()) min = Math.min(min, id);
    return min === Infinity ? 0 : min;
  }

  function tick(m) {
    const span = el("span", "tick tick-" + m.status);
    const labels = { queued: "Queued", sending: "Sending", sent: "Sent", delivered: "Delivered", read: "Read", failed: "Not sent" };
    span.title = labels[m.status] || m.status;
    span.setAttribute("aria-label", span.title);
    if (m.status === "sent") span.textContent = "✓";
    else if (m.status === "delivered" || m.status === "read") span.textContent = "✓✓";
    else if (m.status === "failed") span.textContent = "!";
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
    if (m.media) bubble.append(el("div", "media", m.media));
    if (m.direction === "in" && m.type === "interactive") bubble.append(el("div", "tapped", "Tapped"));
    if (m.text) bubble.append(el("div", "text", m.text));
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
        retry.type = "button";
        retry.addEventListener("click", () => retryMessage(m));
        fail.append(retry);
      }
      bubble.append(fail);
    }
    wrap.append(bubble);
    return wrap;
  }

  /** keep: "bottom" scrolls to the newest; "anchor" keeps what is on screen (older page added);
   * "auto" follows new messages only when the doctor was already at the bottom. */
  function renderThread(keep) {
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

  function replaceMessage(m) {
    const selector = m.id ? '[data-id="' + m.id + '"]' : '[data-client="' + CSS.escape(m.client_id) + '"]';
    const node = ui.messages.querySelector(selector);
    if (node) node.replaceWith(messageElement(m));
    else renderThread("auto");
  }

  function windowOpen(p) {
    return Boolean(p && p.last_inbound_at && Date.now() - Date.parse(p.last_inbound_at) < DAY_MS);
  }

  function renderHead() {
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

  function renderComposer() {
    const open = state.open;
    if (!open || !open.patient) return;
    const p = open.patient;
    const isOpen = windowOpen(p);
    ui.textForm.hidden = !isOpen;
    ui.windowClosed.hidden = isOpen;
    if (isOpen) {
      const closes = new Date(Date.parse(p.last_inbound_at) + DAY_MS).toISOString();
      const until = whenLabel(closes, tzOf(p.doctor_id)).replace(/^(Tomorrow|Today), /, (m, day) => day.toLowerCase() + " ");
      const narrow = window.matchMedia("(max-width: 719px)").matches;
      ui.text.placeholder = narrow ? "Type a reply" : "Reply · window open until " + until;
      ui.text.title = "The 24-hour window is open until " + until;
      return;
    }
    ui.windowNote.textContent = p.last_inbound_at
      ? "The patient last wrote " + whenLabel(p.last_inbound_at, tzOf(p.doctor_id)).replace(/^(\d)/, "at $1") + ", more than 24 hours ago. WhatsApp only allows an approved template until they write again."
      : "The patient has never written, so WhatsApp only allows an approved template.";
    renderTemplates();
  }

  function renderTemplates() {
    const templates = state.open.templates || [];
    ui.templateForm.hidden = !templates.length;
    if (!templates.length) {
      ui.windowNote.textContent += " No templates are set up: add one in Admin → Message templates.";
      return;
    }
    const wanted = templates.map((t) => String(t.id)).join(",");
    if (ui.templateSelect.dataset.ids !== wanted) {
      const chosen = ui.templateSelect.value;
      ui.templateSelect.replaceChildren();
      for (const t of templates) {
        const option = el("option", null, t.name + " (" + t.language + ")");
        option.value = String(t.id);
        ui.templateSelect.append(option);
      }
      ui.templateSelect.dataset.ids = wanted;
      if (templates.some((t) => String(t.id) === chosen)) ui.templateSelect.value = chosen;
      renderTemplateParams();
    }
  }

  function chosenTemplate() {
    return (state.open.templates || []).find((t) => String(t.id) === ui.templateSelect.value);
  }

  function renderTemplateParams() {
    const t = chosenTemplate();
    ui.templateParams.replaceChildren();
    if (!t) return;
    for (let i = 1; i <= t.parameters; i++) {
      const label = el("label", "param");
      label.append(el("span", "param-name", "{{" + i + "}}"));
      const input = el("input");
      input.type = "text";
      input.required = true;
      input.maxLength = 1024;
      input.dataset.index = String(i);
      input.addEventListener("input", renderTemplatePreview);
      label.append(input);
      ui.templateParams.append(label);
    }
    renderTemplatePreview();
  }

  function templateValues() {
    return Array.from(ui.templateParams.querySelectorAll("input")).map((input) => input.value.trim());
  }

  function renderTemplatePreview() {
    const t = chosenTemplate();
    if (!t) return;
    const values = templateValues();
    ui.templatePreview.textContent = t.body.replace(/\{\{(\d+)\}\}/g, (whole, n) => values[Number(n) - 1] || whole);
  }

  async function openConversation(id) {
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
      markRead(id);
      if (window.matchMedia("(min-width: 720px)").matches) ui.text.focus();
    } catch (err) {
      if (gen !== state.threadGen) return;
      closeConversation();
      if (err.status !== 401) showBanner(err.status === 404 ? "That conversation is not available." : err.message, true);
    }
  }

  function closeConversation() {
    state.threadGen++;
    if (state.open) state.drafts.set(state.open.id, ui.text.value);
    state.open = null;
    for (const node of state.rowEls.values()) node.classList.remove("active");
    ui.thread.hidden = true;
    ui.empty.hidden = false;
    document.body.classList.remove("thread-open");
    history.replaceState(null, "", location.pathname);
  }

  async function loadOlder() {
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
  async function catchUpThread() {
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

  const refreshOpenPatient = debounce(async function () {
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
  function markRead(id) {
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

  // ---- writing -----------------------------------------------------------------------------------

  function showBanner(text, sticky) {
    ui.banner.textContent = text;
    ui.banner.hidden = false;
    clearTimeout(showBanner.timer);
    if (!sticky) showBanner.timer = setTimeout(() => (ui.banner.hidden = true), 7000);
  }

  async function sendText(patientId, body, clientId) {
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

  async function retryMessage(m) {
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

  async function togglePause() {
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

  async function sendTemplate() {
    const open = state.open;
    const t = chosenTemplate();
    if (!open || !t) return;
    const button = $("template-send");
    button.disabled = true;
    try {
      const { data } = await api("/api/chat/send-template", {
        patientId: open.id,
        templateId: t.id,
        params: templateValues(),
        clientId: newClientId(),
      });
      if (state.open === open) {
        putMessage(data.message);
        renderThread("bottom");
        for (const input of ui.templateParams.querySelectorAll("input")) input.value = "";
        renderTemplatePreview();
      }
    } catch (err) {
      showBanner("Template not sent: " + err.message);
    } finally {
      button.disabled = false;
    }
  }

  // ---- live events -------------------------------------------------------------------------------

  function previewOf(m) {
    return (m.text || "[" + m.type + "]").slice(0, 120);
  }

  function onEvent(event) {
    switch (event.type) {
      case "hello":
        state.attempts = 0;
        setConn("live");
        if (!state.loaded) initialLoad();
        else resync();
        break;
      case "pong":
        clearTimeout(state.pongTimer);
        break;
      case "message.created":
        onMessageCreated(event.message);
        break;
      case "message.status":
        onMessageStatus(event.message);
        break;
      case "patient.updated":
        onPatientUpdated(event.patient);
        break;
      case "appointment.changed": {
        const a = event.appointment || event;
        if (state.open && (a.patient_id === state.open.id || a.patient === state.open.id)) refreshOpenPatient();
        break;
      }
    }
  }

  function onMessageCreated(m) {
    const known = mergeRow({ id: m.patient_id, preview: previewOf(m), last_message_at: messageTime(m) });
    if (known) renderList();
    else refreshTop();
    const open = state.open;
    if (!open || open.id !== m.patient_id || !open.loaded) return;
    putMessage(m);
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

  // ---- emergencies: a sound and a browser notification, when this user wants them ---------------

  function raiseAlarm(row) {
    state.alarms.push({ id: row.id, name: row.name, at: Date.now() });
    if (!state.alertsOn) return;
    ring();
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    try {
      const note = new Notification("🚨 Emergency: " + row.name, {
        body: row.preview || "A patient wrote an emergency; the bot has paused.",
        tag: "emergency-" + row.id,
        requireInteraction: true,
      });
      note.onclick = () => {
        window.focus();
        openConversation(row.id);
        note.close();
      };
    } catch (err) {
      /* some browsers allow notifications only from a service worker: the sound and the list still say it */
    }
  }

  /** Three short beeps made in the page (no file to fetch, nothing for the CSP to refuse). */
  function ring() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      state.audio = state.audio || new Context();
      if (state.audio.state === "suspended") state.audio.resume();
      for (let i = 0; i < 3; i++) {
        const tone = state.audio.createOscillator();
        const volume = state.audio.createGain();
        tone.frequency.value = 880;
        volume.gain.value = 0.2;
        tone.connect(volume).connect(state.audio.destination);
        const at = state.audio.currentTime + i * 0.35;
        tone.start(at);
        tone.stop(at + 0.2);
      }
    } catch (err) {
      /* no sound is better than a broken page */
    }
  }

  function renderAlerts() {
    if (!ui.alerts) return;
    const asking = state.alertsOn && "Notification" in window && Notification.permission === "default";
    ui.alerts.textContent = state.alertsOn ? (asking ? "Alerts on · allow notifications" : "Alerts on") : "Alerts off";
    ui.alerts.setAttribute("aria-pressed", String(state.alertsOn));
    ui.alerts.title = state.alertsOn
      ? "An emergency rings and shows a notification. Click to turn off."
      : "Emergencies are still marked in red, silently. Click to turn sound and notifications on.";
  }

  async function toggleAlerts() {
    if (state.alertsOn && "Notification" in window && Notification.permission === "default") {
      await Notification.requestPermission(); // a click is the moment a browser lets the page ask
      return renderAlerts();
    }
    try {
      const { data } = await api("/api/chat/alerts", { emergencyAlerts: !state.alertsOn });
      state.alertsOn = data.emergencyAlerts;
      if (state.alertsOn && "Notification" in window && Notification.permission === "default") await Notification.requestPermission();
    } catch (err) {
      showBanner(err.message);
    }
    renderAlerts();
  }

  // ---- the socket: reconnect with backoff, heartbeat, catch up -----------------------------------

  function setConn(kind, retryMs) {
    ui.conn.dataset.state = kind;
    if (kind === "live") ui.conn.textContent = "Live";
    else if (kind === "connecting") ui.conn.textContent = "Connecting…";
    else ui.conn.textContent = "Offline · retrying in " + Math.max(1, Math.round(retryMs / 1000)) + " s";
  }

  function connect() {
    clearTimeout(state.reconnectTimer);
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const ws = new WebSocket(scheme + location.host + "/ws/chat/");
    state.socket = ws;
    setConn("connecting");
    ws.addEventListener("open", () => startHeartbeat(ws));
    ws.addEventListener("message", (e) => {
      let event;
      try {
        event = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      if (state.socket === ws) onEvent(event);
    });
    ws.addEventListener("close", () => lost(ws));
  }

  function lost(ws) {
    if (state.socket !== ws) return; // already replaced
    state.socket = null;
    stopHeartbeat();
    // 1 s, 2 s, 4 s … at most 30 s, with jitter so a restarted server is not hit by every page at once.
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** state.attempts);
    const delay = Math.min(MAX_BACKOFF_MS, base * (0.75 + Math.random() * 0.5));
    state.attempts += 1;
    setConn("offline", delay);
    state.reconnectTimer = setTimeout(connect, delay);
    // A refused socket and an expired session look alike from here: the API tells them apart (401).
    if (state.attempts >= 3) api("/api/chat/conversations").catch(() => {});
  }

  function startHeartbeat(ws) {
    stopHeartbeat();
    state.pingTimer = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(JSON.stringify({ type: "ping" }));
      clearTimeout(state.pongTimer);
      state.pongTimer = setTimeout(() => {
        lost(ws); // no pong: the connection is dead even if the browser has not noticed
        ws.close();
      }, PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  function stopHeartbeat() {
    clearInterval(state.pingTimer);
    clearTimeout(state.pongTimer);
  }

  function reconnectNow() {
    if (state.socket) return;
    state.attempts = 0;
    connect();
  }

  function initialLoad() {
    if (state.loaded) return;
    state.loaded = true;
    loadConversations(true);
    const match = /^#p=(\d+)$/.exec(location.hash);
    if (match) openConversation(Number(match[1]));
  }

  function resync() {
    loadConversations(true);
    catchUpThread();
  }

  // ---- wiring ------------------------------------------------------------------------------------

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
    if (!open || !body) return;
    if (body.length > 4096) return showBanner("That message is " + body.length + " characters; WhatsApp allows 4096.");
    ui.text.value = "";
    state.drafts.delete(open.id);
    autosize();
    sendText(open.id, body, newClientId());
  });
  ui.text.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      ui.textForm.requestSubmit();
    }
  });
  function autosize() {
    ui.text.style.height = "auto";
    ui.text.style.height = Math.min(ui.text.scrollHeight, 160) + "px";
  }
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
})();
