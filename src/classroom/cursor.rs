//! Opaque list cursors: the keyset position `(created_at, id)` of the last row of a page,
//! base64url-encoded so clients treat it as a token.

use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

impl Cursor {
    pub fn new(at: DateTime<Utc>, id: Uuid) -> Self {
        Cursor { at, id }
    }

    /// `base64url("<microseconds since epoch>.<uuid>")`, unpadded.
    pub fn encode(&self) -> String {
        let raw = format!("{}.{}", self.at.timestamp_micros(), self.id);
        encode_base64url(raw.as_bytes())
    }

    /// `None` for anything that is not a cursor this service issued.
    pub fn decode(s: &str) -> Option<Cursor> {
        let bytes = decode_base64url(s)?;
        let raw = std::str::from_utf8(&bytes).ok()?;
        let (micros, id) = raw.split_once('.')?;
        let at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
        Some(Cursor {
            at,
            id: Uuid::parse_str(id).ok()?,
        })
    }
}

fn encode_base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

fn decode_base64url(s: &str) -> Option<Vec<u8>> {
    if s.len() % 4 == 1 || s.len() > 512 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c)?;
        acc = (acc << 6) | u32::try_from(v).ok()?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_the_round_trip_and_garbage_is_refused() {
        let c = Cursor::new(
            DateTime::from_timestamp_micros(1_763_784_000_123_456).unwrap(),
            Uuid::from_u128(42),
        );
        let s = c.encode();
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(Cursor::decode(&s), Some(c));
        for bad in ["", "!!!!", "abc", "bm90LWEtY3Vyc29y", &s[..s.len() - 1]] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }
}
