//! Owns the syntactic layer: a greedy averaged-perceptron part-of-speech tagger over the
//! analyzer's own tokens, whose tag set refines proper nouns by name class (`NNP-PER`,
//! `NNP-ORG`, `NNP-LOC`, `NNP-NORP`), and noun-phrase chunks built on its tags.
//!
//! The weights (`data/tagger/tagger.bin`, compiled in) were trained offline on silver tags
//! of PolNeAR train text; see `data/tagger/make.py` and docs/analyzer.md. Tagging is linear
//! in the number of tokens: a dozen hashed features per token, each one row of weights.

use std::cell::RefCell;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::tokenize::{TokKind, Token};

/// Tag classes the rest of the analyzer asks about.
pub mod class {
    pub const NOUN: u32 = 1;
    pub const PROPER: u32 = 2;
    pub const PLURAL: u32 = 4;
    pub const VERB: u32 = 8;
    pub const ADJ: u32 = 16;
    pub const DET: u32 = 32;
    pub const PRON: u32 = 64;
    pub const PERSON: u32 = 128;
    pub const ORG: u32 = 256;
    pub const LOC: u32 = 512;
    pub const NORP: u32 = 1024;
    pub const POSS: u32 = 2048;
    pub const NUM: u32 = 4096;
    pub const PREP: u32 = 8192;
    pub const ADV: u32 = 16384;
    /// Past participle (VBN).
    pub const PARTICIPLE: u32 = 1 << 15;
    /// Finite verb or modal (VBD, VBZ, VBP, MD) or base form (VB).
    pub const FINITE: u32 = 1 << 16;
    /// Gerund or present participle (VBG).
    pub const GERUND: u32 = 1 << 17;
    /// Coordinating conjunction (CC).
    pub const CONJ: u32 = 1 << 18;
}

fn classes_of(name: &str) -> u32 {
    use class::*;
    let base = name.split('-').next().unwrap_or(name);
    let mut c = match base {
        "NN" => NOUN,
        "NNS" => NOUN | PLURAL,
        "NNP" => NOUN | PROPER,
        "NNPS" => NOUN | PROPER | PLURAL,
        "VB" | "VBD" | "VBP" | "VBZ" | "MD" => VERB | FINITE,
        "VBN" => VERB | PARTICIPLE,
        "VBG" => VERB | GERUND,
        "CC" => CONJ,
        "JJ" | "JJR" | "JJS" => ADJ,
        "DT" | "PDT" | "WDT" => DET,
        "PRP" | "WP" | "EX" => PRON,
        "PRP$" | "WP$" | "POS" => POSS,
        "CD" => NUM,
        "IN" | "TO" => PREP,
        "RB" | "RBR" | "RBS" | "WRB" => ADV,
        _ => 0,
    };
    c |= match name.split_once('-').map(|x| x.1) {
        Some("PER") => PERSON,
        Some("ORG") => ORG,
        Some("LOC") => LOC,
        Some("NORP") => NORP,
        _ => 0,
    };
    c
}

/// Widest tag set the weights may have.
const ROW: usize = 56;
/// Lanes of a weight row: the tags, padded with zeros to one 64-byte cache line.
const LANES: usize = 64;

/// One feature's weight for every tag, as stored (signed bytes within ±127; the file's common
/// scale changes no argmax, so scores are integer sums). One cache line.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Row([i8; LANES]);

/// A token's score for every tag: the sum of its 17 features' rows. 17 × 127 < 2^15, so the
/// sums are exact in 16 bits (the same integers, hence the same argmax, as any wider sum),
/// and half as wide they add twice as many lanes per instruction.
type Scores = [i16; LANES];

/// The row of every feature the weights do not know: all zeros, so unknown features are
/// added like any other, with no branch.
const UNKNOWN: u32 = 0;

/// Feature keys → weight rows, open-addressed with linear probing over the keys alone: eight
/// keys a cache line, so a probe run rarely leaves its line, and the index of the shipped
/// 36,000 features (768 KiB with its row numbers) stays in the L2 cache, where a table of
/// whole rows (8 MiB) missed it on most reads. A feature the weights do not know costs no
/// read of the rows at all. Key 0 marks an empty slot.
struct Index {
    shift: u32,
    keys: Vec<u64>,
    rows: Vec<u32>,
}

impl Index {
    fn with_keys(n: usize) -> Index {
        // Load factor below 2/3: a miss ends after a few probes within the line.
        let bits = (n.max(1) * 3 / 2 + 1).next_power_of_two().trailing_zeros().max(1);
        Index {
            shift: 64 - bits,
            keys: vec![0; 1usize << bits],
            rows: vec![UNKNOWN; 1usize << bits],
        }
    }

    fn home(&self, key: u64) -> usize {
        // The keys are already hashes; the multiply spreads their high bits.
        usize::try_from(key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift).unwrap_or(0)
    }

    /// Maps `key` to `row`; a key given twice keeps its last row.
    fn insert(&mut self, key: u64, row: u32) {
        let mask = self.keys.len() - 1;
        let mut i = self.home(key);
        while self.keys[i] != 0 && self.keys[i] != key {
            i = (i + 1) & mask;
        }
        self.keys[i] = key;
        self.rows[i] = row;
    }

    /// The row of `key`, [`UNKNOWN`] when the weights do not have it.
    #[inline]
    fn row(&self, key: u64) -> u32 {
        let mask = self.keys.len() - 1;
        let mut i = self.home(key);
        loop {
            let k = self.keys[i];
            // An empty slot's row is UNKNOWN, so key 0 (dropped on loading) reads as unknown.
            if k == key || k == 0 {
                return self.rows[i];
            }
            i = (i + 1) & mask;
        }
    }
}

/// The rows of the features of one word form that do not depend on its neighbours' words:
/// the form and its suffix as the token's own word, and as seen from the tokens around it.
/// Looked up once per distinct form (see [`Scratch`]).
#[derive(Clone, Copy)]
struct FormRows {
    word: u32,
    suffix: u32,
    as_prev: u32,
    as_prev_suffix: u32,
    as_next: u32,
    as_next_suffix: u32,
    as_prev2: u32,
    as_next2: u32,
    /// The hash state of the word-and-next-word feature after this word.
    pair: u64,
}

/// What features read where a sentence has no neighbouring token.
const NO_TOKEN: &[u8] = b"<none>";

/// The rows of the features that take few values, resolved once when the weights load.
struct Fixed {
    bias: u32,
    /// Per shape.
    shape: Vec<u32>,
    /// Per shape × the next token's shape.
    shape_pair: Vec<u32>,
    /// Per first byte × shape.
    first_shape: Vec<u32>,
    /// Hash state of the shape-and-word feature after the shape, per shape.
    shape_word: Vec<u64>,
    /// Per previous tag (the tag set, then the sentence start).
    prev: Vec<u32>,
    /// Per previous tag × the one before.
    prev_two: Vec<u32>,
    /// Hash state of the previous-tag-and-word feature after the tag, per previous tag.
    prev_word: Vec<u64>,
    /// A missing neighbour, seen from the token beside it.
    none: FormRows,
}

/// Shapes are six bits.
const SHAPES: usize = 64;

pub struct Model {
    names: Vec<String>,
    flags: Vec<u32>,
    index: Index,
    /// Row [`UNKNOWN`] is zeros; the others are the features' weights.
    rows: Vec<Row>,
    fixed: Fixed,
}

impl Model {
    pub fn n(&self) -> usize {
        self.names.len()
    }

    pub fn name(&self, tag: u8) -> &str {
        self.names.get(usize::from(tag)).map_or("", String::as_str)
    }

    pub fn flags(&self, tag: u8) -> u32 {
        self.flags.get(usize::from(tag)).copied().unwrap_or(0)
    }

    fn parse(bytes: &[u8]) -> Option<Model> {
        let mut r = Reader { b: bytes, i: 0 };
        if r.take(6)? != b"NLTG1\n" {
            return None;
        }
        let n = usize::from(r.u8()?);
        if n > ROW {
            return None;
        }
        let mut names = Vec::with_capacity(n);
        for _ in 0..n {
            let len = usize::from(r.u8()?);
            names.push(String::from_utf8(r.take(len)?.to_vec()).ok()?);
        }
        let _scale = f32::from_le_bytes(r.take(4)?.try_into().ok()?);
        let nf = u32::from_le_bytes(r.take(4)?.try_into().ok()?) as usize;
        let mut index = Index::with_keys(nf);
        let mut rows = Vec::with_capacity(nf + 1);
        rows.push(Row([0; LANES]));
        for _ in 0..nf {
            let key = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
            let mut w = [0i8; LANES];
            for (d, &b) in w.iter_mut().zip(r.take(n)?) {
                *d = b as i8;
            }
            // A key of 0 (one chance in 2^64) would read as an empty slot: drop it.
            if key != 0 {
                index.insert(key, u32::try_from(rows.len()).ok()?);
                rows.push(Row(w));
            }
        }
        Some(Model::new(names, index, rows))
    }

    fn new(names: Vec<String>, index: Index, rows: Vec<Row>) -> Model {
        let flags = names.iter().map(|s| classes_of(s)).collect();
        let row = |key| index.row(key);
        // History tags: the tag set, then the sentence start.
        let tags: Vec<u8> = (0..names.len())
            .filter_map(|t| u8::try_from(t).ok())
            .chain([START])
            .collect();
        let shapes = 0..SHAPES as u8;
        let mut none = Self::form_rows_in(&index, NO_TOKEN);
        none.as_prev_suffix = row(fnv(8, &[NO_TOKEN]));
        none.as_next_suffix = row(fnv(10, &[NO_TOKEN]));
        let fixed = Fixed {
            bias: row(fnv(0, &[])),
            shape: shapes.clone().map(|s| row(fnv(3, &[&[s]]))).collect(),
            shape_pair: shapes
                .clone()
                .flat_map(|s| (0..SHAPES as u8).map(move |t| (s, t)))
                .map(|(s, t)| row(fnv(13, &[&[s], &[t]])))
                .collect(),
            first_shape: (0..=u8::MAX)
                .flat_map(|b| (0..SHAPES as u8).map(move |s| (b, s)))
                .map(|(b, s)| row(fnv(16, &[&[b], &[s]])))
                .collect(),
            shape_word: shapes.map(|s| fnv_state(14, &[&[s]])).collect(),
            prev: tags.iter().map(|&p| row(fnv(4, &[&[p]]))).collect(),
            prev_two: tags
                .iter()
                .flat_map(|&p1| tags.iter().map(move |&p2| (p1, p2)))
                .map(|(p1, p2)| row(fnv(5, &[&[p1, p2]])))
                .collect(),
            prev_word: tags.iter().map(|&p| fnv_state(6, &[&[p]])).collect(),
            none,
        };
        Model {
            names,
            flags,
            index,
            rows,
            fixed,
        }
    }

    fn form_rows_in(index: &Index, w: &[u8]) -> FormRows {
        let s = suffix(w);
        FormRows {
            word: index.row(fnv(1, &[w])),
            suffix: index.row(fnv(2, &[s])),
            as_prev: index.row(fnv(7, &[w])),
            as_prev_suffix: index.row(fnv(8, &[s])),
            as_next: index.row(fnv(9, &[w])),
            as_next_suffix: index.row(fnv(10, &[s])),
            as_prev2: index.row(fnv(11, &[w])),
            as_next2: index.row(fnv(12, &[w])),
            pair: fnv_state(15, &[w]),
        }
    }

    /// The history index of a previous tag: itself, or one past the tag set for the start.
    fn hist(&self, p: u8) -> usize {
        usize::from(p).min(self.n())
    }

    #[inline]
    fn add(&self, row: u32, scores: &mut Scores) {
        let w = &self.rows[row as usize].0;
        for (s, &w) in scores.iter_mut().zip(w) {
            // Exact: see `Scores`.
            *s = s.wrapping_add(i16::from(w));
        }
    }

    /// Tags `tokens[a..b]` (one sentence) into `out[a..b]`.
    #[cfg(test)]
    pub fn tag_sentence(&self, tokens: &[Token], a: usize, b: usize, out: &mut [u8]) {
        // Not the analyzer's buffers: the trainer tags with weights of its own.
        self.tag_sentence_with(tokens, a, b, out, &mut Scratch::default());
    }

    /// [`Self::tag_sentence`] with reusable buffers. Two passes: the rows of the 14 features
    /// that do not depend on earlier tags, for every token, each row read right away
    /// (independent reads the processor overlaps, where the scoring's longer work would let
    /// only a token's reads overlap at a time); then left to right the scores, with the three
    /// tag-history features, from rows now in cache.
    fn tag_sentence_with(&self, tokens: &[Token], a: usize, b: usize, out: &mut [u8], buf: &mut Scratch) {
        let fx = &self.fixed;
        buf.sent.clear();
        for t in &tokens[a..b] {
            let w = form(t);
            let f = match buf.forms.get(w) {
                Some(f) => *f,
                None => {
                    let f = Self::form_rows_in(&self.index, w);
                    buf.forms.insert(w.into(), f);
                    f
                }
            };
            buf.sent.push(f);
        }
        buf.rows.clear();
        let mut touched = 0i8;
        let sent = &buf.sent;
        for k in 0..b - a {
            let i = a + k;
            let t = &tokens[i];
            let w = form(t);
            let f = &sent[k];
            let prev = k.checked_sub(1).map_or(&fx.none, |j| &sent[j]);
            let prev2 = k.checked_sub(2).map_or(&fx.none, |j| &sent[j]);
            let next = sent.get(k + 1).unwrap_or(&fx.none);
            let next2 = sent.get(k + 2).unwrap_or(&fx.none);
            let sh = usize::from(shape(t, k == 0));
            let (next_w, next_sh) = match tokens[i + 1..b].first() {
                Some(n) => (form(n), usize::from(shape(n, false))),
                None => (NO_TOKEN, 0),
            };
            let first_shape = match w.first() {
                Some(&c) => fx.first_shape[usize::from(c) * SHAPES + sh],
                None => self.index.row(fnv(16, &[&[], &[shape(t, k == 0)]])),
            };
            let r = [
                fx.bias,
                f.word,
                f.suffix,
                fx.shape[sh],
                prev.as_prev,
                prev.as_prev_suffix,
                next.as_next,
                next.as_next_suffix,
                prev2.as_prev2,
                next2.as_next2,
                fx.shape_pair[sh * SHAPES + next_sh],
                self.index.row(fnv_continue(fx.shape_word[sh], w)),
                self.index.row(fnv_continue(f.pair, next_w)),
                first_shape,
            ];
            for &x in &r {
                touched ^= self.rows[x as usize].0[0];
            }
            buf.rows.push(r);
        }
        // Keeps the reads above: their only use is warming the cache.
        std::hint::black_box(touched);
        let n = self.n();
        let (mut p1, mut p2) = (START, START);
        for (k, slot) in out[a..b].iter_mut().enumerate() {
            let mut scores = [0i16; LANES];
            for &x in &buf.rows[k] {
                self.add(x, &mut scores);
            }
            let (h1, h2) = (self.hist(p1), self.hist(p2));
            self.add(fx.prev[h1], &mut scores);
            self.add(fx.prev_two[h1 * (n + 1) + h2], &mut scores);
            let w = form(&tokens[a + k]);
            self.add(self.index.row(fnv_continue(fx.prev_word[h1], w)), &mut scores);
            let best = argmax(&scores[..n]);
            *slot = best;
            p2 = p1;
            p1 = best;
        }
    }
}

/// Buffers of [`Model::tag_sentence_with`] for one model: the rows of the word forms met so
/// far, and per-sentence buffers reused across sentences.
#[derive(Default)]
struct Scratch {
    forms: FxHashMap<Box<[u8]>, FormRows>,
    sent: Vec<FormRows>,
    rows: Vec<[u32; N_STATIC]>,
}

/// Word forms whose rows [`tag`] keeps per thread, at most (about 3 MB); past it, it starts
/// afresh. Most of an article's words were met in earlier articles.
const MAX_FORMS: usize = 1 << 15;

thread_local! {
    /// [`tag`]'s buffers, for the compiled-in model only: rows of its forms, kept across
    /// articles.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

const START: u8 = u8::MAX;
/// The tag of a token the tagger has not seen (outside sentences); it has no classes.
pub const UNTAGGED: u8 = u8::MAX;

/// The first tag with the highest score.
fn argmax(s: &[i16]) -> u8 {
    let max = s.iter().copied().max().unwrap_or(0);
    let best = s.iter().position(|&v| v == max).unwrap_or(0);
    u8::try_from(best).unwrap_or(0)
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.i..self.i + n)?;
        self.i += n;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
}

const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a's state after a template id and whole parts (each part's bytes, then 0xff).
fn fnv_state(template: u8, parts: &[&[u8]]) -> u64 {
    let h = (0xcbf2_9ce4_8422_2325 ^ u64::from(template)).wrapping_mul(FNV_PRIME);
    parts.iter().fold(h, |h, p| fnv_continue(h, p))
}

/// FNV-1a state `h` continued by one more part.
#[inline]
fn fnv_continue(h: u64, part: &[u8]) -> u64 {
    let h = part
        .iter()
        .fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME));
    (h ^ 0xff).wrapping_mul(FNV_PRIME)
}

/// FNV-1a over a template id and bytes: stable across builds and platforms, so the weights
/// file can key features by it.
fn fnv(template: u8, parts: &[&[u8]]) -> u64 {
    fnv_state(template, parts)
}

/// The word form a feature uses: the lowercased word, or a class for numbers.
fn form(t: &Token) -> &[u8] {
    match t.kind {
        TokKind::Number => b"<num>",
        _ => t.norm.bytes(),
    }
}

fn suffix(w: &[u8]) -> &[u8] {
    let n = w.len();
    // Whole UTF-8 chars only: step back to a char boundary.
    let mut s = n.saturating_sub(3);
    while s > 0 && (w[s] & 0xC0) == 0x80 {
        s -= 1;
    }
    &w[s..]
}

/// Word shape: capitalisation, digits, hyphen, sentence start, punctuation (six bits).
fn shape(t: &Token, first: bool) -> u8 {
    let mut s = 0u8;
    if t.first.is_uppercase() {
        s |= 1;
        if t.caps {
            s |= 2;
        }
    }
    if t.kind == TokKind::Number || t.first.is_ascii_digit() {
        s |= 4;
    }
    if t.norm.bytes().contains(&b'-') {
        s |= 8;
    }
    if first {
        s |= 16;
    }
    if t.kind == TokKind::Punct {
        s |= 32;
    }
    s
}

/// Feature templates per token (see [`features`]): those fixed by the words, and those of
/// the tag history.
const N_STATIC: usize = 14;
#[cfg(test)]
const N_FEATURES: usize = N_STATIC + 3;

/// Every feature of token `i`, in one array: the trainer's view, and the definition
/// [`Model::tag_sentence_with`] computes by other means.
#[cfg(test)]
fn features(tokens: &[Token], a: usize, b: usize, i: usize, p1: u8, p2: u8, out: &mut [u64; N_FEATURES]) {
    let mut fixed = [0u64; N_STATIC];
    static_features(tokens, a, b, i, &mut fixed);
    out[..N_STATIC].copy_from_slice(&fixed);
    out[N_STATIC..].copy_from_slice(&history_features(form(&tokens[i]), p1, p2));
}

/// Features of the previous two tags (and the word after the previous tag).
#[cfg(test)]
fn history_features(w: &[u8], p1: u8, p2: u8) -> [u64; 3] {
    [fnv(4, &[&[p1]]), fnv(5, &[&[p1, p2]]), fnv(6, &[&[p1], w])]
}

/// Features of token `i` of the sentence `[a, b)` that do not depend on tags.
#[cfg(test)]
fn static_features(tokens: &[Token], a: usize, b: usize, i: usize, out: &mut [u64; N_STATIC]) {
    let t = &tokens[i];
    let w = form(t);
    let sh = shape(t, i == a);
    let prev = (i > a).then(|| &tokens[i - 1]);
    let prev2 = (i > a + 1).then(|| &tokens[i - 2]);
    let next = (i + 1 < b).then(|| &tokens[i + 1]);
    let next2 = (i + 2 < b).then(|| &tokens[i + 2]);
    let none: &[u8] = NO_TOKEN;
    let pre: &[u8] = &w[..w.len().min(1)];
    *out = [
        fnv(0, &[]),
        fnv(1, &[w]),
        fnv(2, &[suffix(w)]),
        fnv(3, &[&[sh]]),
        fnv(7, &[prev.map_or(none, form)]),
        fnv(8, &[prev.map_or(none, |p| suffix(form(p)))]),
        fnv(9, &[next.map_or(none, form)]),
        fnv(10, &[next.map_or(none, |p| suffix(form(p)))]),
        fnv(11, &[prev2.map_or(none, form)]),
        fnv(12, &[next2.map_or(none, form)]),
        fnv(13, &[&[sh], &[next.map_or(0, |n| shape(n, false))]]),
        fnv(14, &[&[sh], w]),
        fnv(15, &[w, next.map_or(none, form)]),
        fnv(16, &[pre, &[sh]]),
    ];
}

pub fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| {
        Model::parse(include_bytes!("../../data/tagger/tagger.bin"))
            .unwrap_or_else(|| Model::new(vec!["X".to_string()], Index::with_keys(0), vec![Row([0; LANES])]))
    })
}

/// Tags every sentence `[a, b)` of `sentences` (token ranges); tokens outside stay
/// [`UNTAGGED`].
pub fn tag(tokens: &[Token], sentences: impl Iterator<Item = (usize, usize)>) -> Vec<u8> {
    let m = model();
    let mut out = vec![UNTAGGED; tokens.len()];
    SCRATCH.with_borrow_mut(|buf| {
        if buf.forms.len() > MAX_FORMS {
            buf.forms.clear();
        }
        for (a, b) in sentences {
            m.tag_sentence_with(tokens, a, b, &mut out, buf);
        }
    });
    out
}

/// A capitalised word at the start of a sentence says nothing about names, so the tagger
/// may read "Sanders said" as a plural noun. When the same word appears capitalised inside
/// sentences of the article, tagged as a name, and never in lower case, it takes that tag.
pub fn names_from_document(tokens: &mut [Token], sentence_starts: impl Iterator<Item = usize>) {
    use class::PROPER;
    let m = model();
    let starts: Vec<usize> = sentence_starts.collect();
    let mut is_start = vec![false; tokens.len()];
    for &s in &starts {
        // The first word, after any opening quotes or brackets.
        if let Some(k) = (s..tokens.len().min(s + 3)).find(|&k| tokens[k].is_word()) {
            is_start[k] = true;
        }
    }
    let mut named: FxHashMap<&[u8], u8> = FxHashMap::default();
    let mut lower: rustc_hash::FxHashSet<&[u8]> = Default::default();
    for (k, t) in tokens.iter().enumerate() {
        if !t.is_word() {
            continue;
        }
        if !t.first.is_uppercase() {
            lower.insert(t.norm.bytes());
        } else if !is_start[k] && m.flags(t.tag) & PROPER != 0 {
            named.entry(t.norm.bytes()).or_insert(t.tag);
        }
    }
    let fixes: Vec<(usize, u8)> = starts
        .iter()
        .filter_map(|&s| (s..tokens.len().min(s + 3)).find(|&k| tokens[k].is_word()))
        .filter(|&k| tokens[k].first.is_uppercase() && m.flags(tokens[k].tag) & PROPER == 0)
        .filter_map(|k| {
            let w = tokens[k].norm.bytes();
            (!lower.contains(w)).then(|| named.get(w).map(|&g| (k, g)))?
        })
        .collect();
    for (k, g) in fixes {
        tokens[k].tag = g;
    }
}

/// Noun-phrase chunks over tags: maximal runs of determiners, possessives, numbers,
/// adjectives and nouns that end in a noun (or are a lone pronoun). Token ranges `[s, e)`.
pub fn np_chunks(tokens: &[Token], a: usize, b: usize) -> Vec<(usize, usize)> {
    use class::*;
    let mut out = Vec::new();
    let mut i = a;
    while i < b {
        let f = tokens[i].pos();
        if f & PRON != 0 && tokens[i].is_word() {
            out.push((i, i + 1));
            i += 1;
            continue;
        }
        if f & (DET | POSS | NUM | ADJ | NOUN) == 0 {
            i += 1;
            continue;
        }
        let s = i;
        let mut last_noun = None;
        while i < b {
            let f = tokens[i].pos();
            let t = &tokens[i];
            let joins = f & (DET | POSS | NUM | ADJ | NOUN) != 0
                || t.is_punct('-')
                || (t.is_punct('.') && i > s && tokens[i - 1].end == t.start);
            if !joins || (i > s && f & DET != 0 && last_noun.is_some()) {
                break;
            }
            if f & NOUN != 0 {
                last_noun = Some(i);
            }
            i += 1;
        }
        match last_noun {
            Some(e) => out.push((s, e + 1)),
            None => {
                if i == s {
                    i += 1;
                }
            }
        }
    }
    out
}

#[cfg(test)]
pub mod train;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tokenize::{tokenize, Doc};

    fn tags_of(text: &str) -> Vec<(String, String)> {
        let doc = Doc::new(text);
        let toks = tokenize(&doc);
        let tags = tag(&toks, std::iter::once((0, toks.len())));
        toks.iter()
            .zip(&tags)
            .map(|(t, &g)| (doc.slice(t.start, t.end).to_string(), model().name(g).to_string()))
            .collect()
    }

    #[test]
    fn tags_reporting_verbs_and_names() {
        let t = tags_of("Treasury Department spokeswoman Ana Ruiz said the plan failed.");
        let get = |w: &str| {
            t.iter()
                .find(|(x, _)| x == w)
                .map(|x| x.1.clone())
                .unwrap_or_default()
        };
        assert_eq!(get("said"), "VBD", "{t:?}");
        assert_eq!(get("spokeswoman"), "NN", "{t:?}");
        assert!(get("Ruiz").starts_with("NNP-PER"), "{t:?}");
        assert!(get("Department").starts_with("NNP-ORG"), "{t:?}");
        let t = tags_of("Officials said the talks continued.");
        assert_eq!(t[0].1, "NNS", "{t:?}");
    }

    /// The tagger reads its features' rows by shortcuts (rows per word form, tables of the
    /// features that take few values, 16-bit sums); its tags must be those the features as
    /// defined give with the weights file read plainly.
    #[test]
    fn tags_are_those_of_the_features_as_defined() {
        let bytes = include_bytes!("../../data/tagger/tagger.bin");
        let m = model();
        let n = m.n();
        // The weights file, read without the index.
        let mut plain: FxHashMap<u64, Vec<i32>> = FxHashMap::default();
        let mut i = 7 + m.names.iter().map(|s| 1 + s.len()).sum::<usize>() + 4;
        let nf = u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
        i += 4;
        for _ in 0..nf {
            let key = u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap());
            let w = bytes[i + 8..i + 8 + n]
                .iter()
                .map(|&b| i32::from(b as i8))
                .collect();
            if key != 0 {
                plain.insert(key, w);
            }
            i += 8 + n;
        }
        assert_eq!(i, bytes.len());
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        assert!(!texts.is_empty());
        texts.push("A 2.5% rise \u{2014} \u{201c}Ça va?\u{201d} said Zoë O\u{2019}Neil-Smith, 42, of the U.S. NATO-led x".into());
        texts.push("Hi".into());
        let mut checked = 0;
        for text in &texts {
            let doc = Doc::new(text);
            let toks = tokenize(&doc);
            let mut sents = vec![(0, toks.len())];
            for p in crate::analysis::sentences::paragraphs(&toks) {
                for s in crate::analysis::sentences::sentences(&toks, p.tok_start, p.tok_end) {
                    sents.push((s.tok_start, s.tok_end));
                }
            }
            for &(a, b) in &sents {
                let mut fast = vec![UNTAGGED; toks.len()];
                m.tag_sentence(&toks, a, b, &mut fast);
                let (mut p1, mut p2) = (START, START);
                for (i, &got) in fast.iter().enumerate().take(b).skip(a) {
                    let mut f = [0u64; N_FEATURES];
                    features(&toks, a, b, i, p1, p2, &mut f);
                    let mut s = vec![0i32; n];
                    for w in f.iter().filter_map(|k| plain.get(k)) {
                        s.iter_mut().zip(w).for_each(|(s, w)| *s += w);
                    }
                    let best = (0..n).fold(0, |b, t| if s[t] > s[b] { t } else { b });
                    assert_eq!(usize::from(got), best, "token {i} of {text:?}");
                    p2 = p1;
                    p1 = got;
                    checked += 1;
                }
            }
        }
        assert!(checked > 2000, "{checked}");
    }

    #[test]
    fn chunks_keep_coordinated_names_whole() {
        let text = "The Committee on Energy and Commerce said the report was late.";
        let doc = Doc::new(text);
        let mut toks = tokenize(&doc);
        let tags = tag(&toks, std::iter::once((0, toks.len())));
        for (t, g) in toks.iter_mut().zip(tags) {
            t.tag = g;
        }
        let ch = np_chunks(&toks, 0, toks.len());
        let words: Vec<String> = ch
            .iter()
            .map(|&(s, e)| doc.slice(toks[s].start, toks[e - 1].end).to_string())
            .collect();
        assert!(
            words.contains(&"the report".to_string()) || words.contains(&"report".to_string()),
            "{words:?}"
        );
    }
}

#[cfg(test)]
mod debug {
    #[test]
    #[ignore]
    fn show_tags() {
        let text = std::env::var("TAG_TEXT").unwrap_or_default();
        let doc = crate::analysis::tokenize::Doc::new(&text);
        let toks = crate::analysis::tokenize::tokenize(&doc);
        let tags = super::tag(&toks, std::iter::once((0, toks.len())));
        for (t, g) in toks.iter().zip(tags) {
            eprint!("{}/{} ", doc.slice(t.start, t.end), super::model().name(g));
        }
        eprintln!();
    }
}
