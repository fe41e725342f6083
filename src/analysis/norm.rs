//! Owns [`Norm`], a lowercased word stored inline so tokens need no heap allocation.

use compact_str::CompactString;

/// A lowercased word: inline up to 24 bytes (most words), on the heap beyond. A `CompactString`
/// rather than a byte buffer of our own, so reading it as `&str` costs no UTF-8 check (that check
/// was a measurable share of the analyzer's time, as every word is read as text many times).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Norm(CompactString);

impl Norm {
    /// The lowercased form of `s`, with the typographic apostrophe normalised to `'`.
    pub fn lower(s: &str) -> Norm {
        // Most words: ASCII, lowercased in place.
        if s.is_ascii() {
            let mut out = CompactString::new(s);
            out.make_ascii_lowercase();
            return Norm(out);
        }
        // ASCII plus the typographic apostrophe ("Clinton’s"): no Unicode tables.
        if s.chars().all(|c| c.is_ascii() || c == '’') {
            let mut out = CompactString::with_capacity(s.len());
            for c in s.chars() {
                out.push(if c == '’' { '\'' } else { c.to_ascii_lowercase() });
            }
            return Norm(out);
        }
        let mut out = s.to_lowercase();
        if out.contains('’') {
            out = out.replace('’', "'");
        }
        Norm(CompactString::from(out))
    }

    pub fn from_str(s: &str) -> Norm {
        Norm(CompactString::from(s))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// Whether the word is `o`.
    #[inline]
    pub fn is(&self, o: &str) -> bool {
        self.0.as_str() == o
    }
}

impl std::ops::Deref for Norm {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Norm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl PartialEq<str> for Norm {
    fn eq(&self, o: &str) -> bool {
        self.is(o)
    }
}

impl PartialEq<&str> for Norm {
    fn eq(&self, o: &&str) -> bool {
        self.is(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_lowercases() {
        assert_eq!(Norm::lower("Clinton’s").as_str(), "clinton's");
        assert_eq!(Norm::lower("SAID").as_str(), "said");
        let long = "Supercalifragilisticexpialidocious";
        assert_eq!(Norm::lower(long).as_str(), long.to_lowercase());
        assert_eq!(Norm::lower("ÉCOLE").as_str(), "école");
    }
}
