//! Owns page layout: the title, a section label above it, the byline, and page clutter
//! (comment policy, calls to action, media credits, source lists, widgets, author bio).
//! Clutter is flagged, never dropped.

use super::model::ClutterKind;
use super::sentences::Segment;
use super::tokenize::{Doc, Token};

pub struct Layout {
    /// Paragraph index of the title, if any.
    pub title: Option<usize>,
    /// Paragraph index of the byline and the author names in it.
    pub byline: Option<usize>,
    pub authors: Vec<String>,
    /// Char span of the byline names ("Luis Salomon and Jaime Ortega").
    pub byline_names: Option<(usize, usize)>,
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
    // Byline: "By X and Y." within the first few lines after the title.
    let mut byline = None;
    let mut authors = Vec::new();
    let mut byline_names = None;
    if let Some(t) = title {
        for (i, p) in paras.iter().enumerate().skip(t + 1).take(3) {
            let toks = &tokens[p.tok_start..p.tok_end];
            if toks.first().is_some_and(|x| x.is("by")) && words_in(tokens, p) <= 12 && toks.len() > 1 {
                let s = toks[1].start;
                let text = doc.slice(s, p.end);
                let trimmed = text.trim_end_matches(['.', ':', ',', ' ', ';']);
                let e = s + trimmed.chars().count();
                byline_names = Some((s, e));
                authors = split_names(trimmed);
                byline = Some(i);
                break;
            }
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
        clutter,
    }
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
