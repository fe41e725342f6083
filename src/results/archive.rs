//! ZIP archives for QTI content packages, written with the `zip` crate (deflate).
//!
//! Every entry carries the same timestamp, 1980-01-01 00:00 (the DOS epoch), and the same
//! permissions, so the same content always gives the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

pub use zip::result::ZipError;

/// Builds a ZIP archive in memory from (path, bytes) entries, in the given order.
pub fn write(entries: &[(&str, &[u8])]) -> Result<Vec<u8>, ZipError> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (path, data) in entries {
        zip.start_file(*path, options)?;
        zip.write_all(data)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Reads an archive back, entry by entry in order (the reader checks every CRC): for tests.
#[cfg(test)]
pub fn read(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().to_string(), data)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_deterministic() {
        let entries: Vec<(&str, &[u8])> = vec![
            ("imsmanifest.xml", b"<manifest/>"),
            ("items/ex-\u{e9}.xml", b"<x>caf\xc3\xa9</x>"),
            ("empty.txt", b""),
        ];
        let zip = write(&entries).unwrap();
        assert_eq!(write(&entries).unwrap(), zip);
        let back = read(&zip);
        assert_eq!(back.len(), 3);
        for ((name, data), (want_name, want_data)) in back.iter().zip(&entries) {
            assert_eq!(name, want_name);
            assert_eq!(data.as_slice(), *want_data);
        }
        assert!(zip.starts_with(b"PK\x03\x04"));
        let archive = zip::ZipArchive::new(Cursor::new(&zip)).unwrap();
        let stamp = archive.clone().by_index(0).unwrap().last_modified();
        assert_eq!(stamp, Some(DateTime::default()));
    }
}
