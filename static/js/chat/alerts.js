/* Emergencies: a sound and a browser notification, when this user wants them. */
import { api } from "./api.js";
import { showBanner, state, ui } from "./state.js";

/** What a click on an emergency's notification opens: main.js hands down thread.openConversation
 * (thread.js imports the list, which rings through this module, so this module cannot import it). */
let openOnClick = () => {};
export function openOnNotificationClick(open) {
  openOnClick = open;
}

export function raiseAlarm(row) {
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
      openOnClick(row.id);
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

export function renderAlerts() {
  if (!ui.alerts) return;
  const asking = state.alertsOn && "Notification" in window && Notification.permission === "default";
  ui.alerts.textContent = state.alertsOn ? (asking ? "Alerts on · allow notifications" : "Alerts on") : "Alerts off";
  ui.alerts.setAttribute("aria-pressed", String(state.alertsOn));
  ui.alerts.title = state.alertsOn
    ? "An emergency rings and shows a notification. Click to turn off."
    : "Emergencies are still marked in red, silently. Click to turn sound and notifications on.";
}

export async function toggleAlerts() {
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
