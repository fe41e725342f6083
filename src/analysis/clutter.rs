//! Owns page layout: the title, a section label above it, the byline, and page clutter
//! (comment policy, calls to action, media credits, source lists, widgets, author bio).
//! Clutter is flagged, never dropped.

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

use super::model::ClutterKind;
use super::sentences::Segment;
use super::tokenize::{Doc, Token};

pub struct Layout {
    /// Paragraph index of the title, if any.
    pub title: Option<usize>,
    /// Paragraph index of the byline and the author names in it.
    pub byline: Option<usize>,
    pub authors: Vec<String>,
    /// Char span of the byline names ("Luis Salomon and Jaime Ortega"); of the first
    /// author's name when the byline also gives posts.
    pub byline_names: Option<(usize, usize)>,
    /// The first author's post, when it is in scholarship or research ("Reader in French
    /// Studies, University of Warwick"): the piece is an expert's contribution.
    pub expert: Option<String>,
    /// Clutter kind per paragraph.
    pub clutter: Vec<Option<ClutterKind>>,
}

fn words_in(tokens: &[Token], p: &Segment) -> usize {
    tokens[p.tok_start..p.tok_end]
        .iter()
        .filter(|t| t.is_word())
        .count()
}

fn ends_sentence(doc: &Doc, p: &Segment) -> bool {
    doc.slice(p.start, p.end)
        .trim_end()
        .ends_with(['.', '!', '?', '”', '"'])
}

pub fn layout(doc: &Doc, tokens: &[Token], paras: &[Segment]) -> Layout {
    let mut clutter: Vec<Option<ClutterKind>> = paras.iter().map(|p| kind_of(doc, tokens, p)).collect();
    // Section label: a short, unpunctuated first line above a title-like line.
    let mut title = None;
    let mut first = 0;
    while first < paras.len() && clutter[first].is_some() {
        first += 1;
    }
    if first < paras.len() {
        let p = &paras[first];
        let n = words_in(tokens, p);
        let next_title_like = paras
            .get(first + 1)
            .is_some_and(|q| !ends_sentence(doc, q) && words_in(tokens, q) <= 25 && words_in(tokens, q) > n);
        if n <= 3 && !ends_sentence(doc, p) && next_title_like {
            clutter[first] = Some(ClutterKind::SectionLabel);
            title = Some(first + 1);
        } else {
            title = Some(first);
        }
    }
    // Byline: "By X and Y.", or "By X, Post, Institution; Y, Post" within the first few
    // lines after the title.
    let mut byline = None;
    let mut authors = Vec::new();
    let mut byline_names = None;
    let mut expert = None;
    if let Some(t) = title {
        for (i, p) in paras.iter().enumerate().skip(t + 1).take(3) {
            let toks = &tokens[p.tok_start..p.tok_end];
            if !toks.first().is_some_and(|x| x.is("by")) || toks.len() < 2 {
                continue;
            }
            let s = toks[1].start;
            let text = doc.slice(s, p.end);
            let trimmed = text.trim_end_matches(['.', ':', ',', ' ', ';']);
            let n = words_in(tokens, p);
            if n > 80 {
                continue;
            }
            let Some(b) = parse_byline(trimmed, n <= 12) else {
                continue;
            };
            let e = s + b.names_end;
            byline_names = Some((s, e));
            authors = b.names;
            expert = b.expert;
            byline = Some(i);
            break;
        }
    }
    // Caption: a short unfinished line right above a media credit ("Canada takes on
    // Australia in wheelchair rugby" / "Image: Laura Hale.").
    for i in 1..paras.len() {
        if clutter[i] == Some(ClutterKind::MediaCredit)
            && clutter[i - 1].is_none()
            && Some(i - 1) != title
            && words_in(tokens, &paras[i - 1]) <= 25
            && !ends_sentence(doc, &paras[i - 1])
        {
            clutter[i - 1] = Some(ClutterKind::Caption);
        }
    }
    // Author bio: a late paragraph opening with an author's name and "is a/an/the".
    let n = paras.len();
    for i in n.saturating_sub(4)..n {
        if clutter[i].is_some() || Some(i) == title {
            continue;
        }
        let p = &paras[i];
        let text = doc.slice(p.start, p.end);
        let by_author = authors.iter().any(|a| text.starts_with(a.as_str()));
        let toks = &tokens[p.tok_start..p.tok_end];
        let name_is = toks.len() > 4
            && toks[0].is_capitalized()
            && toks[1].is_capitalized()
            && toks[2].is("is")
            && (toks[3].is("a") || toks[3].is("an") || toks[3].is("the"));
        let bio_word = [
            "contributor",
            "writer",
            "columnist",
            "reporter",
            "editor",
            "author",
            "correspondent",
            "journalist",
            "fellow",
        ];
        let bio_word = name_is && toks.iter().any(|t| bio_word.iter().any(|w| t.norm.is(w)));
        if (by_author && name_is) || (name_is && bio_word && i + 3 >= n) {
            clutter[i] = Some(ClutterKind::AuthorBio);
        }
    }
    Layout {
        title,
        byline,
        authors,
        byline_names,
        expert,
        clutter,
    }
}

/// A byline read into names and posts.
struct Byline {
    names: Vec<String>,
    /// Chars from the start of the byline text to the end of the names (of the first
    /// author's name when posts follow it).
    names_end: usize,
    expert: Option<String>,
}

/// The affiliation words of `data/lexicons/byline.txt`: (expert, press).
fn affiliation_words() -> &'static (FxHashSet<String>, FxHashSet<String>) {
    static W: OnceLock<(FxHashSet<String>, FxHashSet<String>)> = OnceLock::new();
    W.get_or_init(|| {
        let (mut expert, mut press) = (FxHashSet::default(), FxHashSet::default());
        for (section, w) in super::lexicon::sectioned(include_str!("../../data/lexicons/byline.txt")) {
            match section {
                "expert" => expert.insert(w.to_string()),
                "press" => press.insert(w.to_string()),
                _ => false,
            };
        }
        (expert, press)
    })
}

/// Whether one comma-separated part of a byline gives a post ("Senior Lecturer in
/// History", "University of Leeds", "Reuters staff") rather than a name; and whether the
/// post is an expert's.
fn post_of(part: &str) -> Option<bool> {
    let (expert, press) = affiliation_words();
    let words: Vec<String> = part
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let is_expert = words.iter().any(|w| expert.contains(w));
    let is_press = words.iter().any(|w| press.contains(w));
    let linked = words
        .iter()
        .any(|w| matches!(w.as_str(), "of" | "in" | "for" | "at"));
    (is_expert || is_press || linked || words.len() > 4).then_some(is_expert && !is_press)
}

/// A person's name: two to five words, each capitalised ("Birte Julia Gippert").
fn name_like(part: &str) -> bool {
    let words: Vec<&str> = part.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase) || w.ends_with('.'))
}

/// Reads "X and Y" (a short line: `short`) or "X, Post, Institution; Y, Post" into names
/// and posts; `None` when the line is no byline ("By Monday morning, the ritual had …").
fn parse_byline(text: &str, short: bool) -> Option<Byline> {
    let has_posts = text.split([',', ';']).skip(1).any(|p| post_of(p).is_some());
    if !has_posts {
        if !short {
            return None;
        }
        return Some(Byline {
            names: split_names(text),
            names_end: text.chars().count(),
            expert: None,
        });
    }
    let mut names = Vec::new();
    let mut names_end = None;
    let mut expert = None;
    for entry in text.split(';') {
        let mut parts = entry.split(',');
        let first = parts.next()?.trim();
        let people = split_names(first);
        if people.is_empty() || !people.iter().all(|n| name_like(n)) {
            return None;
        }
        if names_end.is_none() {
            let lead = entry.len() - entry.trim_start().len();
            names_end = Some(text[..lead + first.len()].chars().count());
        }
        names.extend(people);
        let posts: Vec<&str> = parts.map(str::trim).filter(|p| !p.is_empty()).collect();
        if expert.is_none() && posts.iter().any(|p| post_of(p) == Some(true)) {
            expert = Some(posts.join(", "));
        }
    }
    Some(Byline {
        names,
        names_end: names_end?,
        expert,
    })
}

fn split_names(s: &str) -> Vec<String> {
    s.split([',', ';', '&'])
        .flat_map(|part| part.split(" and "))
        .map(|x| x.trim().trim_end_matches('.').trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// The clutter kind of one paragraph, judged from its own text.
fn kind_of(doc: &Doc, tokens: &[Token], p: &Segment) -> Option<ClutterKind> {
    let n = words_in(tokens, p);
    // Page furniture is short; long paragraphs are article text (and skipping them keeps
    // this pass cheap).
    if n > 80 {
        return None;
    }
    let text = doc.slice(p.start, p.end).trim();
    let lower = text.to_lowercase();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|x| lower.starts_with(x));
    if (lower.contains("comment")
        && (lower.contains("tolerance")
            || lower.contains("policy")
            || lower.contains("courteous")
            || lower.contains("moderat")))
        || (n <= 40 && lower.contains("comments") && lower.contains("reserve the right"))
    {
        return Some(ClutterKind::CommentPolicy);
    }
    if n <= 12
        && starts(&[
            "join the conversation",
            "read the rest",
            "read more",
            "click here",
            "subscribe",
            "sign up",
            "follow us",
            "share this",
            "like us on",
            "continue reading",
            "watch the",
            "watch:",
            "listen:",
            "download",
        ])
    {
        return Some(ClutterKind::CallToAction);
    }
    if n <= 20
        && starts(&[
            "photo source",
            "photo:",
            "photo credit",
            "image:",
            "image source",
            "(photo",
            "photograph:",
            "credit:",
            "getty images",
            "ap photo",
            "featured image",
            "video source",
            "screenshot",
        ])
    {
        return Some(ClutterKind::MediaCredit);
    }
    if n <= 8 && (starts(&["i'm ", "i’m ", "and i'm ", "and i’m ", "i am "]) && ends_sentence(doc, p)) {
        // "I'm Mario Ritter." closes broadcast copy: the name, nothing else.
        let toks = &tokens[p.tok_start..p.tok_end];
        let k = toks
            .iter()
            .position(|t| t.is("i'm") || t.is("am"))
            .map_or(0, |k| k + 1);
        let name = toks[k..]
            .iter()
            .filter(|t| t.is_word())
            .all(Token::is_capitalized);
        if name && toks[k..].iter().any(Token::is_word) {
            return Some(ClutterKind::SignOff);
        }
    }
    if starts(&[
        "please note that due to our archival policy",
        "editor's note",
        "editor’s note",
        "editors' note",
        "this article is more than",
        "this story has been updated",
        "this article has been updated",
        "correction:",
        "clarification:",
        "disclosure statement",
        "this page is archived",
        "note that some listed sources",
        "got a correction?",
        "this page has been archived",
        "this story was first published",
        "this article was first published",
        "this article was originally published",
        "this article is republished",
        "this article features references",
        "this article contains affiliate",
        "this article contains links",
        "this article includes links",
    ]) {
        return Some(ClutterKind::Notice);
    }
    if n <= 30
        && starts(&[
            "we want to hear from you",
            "write to us",
            "tell us what you think",
            "newsletter",
            "sign up for",
            "get our",
            "[read",
            "read:",
            "read more:",
            "read also",
            "most read",
        ])
    {
        return Some(ClutterKind::CallToAction);
    }
    // "Problems? See our media guide.", "Visit our help page": the site pointing the reader
    // to its own pages, in the imperative.
    if n <= 12 && reader_pointed_to_site(&lower) {
        return Some(ClutterKind::CallToAction);
    }
    if n <= 30
        && starts(&[
            "map:",
            "chart:",
            "graphic:",
            "graphics:",
            "slideshow",
            "photo gallery",
            "gallery:",
        ])
    {
        return Some(ClutterKind::MediaCredit);
    }
    if n <= 30 && starts(&["sources:", "source:"]) {
        return Some(ClutterKind::SourceList);
    }
    if n <= 4
        && matches!(
            lower.trim_end_matches([':', '.']),
            "popular video"
                | "related"
                | "trending"
                | "advertisement"
                | "recommended"
                | "you may also like"
                | "more video"
                | "sponsored"
                | "related articles"
                | "related posts"
                | "popular"
        )
    {
        return Some(ClutterKind::Widget);
    }
    if n <= 10 && starts(&["related:", "see also:", "more:", "advertisement", "tags:"]) {
        return Some(ClutterKind::Widget);
    }
    None
}

/// A short line that sends the reader to the site's own pages: an imperative ("see",
/// "visit", "check", "read", "try", "go to") with "our" right after it, at the start of the
/// line or after a short lead-in question ("Problems? See our media guide.").
fn reader_pointed_to_site(lower: &str) -> bool {
    let rest = match lower.split_once('?') {
        Some((lead, rest)) if lead.split_whitespace().count() <= 3 => rest.trim_start(),
        _ => lower,
    };
    [
        "see our ",
        "visit our ",
        "check our ",
        "check out our ",
        "read our ",
        "try our ",
        "go to our ",
    ]
    .iter()
    .any(|p| rest.starts_with(p))
}
