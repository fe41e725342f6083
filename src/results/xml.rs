//! The little XML writing the exports need: escaping and identifier sanitising. Hand-written
//! because the documents are small and fixed in shape; a writer crate would add more than it
//! saves.

/// Escapes text content and attribute values alike (`&`, `<`, `>`, `"`, `'`), and drops the
/// control characters XML 1.0 forbids (everything below U+0020 except tab, LF and CR, plus
/// U+FFFE/U+FFFF), which would make the document unparsable.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Turns `raw` into an XML NCName-safe identifier starting with `prefix` (which must itself
/// start with a letter): letters, digits, `-`, `_` and `.` are kept, anything else becomes `_`.
pub fn identifier(prefix: &str, raw: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + raw.len());
    out.push_str(prefix);
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
            out.push(c);
        } else {
            out.push('_');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_controls() {
        assert_eq!(
            escape(r#"a<b>&"c" 'd'"#),
            "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;"
        );
        assert_eq!(escape("tab\there\nnul\u{0}bell\u{7}"), "tab\there\nnulbell");
    }

    #[test]
    fn identifiers_are_ncnames() {
        assert_eq!(identifier("C-", "3f a/b"), "C-3f_a_b");
        assert_eq!(identifier("ex-", "ü"), "ex-_");
    }
}
