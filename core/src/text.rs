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

/// Line and column of offsets met in increasing order, counted incrementally so that many
/// lookups in one text stay linear.
pub(crate) struct LineCursor<'t> {
    text: &'t str,
    offset: usize,
    line: usize,
    line_start: usize,
}

impl<'t> LineCursor<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        LineCursor {
            text,
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// 1-based line and column (in characters) of `offset`.
    pub(crate) fn at(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.offset {
            *self = LineCursor::new(self.text);
        }
        let offset = offset.min(self.text.len());
        if let Some(between) = self.text.get(self.offset..offset) {
            for (i, b) in between.bytes().enumerate() {
                if b == b'\n' {
                    self.line += 1;
                    self.line_start = self.offset + i + 1;
                }
            }
            self.offset = offset;
        }
        let column = self
            .text
            .get(self.line_start..offset)
            .map_or(0, |l| l.chars().count())
            + 1;
        (self.line, column)
    }
}

/// How long ago `then` was, seen from `now`, as kubectl prints ages (`45s`, `12m`,
/// `3h20m`, `4d`). `None` when `then` is after `now`.
pub(crate) fn age(now: crate::Timestamp, then: crate::Timestamp) -> Option<String> {
    let secs = now.duration_since(then).as_secs();
    if secs < 0 {
        return None;
    }
    Some(match secs {
        s if s < 120 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => match (s / 3600, (s % 3600) / 60) {
            (h, 0) => format!("{h}h"),
            (h, m) => format!("{h}h{m}m"),
        },
        s => format!("{}d", s / 86_400),
    })
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

/// Text with credentials masked: the password of `scheme://user:password@host`, the
/// token after `Bearer `/`Basic `, and the value of `secret-looking-name=value` pairs.
pub(crate) fn mask_secrets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // user:password@ in URLs.
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| c.is_whitespace() || c == '/' || c == '"' || c == '\'')
            .unwrap_or(tail.len());
        let authority = tail.get(..end).unwrap_or("");
        match authority.rsplit_once('@') {
            Some((userinfo, host)) if userinfo.contains(':') => {
                let user = userinfo.split(':').next().unwrap_or("");
                out.push_str(&format!("{user}:<redacted>@{host}"));
            }
            _ => out.push_str(authority),
        }
        rest = tail.get(end..).unwrap_or("");
    }
    out.push_str(rest);
    // Bearer/Basic tokens and name=value pairs.
    let mut masked = Vec::new();
    let mut mask_next = false;
    for word in out.split(' ') {
        if mask_next && !word.is_empty() {
            masked.push("<redacted>".to_owned());
            mask_next = false;
            continue;
        }
        let lower = word.to_ascii_lowercase();
        if lower == "bearer" || lower == "basic" {
            mask_next = true;
            masked.push(word.to_owned());
            continue;
        }
        match word.split_once('=') {
            Some((name, value)) if !value.is_empty() && is_secret_name(name) => {
                masked.push(format!("{name}=<redacted>"));
            }
            _ => masked.push(word.to_owned()),
        }
    }
    masked.join(" ")
}

/// Command arguments with secret values masked: `--password=x` and `--token x` become
/// `--password=<redacted>` and `--token <redacted>`.
pub(crate) fn mask_args(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut mask_next = false;
    let mysql = args
        .iter()
        .any(|a| a.rsplit('/').next().is_some_and(|b| b.starts_with("mysql")));
    for a in args {
        if mask_next {
            out.push("<redacted>".to_owned());
            mask_next = false;
            continue;
        }
        match a.split_once('=') {
            Some((name, _)) if is_secret_name(name) => out.push(format!("{name}=<redacted>")),
            // mysql's -pPASSWORD (but not the flags -pass / -password)
            None if mysql
                && a.starts_with("-p")
                && a.len() > 2
                && !a.starts_with("--")
                && !matches!(a.as_str(), "-pass" | "-password") =>
            {
                out.push("-p<redacted>".to_owned());
            }
            None if a.starts_with('-') && is_secret_name(a) => {
                mask_next = true;
                out.push(a.clone());
            }
            _ => out.push(mask_secrets(a)),
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
    fn masks_secrets_in_text() {
        assert_eq!(
            mask_secrets("connect mysql://root:RootPw@db:3306/app failed"),
            "connect mysql://root:<redacted>@db:3306/app failed"
        );
        assert_eq!(
            mask_secrets("curl -H 'Authorization: Bearer abc.def' x"),
            "curl -H 'Authorization: Bearer <redacted> x"
        );
        assert_eq!(mask_secrets("API_TOKEN=xyz ok"), "API_TOKEN=<redacted> ok");
        assert_eq!(
            mask_secrets("plain https://quay.io/v2/ text"),
            "plain https://quay.io/v2/ text"
        );
        let args: Vec<String> = ["mysql", "-pMyPass1", "-h", "db"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(mask_args(&args), ["mysql", "-p<redacted>", "-h", "db"]);
        let args: Vec<String> = ["/server", "-profile", "dev"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(mask_args(&args), ["/server", "-profile", "dev"]);
    }

    #[test]
    fn ages_like_kubectl() {
        let t = |s: &str| s.parse::<crate::Timestamp>().unwrap();
        let now = t("2026-11-20T10:00:00Z");
        assert_eq!(age(now, t("2026-11-20T09:59:15Z")).as_deref(), Some("45s"));
        assert_eq!(age(now, t("2026-11-20T09:48:00Z")).as_deref(), Some("12m"));
        assert_eq!(
            age(now, t("2026-11-20T06:40:00Z")).as_deref(),
            Some("3h20m")
        );
        assert_eq!(age(now, t("2026-11-16T10:00:00Z")).as_deref(), Some("4d"));
        assert_eq!(age(now, t("2026-11-20T10:00:01Z")), None);
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
        let mut cursor = LineCursor::new("ab\ncd\né f");
        assert_eq!(cursor.at(1), (1, 2));
        assert_eq!(cursor.at(4), (2, 2));
        assert_eq!(cursor.at(9), (3, 3));
        assert_eq!(cursor.at(0), (1, 1));
    }
}
