//! Server text made safe to print: secrets redacted, terminal control
//! characters removed.
//!
//! A server's error message, job status or failure reason is someone
//! else's text. Printed raw it can carry the caller's own API key (a
//! server or proxy that echoes the request) or escape sequences that
//! rewrite the user's terminal. [`sanitize`] is applied to anything a
//! program prints that came from a server or wraps such text (a
//! [`FetchError`](crate::FetchError)'s `Display`).

use secrecy::{ExposeSecret, SecretString};

/// What a redacted secret is replaced by.
pub const REDACTED: &str = "[redacted]";

/// `text` with every occurrence of each secret (as given, with any of its
/// bytes percent-encoded in either case) replaced by [`REDACTED`], and control characters
/// removed: C0 controls other than tab and newline, DEL, C1 controls
/// (`U+0080`–`U+009F`), so no ANSI/VT escape sequence survives whole.
/// Secrets shorter than four characters are not searched for (they would
/// redact ordinary words).
///
/// ```
/// use planform_fetch::sanitize::sanitize;
/// use secrecy::SecretString;
///
/// let key = SecretString::from("sk_live_123".to_owned());
/// let shown = sanitize("bad key sk_live_123\u{1b}[2J", &[&key]);
/// assert_eq!(shown, "bad key [redacted][2J");
/// ```
pub fn sanitize(text: &str, secrets: &[&SecretString]) -> String {
    let mut out = text.to_owned();
    for secret in secrets {
        let s = secret.expose_secret().as_bytes();
        if s.len() < 4 {
            continue;
        }
        out = redact(&out, s);
    }
    out.retain(|c| !is_control(c));
    out
}

/// `text` with each match of `secret` replaced: a match takes every byte of
/// the secret either as itself or as `%XX` (hex in either case).
fn redact(text: &str, secret: &[u8]) -> String {
    let t = text.as_bytes();
    let matches_at = |start: usize| -> Option<usize> {
        let mut j = start;
        for &b in secret {
            if t.get(j) == Some(&b) {
                j += 1;
            } else if t.get(j) == Some(&b'%')
                && t.get(j + 1..j + 3).is_some_and(|h| {
                    std::str::from_utf8(h)
                        .ok()
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                        == Some(b)
                })
            {
                j += 3;
            } else {
                return None;
            }
        }
        Some(j)
    };
    let mut out = Vec::with_capacity(t.len());
    let mut i = 0;
    while i < t.len() {
        if let Some(end) = matches_at(i) {
            out.extend_from_slice(REDACTED.as_bytes());
            i = end;
        } else {
            out.push(t[i]);
            i += 1;
        }
    }
    // matches start and end on whole characters: the secret is valid UTF-8
    // and `%XX` is ASCII
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn is_control(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        c => c.is_control(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn keys_are_redacted_in_every_form() {
        let k = key("fp_key/with+plus");
        let shown = sanitize(
            "echo: Bearer fp_key/with+plus and fp_key%2Fwith%2bplus, %66p_key/with+plus",
            &[&k],
        );
        assert_eq!(shown, "echo: Bearer [redacted] and [redacted], [redacted]");
        assert!(!shown.contains("fp_key"));
    }

    #[test]
    fn control_characters_are_removed() {
        assert_eq!(
            sanitize("a\u{1b}]0;title\u{7}b\rc\u{9b}31md\u{7f}\ne\tf", &[]),
            "a]0;titlebc31md\ne\tf"
        );
    }

    #[test]
    fn short_secrets_are_not_searched() {
        assert_eq!(sanitize("a b c", &[&key("a")]), "a b c");
    }
}
