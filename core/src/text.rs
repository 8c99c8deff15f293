//! Small string helpers shared by the input reader and the rules.

/// At most `max` characters of `s`, with `…` when cut (never splits a character).
pub(crate) fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", s.get(..cut).unwrap_or(s)),
        None => s.to_owned(),
    }
}

/// `s` with its first letter in upper case.
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// 1-based line and column of a byte offset in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Whether a flag or variable name looks like it holds secret material.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "pass",
        "secret",
        "token",
        "apikey",
        "api_key",
        "api-key",
        "credential",
        "auth",
        "private",
        "key",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// Command arguments with secret values masked: `--password=x` and `--token x` become
/// `--password=<redacted>` and `--token <redacted>`.
pub(crate) fn mask_args(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut mask_next = false;
    for a in args {
        if mask_next {
            out.push("<redacted>".to_owned());
            mask_next = false;
            continue;
        }
        match a.split_once('=') {
            Some((name, _)) if is_secret_name(name) => out.push(format!("{name}=<redacted>")),
            None if a.starts_with('-') && is_secret_name(a) => {
                mask_next = true;
                out.push(a.clone());
            }
            _ => out.push(a.clone()),
        }
    }
    out
}

/// An argument as a POSIX shell would need it written: bare when it is plain, else in
/// single quotes.
pub(crate) fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:=@%+,-".contains(c));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_secret_arguments() {
        let args: Vec<String> = [
            "--db-password=hunter2",
            "--token",
            "abc",
            "--port=80",
            "serve",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            mask_args(&args),
            [
                "--db-password=<redacted>",
                "--token",
                "<redacted>",
                "--port=80",
                "serve"
            ]
        );
    }

    #[test]
    fn quotes_for_the_shell() {
        assert_eq!(shell_quote("--port=80"), "--port=80");
        assert_eq!(shell_quote("echo hi && sleep 1"), "'echo hi && sleep 1'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn clips_and_locates() {
        assert_eq!(clip("héllo", 2), "hé…");
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
