/*
 * /appointments/ live: the list follows the `appointment.changed` events that /chat/ receives.
 *
 * The server renders every row (its forms, badges and wording live in one template). On an event,
 * on a reconnect (events may have been missed) and when the clock alone changes the page (a visit
 * starts: Completed / No-show are offered; a new day begins), this script fetches the same page
 * again and brings the rows that changed into the open one: parsed by DOMParser from the server's
 * escaped HTML, adopted node by node. Patient text is never put into innerHTML. A row that did not
 * change is left as it is, so a half-written cancel note or an open form survives a colleague's
 * booking. Event shape (booking/events.py appointment_changed, its one builder):
 *   {"type": "appointment.changed", "appointment": {"id", "patient_id", "start", "status"}}
 * An ES module (the socket is live_socket.js, shared with /chat/).
 */
import { liveSocket } from "./live_socket.js";

(() => {
  const root = document.getElementById("appts");
  if (!root) return;

  const COALESCE_MS = 150; // a burst of events (a time-off notice) costs one fetch
  const MAX_TIMER_MS = 6 * 3600 * 1000;
  const DEFER_MS = 5000; // a changed row the user is writing in is tried again this often

  const state = {
    socket: null,
    attempts: 0,
    pingTimer: null,
    pongTimer: null,
    reconnectTimer: null,
    clockTimer: null,
    refreshTimer: null,
    deferTimer: null,
    deferred: false,
    fetching: false,
    again: false,
    refreshes: 0,
    events: 0,
  };
  // What the server sent for each row and day, to tell a changed row from one that only looks
  // different because the user opened a form in it.
  const served = new WeakMap();

  function conn(kind, retryMs) {
    const el = document.getElementById("appts-conn");
    if (!el) return;
    el.dataset.state = kind;
    if (kind === "live") el.textContent = "Live";
    else if (kind === "connecting") el.textContent = "Connecting…";
    else el.textContent = "Offline · retrying in " + Math.max(1, Math.round(retryMs / 1000)) + " s";
  }

  // ---- bringing the fresh page in --------------------------------------------------------------

  /** A row's HTML as the server meant it: without the CSRF token (new on every render) and the
   * one-off outcome line of an action just taken. The whitespace between tags is left out too: the
   * outcome line's indentation stays behind when it is removed, and a row that differed by it alone
   * was taken for changed (replaced, and every row after it moved: see arrange). */
  function fingerprint(node) {
    const copy = node.cloneNode(true);
    for (const input of copy.querySelectorAll('input[name="csrfmiddlewaretoken"]')) input.removeAttribute("value");
    for (const flash of copy.querySelectorAll(".appt-flash")) flash.remove();
    return copy.outerHTML.replace(/>\s+</g, "><");
  }

  function adopt(node) {
    const mine = document.importNode(node, true);
    served.set(mine, fingerprint(node));
    return mine;
  }

  function remember(scope) {
    for (const row of scope.querySelectorAll(".appt")) served.set(row, fingerprint(row));
  }

  /** Put `wanted` (in order) as the element children of `list`. A node that stays is not moved
   * because a neighbour is replaced or removed: a moved node loses the focus, and what the user
   * types next goes nowhere (the cancel note typed while a colleague's change came in). If one
   * must move (the order changed), the focus and the caret are put back. */
  function arrange(list, wanted) {
    const keep = new Set(wanted);
    const focus = focusNow();
    let cursor = list.firstElementChild;
    const dropUnwanted = () => {
      while (cursor && !keep.has(cursor)) {
        const next = cursor.nextElementSibling;
        cursor.remove();
        cursor = next;
      }
    };
    for (const node of wanted) {
      dropUnwanted();
      if (node === cursor) cursor = cursor.nextElementSibling;
      else list.insertBefore(node, cursor);
    }
    dropUnwanted(); // every wanted node is before the cursor by now
    refocus(focus);
  }

  function focusNow() {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    return { el, start: el.selectionStart, end: el.selectionEnd, direction: el.selectionDirection };
  }

  function refocus(saved) {
    if (!saved || !saved.el.isConnected || document.activeElement === saved.el) return;
    saved.el.focus({ preventScroll: true });
    if (typeof saved.start === "number") saved.el.setSelectionRange(saved.start, saved.end, saved.direction);
  }

  /** A row the user is working in: a cancel note open or typed, a new time picked, the focus. */
  function busy(row) {
    if (row.contains(document.activeElement) && document.activeElement !== row) return true;
    if (row.querySelector("details[open], .appt-move input:checked")) return true;
    return Array.from(row.querySelectorAll("textarea")).some((area) => area.value.trim() !== "");
  }

  function anyBusy(scope) {
    return Array.from(scope.querySelectorAll(".appt")).some(busy);
  }

  function applyRows(oldList, newList) {
    const current = new Map();
    for (const row of oldList.children) current.set(row.id, row);
    const wanted = [];
    for (const row of newList.children) {
      const mine = current.get(row.id);
      current.delete(row.id);
      if (mine && served.get(mine) === fingerprint(row)) {
        wanted.push(mine);
        continue;
      }
      if (mine && busy(mine)) {
        wanted.push(mine); // the user is writing in it: brought in once they stop (retried)
        state.deferred = true;
        continue;
      }
      const fresh = adopt(row);
      fresh.classList.add("appt-fresh");
      wanted.push(fresh);
    }
    // A row gone from this day (moved to another) stays while the user is writing in it.
    const order = Array.from(oldList.children);
    for (const [, gone] of current) {
      if (!busy(gone)) continue;
      wanted.splice(Math.min(order.indexOf(gone), wanted.length), 0, gone);
      state.deferred = true;
    }
    arrange(oldList, wanted);
  }

  function applyDay(mine, fresh) {
    mine.querySelector("h2").replaceWith(adopt(fresh.querySelector("h2")));
    const oldList = mine.querySelector(".appt-list");
    const newList = fresh.querySelector(".appt-list");
    if (oldList && newList) {
      applyRows(oldList, newList);
      return;
    }
    if (oldList && anyBusy(oldList)) {
      state.deferred = true; // its last row left while the user is writing in it
      return;
    }
    const oldBody = oldList || mine.querySelector(".appt-none");
    const newBody = newList || fresh.querySelector(".appt-none");
    const body = adopt(newBody);
    for (const row of body.querySelectorAll(".appt")) {
      served.set(row, fingerprint(row));
      row.classList.add("appt-fresh");
    }
    if (oldBody) oldBody.replaceWith(body);
    else mine.append(body);
  }

  function apply(fresh) {
    const total = fresh.querySelector("#appts-booked-total");
    const mineTotal = document.getElementById("appts-booked-total");
    if (total && mineTotal) mineTotal.textContent = total.textContent;
    root.dataset.refreshAt = fresh.dataset.refreshAt || "";
    markTakenTimes(fresh);

    const days = document.getElementById("appt-days");
    const freshDays = fresh.querySelector("#appt-days");
    if (!days || !freshDays) return;
    state.deferred = false;
    applyDays(days, freshDays);
    scheduleClock();
    clearTimeout(state.deferTimer);
    if (state.deferred) state.deferTimer = setTimeout(refresh, DEFER_MS);
  }

  /** Day by day, so a new day beginning (yesterday leaves, a day is added) keeps the rows of the
   * days still shown as they are; a day that left while the user writes in one of its rows stays
   * until they stop. */
  function applyDays(days, freshDays) {
    const wanted = [];
    for (const fresh of freshDays.querySelectorAll(":scope > .appt-day")) {
      const mine = document.getElementById(fresh.id);
      if (mine && mine.parentElement === days) {
        applyDay(mine, fresh);
        wanted.push(mine);
      } else {
        const day = document.importNode(fresh, true);
        remember(day);
        wanted.push(day);
      }
    }
    const staying = new Set(wanted);
    const leftBusy = Array.from(days.children).filter((day) => !staying.has(day) && anyBusy(day));
    if (leftBusy.length) state.deferred = true;
    arrange(days, [...leftBusy, ...wanted]); // days only leave from the start
  }

  /** The New appointment box is the user's form in progress, never replaced: a free time taken
   * meanwhile is struck out and cannot be chosen there. */
  function markTakenTimes(fresh) {
    const box = document.getElementById("appt-new");
    const freshBox = fresh.querySelector("#appt-new");
    if (!box || !freshBox) return;
    const free = new Set(Array.from(freshBox.querySelectorAll('input[name="start"]'), (input) => input.value));
    for (const input of box.querySelectorAll('input[name="start"]')) {
      const gone = !free.has(input.value);
      input.disabled = gone;
      if (gone) input.checked = false;
      const label = input.closest(".slot");
      if (label) label.classList.toggle("slot-gone", gone);
    }
  }

  async function refresh() {
    if (state.fetching) {
      state.again = true;
      return;
    }
    state.fetching = true;
    try {
      const response = await fetch(location.pathname + location.search, {
        credentials: "same-origin",
        headers: { Accept: "text/html", "X-Live-Refresh": "1" }, // leaves flash messages to real loads
        cache: "no-store",
      });
      if (response.redirected && new URL(response.url).pathname !== location.pathname) {
        location.reload(); // logged out meanwhile: show the login page
        return;
      }
      if (!response.ok) return;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = doc.getElementById("appts");
      if (fresh) apply(fresh);
      state.refreshes += 1;
    } catch (err) {
      /* the next event, reconnect or clock tick tries again */
    } finally {
      state.fetching = false;
      if (state.again) {
        state.again = false;
        refresh();
      }
    }
  }

  function refreshSoon() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(refresh, COALESCE_MS);
  }

  /** Fetch again when the clock alone changes the page (the server says when: data-refresh-at). */
  function scheduleClock() {
    clearTimeout(state.clockTimer);
    const at = Date.parse(root.dataset.refreshAt || "");
    if (Number.isNaN(at)) return;
    const wait = Math.min(Math.max(at - Date.now() + 1000, 1000), MAX_TIMER_MS);
    state.clockTimer = setTimeout(refresh, wait);
  }

  // ---- the socket (live_socket.js: reconnect with backoff, heartbeat) -------------------------

  const live = liveSocket({
    state,
    onStatus: conn,
    // Whatever changed between rendering the page and joining (or while away) was not heard.
    onHello: refreshSoon,
    onEvent(event) {
      if (event.type !== "appointment.changed") return;
      state.events += 1;
      refreshSoon();
    },
  });

  // Choosing a patient or a day shows that day's free times at once (the button does it without JS).
  document.addEventListener("change", (e) => {
    const form = e.target.closest && e.target.closest("form[data-autosubmit]");
    if (form && !e.target.hasAttribute("data-no-autosubmit")) form.requestSubmit();
  });

  // A row held back while the user wrote in it comes in as soon as they put it away (the form
  // closed, the focus gone elsewhere), not at the next DEFER_MS retry. `toggle` does not bubble.
  const retryDeferred = () => state.deferred && refreshSoon();
  document.addEventListener("focusout", retryDeferred);
  document.addEventListener("toggle", retryDeferred, true);

  remember(root);
  scheduleClock();
  live.connect();
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) return;
    live.reconnectNow();
    refreshSoon(); // time off saved in admin, a patient told: changes that send no event
  });
  window.addEventListener("online", live.reconnectNow);

  // For the browser tests and for debugging from the console.
  window.clinicbotAppointments = { state: state, refresh: refresh };
})();
