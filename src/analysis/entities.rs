//! Owns source entities: the source phrases of one article grouped into the sources they
//! name ("Ana Ruiz" … "Ms. Ruiz" … "she"), and the anonymity evidence of unnamed sources
//! ("who was not authorized to speak publicly", "on condition of anonymity").

use rustc_hash::FxHashMap;

use super::lexicon;
use super::model::{Attribution, Entity, SourceKind, Span};
use super::tokenize::{Doc, Token};

/// Titles and honorifics that are not part of the name itself.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sen",
    "rep",
    "gov",
    "gen",
    "sir",
    "dame",
    "lord",
    "lady",
    "prof",
    "president",
    "senator",
    "governor",
    "mayor",
    "judge",
    "justice",
    "secretary",
    "minister",
    "chancellor",
    "premier",
    "prime",
    "chief",
    "director",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "professor",
    "general",
    "col",
    "lt",
    "sgt",
    "capt",
    "adm",
    "rev",
    "father",
    "the",
    "a",
    "an",
    "former",
    "then",
    "acting",
    "deputy",
    "vice",
    "u.s",
    "state",
    "us",
];

/// Lowercased name words of a phrase: its capitalised words, titles dropped.
fn name_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .map(|w| w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")).unwrap_or(w))
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .map(str::to_lowercase)
        .filter(|w| !TITLES.contains(&w.as_str()))
        .collect()
}

/// Lowercased words with determiners and possessives dropped, for comparing descriptions.
fn description_key(text: &str) -> String {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| {
            !w.is_empty() && !matches!(w.as_str(), "the" | "a" | "an" | "his" | "her" | "their" | "its")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn acronym(words: &[String]) -> String {
    words
        .iter()
        .filter(|w| !matches!(w.as_str(), "of" | "and" | "for" | "on" | "the"))
        .filter_map(|w| w.chars().next())
        .collect()
}

struct Group {
    kind: SourceKind,
    mentions: Vec<Span>,
    /// Name words of the fullest name seen.
    names: Vec<String>,
    key: String,
}

fn same_source(g: &Group, kind: SourceKind, names: &[String], key: &str) -> bool {
    if g.kind == SourceKind::Author || kind == SourceKind::Author {
        return g.kind == kind;
    }
    if !key.is_empty() && g.key == key {
        return true;
    }
    match (g.kind, kind) {
        (SourceKind::NamedPerson, SourceKind::NamedPerson) => {
            // "Ana Ruiz" … "Ms. Ruiz" / "Ruiz": the surname agrees and no first name clashes.
            match (g.names.last(), names.last()) {
                (Some(a), Some(b)) if a == b => {
                    let (fa, fb) = (g.names.first(), names.first());
                    g.names.len() == 1 || names.len() == 1 || fa == fb
                }
                _ => false,
            }
        }
        (SourceKind::NamedOrganization, SourceKind::NamedOrganization) => {
            if g.names.is_empty() || names.is_empty() {
                return false;
            }
            let (short, long) = if g.names.len() <= names.len() {
                (&g.names[..], names)
            } else {
                (names, &g.names[..])
            };
            let contained = short.iter().all(|w| long.contains(w));
            let acro = short.len() == 1 && long.len() >= 2 && short[0] == acronym(long);
            contained || acro
        }
        _ => false,
    }
}

/// Groups the attributions' sources into entities and sets `Attribution::entity`; finds the
/// anonymity evidence of unnamed sources and sets `Attribution::anonymity`.
pub fn link(doc: &Doc, tokens: &[Token], attrs: &mut [Attribution]) -> Vec<Entity> {
    let mut groups: Vec<Group> = Vec::new();
    let mut anonymity: Vec<Option<Span>> = Vec::new();
    for at in attrs.iter_mut() {
        at.anonymity = at
            .source
            .as_ref()
            .filter(|s| s.kind.is_unnamed())
            .and_then(|s| anonymity_near(doc, tokens, s.start, s.end, at.cue.end));
        let Some(src) = at.source.as_ref() else {
            continue;
        };
        let mention = Span {
            start: src.start,
            end: src.end,
            text: src.text.clone(),
        };
        let kind = src.kind;
        // A resolved pronoun joins the entity of its referent.
        let referent = src.refers_to.as_ref().unwrap_or(&mention);
        let by_span = groups.iter().position(|g| {
            g.mentions
                .iter()
                .any(|m| m.start == referent.start && m.end == referent.end)
        });
        let names = name_words(&referent.text);
        let named = matches!(kind, SourceKind::NamedPerson | SourceKind::NamedOrganization);
        let key = if named && !names.is_empty() {
            names.join(" ")
        } else {
            description_key(&referent.text)
        };
        let found = by_span.or_else(|| {
            if src.refers_to.is_none()
                && lexicon::get().is_head(&src.text.to_lowercase(), lexicon::HeadClass::Pronoun)
            {
                // An unresolved pronoun: its own entity, never merged by text.
                return None;
            }
            groups
                .iter()
                .rposition(|g| same_source(g, kind, if named { &names } else { &[] }, &key))
        });
        let gi = match found {
            Some(gi) => gi,
            None => {
                groups.push(Group {
                    kind,
                    mentions: Vec::new(),
                    names: if named { names.clone() } else { Vec::new() },
                    key: key.clone(),
                });
                anonymity.push(None);
                groups.len() - 1
            }
        };
        let g = &mut groups[gi];
        if named && names.len() > g.names.len() {
            g.names = names;
        }
        g.mentions.push(mention);
        if anonymity[gi].is_none() {
            anonymity[gi] = at.anonymity.clone();
        }
        at.entity = Some(gi);
    }
    let (groups, anonymity) = merge_aliases(doc, attrs, groups, anonymity);
    groups
        .into_iter()
        .zip(anonymity)
        .enumerate()
        .map(|(id, (g, anonymity))| {
            let name = best_name(&g.mentions);
            Entity {
                id,
                kind: g.kind,
                name,
                mentions: g.mentions,
                anonymity,
            }
        })
        .collect()
}

/// Role words of a phrase: its lowercase person heads ("spokesman", "minister").
fn role_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| ROLE_TITLES.contains(&w.as_str()))
        .collect()
}

/// "An ISAF spokesman", "a White House spokeswoman": an indefinite role of a body named by
/// capitalised words; returns the body's words, lowercased.
fn indefinite_role_of(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (first, last) = (words.first()?, words.last()?);
    if words.len() < 3 || !matches!(first.to_lowercase().as_str(), "a" | "an") {
        return None;
    }
    if !ROLE_TITLES.contains(&last.to_lowercase().as_str()) {
        return None;
    }
    let body = &words[1..words.len() - 1];
    body.iter()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        .then(|| body.join(" ").to_lowercase())
}

/// The capitalised words right before `role` in a mention ("Pentagon" in "Pentagon spokesman
/// John Kirby"), lowercased; `None` when the role comes first or is not there.
fn body_before_role(text: &str, role: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let at = words
        .iter()
        .position(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase() == role)?;
    let body: Vec<&str> = words[..at]
        .iter()
        .rev()
        .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
        .copied()
        .collect();
    (!body.is_empty()).then(|| {
        body.into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    })
}

/// Titles that name a role as well as address a person ("Finance Minister Carlos Ruiz" …
/// "the minister").
const ROLE_TITLES: &[&str] = &[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "president",
    "senator",
    "governor",
    "mayor",
    "judge",
    "secretary",
    "minister",
    "chancellor",
    "premier",
    "director",
    "professor",
    "general",
    "commissioner",
    "chairman",
    "chairwoman",
    "chair",
    "ambassador",
    "sheriff",
    "prosecutor",
    "attorney",
    "superintendent",
    "coach",
];

/// The two mentions are tied by the text: "the city's transit authority (Metro)",
/// "Metro, the city's transit authority", "the authority, Metro,".
fn tied<'t>(doc: &'t Doc, a: &'t Span, b: &'t Span, written: &mut Adjacency<'t>) -> bool {
    let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
    if first.end > second.start {
        return false;
    }
    let between = doc.slice(first.end, second.start);
    if matches!(between.trim(), "," | "(" | "—" | "–") && between.len() <= 3 {
        // The second must close there: "(Metro)", ", Metro,", ", Metro said".
        return true;
    }
    // The second phrase is written right after the first elsewhere in the text.
    written.together(&first.text, &second.text)
}

/// Where an article writes one phrase right after another, in brackets or set off by commas
/// ("X (Y)", "X, Y,"). Each phrase's occurrences are found once per article, so asking about
/// every pair of an article's names does not scan the text for every pair.
struct Adjacency<'t> {
    text: &'t str,
    at: FxHashMap<&'t str, Vec<usize>>,
}

impl<'t> Adjacency<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            at: FxHashMap::default(),
        }
    }

    /// Whether `x` and `y` are written together, in either order.
    fn together(&mut self, x: &'t str, y: &'t str) -> bool {
        self.follows(x, y) || self.follows(y, x)
    }

    fn follows(&mut self, a: &'t str, b: &str) -> bool {
        let text = self.text;
        let starts = self.at.entry(a).or_insert_with(|| occurrences(text, a));
        starts.iter().any(|&i| {
            let rest = &text[i + a.len()..];
            let bracketed = rest
                .strip_prefix(" (")
                .and_then(|r| r.strip_prefix(b))
                .is_some_and(|r| r.starts_with(')'));
            let apposed = rest
                .strip_prefix(", ")
                .and_then(|r| r.strip_prefix(b))
                .is_some_and(|r| r.starts_with(','));
            bracketed || apposed
        })
    }
}

/// Every start of `a` in `text`, overlapping ones too ("aa" twice in "aaa").
fn occurrences(text: &str, a: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while from <= text.len() {
        let Some(at) = text[from..].find(a) else { break };
        let i = from + at;
        out.push(i);
        from = i + text[i..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Merges entities the article shows to be one: a role description and the named holder of
/// that role ("An ISAF spokesman said …" … "said spokesman Charlie Stadtlander"; "Finance
/// Minister Carlos Ruiz" … "the minister"), a definite description and the organisation it
/// describes ("the authority" after "the city's transit authority"), and two names the text
/// ties by apposition or brackets ("the city's transit authority (Metro)"). A source marked
/// as anonymous is never merged with a name. Attributions are renumbered; a description
/// merged into a named person takes that kind.
fn merge_aliases(
    doc: &Doc,
    attrs: &mut [Attribution],
    groups: Vec<Group>,
    anonymity: Vec<Option<Span>>,
) -> (Vec<Group>, Vec<Option<Span>>) {
    let n = groups.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    // A real anonymity phrase, not the description standing in as its own evidence.
    let anonymous: Vec<bool> = (0..n)
        .map(|i| {
            anonymity[i].as_ref().is_some_and(|an| {
                !groups[i]
                    .mentions
                    .iter()
                    .any(|m| m.start == an.start && m.end == an.end)
            })
        })
        .collect();
    let is_name = |g: &Group| !g.names.is_empty();
    // Role holders: named persons per role word; a role held by two named people is ambiguous.
    let mut holders: Vec<(String, usize)> = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        if g.kind == SourceKind::NamedPerson && is_name(g) {
            for m in &g.mentions {
                for r in role_words(&m.text) {
                    if !holders.iter().any(|(h, j)| *h == r && *j == i) {
                        holders.push((r, i));
                    }
                }
            }
        }
    }
    for (i, g) in groups.iter().enumerate() {
        let description =
            matches!(g.kind, SourceKind::NamedPerson | SourceKind::UnnamedPerson) && !is_name(g);
        if !description || anonymous[i] {
            continue;
        }
        let Some(m) = g.mentions.first() else { continue };
        // A definite description points back or forward at someone identified ("the
        // minister"); "a spokesman" introduces someone new, unless the body it speaks for is
        // named and the article names that role's holder afterwards ("An ISAF spokesman said
        // …" … "said spokesman Charlie Stadtlander").
        let definite = m.text.to_lowercase().starts_with("the ");
        let body = indefinite_role_of(&m.text);
        if !definite && body.is_none() {
            continue;
        }
        // The role is the description's first role word ("the spokesman for the agency").
        let Some(role) = role_words(&m.text).into_iter().next() else {
            continue;
        };
        let mut who = holders.iter().filter(|(h, _)| *h == role).map(|&(_, j)| j);
        let (Some(j), None) = (who.next(), who.next()) else {
            continue;
        };
        // The holder is named later, for no other body ("Pentagon spokesman John Kirby" is
        // not "a White House spokesman").
        let same_body = body.as_ref().is_none_or(|b| {
            groups[j].mentions.iter().all(|o| o.start > m.start)
                && groups[j]
                    .mentions
                    .iter()
                    .filter_map(|o| body_before_role(&o.text, &role))
                    .all(|ob| ob == *b)
        });
        let near = same_body
            && groups[j]
                .mentions
                .iter()
                .any(|o| o.start.abs_diff(m.start) <= 2000);
        if near {
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            parent[a] = b;
        }
    }
    let mut written = Adjacency::new(doc.text);
    for i in 0..n {
        for j in 0..i {
            if root(&mut parent, i) == root(&mut parent, j) || anonymous[i] || anonymous[j] {
                continue;
            }
            let (gi, gj) = (&groups[i], &groups[j]);
            let orgs = gi.kind == SourceKind::NamedOrganization && gj.kind == SourceKind::NamedOrganization;
            // An organisation and a one-word name the text ties to it ("(Metro)") are one
            // organisation, whatever the tagger took the word for.
            let org_and_word = |o: &Group, w: &Group| {
                o.kind == SourceKind::NamedOrganization
                    && w.kind == SourceKind::NamedPerson
                    && w.names.len() == 1
            };
            let mixed = org_and_word(gi, gj) || org_and_word(gj, gi);
            let tie = (orgs || mixed)
                && gi
                    .mentions
                    .iter()
                    .any(|a| gj.mentions.iter().any(|b| tied(doc, a, b, &mut written)));
            // "the authority" after "the city's transit authority".
            let definite = |d: &Group, o: &Group| {
                d.mentions.iter().all(|m| {
                    let k = description_key(&m.text);
                    !k.is_empty() && !k.contains(' ') && m.text.to_lowercase().starts_with("the ")
                }) && o.mentions.iter().any(|m| {
                    description_key(&m.text)
                        .rsplit(' ')
                        .next()
                        .is_some_and(|last| d.key == last)
                        && description_key(&m.text).contains(' ')
                })
            };
            let described = orgs && gi.names.is_empty() && definite(gi, gj);
            if tie || described {
                // The organisation is the root, so the merged entity keeps its kind.
                let (i, j) = if gi.kind == SourceKind::NamedOrganization {
                    (j, i)
                } else {
                    (i, j)
                };
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    if (0..n).all(|i| parent[i] == i) {
        return (groups, anonymity);
    }
    // Rebuild in order of first appearance of each root.
    let mut new_id = vec![usize::MAX; n];
    let mut out: Vec<Group> = Vec::new();
    let mut out_anon: Vec<Option<Span>> = Vec::new();
    let roots: Vec<usize> = (0..n).map(|i| root(&mut parent, i)).collect();
    let mut taken: Vec<Option<Group>> = groups.into_iter().map(Some).collect();
    let mut anon: Vec<Option<Span>> = anonymity;
    for i in 0..n {
        let r = roots[i];
        if new_id[r] == usize::MAX {
            new_id[r] = out.len();
            out.push(Group {
                kind: taken[r].as_ref().map_or(SourceKind::NamedPerson, |g| g.kind),
                mentions: Vec::new(),
                names: Vec::new(),
                key: String::new(),
            });
            out_anon.push(None);
        }
        let id = new_id[r];
        if let Some(g) = taken[i].take() {
            let o = &mut out[id];
            if g.names.len() > o.names.len() {
                o.names = g.names;
            }
            if o.key.is_empty() {
                o.key = g.key;
            }
            o.mentions.extend(g.mentions);
        }
        if out_anon[id].is_none() {
            out_anon[id] = anon[i].take();
        }
        new_id[i] = id;
    }
    for (g, an) in out.iter_mut().zip(out_anon.iter_mut()) {
        g.mentions.sort_by_key(|m| m.start);
        g.mentions.dedup_by_key(|m| (m.start, m.end));
        if !g.kind.is_unnamed() {
            *an = None;
        }
    }
    for at in attrs.iter_mut() {
        if let Some(e) = at.entity {
            let id = new_id[e];
            at.entity = Some(id);
            let kind = out[id].kind;
            if let Some(src) = at.source.as_mut() {
                // A role description of a named person is that person, not an anonymous one.
                if src.kind.is_unnamed() && kind == SourceKind::NamedPerson {
                    src.kind = kind;
                    at.anonymity = None;
                }
                if src.kind == SourceKind::NamedPerson && kind == SourceKind::NamedOrganization {
                    src.kind = kind;
                }
            }
        }
    }
    (out, out_anon)
}

/// The mention that names the entity best: the one with most capitalised words, then the
/// longest, then the first.
fn best_name(mentions: &[Span]) -> Span {
    let score = |m: &Span| {
        let caps = m
            .text
            .split_whitespace()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .count();
        (caps.min(4), m.text.chars().count().min(60))
    };
    let mut best = &mentions[0];
    for m in &mentions[1..] {
        if score(m) > score(best) {
            best = m;
        }
    }
    best.clone()
}

/// An anonymity phrase inside the source phrase or in the few words around it and the cue.
fn anonymity_near(doc: &Doc, tokens: &[Token], start: usize, end: usize, cue_end: usize) -> Option<Span> {
    let lo = start.saturating_sub(40);
    let hi = end.max(cue_end) + 80;
    let a = tokens.partition_point(|t| t.start < lo);
    let b = tokens.partition_point(|t| t.start < hi);
    let window = &tokens[a..b];
    let Some((s, mut e)) = lexicon::get()
        .anonymity
        .find(window)
        .into_iter()
        .min_by_key(|&(s, _)| window[s].start.abs_diff(start))
    else {
        // No phrase: the description that does not name is the evidence ("two officials",
        // "the source", "aides").
        return Some(doc.span(start, end));
    };
    // Take the phrase to the end of its clause: "not authorized to speak publicly",
    // "familiar with the matter", "briefed on the talks".
    let stop = |t: &Token| {
        !t.is_word()
            || t.cue.is_some_and(|c| c.rate >= super::cues::MIN_RATE)
            || matches!(
                t.norm.as_str(),
                "who" | "and" | "because" | "but" | "that" | "as" | "since"
            )
    };
    let mut k = 0;
    while e < window.len() && k < 4 && !stop(&window[e]) {
        e += 1;
        k += 1;
    }
    Some(doc.span(window[s].start, window[e - 1].end))
}
