// kdiag's web page: paste, drop or open kubectl output; the engine (WebAssembly, built by
// `cargo xtask web`) diagnoses it on this page. Nothing is sent anywhere: the page's
// Content-Security-Policy forbids every connection, and this script makes none.
//
// Untrusted text (the input, and everything in the report, which quotes the input) is only
// ever put on the page with textContent / createTextNode, never as HTML.

import init, { analyze, explain, version } from "./pkg/kdiag_wasm.js";
import wasmText from "./pkg/kdiag_wasm_bytes.js";
import examples from "./pkg/examples.js";

const $ = (id) => document.getElementById(id);
const paste = $("paste");
const filesList = $("files");
const statusBox = $("status");
const problemBox = $("problem");
const warningsBox = $("warnings");
const groupsBox = $("groups");
const emptyBox = $("empty");

/** Files opened or dropped, and very large pastes: { name, bytes: Uint8Array } or { name, text }. */
let files = [];
/** The last analysis (report, json, markdown, summary, groups), for the downloads. */
let last = null;
let ready = false;
let timer = 0;

// ---------------------------------------------------------------------------- helpers

/** Create an element with a class and text (text is never parsed as HTML). */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The module's bytes: shipped as base64 of its raw DEFLATE (see xtask), decoded and inflated. */
async function wasmBytes(base64) {
  const packed = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function copyText(text, button) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    // Clipboard API refused (permissions, insecure context): select-and-copy instead.
    const area = el("textarea", "offscreen");
    area.value = text;
    document.body.append(area);
    area.select();
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
  }
  const label = button.dataset.label;
  button.textContent = ok ? "Copied" : "Copy failed";
  button.classList.toggle("done", ok);
  setTimeout(() => {
    button.textContent = label;
    button.classList.remove("done");
  }, 1500);
}

function copyButton(text, what) {
  const button = el("button", "btn copy", "Copy");
  button.type = "button";
  button.dataset.label = "Copy";
  button.setAttribute("aria-label", `Copy ${what}`);
  button.addEventListener("click", () => copyText(text, button));
  return button;
}

/** A block of code (command or patch) with its copy button. */
function codeBlock(text, kind) {
  const wrap = el("div", `code ${kind}`);
  const pre = el("pre");
  const code = el("code", null, text);
  pre.append(code);
  wrap.append(pre, copyButton(text, kind === "command" ? "command" : "patch"));
  return wrap;
}

function download(name, type, text) {
  // A blob: URL is a local object, not a request; the CSP still forbids any connection.
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ----------------------------------------------------------- "learn more" (rule docs)

/** Render a rule's Markdown doc as DOM nodes: headings, paragraphs, lists, code. */
function renderDoc(markdown) {
  const root = el("div", "doc");
  const lines = markdown.split("\n");
  let i = 0;
  const inline = (parent, text) => {
    // `code` spans; **bold** and links are shown as plain text.
    const parts = text.split(/(`[^`]+`)/);
    for (const part of parts) {
      if (part.startsWith("`") && part.endsWith("`") && part.length > 1) {
        parent.append(el("code", null, part.slice(1, -1)));
      } else if (part) {
        parent.append(document.createTextNode(part.replace(/\*\*([^*]+)\*\*/g, "$1").replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")));
      }
    }
    return parent;
  };
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith("```")) {
      const body = [];
      i++;
      while (i < lines.length && !lines[i].startsWith("```")) body.push(lines[i++]);
      i++;
      const pre = el("pre");
      pre.tabIndex = 0;
      pre.append(el("code", null, body.join("\n")));
      root.append(pre);
    } else if (/^#{1,6} /.test(line)) {
      root.append(inline(el("h4"), line.replace(/^#+ /, "")));
      i++;
    } else if (/^\s*([-*]|\d+\.) /.test(line)) {
      const ordered = /^\s*\d+\. /.test(line);
      const list = el(ordered ? "ol" : "ul");
      while (i < lines.length && /^\s*([-*]|\d+\.) /.test(lines[i])) {
        let item = lines[i].replace(/^\s*([-*]|\d+\.) /, "");
        i++;
        while (i < lines.length && /^\s{2,}\S/.test(lines[i]) && !/^\s*([-*]|\d+\.) /.test(lines[i])) {
          item += " " + lines[i].trim();
          i++;
        }
        list.append(inline(el("li"), item));
      }
      root.append(list);
    } else if (line.trim() === "") {
      i++;
    } else {
      const para = [line];
      i++;
      while (i < lines.length && lines[i].trim() !== "" && !/^(#{1,6} |```|\s*([-*]|\d+\.) )/.test(lines[i])) {
        para.push(lines[i++]);
      }
      root.append(inline(el("p"), para.join(" ")));
    }
  }
  return root;
}

// ------------------------------------------------------------------------ rendering

const SEVERITY_LABEL = { error: "Error", warning: "Warning", info: "Info" };

function objectLine(finding) {
  const o = finding.object;
  const where = `${o.kind} ${o.namespace ? o.namespace + "/" : ""}${o.name}`;
  return o.container ? `${where} · container ${o.container}` : where;
}

function findingCard(finding, index) {
  const card = el("article", `card sev-${finding.severity}`);
  card.setAttribute("aria-labelledby", `f${index}-title`);

  const head = el("div", "card-head");
  head.append(el("span", `badge ${finding.severity}`, SEVERITY_LABEL[finding.severity] || finding.severity));
  head.append(el("code", "rule-id", finding.id));
  card.append(head);

  const title = el("h4", "card-title", finding.title);
  title.id = `f${index}-title`;
  card.append(title);
  card.append(el("p", "object", objectLine(finding)));
  if (finding.pods && finding.pods.length > 1) {
    card.append(el("p", "pods", `Affects ${plural(finding.pods.length, "pod")}: ${finding.pods.join(", ")}`));
  }
  card.append(el("p", "explanation", finding.explanation));

  if (finding.evidence.length) {
    const section = el("section", "evidence");
    section.append(el("h5", null, "Evidence"));
    const list = el("dl");
    for (const ev of finding.evidence) {
      const row = el("div", "ev");
      row.append(el("dt", null, ev.path), el("dd", null, ev.value));
      list.append(row);
    }
    section.append(list);
    card.append(section);
  }

  if (finding.remediation.length) {
    const section = el("section", "fix");
    section.append(el("h5", null, "What to do"));
    const steps = el("ol");
    for (const step of finding.remediation) {
      const li = el("li");
      li.append(el("p", null, step.text));
      for (const command of step.commands || []) li.append(codeBlock(command, "command"));
      if (step.patch) li.append(codeBlock(step.patch, "patch"));
      steps.append(li);
    }
    section.append(steps);
    card.append(section);
  }

  const more = el("details", "learn");
  more.append(el("summary", null, `Learn more about ${finding.id}`));
  more.addEventListener("toggle", () => {
    if (more.open && more.children.length === 1) {
      const doc = explain(finding.id);
      more.append(doc ? renderDoc(doc) : el("p", null, "No documentation for this id."));
    }
  });
  card.append(more);
  return card;
}

/** The line of the input a location such as "document 1, line 3, column 7" points at. */
function lineExcerpt(location) {
  const line = /line (\d+)/.exec(location);
  if (!line) return null;
  const column = /column (\d+)/.exec(location);
  const source = sourceFor(location);
  if (source === null) return null;
  const n = Number(line[1]);
  const lines = source.split("\n");
  if (n < 1 || n > lines.length) return null;
  const box = el("div", "excerpt");
  const pre = el("pre");
  pre.tabIndex = 0; // may scroll sideways: reachable by keyboard
  pre.setAttribute("aria-label", `line ${n} of the input, with the lines before it`);
  const width = String(n).length;
  // The failing line, with up to two lines before it for context.
  for (let k = Math.max(1, n - 2); k <= n; k++) {
    const text = lines[k - 1].slice(0, 300);
    if (k > Math.max(1, n - 2)) pre.append(document.createTextNode("\n"));
    pre.append(el("span", "lineno", `${String(k).padStart(width)} │ `), document.createTextNode(text));
    if (k === n && column) {
      const c = Math.max(1, Math.min(Number(column[1]), text.length + 1));
      pre.append(document.createTextNode("\n"), el("span", "caret", `${" ".repeat(width + 3 + c - 1)}^`));
    }
  }
  box.append(pre);
  return box;
}

/** The text a location refers to: the paste, or the file named at its start. */
function sourceFor(location) {
  for (const f of files) {
    if (location.startsWith(`${f.name}: `)) return f.text ?? new TextDecoder().decode(f.bytes);
  }
  if (location.startsWith("pasted text: ") || files.length === 0) return paste.value;
  return null;
}

function showWarnings(warnings) {
  warningsBox.replaceChildren();
  warningsBox.hidden = warnings.length === 0;
  if (!warnings.length) return;
  warningsBox.append(el("h3", null, `Some of the input could not be read (${warnings.length})`));
  warningsBox.append(el("p", null, "Everything else was still diagnosed. Fix these parts, or leave them out, to be sure nothing was missed."));
  const list = el("ul");
  for (const w of warnings.slice(0, 50)) {
    const li = el("li");
    li.append(el("span", "where", w.location), document.createTextNode(` — ${w.message}`));
    const excerpt = lineExcerpt(w.location);
    if (excerpt) li.append(excerpt);
    list.append(li);
  }
  warningsBox.append(list);
}

function showProblem(error) {
  problemBox.replaceChildren();
  problemBox.hidden = false;
  const location = error.location || "";
  const detail = error.detail || error.message || String(error);
  problemBox.append(el("h3", null, "kdiag couldn't read this input"));
  const p = el("p");
  if (location) p.append(el("span", "where", location), document.createTextNode(" — "));
  p.append(document.createTextNode(detail));
  problemBox.append(p);
  const excerpt = location ? lineExcerpt(location) : null;
  if (excerpt) problemBox.append(excerpt);
  problemBox.append(el("p", "hint", "kdiag reads JSON or YAML as kubectl prints it (get … -o json / -o yaml, several documents at once) and kubectl's describe and table output. Check that the paste is complete: a cut-off copy is the usual cause."));
}

const MAX_GROUPS = 100;

function render(analysis, elapsed) {
  last = analysis;
  const { report } = analysis;
  problemBox.hidden = true;
  emptyBox.hidden = true;
  $("dl-md").disabled = false;
  $("dl-json").disabled = false;

  statusBox.replaceChildren();
  const s = report.summary;
  const line = el("p", "summary-line");
  const verdict = s.errors ? "bad" : s.warnings ? "meh" : "good";
  line.append(el("span", `dot ${verdict}`), document.createTextNode(analysis.summary));
  statusBox.append(line);
  const counts = el("p", "counts");
  counts.append(
    el("span", "count error", plural(s.errors, "error")),
    el("span", "count warning", plural(s.warnings, "warning")),
    el("span", "count info", `${s.infos} info`),
    el("span", "timing", `diagnosed in ${elapsed < 10 ? elapsed.toFixed(1) : Math.round(elapsed)} ms`),
  );
  statusBox.append(counts);

  showWarnings(report.input_warnings);

  const frag = document.createDocumentFragment();
  analysis.groups.slice(0, MAX_GROUPS).forEach((group) => {
    const section = el("section", "group");
    const heading = el("h3", "group-title");
    heading.append(el("span", "kind", group.title.split(" ")[0]), document.createTextNode(" " + group.title.split(" ").slice(1).join(" ")));
    section.append(heading);
    for (const i of group.findings) section.append(findingCard(report.findings[i], i));
    frag.append(section);
  });
  if (analysis.groups.length > MAX_GROUPS) {
    frag.append(el("p", "hint", `${analysis.groups.length - MAX_GROUPS} more workloads are in the downloaded report.`));
  }
  if (!report.findings.length) {
    const ok = el("div", "all-good");
    ok.append(el("h3", null, "No problems found"));
    ok.append(el("p", null, "Nothing in this input explains a pod that won't start. If a pod still misbehaves, add its events (kubectl get events) and its Node, and try again."));
    frag.append(ok);
  }
  groupsBox.replaceChildren(frag);
  document.body.dataset.state = "diagnosed";
}

function reset() {
  last = null;
  statusBox.replaceChildren();
  problemBox.hidden = true;
  warningsBox.hidden = true;
  groupsBox.replaceChildren();
  emptyBox.hidden = false;
  $("dl-md").disabled = true;
  $("dl-json").disabled = true;
  document.body.dataset.state = "empty";
}

// ------------------------------------------------------------------------ diagnosing

function currentInput() {
  const text = paste.value;
  if (!files.length) return text.trim() ? text : null;
  const inputs = files.map((f) => (f.text !== undefined ? { name: f.name, text: f.text } : { name: f.name, bytes: f.bytes }));
  if (text.trim()) inputs.unshift({ name: "pasted text", text });
  return inputs;
}

function diagnose() {
  clearTimeout(timer);
  if (!ready) return;
  const input = currentInput();
  if (input === null) {
    reset();
    return;
  }
  const start = performance.now();
  let analysis;
  try {
    analysis = analyze(input);
  } catch (error) {
    last = null;
    statusBox.replaceChildren(el("p", "summary-line", "The input could not be read."));
    warningsBox.hidden = true;
    groupsBox.replaceChildren();
    emptyBox.hidden = true;
    $("dl-md").disabled = true;
    $("dl-json").disabled = true;
    showProblem(error);
    document.body.dataset.state = "problem";
    return;
  }
  render(analysis, performance.now() - start);
  document.body.dataset.elapsed = String(performance.now() - start);
}

function schedule() {
  if (!$("live").checked) return;
  clearTimeout(timer);
  // Bigger pastes wait a little longer, so typing stays smooth.
  const delay = 250 + Math.min(1000, paste.value.length / 5000);
  timer = setTimeout(diagnose, delay);
}

// ---------------------------------------------------------------------------- files

function showFiles() {
  filesList.replaceChildren();
  files.forEach((f, i) => {
    const li = el("li", "file");
    const size = f.text !== undefined ? f.text.length : f.bytes.length;
    const shown = size >= 1048576 ? `${(size / 1048576).toFixed(1)} MB` : `${(size / 1024).toFixed(size < 10240 ? 1 : 0)} KB`;
    li.append(el("span", "file-name", f.name), el("span", "file-size", shown));
    const remove = el("button", "btn remove", "×");
    remove.type = "button";
    remove.setAttribute("aria-label", `Remove ${f.name}`);
    remove.addEventListener("click", () => {
      files.splice(i, 1);
      showFiles();
      diagnose();
    });
    li.append(remove);
    filesList.append(li);
  });
  filesList.hidden = files.length === 0;
}

async function addFiles(list) {
  const added = await Promise.all(
    Array.from(list).map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })),
  );
  for (const f of added) {
    const same = files.findIndex((g) => g.name === f.name);
    if (same >= 0) files[same] = f;
    else files.push(f);
  }
  showFiles();
  diagnose();
}

// ------------------------------------------------------------------------- wiring

/** Pastes bigger than this are kept out of the text box: laying out megabytes of text would
 * take the browser far longer than diagnosing them. */
const BIG_PASTE = 512 * 1024;
let pastes = 0;

function wire() {
  paste.addEventListener("input", schedule);
  paste.addEventListener("paste", (e) => {
    const text = e.clipboardData?.getData("text/plain") ?? "";
    if (text.length < BIG_PASTE) return;
    e.preventDefault();
    pastes++;
    files.push({ name: pastes === 1 ? "pasted text" : `pasted text ${pastes}`, text });
    showFiles();
    diagnose();
  });
  $("run").addEventListener("click", diagnose);
  paste.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      diagnose();
    }
  });
  $("clear").addEventListener("click", () => {
    paste.value = "";
    files = [];
    pastes = 0;
    showFiles();
    reset();
    paste.focus();
  });
  $("open").addEventListener("change", (e) => {
    addFiles(e.target.files);
    e.target.value = "";
  });
  $("dl-json").addEventListener("click", () => last && download("kdiag-report.json", "application/json", last.json + "\n"));
  $("dl-md").addEventListener("click", () => last && download("kdiag-report.md", "text/markdown", last.markdown));

  const panel = $("input-panel");
  let depth = 0;
  panel.addEventListener("dragenter", (e) => {
    e.preventDefault();
    depth++;
    panel.classList.add("dragging");
  });
  panel.addEventListener("dragover", (e) => e.preventDefault());
  panel.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) panel.classList.remove("dragging");
  });
  panel.addEventListener("drop", (e) => {
    e.preventDefault();
    depth = 0;
    panel.classList.remove("dragging");
    if (e.dataTransfer.files.length) addFiles(e.dataTransfer.files);
    else {
      const text = e.dataTransfer.getData("text/plain");
      if (text) {
        paste.value = text;
        diagnose();
      }
    }
  });
  // A file dropped outside the panel must not make the browser navigate away.
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());

  const box = $("examples");
  for (const example of examples) {
    const button = el("button", "btn example", example.label);
    button.type = "button";
    button.dataset.file = example.file;
    button.addEventListener("click", () => {
      files = [];
      showFiles();
      paste.value = example.text;
      diagnose();
      $("results").focus({ preventScroll: window.innerWidth > 900 });
    });
    box.append(button);
  }

  const themes = ["auto", "light", "dark"];
  const themeButton = $("theme");
  themeButton.addEventListener("click", () => {
    const next = themes[(themes.indexOf(document.documentElement.dataset.theme || "auto") + 1) % themes.length];
    if (next === "auto") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = next;
    themeButton.textContent = `Theme: ${next}`;
  });
}

async function main() {
  wire();
  showFiles();
  reset();
  try {
    await init({ module_or_path: await wasmBytes(wasmText) });
  } catch (error) {
    $("version").textContent = "the engine failed to start";
    showProblem({ message: `The WebAssembly engine could not start in this browser: ${error}` });
    return;
  }
  ready = true;
  $("version").textContent = `engine ${version()} · WebAssembly, on this page`;
  document.body.dataset.ready = "true";
  if (paste.value.trim()) diagnose();
}

main();
