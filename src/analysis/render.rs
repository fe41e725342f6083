//! Owns the terminal view of an analysis: each sentence with its voice, sources marked
//! `[SRC …]`, cues `[CUE …]`, content `«…»`, hedges `{~…~}` and loaded terms `{!…!}`,
//! followed by one line per attribution.

use std::fmt::Write;

use super::model::{Analysis, Voice};
use super::tokenize::Doc;

pub fn render(text: &str, a: &Analysis) -> String {
    let doc = Doc::new(text);
    let mut out = String::new();
    let _ = writeln!(out, "TITLE: {}", a.title);
    if !a.byline.is_empty() {
        let _ = writeln!(out, "BY: {}", a.byline.join("; "));
    }
    let _ = writeln!(out, "GENRE: {:?} ({})", a.genre, a.genre_cues.join("; "));
    // Insertions: (char position, rank so closers come before openers at one spot, text).
    let mut ins: Vec<(usize, u8, &str)> = Vec::new();
    for at in &a.attributions {
        if let Some(c) = &at.content {
            ins.push((c.start, 1, "«"));
            ins.push((c.end, 0, "»"));
        }
        if let Some(s) = &at.source {
            ins.push((s.start, 2, "[SRC "));
            ins.push((s.end, 0, "]"));
        }
        ins.push((at.cue.start, 2, "[CUE "));
        ins.push((at.cue.end, 0, "]"));
    }
    for m in &a.hedges {
        ins.push((m.start, 3, "{~"));
        ins.push((m.end, 0, "~}"));
    }
    for m in &a.loaded_terms {
        ins.push((m.start, 3, "{!"));
        ins.push((m.end, 0, "!}"));
    }
    ins.sort_by_key(|x| (x.0, x.1, x.2));
    // One source or cue shared by several attributions (Q&A) is marked once.
    ins.dedup();
    let mut next = 0;
    let mut by_sentence: Vec<Vec<usize>> = vec![Vec::new(); a.sentences.len()];
    for (i, at) in a.attributions.iter().enumerate() {
        if let Some(v) = by_sentence.get_mut(at.sentence) {
            v.push(i);
        }
    }
    let mut last_para = usize::MAX;
    for (si, s) in a.sentences.iter().enumerate() {
        if s.paragraph != last_para {
            last_para = s.paragraph;
            let clutter = a.paragraphs.get(s.paragraph).is_some_and(|p| p.clutter);
            let _ = writeln!(
                out,
                "\n¶{}{}",
                s.paragraph,
                if clutter { " (page clutter)" } else { "" }
            );
        }
        let voice = match s.voice {
            Voice::Attributed => "ATTR",
            Voice::AuthorOpinion => "OPIN",
            Voice::AuthorReport => "REPT",
        };
        let mut line = String::new();
        let mut pos = s.start;
        while next < ins.len() && ins[next].0 < s.start {
            next += 1;
        }
        let mut k = next;
        while k < ins.len() && ins[k].0 <= s.end {
            line.push_str(doc.slice(pos, ins[k].0));
            line.push_str(ins[k].2);
            pos = ins[k].0;
            k += 1;
        }
        line.push_str(doc.slice(pos, s.end));
        let _ = writeln!(out, "  [{voice}] {line}");
        for &i in &by_sentence[si] {
            let at = &a.attributions[i];
            let src = at
                .source
                .as_ref()
                .map_or("(no source)".to_string(), |s| match &s.refers_to {
                    Some(r) => format!("{} → {} ({:?})", s.text, r.text, s.kind),
                    None => format!("{} ({:?})", s.text, s.kind),
                });
            let relay = at
                .relayed_from
                .map_or(String::new(), |j| format!(", relayed through #{j}"));
            let _ = writeln!(out, "      #{i} {src} —{}→ {:?}{relay}", at.cue.text, at.quote);
        }
    }
    out
}
