// The officers' page. Every piece of draft text is put in the page with textContent, never as
// HTML: a draft containing <script> or onerror= is shown as text and nothing runs.
"use strict";

const $ = (id) => document.getElementById(id);
const VERDICTS = { pass: "通过", revise: "需修改", reject: "不宜报送" };
const LOW = { none: "非低价值", meeting: "会议学习类", visit: "领导调研类" };
const CODE_NAMES = JSON.parse(document.getElementById("code-names")?.textContent || "{}");
const codeName = (code) => CODE_NAMES[code] || code;
// The form's inputs by the field a server error names: the message is shown and the field marked.
const FIELD_INPUTS = ["title", "body", "unit", "kind", "event_date", "event_time", "submitted_at", "reviewer",
                      "solicitation", "emergency"];
const PENDING = "pending-draft";  // the form, kept across an expired sign-in
const FIELD_NAMES = JSON.parse(document.getElementById("field-names")?.textContent || "{}");  // errors.FIELD_LABELS
const ELEMENTS = [["situation", "情况"], ["problem", "问题"], ["case", "事例"], ["data", "数据"],
                  ["analysis", "分析"], ["recommendation", "建议"]];

function draftFromForm() {
  const draft = { title: $("title").value, body: $("body").value, kind: $("kind").value };
  if ($("unit").value.trim()) draft.unit = $("unit").value;
  // half-typed: say so rather than screen without the date
  for (const [id, name] of [["event_date", "事件日期"], ["event_time", "事件时刻"], ["submitted_at", "报送时间"]]) {
    if ($(id).validity.badInput) throw Object.assign(new Error(`${name}填写不完整，请填写完整或清空`), { field: id });
  }
  if ($("event_time").value && !$("event_date").value) {
    throw Object.assign(new Error("填写了事件时刻，请同时填写事件日期"), { field: "event_date" });
  }
  // a time without an offset is China time to the server (contract: ISO 8601)
  if ($("event_date").value) draft.event_date = $("event_date").value + ($("event_time").value ? `T${$("event_time").value}` : "");
  if ($("submitted_at").value) draft.submitted_at = $("submitted_at").value;
  if ($("reviewer").value.trim()) draft.reviewer = $("reviewer").value;
  if ($("solicitation").value.trim()) {  // a reply to a solicitation is a solicited piece
    draft.solicitation = $("solicitation").value.trim();
    draft.kind = "solicited";
  }
  if ($("emergency").checked) draft.emergency = true;
  return draft;
}

// Form posts carry the session's CSRF token (the server checks it for signed-in officers).
const CSRF = document.querySelector('meta[name="csrf-token"]').content;

// A reply that is not our JSON (a proxy's error page): statusText is English, and empty over HTTP/2.
const failed = (response) => `请求失败（HTTP ${response.status}），请稍后重试`;

async function postJSON(url, payload) {
  const response = await fetch(url, { method: "POST", credentials: "same-origin",
                                      headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF },
                                      body: JSON.stringify(payload) });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({ error: { message: failed(response) } }));
    const { message, field } = problem.error;
    // messages name their field already (标题（title）…); others get it appended
    const named = !field || message.includes(field) ? message : `${message}（${FIELD_NAMES[field] || `字段：${field}`}）`;
    throw Object.assign(new Error(named), { status: response.status, field });
  }
  return response;
}

// Show an error under the buttons, mark the field it names and take the officer there. A lapsed
// sign-in keeps the form in this tab's storage and goes to the sign-in form, which says so.
function showError(error) {
  // signed out, or signed in again in another tab (a new CSRF token): keep the draft, sign in
  const lapsed = error.status === 401 || (error.status === 403 && error.field === "X-CSRF-Token");
  if (lapsed && $("draft-form")) {
    sessionStorage.setItem(PENDING, JSON.stringify(formState()));
    window.location.reload();
    return;
  }
  $("error").textContent = error.message;
  const input = [...FIELD_INPUTS, "file"].includes(error.field) ? $(error.field) : null;
  if (input) { input.classList.add("invalid"); input.focus(); }
  $("error").scrollIntoView({ block: "nearest" });
}

function clearErrors() {
  $("error").textContent = "";
  document.querySelectorAll(".invalid").forEach((n) => n.classList.remove("invalid"));
}

function formState() {
  const state = {};
  FIELD_INPUTS.forEach((id) => { state[id] = id === "emergency" ? $(id).checked : $(id).value; });
  return state;
}

function restoreForm() {
  const saved = sessionStorage.getItem(PENDING);
  if (!saved) return;
  sessionStorage.removeItem(PENDING);
  const state = JSON.parse(saved);
  FIELD_INPUTS.forEach((id) => {
    if (id === "emergency") $(id).checked = Boolean(state[id]);
    else if (typeof state[id] === "string") $(id).value = state[id];
  });
}

// Where the sentence a span stands in starts and ends (to 。！？；or a line break on either side, at
// most 60 characters beyond the span each way): officers judge an element by its sentence, not by
// the cue word that found it.
function sentenceAround(chars, start, end) {
  const stop = /[。！？；\n]/;
  let a = start, b = end;
  while (a > 0 && !stop.test(chars[a - 1]) && start - a < 60) a--;
  while (b < chars.length && !stop.test(chars[b - 1] || "") && b - end < 60) b++;
  const cutBefore = a > 0 && !stop.test(chars[a - 1]);
  const cutAfter = b < chars.length && !stop.test(chars[b - 1]);
  return [a, b, cutBefore, cutAfter];
}

// The sentences of an element's evidence, each once: spans in one sentence give one entry.
function evidenceSentences(draft, spans, most) {
  const out = [];
  let last = null;
  spans.map((s) => ({ field: s.field, range: sentenceAround(Array.from(draft[s.field]), s.start, s.end) }))
    .sort((x, y) => (x.field === y.field ? x.range[0] - y.range[0] : x.field === "title" ? -1 : 1))
    .forEach(({ field, range }) => {
      if (last && last.field === field && range[0] < last.range[1]) return;  // overlaps the one before
      last = { field, range };
      const [a, b, cutBefore, cutAfter] = range;  // a window inside a long sentence says so
      out.push(`${cutBefore ? "…" : ""}${piece(draft[field], a, b).trim()}${cutAfter ? "…" : ""}`);
    });
  return out.slice(0, most);
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// Offsets in reports count characters (code points), as Python does; a JavaScript string counts
// UTF-16 units, so a rare character outside the BMP (𨱏) would shift every later mark.
function piece(text, start, end) {
  return Array.from(text).slice(start, end).join("");
}

const HOW = { verbatim: "原文照搬", near: "基本相同", excerpt: "摘录", retold: "同一事件换了说法" };

// The text of one field with every flagged span wrapped in <mark>; hover shows the flags,
// click or Enter selects them in the list.
function markText(fieldText, field, flags) {
  const text = Array.from(fieldText);
  const cuts = new Set([0, text.length]);
  const spans = [];
  flags.forEach((flag, index) => flag.spans.filter((s) => s.field === field).forEach((s) => {
    spans.push({ start: s.start, end: s.end, index, severity: flag.severity });
    cuts.add(s.start); cuts.add(s.end);
  }));
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const fragment = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const covering = spans.filter((s) => s.start <= a && s.end >= b);
    const part = text.slice(a, b).join("");
    if (!covering.length) { fragment.appendChild(document.createTextNode(part)); continue; }
    const mark = el("mark", part, covering.some((s) => s.severity === "error") ? "error" : "");
    mark.tabIndex = 0;
    mark.title = covering.map((s) => `${codeName(flags[s.index].code)}：${flags[s.index].message}`).join("\n");
    mark.dataset.flags = covering.map((s) => s.index).join(",");
    const select = () => {
      document.querySelectorAll("mark.active, #flags li.active").forEach((n) => n.classList.remove("active"));
      mark.classList.add("active");
      mark.dataset.flags.split(",").forEach((i) => $(`flag-${i}`).classList.add("active"));
      $(`flag-${covering[0].index}`).scrollIntoView({ block: "nearest" });
    };
    mark.addEventListener("click", select);
    mark.addEventListener("keydown", (e) => { if (e.key === "Enter") select(); });
    fragment.appendChild(mark);
  }
  return fragment;
}

function render(draft, report) {
  $("result").hidden = false;
  const verdict = $("verdict");
  verdict.textContent = VERDICTS[report.verdict];
  verdict.className = `verdict-${report.verdict}`;
  const p = report.low_value.probabilities;
  $("lowvalue").textContent = `低价值判断：${LOW[report.low_value.label]}（` +
    Object.keys(LOW).map((k) => `${LOW[k]} ${Math.round(p[k] * 100)}%`).join("，") + "）" +
    (report.low_value.top_terms && report.low_value.label !== "none" ? `；权重较高的词：${report.low_value.top_terms.join("、")}` : "");

  const list = $("elements");
  list.replaceChildren();
  ELEMENTS.forEach(([key, name]) => {
    const item = report.elements[key];
    const li = el("li", name, item.present ? "present" : "absent");
    li.id = `element-${key}`;
    const evidence = evidenceSentences(draft, item.evidence, 2);
    if (evidence.length) li.appendChild(el("span", `：${evidence.join(" / ")}`, "muted"));
    list.appendChild(li);
  });

  const flags = $("flags");
  flags.replaceChildren();
  report.flags.forEach((flag, index) => {
    const li = el("li");
    li.id = `flag-${index}`;
    li.appendChild(el("strong", `${codeName(flag.code)} `));
    li.appendChild(el("span", flag.message));
    li.appendChild(el("span", ` ${flag.code}`, "code"));
    if (flag.suggestion) li.appendChild(el("div", `建议：${flag.suggestion}`, "muted"));
    flags.appendChild(li);
  });
  if (!report.flags.length) flags.appendChild(el("li", "未发现需要提示的问题。"));

  $("marked-title").replaceChildren(markText(draft.title, "title", report.flags));
  $("marked-body").replaceChildren(markText(draft.body, "body", report.flags));

  const dups = $("duplicates");
  dups.replaceChildren();
  $("duplicates-box").hidden = !report.duplicates.length;
  report.duplicates.forEach((d) => {
    const li = el("li", `《${d.title || ""}》（编号 ${d.id}）`);
    li.appendChild(el("span", ` 相似度 ${Math.round(d.similarity * 100)}%（${HOW[d.how] || d.how || ""}）`, "muted"));
    dups.appendChild(li);
  });
  $("model").textContent = report.model_version;
  $("elapsed").textContent = report.elapsed_ms.toFixed(1);
  $("stale").hidden = true;
  $("result").classList.remove("is-stale");
  if ($("result").getBoundingClientRect().top > window.innerHeight * 0.7) {
    $("result").scrollIntoView({ block: "start" });  // on a phone the result starts below the form
  }
}

if ($("login-form")) {
  if (sessionStorage.getItem(PENDING)) $("login-note").hidden = false;
  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await postJSON("/web/login", { key: $("key").value });
      const next = new URLSearchParams(window.location.search).get("next");
      // only a page of this site: the browser reads /\host and /<tab>/host as another site, so the
      // address is resolved first and its origin compared
      const target = next ? new URL(next, window.location.origin) : null;
      if (target && target.origin === window.location.origin) {
        window.location.assign(target.pathname + target.search + target.hash);
      } else {
        window.location.reload();
      }
    } catch (error) {
      $("login-error").textContent = error.message;
    }
  });
}
if ($("logout")) {
  $("logout").addEventListener("click", async () => {
    await postJSON("/web/logout", {});
    window.location.reload();
  });
}

if ($("draft-form")) $("draft-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors();
  try {
    const draft = draftFromForm();
    const report = await (await postJSON("/api/v1/screen", draft)).json();
    // Spans index the text as sent; keep the very strings that were sent for slicing.
    render(draft, report);
    $("download").disabled = false;
  } catch (error) {
    showError(error);
  }
});

if ($("draft-form")) {
  restoreForm();
  // Once the text changes, the result on screen is of another draft: say so, and download only
  // what has been checked.
  const stale = (event) => {
    // choosing a file changes nothing until its text is taken (that handler says so itself)
    if ($("result").hidden || event.target.id === "file") return;
    $("stale").hidden = false;
    $("result").classList.add("is-stale");
    $("download").disabled = true;
  };
  $("draft-form").addEventListener("input", stale);
  $("draft-form").addEventListener("change", stale);
  $("solicitation").addEventListener("input", () => {  // a reply to a solicitation is a 约稿
    if ($("solicitation").value.trim()) $("kind").value = "solicited";
  });
}

if ($("download")) $("download").addEventListener("click", async () => {
  clearErrors();
  try {
    const draft = draftFromForm();
    const response = await postJSON("/web/annotated.docx", draft);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    // the name the server gives it (after the draft's title), so a page and an API client get the same file
    const named = /filename\*=UTF-8''([^;]+)/i.exec(response.headers.get("Content-Disposition") || "");
    link.download = named ? decodeURIComponent(named[1]) : "筛查批注.docx";
    link.click();
    URL.revokeObjectURL(link.href);
  } catch (error) {
    showError(error);
  }
});

if ($("file")) $("file").addEventListener("change", async () => {
  const file = $("file").files[0];
  if (!file) return;
  $("file").value = "";  // choosing the same file again, after editing, reads it again
  if (($("title").value.trim() || $("body").value.trim())
      && !window.confirm(`用文件“${file.name}”的内容替换已填写的标题和正文？`)) return;
  const form = new FormData();
  form.append("file", file);
  clearErrors();
  const response = await fetch("/web/upload", { method: "POST", body: form, credentials: "same-origin",
                                                 headers: { "X-CSRF-Token": CSRF } });
  const data = await response.json().catch(() => ({ error: { message: failed(response) } }));
  if (!response.ok) {
    showError(Object.assign(new Error(data.error.message), { status: response.status, field: data.error.field }));
    return;
  }
  $("title").value = data.title;
  $("body").value = data.body;
  $("draft-form").dispatchEvent(new Event("input"));
});
