// Page weight (gzip) and the time of the first diagnosis of a 10 MB paste in headless
// Chromium. Run by scripts/test-web.sh after `cargo xtask web`; `node bench.mjs`.
//
// The weight target is wasm + JS + CSS ≤ 350 KB gzip. It is NOT met (≈ 621 KB: the module
// holds every rule, the text readers, the rule docs and the typed k8s-openapi
// deserializers; see ARCHITECTURE.md, "The web page"); the figure is printed against the
// target, and a regression ceiling fails the run. The timing is measured and printed (its
// target is 1 s on the project's 2-core machine).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT, WEB, launchChromium, serveWeb } from "./tests/helpers.mjs";

const TARGET_KB = 350;
/** Fails the run: the size the page has today (621 KB) plus a little room. */
const CEILING_KB = 635;
const kb = (n) => (n / 1024).toFixed(1);
const gz = (file) => gzipSync(readFileSync(join(WEB, file)), { level: 9 }).length;

// ------------------------------------------------------------------ page weight
const parts = {
  wasm: ["pkg/kdiag_wasm_bytes.js"],
  js: ["app.js", "pkg/kdiag_wasm.js", "pkg/examples.js"],
  css: ["style.css"],
};
const weight = Object.fromEntries(Object.entries(parts).map(([k, files]) => [k, files.reduce((s, f) => s + gz(f), 0)]));
const total = weight.wasm + weight.js + weight.css;
console.log("page weight, gzip -9:");
console.log(`  wasm  ${kb(weight.wasm)} KB  (module shipped as base64 of its raw DEFLATE in pkg/kdiag_wasm_bytes.js; the raw .wasm is ${kb(statSync(join(WEB, "pkg/kdiag_wasm_bg.wasm")).size)} KB, ${kb(gz("pkg/kdiag_wasm_bg.wasm"))} KB gzip)`);
console.log(`  js    ${kb(weight.js)} KB  (app.js ${kb(gz("app.js"))}, wasm-bindgen glue ${kb(gz("pkg/kdiag_wasm.js"))}, examples ${kb(gz("pkg/examples.js"))})`);
console.log(`  css   ${kb(weight.css)} KB`);
const verdict = total <= TARGET_KB * 1024 ? "within" : `OVER by ${kb(total - TARGET_KB * 1024)} KB`;
console.log(`  total ${kb(total)} KB  (target ${TARGET_KB} KB: ${verdict}; index.html adds ${kb(gz("index.html"))} KB)`);
if (total > CEILING_KB * 1024) {
  console.error(`page weight ${kb(total)} KB grew past the ${CEILING_KB} KB ceiling`);
  process.exit(1);
}

// ------------------------------------------------------------- 10 MB paste timing
const dir = join(ROOT, "target", "web-bench");
const dump = join(dir, "dump-10mb-v2.json");
if (!existsSync(dump)) {
  mkdirSync(dir, { recursive: true });
  execFileSync("cargo", ["run", "--quiet", "--locked", "-p", "kdiag-bench", "--bin", "gen-dump", "--",
    "--pods", "520", "--nodes", "52", "--events", "2600", dump], { cwd: ROOT, stdio: "inherit" });
}
const text = readFileSync(dump, "utf8");

const server = await serveWeb();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const t0 = Date.now();
  await page.goto(server.url, { waitUntil: "load" });
  await page.waitForSelector("body[data-ready=true]");
  const ready = Date.now() - t0;
  await page.uncheck("#live");
  const runs = [];
  for (let i = 0; i < 3; i++) {
    runs.push(await page.evaluate(async (text) => {
      document.getElementById("clear").click();
      await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
      // A real paste event, as Ctrl-V into the text box sends it.
      const data = new DataTransfer();
      data.setData("text/plain", text);
      const event = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
      const start = performance.now();
      document.getElementById("paste").dispatchEvent(event); // diagnosis and cards run synchronously
      const rendered = performance.now();
      await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
      return {
        diagnose: Number(document.body.dataset.elapsed),
        rendered: rendered - start,
        painted: performance.now() - start,
        findings: document.querySelectorAll("#groups .card").length,
        summary: document.querySelector(".summary-line")?.textContent,
      };
    }, text));
  }
  const first = runs[0];
  console.log(`\n10 MB paste (${(text.length / 1e6).toFixed(1)} MB, ${first.summary}):`);
  console.log(`  page load to engine ready: ${ready} ms`);
  for (const [i, r] of runs.entries()) {
    console.log(`  run ${i + 1}: diagnosis + cards ${Math.round(r.rendered)} ms, to next paint ${Math.round(r.painted)} ms (${r.findings} cards)`);
  }
  console.log(`  first diagnosis: ${Math.round(first.painted)} ms (target ≤ 1000 ms)`);
} finally {
  await browser.close();
  await server.close();
}
