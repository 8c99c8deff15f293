// The catalogue of hostile inputs (tests/hostile/) through the WebAssembly module under
// node: each case gives exactly the core's outcome (expected/<name>.json: the report, byte
// for byte, or the error's location and message), its Markdown echoes no secret, and
// nothing panics (a panic would abort the module and every later case would fail).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, loadWasm } from "./helpers.mjs";

const kdiag = await loadWasm();
const HOSTILE = join(ROOT, "tests", "hostile");
const { cases } = JSON.parse(readFileSync(join(HOSTILE, "catalogue.json"), "utf8"));

/** A case's input bytes: inline text, a file of inputs/, or generated. */
function inputBytes(input) {
  if (input.text !== undefined) return new TextEncoder().encode(input.text);
  if (input.file !== undefined) return new Uint8Array(readFileSync(join(HOSTILE, "inputs", input.file)));
  const { head = "", repeat, times, tail = "" } = input.generate;
  const enc = new TextEncoder();
  const [h, r, t] = [enc.encode(head), enc.encode(repeat), enc.encode(tail)];
  const out = new Uint8Array(h.length + r.length * times + t.length);
  out.set(h, 0);
  if (r.length === 1) out.fill(r[0], h.length, h.length + times);
  else for (let i = 0; i < times; i++) out.set(r, h.length + i * r.length);
  out.set(t, h.length + r.length * times);
  return out;
}

test("the catalogue has its cases", () => assert.ok(cases.length >= 40));

for (const c of cases) {
  test(`hostile: ${c.name}`, () => {
    const expected = readFileSync(join(HOSTILE, "expected", `${c.name}.json`), "utf8");
    const bytes = inputBytes(c.input);
    const want = JSON.parse(expected);
    if (want.error) {
      assert.throws(() => kdiag.analyze(bytes), (e) => {
        assert.equal(e.location, want.error.location);
        assert.equal(e.detail, want.error.message);
        return true;
      });
      return;
    }
    const result = kdiag.analyze(bytes);
    assert.equal(result.json + "\n", expected);
    for (const secret of [...(c.never ?? []), "CANARY"]) {
      assert.ok(!result.markdown.includes(secret), `Markdown shows ${secret}`);
    }
  });
}
