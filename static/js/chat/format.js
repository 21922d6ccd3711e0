/* Times in the doctor's timezone, phone numbers and initials. */
import { DAY_MS, doctors } from "./state.js";

const formatters = new Map();
function formatter(tz, options) {
  const key = tz + JSON.stringify(options);
  if (!formatters.has(key)) formatters.set(key, new Intl.DateTimeFormat("en-IN", Object.assign({ timeZone: tz }, options)));
  return formatters.get(key);
}
export function tzOf(doctorId) {
  const doctor = doctors.get(doctorId);
  return (doctor && doctor.tz) || "Asia/Kolkata";
}
export function clock(iso, tz) {
  return formatter(tz, { hour: "numeric", minute: "2-digit" }).format(new Date(iso));
}
export function dayKey(date, tz) {
  return formatter(tz, { year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}
export function dayLabel(iso, tz) {
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
export function listTime(iso, tz) {
  if (!iso) return "";
  const date = new Date(iso);
  const label = dayLabel(iso, tz);
  if (label === "Today") return clock(iso, tz);
  if (label === "Yesterday") return label;
  if (Date.now() - date.getTime() < 6 * DAY_MS) return formatter(tz, { weekday: "short" }).format(date);
  return formatter(tz, { day: "2-digit", month: "2-digit", year: "2-digit" }).format(date);
}
export function whenLabel(iso, tz) {
  const day = dayLabel(iso, tz);
  return (day === "Today" ? "" : day + ", ") + clock(iso, tz);
}
/** When it was said: WhatsApp's own timestamp when there is one (incoming), else when we queued it. */
export function messageTime(m) {
  return m.wa_timestamp || m.created_at;
}

export function phone(waId) {
  if (!waId) return "";
  if (/^91\d{10}$/.test(waId)) return "+91 " + waId.slice(2, 7) + " " + waId.slice(7);
  return "+" + waId;
}
function initials(name) {
  const words = String(name || "").replace(/[^\p{L}\s]/gu, " ").trim().split(/\s+/).filter(Boolean);
  if (!words.length) return "#";
  return (words[0][0] + (words.length > 1 ? words[words.length - 1][0] : "")).toUpperCase();
}
export function avatar(node, row) {
  node.textContent = initials(row.name);
  node.dataset.hue = String((row.id * 47) % 6);
}
