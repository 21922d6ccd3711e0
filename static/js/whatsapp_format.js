/*
 * WhatsApp's text formatting, shown the way the WhatsApp app shows it: *bold*, _italic_,
 * ~strike~, ```monospace```, and http(s) links that open in a new tab. A long message is cut
 * with "Read more", which shows the rest.
 *
 * Everything is built with document.createElement and textContent: the text (a patient's words
 * included) never goes through innerHTML, so "<script>" in a message is shown as those letters.
 *
 * One global function, loaded before chat.js and simulator.js (the CSP allows no inline script):
 *   whatsappText(text, className) -> a <div class="text ..."> holding the formatted message.
 */
function whatsappText(text, className) {
  "use strict";

  const COLLAPSE_AFTER = 700; // characters; WhatsApp cuts long messages at about this length
  const COLLAPSE_TO = 500; // what stays visible before "Read more"
  const INLINE = { "*": "strong", _: "em", "~": "s" };
  const WORD = /[\p{L}\p{N}]/u;
  const SPACE = /\s/;
  const URL_BODY = /^https?:\/\/[^\s<>"]+/i;

  function textNode(s) {
    return document.createTextNode(s);
  }

  /** An http(s) URL starting at `at`, without the punctuation that usually follows a link. */
  function urlAt(s, at) {
    const found = URL_BODY.exec(s.slice(at));
    if (!found) return null;
    let url = found[0];
    while (url.length && ".,;:!?'\")]}*_~".includes(url[url.length - 1])) {
      const last = url[url.length - 1];
      if (last === ")" && (url.match(/\(/g) || []).length >= (url.match(/\)/g) || []).length) break;
      url = url.slice(0, -1);
    }
    try {
      const parsed = new URL(url);
      if ((parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname) return url;
    } catch (err) {
      return null;
    }
    return null;
  }

  function link(url) {
    const a = document.createElement("a");
    a.href = url;
    a.textContent = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  /** Where the span opened by the marker at `at` closes, or -1. As in WhatsApp: the marker sits
   * at a word's edge, hugs non-space text on both inner sides, and does not cross a line. */
  function closingOf(s, at) {
    const mark = s[at];
    if (at > 0 && WORD.test(s[at - 1])) return -1;
    const first = s[at + 1];
    if (first === undefined || SPACE.test(first) || first === mark) return -1;
    for (let j = at + 2; j < s.length; j++) {
      if (s[j] === "\n") return -1;
      if (s[j] !== mark) continue;
      if (SPACE.test(s[j - 1])) continue;
      if (j + 1 < s.length && WORD.test(s[j + 1])) continue;
      return j;
    }
    return -1;
  }

  /** Bold, italic, strike (nestable) and links in a piece of text without ``` blocks. */
  function inline(s, into) {
    let plain = 0; // start of text not yet emitted
    let i = 0;
    while (i < s.length) {
      const c = s[i];
      if ((c === "h" || c === "H") && (i === 0 || !WORD.test(s[i - 1]))) {
        const url = urlAt(s, i);
        if (url) {
          if (i > plain) into.append(textNode(s.slice(plain, i)));
          into.append(link(url));
          i += url.length;
          plain = i;
          continue;
        }
      }
      if (INLINE[c]) {
        const end = closingOf(s, i);
        if (end > 0) {
          if (i > plain) into.append(textNode(s.slice(plain, i)));
          const span = document.createElement(INLINE[c]);
          inline(s.slice(i + 1, end), span);
          into.append(span);
          i = end + 1;
          plain = i;
          continue;
        }
      }
      i += 1;
    }
    if (plain < s.length) into.append(textNode(s.slice(plain)));
  }

  /** ```monospace``` first (its inside is shown as typed), the rest inline. */
  function format(s, into) {
    const fence = /```([\s\S]+?)```/g;
    let from = 0;
    let found;
    while ((found = fence.exec(s))) {
      if (found.index > from) inline(s.slice(from, found.index), into);
      const code = document.createElement("code");
      code.textContent = found[1];
      into.append(code);
      from = fence.lastIndex;
    }
    if (from < s.length) inline(s.slice(from), into);
  }

  /** The visible part of a long message: cut at a space near COLLAPSE_TO, never mid-word. */
  function head(s) {
    const space = s.lastIndexOf(" ", COLLAPSE_TO);
    return s.slice(0, space > COLLAPSE_TO / 2 ? space : COLLAPSE_TO).replace(/\s+$/, "");
  }

  const body = String(text === undefined || text === null ? "" : text);
  const box = document.createElement("div");
  box.className = className ? "text " + className : "text";
  if (Array.from(body).length <= COLLAPSE_AFTER) {
    format(body, box);
    return box;
  }
  format(head(body), box);
  box.append(textNode("… "));
  const more = document.createElement("button");
  more.type = "button";
  more.className = "link-button read-more";
  more.textContent = "Read more";
  more.addEventListener("click", () => {
    box.replaceChildren();
    box.classList.remove("text-collapsed");
    format(body, box);
  });
  box.append(more);
  box.classList.add("text-collapsed");
  return box;
}
