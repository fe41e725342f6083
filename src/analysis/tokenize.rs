//! Owns the text view every other pass works on: the input as chars with char→byte offsets
//! (so spans are char offsets yet slicing stays O(1)), and the tokenizer.
//!
//! Tokens are words (letters/digits with inner apostrophes, hyphens and abbreviation dots
//! such as `U.S`), numbers (with inner `.`/`,` between digits: `2.5`, `1,000`), and single
//! punctuation chars. Whitespace is not a token; newlines are recorded on the token after them.

use super::lexicon::{self, CueStat};
use super::model::Span;
use super::norm::Norm;

/// The input text as chars, with the byte offset of every char (plus one past the end).
pub struct Doc<'a> {
    pub text: &'a str,
    pub chars: Vec<char>,
    byte: Vec<usize>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut chars = Vec::with_capacity(text.len());
        let mut byte = Vec::with_capacity(text.len() + 1);
        let bytes = text.as_bytes();
        let mut b = 0;
        while b < bytes.len() {
            // ASCII without decoding, 16 bytes at a time where it can; other chars decoded
            // from their first byte on.
            if let Some(run) = bytes.get(b..b + 16).filter(|r| r.is_ascii()) {
                chars.extend(run.iter().map(|&x| char::from(x)));
                byte.extend(b..b + 16);
                b += 16;
                continue;
            }
            let c = match bytes[b] {
                x if x.is_ascii() => char::from(x),
                _ => match text.get(b..).and_then(|r| r.chars().next()) {
                    Some(c) => c,
                    None => break,
                },
            };
            chars.push(c);
            byte.push(b);
            b += c.len_utf8();
        }
        byte.push(text.len());
        Doc { text, chars, byte }
    }

    /// The text of chars `start..end` (clamped to the input).
    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        let n = self.chars.len();
        let (s, e) = (start.min(n), end.min(n));
        if s >= e {
            return "";
        }
        // Indices are clamped above, so `get` always succeeds; fall back to "" defensively.
        self.text.get(self.byte[s]..self.byte[e]).unwrap_or("")
    }

    pub fn span(&self, start: usize, end: usize) -> Span {
        Span {
            start,
            end,
            text: self.slice(start, end).to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Word,
    Number,
    Punct,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    /// Lowercased text for words; the char itself for punctuation; empty for numbers.
    pub norm: Norm,
    /// The word's cue statistics, when it is in the cue lexicon.
    pub cue: Option<CueStat>,
    /// Bit set of the phrase lexicons in which a phrase starts with this word.
    pub first_of: u16,
    /// The first char of the token (for case and punctuation tests).
    pub first: char,
    /// Whitespace before this token contained a line break.
    pub newline_before: bool,
    /// Whitespace (of any kind) precedes this token.
    pub space_before: bool,
    /// Part-of-speech tag id from the tagger ([`super::tagger::UNTAGGED`] until tagged).
    pub tag: u8,
    /// A word of two or more letters, all capitals ("US", "NATO"): an acronym, not the
    /// lowercase word it spells.
    pub caps: bool,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == TokKind::Punct && self.first == c
    }
    pub fn is_capitalized(&self) -> bool {
        self.kind == TokKind::Word && self.first.is_uppercase()
    }
    pub fn is(&self, w: &str) -> bool {
        self.kind == TokKind::Word && self.norm.is(w)
    }
    /// The tag's classes (`tagger::class` bits).
    pub fn pos(&self) -> u32 {
        super::tagger::model().flags(self.tag)
    }
    /// The tag has every class bit of `c`.
    pub fn has(&self, c: u32) -> bool {
        self.pos() & c == c
    }
}

pub fn is_open_quote(c: char) -> bool {
    matches!(c, '“' | '‘' | '«' | '„')
}
/// Any quotation mark, including the undirected ASCII ones.
pub fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '„' | '\'' | '‘' | '’')
}
/// Double quotation marks only (single ones are too often apostrophes).
pub fn is_dquote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '„')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits `doc` into tokens. Linear in the input length.
pub fn tokenize(doc: &Doc) -> Vec<Token> {
    let cs = &doc.chars;
    let n = cs.len();
    let mut out = Vec::with_capacity(n / 5 + 1);
    let lex = lexicon::get();
    let mut i = 0;
    let mut newline = false;
    let mut space = false;
    while i < n {
        let c = cs[i];
        if c.is_whitespace() {
            if c == '\n' || c == '\r' || c == '\u{2028}' || c == '\u{2029}' {
                newline = true;
            }
            space = true;
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        if c.is_ascii_digit() {
            // Number: digits with inner separators followed by a digit ("2.5", "1,000").
            i += 1;
            while i < n {
                if cs[i].is_ascii_digit() {
                    i += 1;
                } else if (cs[i] == '.' || cs[i] == ',') && i + 1 < n && cs[i + 1].is_ascii_digit() {
                    i += 2;
                } else {
                    break;
                }
            }
            // "9/11", "2nd", "1990s": letters glued to digits make it a word.
            if i < n && is_word_char(cs[i]) {
                while i < n && is_word_char(cs[i]) {
                    i += 1;
                }
                kind = TokKind::Word;
            } else {
                kind = TokKind::Number;
            }
        } else if is_word_char(c) {
            i += 1;
            while i < n {
                if is_word_char(cs[i]) {
                    i += 1;
                } else if matches!(cs[i], '\'' | '’' | '-' | '‐') && i + 1 < n && is_word_char(cs[i + 1])
                {
                    i += 2;
                } else if cs[i] == '.'
                    && i + 1 < n
                    && cs[i + 1].is_alphabetic()
                    && i > start
                    && i - start <= 2
                    && (i + 2 >= n || cs[i + 2] == '.')
                {
                    // Abbreviation with inner dots: "U.S", "D.C", "a.m" (the last dot stays
                    // a separate token and the sentence splitter decides about it).
                    i += 2;
                } else {
                    break;
                }
            }
            kind = TokKind::Word;
        } else if matches!(c, '\'' | '‘' | '’') && i + 1 < n && matches!(cs[i + 1], '\'' | '‘' | '’')
        {
            // Two apostrophes typed for a double quotation mark (''…''), as some wire and
            // newspaper text does: one quotation-mark token, read as '"'.
            i += 2;
            kind = TokKind::Punct;
        } else {
            i += 1;
            kind = TokKind::Punct;
        }
        let first = if kind == TokKind::Punct && i - start == 2 {
            '"'
        } else {
            c
        };
        let caps = kind == TokKind::Word
            && first.is_uppercase()
            && i - start > 1
            && cs[start..i].iter().all(|c| !c.is_lowercase());
        let norm = match kind {
            TokKind::Word => Norm::lower(doc.slice(start, i)),
            TokKind::Punct => {
                let mut b = [0u8; 4];
                Norm::from_str(first.encode_utf8(&mut b))
            }
            TokKind::Number => Norm::default(),
        };
        let (cue, first_of) = if kind == TokKind::Word {
            lex.word_info(norm.bytes())
        } else {
            (None, 0)
        };
        out.push(Token {
            start,
            end: i,
            kind,
            norm,
            cue,
            first_of,
            first,
            newline_before: newline,
            space_before: space,
            tag: super::tagger::UNTAGGED,
            caps,
        });
        newline = false;
        space = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let d = Doc::new(s);
        tokenize(&d)
            .iter()
            .map(|t| d.slice(t.start, t.end).to_string())
            .collect()
    }

    #[test]
    fn words_numbers_abbreviations() {
        assert_eq!(
            words("U.S. officials’ $2.5 billion, R-Arizona."),
            vec![
                "U.S",
                ".",
                "officials",
                "’",
                "$",
                "2.5",
                "billion",
                ",",
                "R-Arizona",
                "."
            ]
        );
        assert_eq!(
            words("Clinton’s don't 1,000"),
            vec!["Clinton’s", "don't", "1,000"]
        );
    }

    #[test]
    fn doc_reads_every_char_at_its_offset() {
        let text = "The mayor’s aide said: “We’ll see.” A long plain ASCII stretch of words, é, ü 😀 end";
        let d = Doc::new(text);
        let want: Vec<(usize, char)> = text.char_indices().collect();
        assert_eq!(d.chars, want.iter().map(|x| x.1).collect::<Vec<_>>());
        for (k, &(b, c)) in want.iter().enumerate() {
            assert_eq!(d.slice(k, k + 1), &text[b..b + c.len_utf8()]);
        }
        assert_eq!(d.slice(0, want.len()), text);
    }

    #[test]
    fn offsets_are_chars() {
        let d = Doc::new("é “ab”");
        let t = tokenize(&d);
        assert_eq!((t[2].start, t[2].end), (3, 5));
        assert_eq!(d.slice(3, 5), "ab");
    }
}
