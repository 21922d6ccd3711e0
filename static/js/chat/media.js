/* A message's photo, document, voice note, video, sticker or location as the thread shows it.
 * Files come only from /media/<id> (members of the clinic; never Meta's or a public URL); a
 * location is a link to OpenStreetMap. Names reach the DOM as text (el), never as HTML. */
import { api } from "./api.js";
import { el } from "./dom.js";

export function sizeText(bytes) {
  if (!bytes && bytes !== 0) return "";
  if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MB";
  return Math.max(1, Math.round(bytes / 1024)) + " KB";
}

function link(href, className, text) {
  const a = el("a", className, text);
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener";
  return a;
}

function location(media, box) {
  const name = [media.name, media.address].filter(Boolean).join(", ");
  if (media.map_url) box.append(link(media.map_url, "media media-location", "Location" + (name ? ": " + name : "") + " — open map"));
  else box.append(el("div", "media", media.label));
  return box;
}

function failed(m, media, box) {
  const line = el("div", "media media-failed");
  line.append(el("span", "", "Could not download " + (media.filename || media.label.toLowerCase())));
  if (media.error) line.append(el("span", "media-error muted", " — " + media.error));
  box.append(line);
  if (m.direction !== "in" || !media.retry) return box; // nothing to fetch again (an erased file, say)
  const retry = el("button", "link-button media-retry", "Retry");
  retry.type = "button";
  retry.addEventListener("click", async () => {
    retry.disabled = true;
    try {
      await api("/api/chat/media/retry", { mediaId: media.id }); // the thread redraws on message.media
    } catch (err) {
      retry.disabled = false;
      retry.title = err.message;
    }
  });
  line.append(retry);
  return box;
}

function stored(media, box) {
  const name = media.filename || media.label;
  if (media.kind === "image" || media.kind === "sticker") {
    const open = link(media.url, "media-photo", "");
    const img = el("img", media.kind === "sticker" ? "media-sticker" : "media-thumb");
    img.src = media.thumbnail_url || media.url;
    img.alt = media.label;
    open.append(img);
    box.append(open);
  } else if (media.kind === "audio" || media.kind === "video") {
    const player = el(media.kind, "media-player");
    player.controls = true;
    player.preload = "metadata";
    player.src = media.url;
    box.append(player, link(media.url, "media-name muted", "Download " + media.label.toLowerCase()));
  } else {
    box.append(link(media.url, "media media-doc", name + (media.size ? " (" + sizeText(media.size) + ")" : "")));
    if ((media.mime_type || "").startsWith("application/pdf")) {
      const preview = el("iframe", "media-pdf");
      preview.src = media.url;
      preview.title = "Preview of " + name;
      preview.loading = "lazy";
      box.append(preview);
    }
  }
  return box;
}

export function mediaElement(m) {
  const media = m.media;
  const box = el("div", "media-box media-" + media.kind + (media.state ? " media-state-" + media.state : ""));
  if (media.kind === "location") return location(media, box);
  if (media.state === "stored" && media.url) return stored(media, box);
  if (media.state === "failed") return failed(m, media, box);
  if (media.state === "pending") {
    box.append(el("div", "media", (media.filename || media.label) + " — Downloading…"));
    return box;
  }
  box.append(el("div", "media", media.label));
  return box;
}
