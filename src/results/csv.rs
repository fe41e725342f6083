//! CSV for spreadsheets: RFC 4180 rows (CRLF line ends, fields quoted when they hold a comma,
//! quote, CR or LF, quotes doubled) with a guard against formula injection.
//!
//! Rows are formatted one at a time ([`row`]) so an export can stream: the caller writes the
//! header, then one row per database record, and never holds the whole file.
//!
//! Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and
//! some treat a leading tab or CR the same way) as a formula, so a student who types
//! `=HYPERLINK(...)` as their name would run it on the grader's machine. Such text cells get a
//! leading apostrophe, which spreadsheets read as "this is text" and hide. Numbers are
//! written as numbers: `-0.5` stays `-0.5`, also when it arrives as text.

/// One cell of a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Text(&'a str),
    Number(f64),
    Empty,
}

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Formats a number the way a spreadsheet reads it back: no exponent, at most six decimals,
/// no trailing zeros (`1`, `0.5`, `0.666667`). Non-finite values become an empty cell.
pub fn format_number(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let mut s = format!("{x:.6}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".to_string();
    }
    s
}

fn looks_like_number(s: &str) -> bool {
    s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Appends one field to `out`, guarded and quoted as needed.
pub fn push_field(out: &mut String, cell: Cell<'_>) {
    let text = match cell {
        Cell::Empty => return,
        Cell::Number(x) => {
            out.push_str(&format_number(x));
            return;
        }
        Cell::Text(t) => t,
    };
    let guard = text.starts_with(FORMULA_STARTS) && !looks_like_number(text);
    let needs_quotes = text.contains([',', '"', '\r', '\n']);
    if needs_quotes {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    if needs_quotes {
        for c in text.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// One complete CSV record, CRLF included.
pub fn row(cells: &[Cell<'_>]) -> String {
    let mut out = String::with_capacity(cells.len() * 8 + 2);
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(&mut out, *cell);
    }
    out.push_str("\r\n");
    out
}

/// A header record from column names.
pub fn header<S: AsRef<str>>(names: &[S]) -> String {
    let cells: Vec<Cell<'_>> = names.iter().map(|n| Cell::Text(n.as_ref())).collect();
    row(&cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small RFC 4180 reader, to check that what we write parses back to what we meant.
    fn parse(input: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut field = String::new();
        let mut chars = input.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => quoted = false,
                    other => field.push(other),
                }
                continue;
            }
            match c {
                '"' => quoted = true,
                ',' => record.push(std::mem::take(&mut field)),
                '\r' => {
                    assert_eq!(chars.next(), Some('\n'), "bare CR outside quotes");
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                '\n' => panic!("bare LF outside quotes"),
                other => field.push(other),
            }
        }
        assert!(field.is_empty() && record.is_empty(), "last record lacks CRLF");
        records
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        let r = row(&[
            Cell::Text("plain"),
            Cell::Text("a,b"),
            Cell::Text("say \"hi\""),
            Cell::Text("two\nlines"),
            Cell::Text("cr\rhere"),
            Cell::Empty,
            Cell::Number(0.5),
        ]);
        assert_eq!(
            r,
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",,0.5\r\n"
        );
        assert_eq!(
            parse(&r),
            vec![vec![
                "plain",
                "a,b",
                "say \"hi\"",
                "two\nlines",
                "cr\rhere",
                "",
                "0.5"
            ]]
        );
    }

    #[test]
    fn formulas_are_defused_but_numbers_are_not() {
        let r = row(&[
            Cell::Text("=HYPERLINK(\"http://x\")"),
            Cell::Text("+1+2"),
            Cell::Text("-cmd"),
            Cell::Text("@SUM(A1)"),
            Cell::Text("\tTAB"),
            Cell::Text("-0.5"),
            Cell::Text("+3"),
            Cell::Number(-0.25),
            Cell::Text("a=b"),
        ]);
        let fields = &parse(&r)[0];
        assert_eq!(
            fields,
            &vec![
                "'=HYPERLINK(\"http://x\")",
                "'+1+2",
                "'-cmd",
                "'@SUM(A1)",
                "'\tTAB",
                "-0.5",
                "+3",
                "-0.25",
                "a=b"
            ]
        );
        // The apostrophe goes inside the quotes, so it is part of the field.
        assert!(r.starts_with("\"'=HYPERLINK(\"\"http://x\"\")\","), "{r}");
        // "inf"/"NaN" parse as floats but are not numbers a sheet would take: still text,
        // and they don't start with a formula character anyway.
        assert_eq!(row(&[Cell::Text("-inf")]), "'-inf\r\n");
    }

    #[test]
    fn numbers_are_short_and_never_scientific() {
        assert_eq!(format_number(1.0), "1");
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(2.0 / 3.0), "0.666667");
        assert_eq!(format_number(1e-9), "0");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(f64::NAN), "");
    }

    #[test]
    fn header_and_rows_stream_into_one_document() {
        let mut doc = header(&["student", "Q1: anonymous, sources", "total"]);
        for (name, score) in [("Ana", 1.0), ("=evil", 0.5)] {
            doc.push_str(&row(&[
                Cell::Text(name),
                Cell::Number(score),
                Cell::Number(score),
            ]));
        }
        let parsed = parse(&doc);
        assert_eq!(parsed.len(), 3);
        assert_eq!(parsed[0][1], "Q1: anonymous, sources");
        assert_eq!(parsed[2][0], "'=evil");
    }
}
