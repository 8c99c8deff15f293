//! What is checked before and after reading, whatever the format: the input's size,
//! control characters a clipboard or terminal left in it, and, when nothing could be read,
//! what the input is instead (a kubectl error, an HTML page, binary data).

use super::InputError;
use crate::InputWarning;
use crate::text::{LineCursor, clip, mask_secrets};

/// The largest input read, in bytes: 128 MiB, about 8,000 pods with their events as
/// kubectl JSON. Reading holds the objects made from the text, about 12 times its size
/// (measured on a 31 MB list of 20,000 pods: 390 MB): beyond this limit a browser tab,
/// whose WebAssembly memory ends at 4 GiB, would run out before the diagnosis ends.
/// Larger dumps are read one namespace at a time.
pub const MAX_INPUT_BYTES: usize = 128 << 20;

/// The error for an input over [`MAX_INPUT_BYTES`] (its size is not said: a reader may
/// stop at the limit, as the command line does on an endless pipe).
pub(crate) fn too_large() -> InputError {
    InputError {
        location: "input".to_owned(),
        message: format!(
            "the input is more than {} MiB, the most kdiag reads; split it, for example one \
             namespace at a time (kubectl get pods,events -n NAMESPACE -o json)",
            MAX_INPUT_BYTES >> 20
        ),
    }
}

/// Whether a character is a control character no reader accepts: C0 controls other than
/// tab, line feed and carriage return, DEL, and C1 controls other than NEL (what JSON and
/// YAML refuse; a terminal's colour codes start with one).
fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}')
        || (('\u{80}'..='\u{9f}').contains(&c) && c != '\u{85}')
}

/// `text` with every control character (and the rest of a terminal escape sequence that
/// one starts, `ESC[31m`) replaced by spaces of the same length in bytes, so lines and
/// columns stay the input's; `None` when there is none. The warning says how many and
/// where the first was.
pub(crate) fn blank_controls(text: &str) -> Option<(String, InputWarning)> {
    let first = first_control(text)?;
    let mut out = String::with_capacity(text.len());
    out.push_str(text.get(..first).unwrap_or_default());
    let mut count = 0usize;
    let mut first_char = '\0';
    let mut chars = text.get(first..).unwrap_or_default().chars().peekable();
    while let Some(c) = chars.next() {
        if !is_control(c) {
            out.push(c);
            continue;
        }
        if count == 0 {
            first_char = c;
        }
        count += 1;
        push_spaces(&mut out, c.len_utf8());
        // A CSI sequence (colours, cursor moves) goes whole: `ESC [`, parameter and
        // intermediate bytes (0x20-0x3F), one final byte (0x40-0x7E). A line break ends it.
        if c == '\u{1b}' && chars.next_if_eq(&'[').is_some() {
            out.push(' ');
            while chars.next_if(|c| matches!(c, ' '..='?')).is_some() {
                out.push(' ');
            }
            if chars.next_if(|c| matches!(c, '@'..='~')).is_some() {
                out.push(' ');
            }
        }
    }
    let (line, column) = LineCursor::new(text).at(first);
    let warning = InputWarning {
        location: format!("line {line}, column {column}"),
        message: format!(
            "{count} control character(s) (the first is U+{:04X}) read as spaces",
            u32::from(first_char)
        ),
    };
    Some((out, warning))
}

/// The byte offset of the first control character ([`is_control`]), in one pass over the
/// bytes (a C1 control is `0xC2 0x80..=0x9F` in UTF-8).
fn first_control(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().position(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7f
            || (b == 0xc2
                && bytes
                    .get(i + 1)
                    .is_some_and(|&n| (0x80..=0x9f).contains(&n) && n != 0x85))
    })
}

fn push_spaces(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// When nothing could be read: a better message than the readers' first problem for
/// inputs that are plainly something else. `None` when the input is not one of these.
pub(crate) fn not_kubectl_output(text: &str) -> Option<InputError> {
    let mut end = text.len().min(1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text.get(..end).unwrap_or_default();
    let controls = head.chars().filter(|&c| is_control(c)).count();
    if controls * 10 > head.chars().count().max(1) {
        return Some(InputError {
            location: "input".to_owned(),
            message: format!(
                "this is binary data, not text ({controls} control characters in its first {} \
                 bytes); kdiag reads the text kubectl prints",
                head.len()
            ),
        });
    }
    let (index, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())?;
    let line = line.trim();
    let location = format!("line {}", index + 1);
    let quoted = || clip(&mask_secrets(line), 200);
    let lower = line.to_ascii_lowercase();
    let message = if line.starts_with("error: ")
        || line.starts_with("Error from server")
        || line.starts_with("Unable to connect to the server")
        || line.starts_with("The connection to the server")
    {
        format!(
            "this is an error kubectl printed, not its output: {}; run the command again once it succeeds",
            quoted()
        )
    } else if line.starts_with("No resources found") {
        format!(
            "kubectl found nothing to show ({}); nothing to diagnose",
            quoted()
        )
    } else if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        "this is an HTML page (a proxy's or login page?), not kubectl output".to_owned()
    } else {
        return None;
    };
    Some(InputError { location, message })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_spaces_of_the_same_length() {
        let (clean, warning) =
            blank_controls("a\0b\n\u{1b}[31mred\u{1b}[0m \u{85}\u{9b}x").unwrap();
        assert_eq!(clean, "a b\n     red     \u{85}  x");
        assert_eq!(warning.location, "line 1, column 2");
        assert_eq!(
            warning.message,
            "4 control character(s) (the first is U+0000) read as spaces"
        );
        assert!(blank_controls("tabs\tand\r\nbreaks, é ü … © \u{85}").is_none());
        // A line break ends an escape sequence (and stays a line break).
        let (clean, _) = blank_controls("a\u{1b}[31\nb").unwrap();
        assert_eq!(clean, "a    \nb");
    }

    #[test]
    fn names_what_the_input_is_instead() {
        let err =
            not_kubectl_output("\nerror: You must be logged in to the server (Unauthorized)\n")
                .unwrap();
        assert_eq!(err.location, "line 2");
        assert!(err.message.starts_with("this is an error kubectl printed"));
        assert!(
            not_kubectl_output(&"\0".repeat(100))
                .unwrap()
                .message
                .contains("binary")
        );
        assert!(
            not_kubectl_output("<!DOCTYPE html><html>")
                .unwrap()
                .message
                .contains("HTML")
        );
        assert!(not_kubectl_output("No resources found in default namespace.").is_some());
        assert!(not_kubectl_output("apiVersion: v1").is_none());
    }
}
