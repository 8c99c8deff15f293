// The wasm module under node: same reports as the CLI on every fixture, errors with a
// location, and the small API (explain, ids, version, analyze, markdown).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { CLI, ROOT, WEB, canonical, fixtureFiles, loadWasm } from "./helpers.mjs";

const kdiag = await loadWasm();

function cli(args) {
  try {
    return execFileSync(CLI, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  } catch (e) {
    // Exit 1 means "findings at or above --fail-on": the output is still the report.
    if (e.status === 1) return e.stdout;
    throw e;
  }
}

const files = fixtureFiles();

test("there are fixtures to compare", () => {
  assert.ok(files.length >= 40, `only ${files.length} fixture files found`);
});

for (const file of files) {
  const name = relative(ROOT, file);
  test(`conformance: ${name}`, () => {
    const bytes = new Uint8Array(readFileSync(file));
    const expected = cli(["--output", "json", file]);
    const report = kdiag.diagnose(bytes);
    assert.equal(canonical(report), canonical(JSON.parse(expected)));
    // The page's JSON download is the CLI's output byte for byte.
    assert.equal(kdiag.analyze(bytes).json + "\n", expected);
    assert.equal(kdiag.markdown(bytes), cli(["--output", "markdown", file]));
  });
}

test("the module shipped to the page (base64 of raw DEFLATE) inflates to the .wasm, byte for byte", async () => {
  const { default: text } = await import(join(WEB, "pkg", "kdiag_wasm_bytes.js"));
  const wasm = readFileSync(join(WEB, "pkg", "kdiag_wasm_bg.wasm"));
  // The page's own steps: atob, then DecompressionStream("deflate-raw").
  const packed = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  assert.ok(packed.length < wasm.length / 2);
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  const inflated = Buffer.from(await new Response(stream).arrayBuffer());
  assert.ok(inflated.equals(wasm));
});

test("text and bytes give the same report", () => {
  const file = files.find((f) => f.endsWith(".yaml"));
  const text = readFileSync(file, "utf8");
  assert.deepEqual(kdiag.diagnose(text), kdiag.diagnose(new Uint8Array(readFileSync(file))));
});

test("UTF-16 bytes (PowerShell) are decoded", () => {
  const file = files.find((f) => f.endsWith(".json"));
  const text = readFileSync(file, "utf8");
  const utf16 = new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
  assert.deepEqual(kdiag.diagnose(utf16), kdiag.diagnose(text));
});

test("several named inputs are read as one snapshot", () => {
  const pod = readFileSync(join(ROOT, "tests/fixtures/oom-killed/oomkilled-container.json"));
  const other = readFileSync(join(ROOT, "tests/fixtures/crashloop.completed/exit-zero-restart-always.yaml"), "utf8");
  const report = kdiag.diagnose([
    { name: "a.json", bytes: new Uint8Array(pod) },
    { name: "b.yaml", text: other },
    { name: "broken.json", text: "{\n  \"kind\": \"Pod\",\n  oops\n" },
  ]);
  const ids = report.findings.map((f) => f.id);
  assert.ok(ids.includes("oom-killed"), ids.join());
  assert.ok(ids.includes("crashloop.completed"), ids.join());
  assert.ok(report.input_warnings.some((w) => w.location.startsWith("broken.json: ")), JSON.stringify(report.input_warnings));
});

test("unreadable input throws an Error carrying the location", () => {
  assert.throws(() => kdiag.diagnose(""), (e) => e instanceof Error && e.location === "line 1" && /empty/.test(e.message));
  assert.throws(
    () => kdiag.diagnose("{\n  \"kind\": \"Pod\",\n  oops\n"),
    (e) => e instanceof Error && /line \d+/.test(e.location) && e.message.startsWith(e.location) && e.detail.length > 0,
  );
  assert.throws(() => kdiag.diagnose([]), (e) => e instanceof Error && /no input/.test(e.message));
});

test("wrong argument types are TypeErrors, not crashes", () => {
  assert.throws(() => kdiag.diagnose(42), { name: "TypeError" });
  assert.throws(() => kdiag.diagnose([{ name: "x" }]), { name: "TypeError" });
  assert.throws(() => kdiag.diagnose("{}", { now: "yesterday" }), { name: "TypeError" });
  assert.throws(() => kdiag.diagnose("{}", "now"), { name: "TypeError" });
});

test("options.now is passed to the engine", () => {
  const file = join(ROOT, "tests/fixtures/rollout.stuck/deployment-progress-deadline.json");
  const bytes = new Uint8Array(readFileSync(file));
  const now = "2026-11-21T10:00:00Z";
  const expected = JSON.parse(cli(["--output", "json", "--now", now, file]));
  assert.equal(canonical(kdiag.diagnose(bytes, { now })), canonical(expected));
  assert.equal(canonical(kdiag.diagnose(bytes, {})), canonical(kdiag.diagnose(bytes)));
});

test("explain, ids and version match the CLI", () => {
  const ids = kdiag.ids();
  assert.deepEqual(ids, cli(["explain", "--list"]).trim().split("\n").map((l) => l.split(/\s+/)[0]));
  for (const id of ids) assert.equal(kdiag.explain(id).trim(), cli(["explain", id]).trim());
  assert.equal(kdiag.explain("no.such-id"), undefined);
  assert.equal(`kdiag ${kdiag.version()}`, cli(["--version"]).trim());
});

test("analyze groups every finding once, in report order", () => {
  const file = join(ROOT, "tests/fixtures/rollout.stuck/deployment-progress-deadline.json");
  const a = kdiag.analyze(new Uint8Array(readFileSync(file)));
  const indices = a.groups.flatMap((g) => g.findings);
  assert.deepEqual([...indices].sort((x, y) => x - y), a.report.findings.map((_, i) => i));
  assert.equal(a.groups[0].title, "Deployment prod/web");
  assert.match(a.summary, /error/);
  assert.ok(a.markdown.startsWith("#"), a.markdown.slice(0, 40));
});

test("every bundled example gives its expected diagnosis", () => {
  const manifest = JSON.parse(readFileSync(join(WEB, "examples", "examples.json"), "utf8"));
  assert.ok(manifest.length >= 8);
  for (const example of manifest) {
    const report = kdiag.diagnose(readFileSync(join(WEB, "examples", example.file), "utf8"));
    assert.deepEqual(report.input_warnings, [], example.file);
    if (example.expect === null) {
      assert.equal(report.summary.errors + report.summary.warnings, 0, example.file);
    } else {
      assert.equal(report.findings[0]?.id, example.expect, example.file);
      for (const id of example.also || []) assert.ok(report.findings.some((f) => f.id === id), `${example.file}: ${id}`);
    }
  }
});
