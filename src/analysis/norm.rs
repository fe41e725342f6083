//! Owns [`Norm`], a lowercased word stored inline so tokens need no heap allocation.

/// Inline capacity of [`Norm`]; longer words go to the heap.
const INLINE: usize = 22;

/// A short string stored inline (most words) or on the heap (long ones).
#[derive(Clone, PartialEq, Eq)]
pub enum Norm {
    Inline { len: u8, buf: [u8; INLINE] },
    Heap(String),
}

impl Default for Norm {
    fn default() -> Self {
        Norm::Inline {
            len: 0,
            buf: [0; INLINE],
        }
    }
}

impl Norm {
    /// The lowercased form of `s`, with the typographic apostrophe normalised to `'`.
    pub fn lower(s: &str) -> Norm {
        if s.len() <= INLINE && s.is_ascii() {
            let mut buf = [0u8; INLINE];
            for (d, b) in buf.iter_mut().zip(s.bytes()) {
                *d = b.to_ascii_lowercase();
            }
            return Norm::Inline {
                len: s.len() as u8,
                buf,
            };
        }
        // ASCII plus the typographic apostrophe ("Clinton’s"): still no Unicode tables.
        if s.len() <= INLINE + 2 && s.chars().all(|c| c.is_ascii() || c == '’') {
            let mut buf = [0u8; INLINE];
            let mut n = 0;
            for c in s.chars() {
                if n == INLINE {
                    break;
                }
                buf[n] = if c == '’' {
                    b'\''
                } else {
                    (c as u8).to_ascii_lowercase()
                };
                n += 1;
            }
            if s.chars().count() <= INLINE {
                return Norm::Inline { len: n as u8, buf };
            }
        }
        let mut out = s.to_lowercase();
        if out.contains('’') {
            out = out.replace('’', "'");
        }
        Norm::from_str(&out)
    }

    pub fn from_str(s: &str) -> Norm {
        if s.len() <= INLINE {
            let mut buf = [0u8; INLINE];
            buf[..s.len()].copy_from_slice(s.as_bytes());
            Norm::Inline {
                len: s.len() as u8,
                buf,
            }
        } else {
            Norm::Heap(s.to_string())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            // Only ever filled from whole `&str`s (ASCII bytes or a full UTF-8 string), so
            // the bytes are valid UTF-8; fall back to "" rather than panic.
            Norm::Inline { len, buf } => std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or(""),
            Norm::Heap(s) => s,
        }
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

impl Norm {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Norm::Inline { len, buf } => &buf[..usize::from(*len)],
            Norm::Heap(s) => s.as_bytes(),
        }
    }

    /// Byte comparison: no UTF-8 re-validation on the hot path.
    #[inline]
    pub fn is(&self, o: &str) -> bool {
        match self {
            Norm::Inline { len, buf } => &buf[..usize::from(*len)] == o.as_bytes(),
            Norm::Heap(s) => s == o,
        }
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
    }
}
