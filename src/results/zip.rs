//! A minimal ZIP writer: stored entries (no compression), CRC-32, local headers, central
//! directory, end record. Enough for a QTI content package, which LMS importers (Canvas,
//! Moodle) take as a .zip; the package is a few kilobytes of XML, so compression buys little
//! and a deflate crate is not worth it. No ZIP64: an entry or archive over 4 GiB is refused.

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as ZIP requires.
pub fn crc32(data: &[u8]) -> u32 {
    const fn table() -> [u32; 256] {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    }
    const TABLE: [u32; 256] = table();
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc = TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ZipError {
    #[error("the archive would exceed 4 GiB or 65535 entries, which needs ZIP64")]
    TooLarge,
}

/// Builds a ZIP archive in memory from (path, bytes) entries, in the given order.
///
/// Timestamps are fixed at 1980-01-01 00:00 (the DOS epoch) so the same content always
/// gives the same bytes. Paths are stored as UTF-8 (general purpose flag bit 11).
pub fn store(entries: &[(&str, &[u8])]) -> Result<Vec<u8>, ZipError> {
    const VERSION: u16 = 20;
    const UTF8: u16 = 1 << 11;
    const DOS_DATE: u16 = (1 << 5) | 1; // 1980-01-01
    let n = u16::try_from(entries.len()).map_err(|_| ZipError::TooLarge)?;
    let mut out = Vec::new();
    let mut central = Vec::new();
    let u32_of = |x: usize| u32::try_from(x).map_err(|_| ZipError::TooLarge);
    for (path, data) in entries {
        let offset = u32_of(out.len())?;
        let crc = crc32(data);
        let size = u32_of(data.len())?;
        let name = path.as_bytes();
        let name_len = u16::try_from(name.len()).map_err(|_| ZipError::TooLarge)?;

        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        for v in [VERSION, UTF8, 0, 0, DOS_DATE] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name);
        out.extend_from_slice(data);

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        for v in [VERSION, VERSION, UTF8, 0, 0, DOS_DATE] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        // name length, extra length, comment length, disk number, internal attributes
        for v in [name_len, 0, 0, 0, 0] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let central_offset = u32_of(out.len())?;
    let central_size = u32_of(central.len())?;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, n, n] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    u32_of(out.len())?;
    Ok(out)
}

/// Reads back an archive written by [`store`], checking every CRC: for tests.
#[cfg(test)]
pub fn read_stored(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
    let u32_at = |i: usize| u32::from_le_bytes([zip[i], zip[i + 1], zip[i + 2], zip[i + 3]]) as usize;
    let end = zip.len() - 22;
    assert_eq!(u32_at(end), 0x0605_4b50, "end of central directory record");
    let count = u16_at(end + 10);
    let mut at = u32_at(end + 16);
    let mut entries = Vec::new();
    for _ in 0..count {
        assert_eq!(u32_at(at), 0x0201_4b50, "central directory header");
        let crc = u32_at(at + 16) as u32;
        let size = u32_at(at + 20);
        let name_len = u16_at(at + 28);
        let local = u32_at(at + 42);
        let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).expect("utf-8 name");
        assert_eq!(u32_at(local), 0x0403_4b50, "local header of {name}");
        assert_eq!(u16_at(local + 8), 0, "stored, not compressed");
        let data_at = local + 30 + u16_at(local + 26) + u16_at(local + 28);
        let data = zip[data_at..data_at + size].to_vec();
        assert_eq!(crc32(&data), crc, "crc of {name}");
        entries.push((name, data));
        at += 46 + name_len;
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_check_value() {
        // The standard check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn round_trip_and_deterministic() {
        let entries: Vec<(&str, &[u8])> = vec![
            ("imsmanifest.xml", b"<manifest/>"),
            ("items/ex-\u{e9}.xml", b"<x>caf\xc3\xa9</x>"),
            ("empty.txt", b""),
        ];
        let zip = store(&entries).unwrap();
        assert_eq!(store(&entries).unwrap(), zip);
        let back = read_stored(&zip);
        assert_eq!(back.len(), 3);
        for ((name, data), (want_name, want_data)) in back.iter().zip(&entries) {
            assert_eq!(name, want_name);
            assert_eq!(data.as_slice(), *want_data);
        }
        assert!(zip.starts_with(b"PK\x03\x04"));
    }
}
