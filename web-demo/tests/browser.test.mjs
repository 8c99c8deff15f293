// The page in real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
// paste, examples, files, bad input, hostile names, no requests after load, axe-core,
// keyboard, phone width, dark mode. Screenshots go to target/web-screenshots/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ROOT, SCREENSHOTS, WEB, launchChromium, serveWeb } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const EXAMPLES = JSON.parse(readFileSync(join(WEB, "examples", "examples.json"), "utf8"));
const fixture = (path) => readFileSync(join(ROOT, "tests", "fixtures", path), "utf8");

let server;
let browser;

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await serveWeb();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page, loaded, with the engine ready; records requests, dialogs and errors. */
async function open({ width = 1280, height = 900, colorScheme = "light" } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, acceptDownloads: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  const page = await context.newPage();
  const log = { requests: [], afterLoad: [], dialogs: [], errors: [], loaded: false };
  page.on("request", (r) => {
    log.requests.push(r.url());
    if (log.loaded) log.afterLoad.push(r.url());
  });
  page.on("dialog", async (d) => {
    log.dialogs.push(d.message());
    await d.dismiss();
  });
  page.on("pageerror", (e) => log.errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") log.errors.push(m.text());
  });
  await page.goto(server.url, { waitUntil: "load" });
  await page.waitForSelector("body[data-ready=true]");
  log.loaded = true;
  return { page, context, log };
}

async function shot(page, name) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function axe(page, label) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ["violations"] }),
  );
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    [],
    `axe-core in state "${label}"`,
  );
}

async function pasteAndRun(page, text) {
  await page.fill("#paste", text);
  await page.click("#run");
  await page.waitForSelector("body[data-state=diagnosed], body[data-state=problem]");
}

const firstIds = (page) => page.$$eval("#groups .rule-id", (nodes) => nodes.map((n) => n.textContent));

test("empty page: calm start, says nothing leaves the machine, accessible", async () => {
  const { page, context, log } = await open();
  assert.match(await page.textContent("header"), /nothing is uploaded/);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert.match(csp, /connect-src 'none'/);
  assert.match(csp, /default-src 'none'/);
  assert.equal(await page.isVisible("#empty"), true);
  await shot(page, "01-empty");
  await axe(page, "empty");
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("paste → cards grouped by workload, with evidence, commands and copy buttons", async () => {
  const { page, context, log } = await open();
  await pasteAndRun(page, fixture("rollout.stuck/deployment-progress-deadline.json"));
  assert.equal(await page.textContent("#groups .group-title"), "Deployment prod/web");
  const ids = await firstIds(page);
  assert.ok(ids.includes("rollout.stuck"), ids.join());
  assert.ok((await page.$$("#groups .card")).length >= 1);
  assert.ok((await page.$$("#groups .ev")).length >= 1, "evidence rows");
  assert.ok((await page.$$("#groups .code.command pre")).length >= 1, "commands");
  await shot(page, "02-diagnosed");
  await axe(page, "diagnosed");

  // Copy puts the exact command on the clipboard.
  const command = await page.textContent("#groups .code.command code");
  await page.click("#groups .code.command .copy");
  await page.waitForSelector("#groups .copy.done");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), command);

  // "Learn more" shows the rule's own documentation.
  await page.click("#groups .learn summary");
  await page.waitForSelector("#groups .learn .doc");
  assert.ok((await page.textContent("#groups .learn .doc")).length > 100);

  // Downloads: JSON equals the engine's report; Markdown is the core's rendering.
  const [json] = await Promise.all([page.waitForEvent("download"), page.click("#dl-json")]);
  const report = JSON.parse(readFileSync(await json.path(), "utf8"));
  assert.equal(report.schema, "kdiag.report/v1");
  assert.ok(report.findings.some((f) => f.id === "rollout.stuck"));
  const [md] = await Promise.all([page.waitForEvent("download"), page.click("#dl-md")]);
  assert.equal(md.suggestedFilename(), "kdiag-report.md");
  assert.match(readFileSync(await md.path(), "utf8"), /^# /);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.afterLoad.filter((u) => !u.startsWith("blob:")), []);
  await context.close();
});

test("diagnosis as you type (debounced)", async () => {
  const { page, context } = await open();
  await page.focus("#paste");
  await page.keyboard.insertText(fixture("oom-killed/oomkilled-container.json"));
  await page.waitForSelector("#groups .card", { timeout: 5000 });
  assert.equal((await firstIds(page))[0], "oom-killed");
  await context.close();
});

test("each example button gives its diagnosis", async () => {
  const { page, context, log } = await open();
  const buttons = await page.$$("#examples button");
  assert.equal(buttons.length, EXAMPLES.length);
  for (const [i, example] of EXAMPLES.entries()) {
    await page.click(`#examples button[data-file="${example.file}"]`);
    await page.waitForSelector("body[data-state=diagnosed]");
    if (example.expect === null) {
      assert.equal(await page.isVisible(".all-good"), true, example.file);
    } else {
      const ids = await firstIds(page);
      assert.equal(ids[0], example.expect, example.file);
      for (const id of example.also || []) assert.ok(ids.includes(id), `${example.file}: ${id}`);
    }
    await shot(page, `03-example-${String(i + 1).padStart(2, "0")}-${example.file.replace(/\..*/, "")}`);
  }
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("files dropped together are diagnosed as one snapshot; open works too", async () => {
  const { page, context, log } = await open();
  const files = [
    { name: "pricing.json", text: fixture("oom-killed/oomkilled-container.json") },
    { name: "migrate.yaml", text: fixture("crashloop.completed/exit-zero-restart-always.yaml") },
  ];
  await page.evaluate((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([f.text], f.name, { type: "text/plain" }));
    const panel = document.getElementById("input-panel");
    panel.dispatchEvent(new DragEvent("dragenter", { dataTransfer: dt, bubbles: true }));
    panel.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
  await page.waitForSelector("#groups .card");
  assert.deepEqual(await page.$$eval("#files .file-name", (n) => n.map((x) => x.textContent)), ["pricing.json", "migrate.yaml"]);
  const ids = await firstIds(page);
  assert.ok(ids.includes("oom-killed") && ids.includes("crashloop.completed"), ids.join());
  await shot(page, "04-files-dropped");
  await axe(page, "files");

  await page.click("#clear");
  await page.setInputFiles("#open", { name: "bare.yaml", mimeType: "text/yaml", buffer: Buffer.from(fixture("image-pull.invalid-name/uppercase-repo.yaml")) });
  await page.waitForSelector("#groups .card");
  assert.equal((await firstIds(page))[0], "image-pull.invalid-name");
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("a very large paste is kept out of the text box and diagnosed at once", async () => {
  const { page, context, log } = await open();
  const one = fixture("oom-killed/oomkilled-container.json");
  const big = Array.from({ length: Math.ceil((600 * 1024) / one.length) }, () => one).join("\n");
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    document.getElementById("paste").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, big);
  await page.waitForSelector("#groups .card");
  assert.equal(await page.inputValue("#paste"), "");
  assert.match(await page.textContent("#files"), /pasted text/);
  assert.equal((await firstIds(page))[0], "oom-killed");
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("unreadable input: a friendly message that shows where it failed", async () => {
  const { page, context } = await open();
  await pasteAndRun(page, '{\n  "kind": "Pod",\n  "metadata": {"name": "x"\n  oops: [\n');
  assert.equal(await page.isVisible("#problem"), true);
  const text = await page.textContent("#problem");
  assert.match(text, /couldn't read this input/);
  assert.match(text, /line \d+/);
  assert.ok(await page.isVisible("#problem .excerpt .caret"), "the failing line is shown with a caret");
  await shot(page, "05-unreadable");
  await axe(page, "unreadable");
  await context.close();
});

test("partly unreadable input: warnings with the location, and the rest still diagnosed", async () => {
  const { page, context } = await open();
  const good = fixture("image-pull.invalid-name/uppercase-repo.yaml");
  await pasteAndRun(page, `${good}\n---\nkind: Pod\nmetadata: [oops\n`);
  assert.equal(await page.isVisible("#warnings"), true);
  assert.match(await page.textContent("#warnings"), /document 2/);
  assert.equal((await firstIds(page))[0], "image-pull.invalid-name");
  await shot(page, "06-partly-unreadable");
  await axe(page, "warnings");
  await context.close();
});

test("a hostile pod name is shown as text and runs nothing", async () => {
  const { page, context, log } = await open();
  const evil = "<img src=x onerror=alert(1)>";
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: evil, namespace: "<script>alert(2)</script>" },
    spec: { containers: [{ name: "<b>c</b>", image: "nginx:1.27" }] },
    status: {
      phase: "Running",
      containerStatuses: [{
        name: "<b>c</b>", image: "nginx:1.27", imageID: "", ready: false, restartCount: 4,
        state: { waiting: { reason: "CrashLoopBackOff", message: evil } },
        lastState: { terminated: { exitCode: 137, reason: "OOMKilled" } },
      }],
    },
  };
  await pasteAndRun(page, JSON.stringify(pod, null, 2));
  await page.waitForTimeout(300);
  assert.deepEqual(log.dialogs, []);
  assert.equal(await page.$$eval("#groups img, #groups script, #groups b", (n) => n.length), 0);
  assert.ok((await page.textContent("#groups")).includes(evil));
  await page.click("#groups .learn summary");
  assert.deepEqual(log.dialogs, []);
  assert.deepEqual(log.afterLoad, [], "the image must not be requested");
  await context.close();
});

test("no request after load, whatever the page does", async () => {
  const { page, context, log } = await open();
  assert.ok(log.requests.some((u) => u.endsWith("/app.js")), "requests are being recorded");
  for (const example of EXAMPLES) {
    await page.click(`#examples button[data-file="${example.file}"]`);
    await page.waitForSelector("body[data-state=diagnosed]");
  }
  await page.$$eval("#groups details", (d) => d.forEach((x) => { x.open = true; }));
  await pasteAndRun(page, "not kubernetes at all: {");
  await page.click("#theme");
  // Offline after loading: everything still works.
  await context.setOffline(true);
  await page.click('#examples button[data-file="oom-kill.yaml"]');
  assert.equal((await firstIds(page))[0], "oom-killed");
  await page.waitForTimeout(300);
  assert.deepEqual(log.afterLoad, []);
  // And the policy is real: a request attempted from the page is refused.
  const refused = await page.evaluate(async () => {
    try {
      await fetch("/index.html");
      return false;
    } catch {
      return true;
    }
  });
  assert.equal(refused, true, "connect-src 'none' refuses fetch");
  assert.deepEqual(log.afterLoad, []);
  await context.close();
});

test("keyboard only: reach an example, run it, copy a command", async () => {
  const { page, context } = await open();
  let reached = null;
  for (let i = 0; i < 30 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => (document.activeElement?.dataset?.file ? document.activeElement.dataset.file : null));
  }
  assert.ok(reached, "an example button is reachable with Tab");
  await page.keyboard.press("Enter");
  await page.waitForSelector("body[data-state=diagnosed]");
  const focusable = await page.$$eval("#groups button, #groups summary", (n) => n.length);
  assert.ok(focusable > 0);
  await page.focus("#groups .copy");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#groups .copy.done");
  await context.close();
});

test("phone width: no sideways scrolling, readable", async () => {
  const { page, context } = await open({ width: 390, height: 844 });
  await page.click('#examples button[data-file="stuck-rollout.yaml"]');
  await page.waitForSelector("body[data-state=diagnosed]");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await shot(page, "07-phone");
  await page.screenshot({ path: join(SCREENSHOTS, "07-phone-top.png") });
  await page.evaluate(() => document.querySelector("#groups .card").scrollIntoView());
  await page.screenshot({ path: join(SCREENSHOTS, "07-phone-card.png") });
  await axe(page, "phone");
  await context.close();
});

test("dark theme: follows the system and is accessible", async () => {
  const { page, context } = await open({ colorScheme: "dark" });
  await page.click('#examples button[data-file="oom-kill.yaml"]');
  await page.waitForSelector("body[data-state=diagnosed]");
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, "rgb(245, 246, 248)", "dark background");
  await shot(page, "08-dark");
  await axe(page, "dark");
  await pasteAndRun(page, "{ broken");
  await shot(page, "09-dark-unreadable");
  await axe(page, "dark unreadable");
  await context.close();
});
