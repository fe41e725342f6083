//! Owns the syntactic layer: a greedy averaged-perceptron part-of-speech tagger over the
//! analyzer's own tokens, whose tag set refines proper nouns by name class (`NNP-PER`,
//! `NNP-ORG`, `NNP-LOC`, `NNP-NORP`), and noun-phrase chunks built on its tags.
//!
//! The weights (`data/tagger/tagger.bin`, compiled in) were trained offline on silver tags
//! of PolNeAR train text; see `data/tagger/make.py` and docs/analyzer.md. Tagging is linear
//! in the number of tokens: a dozen hashed features per token, each one row of weights.

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

/// Widest tag set the weights may have: a feature's key and its weights for every tag fill
/// one 64-byte cache line.
const ROW: usize = 56;

/// One feature: its key and its weight for every tag, as stored (signed bytes; the file's
/// common scale changes no argmax, so scores are integer sums).
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Entry {
    key: u64,
    w: [i8; ROW],
}

/// The feature table, open-addressed with linear probing over cache-line entries. Tagging is
/// bound by memory reads, not arithmetic: a general hash map keeps the key and the weights
/// apart (two cache misses per feature), this table reads one line per feature. Key 0 marks
/// an empty slot.
struct Table {
    shift: u32,
    slots: Vec<Entry>,
}

impl Table {
    fn with_keys(n: usize) -> Table {
        // Load factor at most 1/2, so a miss ends after a probe or two.
        let bits = (2 * n.max(1)).next_power_of_two().trailing_zeros().max(1);
        Table {
            shift: 64 - bits,
            slots: vec![Entry { key: 0, w: [0; ROW] }; 1usize << bits],
        }
    }

    fn home(&self, key: u64) -> usize {
        // The keys are already hashes; the multiply spreads their high bits.
        usize::try_from(key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift).unwrap_or(0)
    }

    fn insert(&mut self, key: u64, w: [i8; ROW]) {
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        while self.slots[i].key != 0 && self.slots[i].key != key {
            i = (i + 1) & mask;
        }
        self.slots[i] = Entry { key, w };
    }

    /// The key in `key`'s home slot (reading it brings the slot into cache).
    fn first_key(&self, key: u64) -> u64 {
        self.slots[self.home(key)].key
    }

    fn get(&self, key: u64) -> Option<&[i8; ROW]> {
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            let e = &self.slots[i];
            if e.key == key {
                return Some(&e.w);
            }
            if e.key == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }
}

pub struct Model {
    names: Vec<String>,
    flags: Vec<u32>,
    table: Table,
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
        let mut table = Table::with_keys(nf);
        for _ in 0..nf {
            let key = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
            let mut w = [0i8; ROW];
            for (d, &b) in w.iter_mut().zip(r.take(n)?) {
                *d = b as i8;
            }
            // A key of 0 (one chance in 2^64) would read as an empty slot: drop it.
            if key != 0 {
                table.insert(key, w);
            }
        }
        let flags = names.iter().map(|s| classes_of(s)).collect();
        Some(Model { names, flags, table })
    }

    fn add(&self, key: u64, scores: &mut [i32; ROW]) {
        if let Some(w) = self.table.get(key) {
            scores.iter_mut().zip(w).for_each(|(s, &w)| *s += i32::from(w));
        }
    }

    /// Tags `tokens[a..b]` (one sentence) into `out[a..b]`.
    #[cfg(test)]
    pub fn tag_sentence(&self, tokens: &[Token], a: usize, b: usize, out: &mut [u8]) {
        self.tag_sentence_with(tokens, a, b, out, &mut Scratch::default());
    }

    /// [`Self::tag_sentence`] with reusable buffers. Three passes: the keys of the features
    /// that do not depend on earlier tags, for every token, each key's table slot read right
    /// away (independent reads the processor overlaps, where a lookup's hit-or-miss branch
    /// would otherwise wait for each read in turn); then their scores, from slots now in
    /// cache; then left to right the three tag-history features.
    fn tag_sentence_with(&self, tokens: &[Token], a: usize, b: usize, out: &mut [u8], buf: &mut Scratch) {
        let n = self.n();
        buf.keys.clear();
        let mut touched = 0u64;
        for i in a..b {
            let mut keys = [0u64; N_STATIC];
            static_features(tokens, a, b, i, &mut keys);
            for &k in &keys {
                touched ^= self.table.first_key(k);
            }
            buf.keys.push(keys);
        }
        // Keeps the reads above: their only use is warming the cache.
        std::hint::black_box(touched);
        buf.fixed.clear();
        for keys in &buf.keys {
            let mut scores = [0i32; ROW];
            for &k in keys {
                self.add(k, &mut scores);
            }
            buf.fixed.push(scores);
        }
        let (mut p1, mut p2) = (START, START);
        for (i, slot) in out.iter_mut().enumerate().take(b).skip(a) {
            let mut scores = buf.fixed[i - a];
            for k in history_features(form(&tokens[i]), p1, p2) {
                self.add(k, &mut scores);
            }
            let best = argmax(&scores[..n]);
            *slot = best;
            p2 = p1;
            p1 = best;
        }
    }
}

/// Per-sentence buffers of [`Model::tag_sentence_with`], reused across sentences.
#[derive(Default)]
struct Scratch {
    keys: Vec<[u64; N_STATIC]>,
    fixed: Vec<[i32; ROW]>,
}

const START: u8 = u8::MAX;
/// The tag of a token the tagger has not seen (outside sentences); it has no classes.
pub const UNTAGGED: u8 = u8::MAX;

fn argmax(s: &[i32]) -> u8 {
    let mut best = 0;
    for (i, &v) in s.iter().enumerate() {
        if v > s[best] {
            best = i;
        }
    }
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

/// FNV-1a over a template id and bytes: stable across builds and platforms, so the weights
/// file can key features by it.
fn fnv(template: u8, parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    eat(template);
    for p in parts {
        for &b in *p {
            eat(b);
        }
        eat(0xff);
    }
    h
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

/// Word shape: capitalisation, digits, hyphen, sentence start.
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

/// Every feature of token `i`, in one array (the trainer's view).
#[cfg(test)]
fn features(tokens: &[Token], a: usize, b: usize, i: usize, p1: u8, p2: u8, out: &mut [u64; N_FEATURES]) {
    let mut fixed = [0u64; N_STATIC];
    static_features(tokens, a, b, i, &mut fixed);
    out[..N_STATIC].copy_from_slice(&fixed);
    out[N_STATIC..].copy_from_slice(&history_features(form(&tokens[i]), p1, p2));
}

/// Features of the previous two tags (and the word after the previous tag).
fn history_features(w: &[u8], p1: u8, p2: u8) -> [u64; 3] {
    [fnv(4, &[&[p1]]), fnv(5, &[&[p1, p2]]), fnv(6, &[&[p1], w])]
}

/// Features of token `i` of the sentence `[a, b)` that do not depend on tags.
fn static_features(tokens: &[Token], a: usize, b: usize, i: usize, out: &mut [u64; N_STATIC]) {
    let t = &tokens[i];
    let w = form(t);
    let sh = shape(t, i == a);
    let prev = (i > a).then(|| &tokens[i - 1]);
    let prev2 = (i > a + 1).then(|| &tokens[i - 2]);
    let next = (i + 1 < b).then(|| &tokens[i + 1]);
    let next2 = (i + 2 < b).then(|| &tokens[i + 2]);
    let none: &[u8] = b"<none>";
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
        Model::parse(include_bytes!("../../data/tagger/tagger.bin")).unwrap_or_else(|| Model {
            names: vec!["X".to_string()],
            flags: vec![0],
            table: Table::with_keys(0),
        })
    })
}

/// Tags every sentence `[a, b)` of `sentences` (token ranges); tokens outside stay
/// [`UNTAGGED`].
pub fn tag(tokens: &[Token], sentences: impl Iterator<Item = (usize, usize)>) -> Vec<u8> {
    let m = model();
    let mut out = vec![UNTAGGED; tokens.len()];
    let mut buf = Scratch::default();
    for (a, b) in sentences {
        m.tag_sentence_with(tokens, a, b, &mut out, &mut buf);
    }
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
