//! `cargo xtask` — build chores that are not a plain `cargo build`.
//!
//! ```text
//! cargo xtask web              build the WebAssembly module into web-demo/pkg/
//! cargo xtask demo [--port N]  build it, then serve web-demo/ on http://127.0.0.1:N/
//! cargo xtask serve [--port N] serve web-demo/ as it is (no build)
//! ```
//!
//! `web` installs what it needs when it is missing: the `wasm32-unknown-unknown` rustup
//! target, and `wasm-bindgen-cli` at exactly the version of `wasm-bindgen` in Cargo.lock
//! (skipped when `wasm-bindgen --version` already says that version).

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, ExitCode};

const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";
const DEFAULT_PORT: u16 = 8787;

/// The page's Content-Security-Policy, also sent as a header by `serve`. The page carries
/// the same policy in a `<meta>` tag, so any static server enforces it.
const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; connect-src 'none'; form-action 'none'; \
    base-uri 'none'; frame-ancestors 'none'";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("web") => build_web(),
        Some("demo") => port(&args).and_then(|p| {
            build_web()?;
            serve(p)
        }),
        Some("serve") => port(&args).and_then(serve),
        _ => Err("usage: cargo xtask web | demo [--port N] | serve [--port N]".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn port(args: &[String]) -> Result<u16, String> {
    match args.iter().position(|a| a == "--port") {
        None => Ok(DEFAULT_PORT),
        Some(i) => args
            .get(i + 1)
            .ok_or("--port needs a value")?
            .parse()
            .map_err(|e| format!("--port: {e}")),
    }
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed ({status})"))
    }
}

fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The version of a package in Cargo.lock.
fn locked_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"") {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

/// Install the wasm target and the matching wasm-bindgen CLI, when missing.
fn ensure_tools() -> Result<(), String> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == TARGET) {
        run(Command::new("rustup").args(["target", "add", TARGET]))?;
    }
    let version = locked_version("wasm-bindgen")?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(version.as_str()) {
        eprintln!(
            "xtask: installing wasm-bindgen-cli {version} (found: {})",
            have.trim()
        );
        // Not --locked: one of its locked dependencies is no longer in the registry.
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))?;
    }
    Ok(())
}

/// Build the wasm module, run wasm-bindgen (`--target web`) into web-demo/pkg/, and write
/// the two generated modules the page imports: the module's bytes (the page's policy
/// forbids fetching anything, so the bytes come as a script) and the bundled examples.
fn build_web() -> Result<(), String> {
    ensure_tools()?;
    let root = root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run(Command::new(cargo)
        .current_dir(&root)
        .args(["build", "--locked", "-p", "kdiag-wasm", "--target", TARGET])
        .args(["--profile", PROFILE]))?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let wasm = target_dir
        .join(TARGET)
        .join(PROFILE)
        .join("kdiag_wasm.wasm");
    let pkg = root.join("web-demo").join("pkg");
    run(Command::new("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--remove-name-section",
            "--remove-producers-section",
        ])
        .arg("--out-dir")
        .arg(&pkg)
        .arg(&wasm))?;
    let bytes = std::fs::read(pkg.join("kdiag_wasm_bg.wasm")).map_err(|e| e.to_string())?;
    let module = format!(
        "// Generated by `cargo xtask web`: kdiag_wasm_bg.wasm compressed with raw DEFLATE\n\
         // (zopfli) and written as base64; the page inflates it with\n\
         // `DecompressionStream(\"deflate-raw\")`. A server's gzip cannot shrink base64 of\n\
         // compressed bytes further, so what travels is about the DEFLATE size: 8 % less\n\
         // than the module as a one-character-per-byte string under gzip.\n\
         export default \"{}\";\n",
        base64(&deflate(&bytes)?)
    );
    write(&pkg.join("kdiag_wasm_bytes.js"), &module)?;
    write(
        &pkg.join("examples.js"),
        &examples_module(&root.join("web-demo").join("examples"))?,
    )?;
    println!("built {} ({} bytes of wasm)", pkg.display(), bytes.len());
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `examples/examples.json` (label, file, expected first id) with each file's text added.
fn examples_module(dir: &Path) -> Result<String, String> {
    let manifest = std::fs::read_to_string(dir.join("examples.json"))
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut list: Vec<serde_json::Value> =
        serde_json::from_str(&manifest).map_err(|e| format!("examples.json: {e}"))?;
    for item in &mut list {
        let file = item
            .get("file")
            .and_then(|f| f.as_str())
            .ok_or("examples.json: an entry has no \"file\"")?
            .to_owned();
        let text = std::fs::read_to_string(dir.join(&file)).map_err(|e| format!("{file}: {e}"))?;
        if let Some(obj) = item.as_object_mut() {
            obj.insert("text".to_owned(), serde_json::Value::String(text));
        }
    }
    let json = serde_json::to_string(&list).map_err(|e| e.to_string())?;
    Ok(format!(
        "// Generated by `cargo xtask web` from web-demo/examples/.\nexport default {json};\n"
    ))
}

/// Raw DEFLATE (no zlib or gzip header), by zopfli: ≈ 4 % smaller than zlib's level 9,
/// for a few seconds.
fn deflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    zopfli::compress(
        zopfli::Options::default(),
        zopfli::Format::Deflate,
        bytes,
        &mut out,
    )
    .map_err(|e| format!("deflate: {e}"))?;
    Ok(out)
}

/// Standard base64 with padding (what `atob` and `Buffer.from(_, "base64")` read).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sym = |n: u32| char::from(ALPHABET[(n & 63) as usize]);
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        out.push(if chunk.len() > 1 { sym(n >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { sym(n) } else { '=' });
    }
    out
}

/// Serve web-demo/ on 127.0.0.1 until interrupted (static files only, GET and HEAD).
fn serve(port: u16) -> Result<(), String> {
    let dir = root().join("web-demo");
    let listener = TcpListener::bind(("127.0.0.1", port))
        .or_else(|_| TcpListener::bind(("127.0.0.1", 0)))
        .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("kdiag web page: http://{addr}/   (Ctrl-C to stop)");
    for stream in listener.incoming().flatten() {
        let dir = dir.clone();
        std::thread::spawn(move || {
            let _ = respond(stream, &dir);
        });
    }
    Ok(())
}

fn respond(stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    // Drain the headers.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return reply(&mut out, "405 Method Not Allowed", "text/plain", b"", false);
    }
    let relative = path.trim_start_matches('/');
    let relative = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_owned()
    };
    let file = Path::new(&relative);
    let safe = file.components().all(|c| matches!(c, Component::Normal(_)));
    match safe.then(|| std::fs::read(dir.join(file))) {
        Some(Ok(body)) => {
            let kind = content_type(file);
            reply(&mut out, "200 OK", kind, &body, method == "HEAD")
        }
        _ => reply(&mut out, "404 Not Found", "text/plain", b"not found", false),
    }
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "text/plain; charset=utf-8",
    }
}

fn reply(
    out: &mut TcpStream,
    status: &str,
    kind: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let mut header = String::new();
    let _ = write!(
        header,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Content-Security-Policy: {CSP}\r\nX-Content-Type-Options: nosniff\r\n\
         Cache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    );
    out.write_all(header.as_bytes())?;
    if !head_only {
        out.write_all(body)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn deflate_shrinks_repeats() {
        let input = b"kdiag ".repeat(1000);
        let packed = deflate(&input).unwrap();
        assert!(!packed.is_empty() && packed.len() < 100);
    }

    #[test]
    fn the_locked_wasm_bindgen_version_is_found() {
        assert!(locked_version("wasm-bindgen").unwrap().starts_with("0.2."));
    }
}
