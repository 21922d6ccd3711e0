/* Outside the 24-hour window: an approved template, its {{n}} parameters filled in, previewed and sent. */
import { api, newClientId } from "./api.js";
import { $, el } from "./dom.js";
import { putMessage, renderThread } from "./messages.js";
import { showBanner, state, ui } from "./state.js";

export function renderTemplates() {
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

export function renderTemplateParams() {
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

export async function sendTemplate() {
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
