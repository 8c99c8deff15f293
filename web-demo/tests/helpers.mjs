// Shared by the web tests: paths, the wasm module under node, a static file server.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const WEB = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = resolve(WEB, "..");
export const FIXTURES = join(ROOT, "tests", "fixtures");
export const CLI = process.env.KDIAG_CLI || join(ROOT, "target", "debug", "kdiag");
export const SCREENSHOTS = join(ROOT, "target", "web-screenshots");

/** The wasm module, initialised for node from web-demo/pkg (built by `cargo xtask web`). */
export async function loadWasm() {
  const kdiag = await import(join(WEB, "pkg", "kdiag_wasm.js"));
  kdiag.initSync({ module: readFileSync(join(WEB, "pkg", "kdiag_wasm_bg.wasm")) });
  return kdiag;
}

/** Every fixture file under tests/fixtures (sorted), as paths. */
export function fixtureFiles() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(json|ya?ml|txt|log)$/.test(name)) out.push(path);
    }
  };
  walk(FIXTURES);
  return out;
}

/** JSON with object keys sorted, for comparing reports independently of key order. */
export function canonical(value) {
  return JSON.stringify(value, (_, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
      : v,
  );
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

/** Serve web-demo/ on 127.0.0.1 (a random port): any static server works for the page. */
export async function serveWeb() {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(WEB, path));
    if (!file.startsWith(WEB) || file.includes("node_modules")) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] || "text/plain" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    headless: true,
  });
}
