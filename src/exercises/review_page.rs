//! The teacher's review page of one article, as a self-contained HTML document (inline
//! styles, no script, no fonts or files from elsewhere, so it works offline): the article with
//! every attribution's source highlighted by kind, cues, hedges and loaded terms marked, page
//! clutter greyed, and each exercise with its key, confidence and review notes beside the
//! paragraph it quotes. Pure: the route handler fetches, this renders.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::analysis::{Analysis, SourceKind};

use super::model::{Exercise, ExerciseKind};

/// One exercise as the page shows it.
pub struct ReviewItem<'a> {
    pub exercise: &'a Exercise,
    /// `draft`, `published` or `retired`.
    pub status: &'a str,
}

/// What the page is about.
pub struct ReviewPage<'a> {
    pub title: &'a str,
    pub text: &'a str,
    pub analysis: &'a Analysis,
    pub items: &'a [ReviewItem<'a>],
    /// Where the same data is as JSON (the article, its exercises).
    pub article_json: &'a str,
    pub exercises_json: &'a str,
}

const STYLE: &str = "
body{font:15px/1.5 Georgia,serif;margin:0;color:#222;background:#fafaf7}
header{padding:12px 24px;background:#2d3e50;color:#fff}
header a{color:#cfe3ff}
h1{font-size:22px;margin:0 0 4px}
.legend span{margin-right:10px;padding:1px 6px;border-radius:3px;color:#222}
.grid{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:0 24px;padding:16px 24px}
.para{margin:0 0 12px;padding:4px 8px;background:#fff;border-left:3px solid #ddd}
.para.clutter{color:#999;background:#f0f0f0;border-left-color:#ccc;font-size:13px}
.side{margin-bottom:12px}
.src{border-radius:3px;padding:0 2px}
.k-named_person{background:#cde8ff}.k-named_organization{background:#d7f5d0}
.k-unnamed_person,.k-unnamed_group{background:#ffd6d6}.k-document{background:#efe0ff}
.k-author{background:#fff2b3}
.cue{font-weight:bold;border-bottom:2px solid #2d3e50}
.hedge{text-decoration:underline wavy #d97706}
.loaded{background:#ffe8a3;font-style:italic}
.card{background:#fff;border:1px solid #ccd;border-radius:6px;padding:8px 10px;margin-bottom:10px;font:13px/1.4 sans-serif}
.card h3{font-size:13px;margin:0 0 4px;text-transform:uppercase;letter-spacing:.04em;color:#2d3e50}
.badge{display:inline-block;padding:0 6px;border-radius:8px;background:#e5e7eb;margin-right:4px}
.badge.review{background:#fecaca;color:#7f1d1d}
.badge.sure{background:#bbf7d0;color:#14532d}
.notes{color:#7f1d1d;margin:4px 0 4px 16px;padding:0}
.prompt{font-weight:bold;margin:4px 0}
.passage{border-left:3px solid #ccd;padding-left:6px;color:#444;margin:4px 0}
ol.opts{margin:4px 0 0 18px;padding:0}
li.key{font-weight:bold}
li.key::marker{content:'✓ ';color:#15803d}
.why{font-weight:normal;color:#555;display:block}
.rubric{white-space:pre-wrap;color:#444}
";

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn kind_class(k: SourceKind) -> &'static str {
    match k {
        SourceKind::NamedPerson => "k-named_person",
        SourceKind::NamedOrganization => "k-named_organization",
        SourceKind::UnnamedPerson => "k-unnamed_person",
        SourceKind::UnnamedGroup => "k-unnamed_group",
        SourceKind::Document => "k-document",
        SourceKind::Author => "k-author",
    }
}

fn kind_label(k: ExerciseKind) -> &'static str {
    match k {
        ExerciseKind::AnonymousSources => "Anonymous sources",
        ExerciseKind::SourceOfClaim => "Source of a claim",
        ExerciseKind::AuthorOpinion => "Writer's opinion",
        ExerciseKind::HedgedClaims => "Hedged claims",
        ExerciseKind::LoadedLanguage => "Loaded language",
        ExerciseKind::ClaimChain => "How a claim reached the writer",
        ExerciseKind::PieceType => "Kind of piece",
        ExerciseKind::CompareArticles => "Comparing articles",
        ExerciseKind::Reflection => "Reflection",
        ExerciseKind::InterviewVoice => "Whose words (interview)",
    }
}

/// The text `start..end` (chars) with every mark that covers part of it as a span: the text
/// is cut at every mark boundary and each piece carries the classes of the marks over it.
fn marked(chars: &[char], start: usize, end: usize, marks: &[(usize, usize, String, String)]) -> String {
    let mut cuts: BTreeSet<usize> = [start, end].into_iter().collect();
    for (s, e, _, _) in marks {
        if *s < end && start < *e {
            cuts.insert((*s).max(start));
            cuts.insert((*e).min(end));
        }
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut out = String::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let piece: String = chars[a..b].iter().collect();
        let over: Vec<&(usize, usize, String, String)> =
            marks.iter().filter(|(s, e, _, _)| *s <= a && b <= *e).collect();
        if over.is_empty() {
            out.push_str(&esc(&piece));
        } else {
            let classes: Vec<&str> = over.iter().map(|m| m.2.as_str()).collect();
            let titles: Vec<&str> = over
                .iter()
                .map(|m| m.3.as_str())
                .filter(|t| !t.is_empty())
                .collect();
            let _ = write!(
                out,
                "<span class=\"{}\" title=\"{}\">{}</span>",
                esc(&classes.join(" ")),
                esc(&titles.join("; ")),
                esc(&piece)
            );
        }
    }
    out
}

fn card(out: &mut String, item: &ReviewItem<'_>) {
    let e = item.exercise;
    let c = &e.content;
    let _ = write!(
        out,
        "<div class=\"card\" id=\"ex-{}\" data-kind=\"{}\"><h3>{}</h3>",
        e.id,
        e.kind.as_str(),
        kind_label(e.kind)
    );
    let _ = write!(out, "<span class=\"badge\">{}</span>", esc(item.status));
    let sure = if c.needs_review { "review" } else { "sure" };
    let _ = write!(
        out,
        "<span class=\"badge {sure} confidence\">confidence {:.2}</span>",
        c.confidence
    );
    if c.needs_review {
        out.push_str("<span class=\"badge review\">needs review</span>");
    }
    if !c.review_notes.is_empty() {
        out.push_str("<ul class=\"notes\">");
        for n in &c.review_notes {
            let _ = write!(out, "<li>{}</li>", esc(n));
        }
        out.push_str("</ul>");
    }
    let _ = write!(out, "<div class=\"prompt\">{}</div>", esc(&c.prompt));
    if let Some(p) = &c.passage {
        let _ = write!(
            out,
            "<div class=\"passage\"><a href=\"#c{}\">¶</a> {}</div>",
            p.start,
            esc(&p.text)
        );
    }
    if !c.options.is_empty() {
        out.push_str("<ol class=\"opts\">");
        for o in &c.options {
            let _ = write!(
                out,
                "<li class=\"{}\">{}<span class=\"why\">{}</span></li>",
                if o.correct { "key" } else { "wrong" },
                esc(&o.text),
                esc(&o.explanation)
            );
        }
        out.push_str("</ol>");
    }
    if let Some(r) = &c.rubric {
        let _ = write!(out, "<div class=\"rubric\">{}</div>", esc(r));
    }
    out.push_str("</div>");
}

/// The first char offset an exercise quotes (its passage, else its first quoted option).
fn anchor(e: &Exercise) -> Option<usize> {
    e.content
        .passage
        .as_ref()
        .filter(|_| e.kind != ExerciseKind::PieceType)
        .map(|p| p.start)
        .or_else(|| {
            e.content
                .options
                .iter()
                .filter_map(|o| o.quote.as_ref())
                .map(|q| q.start)
                .min()
        })
}

/// The review page.
pub fn render(page: &ReviewPage<'_>) -> String {
    let a = page.analysis;
    let chars: Vec<char> = page.text.chars().collect();
    let n = chars.len();
    let mut marks: Vec<(usize, usize, String, String)> = Vec::new();
    for at in &a.attributions {
        if let Some(src) = &at.source {
            marks.push((
                src.start,
                src.end,
                format!("src {}", kind_class(src.kind)),
                format!("source: {:?}", src.kind),
            ));
        }
        marks.push((at.cue.start, at.cue.end, "cue".into(), "cue".into()));
    }
    for h in &a.hedges {
        marks.push((h.start, h.end, "hedge".into(), "hedge".into()));
    }
    for l in &a.loaded_terms {
        marks.push((l.start, l.end, "loaded".into(), "loaded term".into()));
    }
    // Out-of-bounds marks (an analysis of other text) are dropped rather than trusted.
    marks.retain(|(s, e, _, _)| s < e && *e <= n);

    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Review: {t}</title>\
         <style>{STYLE}</style></head><body><header><h1>{t}</h1>\
         <div>Genre: {g:?} · {ne} exercises · <a href=\"{aj}\">article JSON</a> · <a href=\"{ej}\">exercises JSON</a></div>\
         <div class=\"legend\"><span class=\"k-named_person\">named person</span><span class=\"k-named_organization\">organization</span>\
         <span class=\"k-unnamed_person\">unnamed source</span><span class=\"k-document\">document</span><span class=\"k-author\">writer</span>\
         <span class=\"cue\" style=\"color:#fff\">cue</span><span class=\"hedge\">hedge</span><span class=\"loaded\" style=\"color:#222\">loaded</span></div></header>",
        t = esc(page.title),
        g = a.genre,
        ne = page.items.len(),
        aj = esc(page.article_json),
        ej = esc(page.exercises_json),
    );
    out.push_str("<main class=\"grid\">");
    // Exercises that quote nothing (piece type) open the page; the others sit beside the
    // paragraph holding what they quote.
    let mut placed = vec![false; page.items.len()];
    out.push_str("<div></div><div class=\"side\">");
    for (k, item) in page.items.iter().enumerate() {
        let inside =
            anchor(item.exercise).is_some_and(|s| a.paragraphs.iter().any(|p| p.start <= s && s < p.end));
        if !inside {
            card(&mut out, item);
            placed[k] = true;
        }
    }
    out.push_str("</div>");
    for p in &a.paragraphs {
        let (ps, pe) = (p.start.min(n), p.end.min(n));
        let _ = write!(
            out,
            "<div class=\"para{}\" id=\"c{ps}\">{}</div><div class=\"side\">",
            if p.clutter { " clutter" } else { "" },
            marked(&chars, ps, pe, &marks)
        );
        for (k, item) in page.items.iter().enumerate() {
            if !placed[k] && anchor(item.exercise).is_some_and(|s| ps <= s && s < pe) {
                // The passage link targets the paragraph; give the card's anchor there too.
                card(&mut out, item);
                placed[k] = true;
            }
        }
        out.push_str("</div>");
    }
    out.push_str("</main></body></html>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::exercises::fixtures::{hash, SEED_001};
    use crate::exercises::{generate, ArticleRef};

    fn page_of(text: &str) -> (String, usize) {
        let a = analyze(text);
        let h = hash(text);
        let ex = generate(&ArticleRef {
            content_hash: &h,
            title: &a.title,
            text,
            analysis: &a,
        });
        let items: Vec<ReviewItem<'_>> = ex
            .iter()
            .map(|e| ReviewItem {
                exercise: e,
                status: "published",
            })
            .collect();
        let html = render(&ReviewPage {
            title: &a.title,
            text,
            analysis: &a,
            items: &items,
            article_json: "/v1/articles/x",
            exercises_json: "/v1/articles/x/exercises",
        });
        (html, ex.len())
    }

    #[test]
    fn the_page_shows_the_article_marked_and_every_exercise_with_its_key() {
        let (html, n) = page_of(SEED_001);
        assert!(html.starts_with("<!DOCTYPE html>"));
        // Every exercise once, with its confidence; keys marked.
        assert_eq!(html.matches("<div class=\"card\"").count(), n);
        assert_eq!(
            html.matches("class=\"badge sure confidence\"").count()
                + html.matches("class=\"badge review confidence\"").count(),
            n
        );
        assert!(html.contains("<li class=\"key\">"));
        // Sources by kind, cues, hedges; clutter greyed ("Popular Video", the source list).
        assert!(html.contains("src k-unnamed_group") || html.contains("src k-unnamed_person"));
        assert!(html.contains("src k-named_person"));
        assert!(html.contains("class=\"cue\""));
        assert!(html.contains("class=\"hedge\""));
        assert!(html.contains("class=\"para clutter\""));
        // Links to the JSON; nothing fetched from elsewhere.
        assert!(html.contains("href=\"/v1/articles/x/exercises\""));
        for outside in ["http://", "https://", "<script", "<link"] {
            assert!(!html.contains(outside), "{outside}");
        }
    }

    #[test]
    fn article_text_is_escaped() {
        let text = "A <b>bold</b> title\n\nThe mayor said the \"plan\" & budget <script>x</script> will pass on Monday.";
        let (html, _) = page_of(text);
        assert!(!html.contains("<script>x"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("&amp; budget"));
    }

    #[test]
    fn overlapping_marks_split_the_text_without_losing_a_char() {
        let chars: Vec<char> = "abcdef".chars().collect();
        let marks = vec![
            (1, 4, "x".to_string(), String::new()),
            (3, 5, "y".to_string(), String::new()),
        ];
        let html = marked(&chars, 0, 6, &marks);
        assert_eq!(
            html,
            "a<span class=\"x\" title=\"\">bc</span><span class=\"x y\" title=\"\">d</span><span class=\"y\" title=\"\">e</span>f"
        );
    }
}
