//! Turning the bytes of a file or stdin into text.
//!
//! What people feed kdiag was written by many tools: `kubectl … > file` gives UTF-8,
//! PowerShell's `>` gives UTF-16LE with a byte order mark, some editors add a UTF-8 BOM,
//! and a log copied from an old system may hold bytes that are not UTF-8 at all. All of
//! them are read; only the last one earns a note. Every front end that takes bytes (the
//! command line, a file dropped on the web page, Python `bytes`) goes through here, so
//! they all read the same bytes the same way.

/// Decoded input text, plus a note for stderr when something had to be replaced.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// Said on stderr when the input was not cleanly decodable.
    pub note: Option<String>,
}

/// Decode input bytes: UTF-8 (a BOM is dropped), UTF-16LE/BE with a BOM (or without
/// one, when the first characters are plainly ASCII in UTF-16), anything else as UTF-8
/// with invalid bytes replaced by U+FFFD. Valid UTF-8 without a BOM is not copied.
pub fn decode(bytes: Vec<u8>) -> Decoded {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return utf8(bytes.get(3..).unwrap_or_default().to_vec());
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, Endian::Little);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, Endian::Big);
    }
    match bytes.as_slice() {
        // No BOM, but "{\0" / "a\0" …: ASCII text written as UTF-16.
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => utf16(&bytes, Endian::Little),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => utf16(&bytes, Endian::Big),
        _ => utf8(bytes),
    }
}

fn utf8(bytes: Vec<u8>) -> Decoded {
    match String::from_utf8(bytes) {
        Ok(text) => Decoded { text, note: None },
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            Decoded {
                text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
                note: Some(format!(
                    "input is not valid UTF-8 (first bad byte at offset {offset}); \
                     invalid bytes were replaced with U+FFFD"
                )),
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Endian {
    Little,
    Big,
}

fn utf16(bytes: &[u8], endian: Endian) -> Decoded {
    let name = match endian {
        Endian::Little => "UTF-16LE",
        Endian::Big => "UTF-16BE",
    };
    let units = bytes.chunks_exact(2).map(|pair| match (endian, pair) {
        (Endian::Little, [lo, hi]) => u16::from_le_bytes([*lo, *hi]),
        (Endian::Big, [hi, lo]) => u16::from_be_bytes([*hi, *lo]),
        // chunks_exact(2) only yields pairs.
        _ => 0xFFFD,
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut bad = 0usize;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(_) => {
                bad += 1;
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    let odd = bytes.len() % 2 == 1;
    if odd {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    let note = match (bad, odd) {
        (0, false) => None,
        (n, odd) => Some(format!(
            "input is not valid {name} ({} unpaired surrogate(s){}); \
             they were replaced with U+FFFD",
            n,
            if odd { ", odd number of bytes" } else { "" }
        )),
    };
    Decoded { text, note }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le_bom(s: &str) -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        out.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    #[test]
    fn plain_utf8() {
        assert_eq!(
            decode("{\"kind\":\"Pod\"} é".as_bytes().to_vec()),
            Decoded {
                text: "{\"kind\":\"Pod\"} é".into(),
                note: None
            }
        );
    }

    #[test]
    fn utf8_bom_is_dropped() {
        let d = decode(b"\xEF\xBB\xBFkind: Pod\n".to_vec());
        assert_eq!(d.text, "kind: Pod\n");
        assert!(d.note.is_none());
    }

    #[test]
    fn utf16le_with_bom() {
        let d = decode(utf16le_bom("kind: Pod\nname: café 🚀\n"));
        assert_eq!(d.text, "kind: Pod\nname: café 🚀\n");
        assert!(d.note.is_none());
    }

    #[test]
    fn utf16be_with_bom() {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend("{}".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(bytes.clone()).text, "{}");
    }

    #[test]
    fn utf16le_without_bom() {
        let bytes: Vec<u8> = "{\"a\":1}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(bytes.clone()).text, "{\"a\":1}");
    }

    #[test]
    fn broken_utf16_is_lossy_with_note() {
        let mut bytes = utf16le_bom("ab");
        bytes.extend([0x00, 0xD8]); // lone high surrogate
        bytes.push(b'x'); // odd length
        let d = decode(bytes.clone());
        assert_eq!(d.text, "ab\u{FFFD}\u{FFFD}");
        assert!(d.note.is_some_and(|n| n.contains("UTF-16LE")));
    }

    #[test]
    fn invalid_utf8_is_lossy_with_note() {
        let d = decode(b"name: caf\xE9\n".to_vec());
        assert_eq!(d.text, "name: caf\u{FFFD}\n");
        assert!(d.note.is_some_and(|n| n.contains("offset 9")));
    }

    #[test]
    fn empty_and_tiny_inputs() {
        assert_eq!(decode(b"".to_vec()).text, "");
        assert_eq!(decode(b"\xFF\xFE".to_vec()).text, "");
        assert_eq!(decode(b"a".to_vec()).text, "a");
    }
}
