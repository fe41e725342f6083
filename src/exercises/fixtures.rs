//! Hand-built analyses of the seed articles, as a careful reader would mark them, so the
//! generator can be tested before (and independently of) the real analyzer.

use crate::analysis::{
    Analysis, Attribution, Clutter, ClutterKind, Genre, Marker, Paragraph, QuoteType, Sentence, Source,
    SourceKind, Span, Voice,
};

pub(crate) const SEED_000: &str = include_str!("../../seeds/000_9a35427c4e6943e7.txt");
pub(crate) const SEED_001: &str = include_str!("../../seeds/001_0a5197380f058e42.txt");
pub(crate) const SEED_003: &str = include_str!("../../seeds/003_be4cf3f2cab0475a.txt");

/// Abbreviations after which a full stop does not end a sentence.
const ABBREV: &[&str] = &[
    "Gov.", "Sen.", "Mr.", "Mrs.", "Dr.", "Ft.", "U.S.", "St.", "LLC.", "Sept.",
];

pub(crate) struct Fx {
    pub text: &'static str,
    pub a: Analysis,
}

impl Fx {
    /// Paragraphs at blank lines, sentences at ". ", "? ", "! " (closing quotes included),
    /// every sentence the writer's own report until told otherwise.
    pub(crate) fn new(text: &'static str, genre: Genre, cues: &[&str]) -> Fx {
        let chars: Vec<char> = text.chars().collect();
        let mut paragraphs = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            while k < chars.len() && chars[k] == '\n' {
                k += 1;
            }
            if k >= chars.len() {
                break;
            }
            let start = k;
            while k < chars.len() && !(chars[k] == '\n' && chars.get(k + 1) == Some(&'\n')) {
                k += 1;
            }
            paragraphs.push(Paragraph {
                start,
                end: k,
                clutter: false,
            });
        }
        let mut sentences = Vec::new();
        for (p, para) in paragraphs.iter().enumerate() {
            let mut s = para.start;
            let mut k = para.start;
            while k < para.end {
                let c = chars[k];
                let mut end = k + 1;
                if matches!(c, '.' | '?' | '!') {
                    while end < para.end && matches!(chars[end], '”' | '"' | '’') {
                        end += 1;
                    }
                    let next = chars[end..para.end].iter().position(|c| !c.is_whitespace());
                    let word: String = chars[s..end].iter().collect();
                    let abbrev = ABBREV.iter().any(|a| word.ends_with(a));
                    let boundary = match next {
                        None => true,
                        Some(off) => {
                            let n = chars[end + off];
                            off > 0
                                && !abbrev
                                && (n.is_uppercase() || n.is_numeric() || matches!(n, '“' | '"'))
                        }
                    };
                    if boundary {
                        push_sentence(&mut sentences, &chars, s, end, p);
                        s = end;
                        k = end;
                        continue;
                    }
                }
                k = end;
            }
            if s < para.end {
                push_sentence(&mut sentences, &chars, s, para.end, p);
            }
        }
        let title_end = chars.iter().position(|&c| c == '\n').unwrap_or(chars.len());
        let title: String = chars[..title_end].iter().collect();
        let mut fx = Fx {
            text,
            a: Analysis {
                title: title.clone(),
                title_span: Some(Span {
                    start: 0,
                    end: title_end,
                    text: title,
                }),
                byline: Vec::new(),
                genre,
                genre_cues: cues.iter().map(|c| c.to_string()).collect(),
                genre_confidence: 1.0,
                paragraphs,
                clutter: Vec::new(),
                sentences,
                attributions: Vec::new(),
                entities: Vec::new(),
                hedges: Vec::new(),
                loaded_terms: Vec::new(),
            },
        };
        // A seed whose first line is a section label has its headline on the next line.
        fx.a.title = fx.a.title.trim().to_string();
        fx
    }

    fn chars(&self) -> Vec<char> {
        self.text.chars().collect()
    }

    /// Char range of the first occurrence of `needle` at or after char `from`.
    pub(crate) fn find_from(&self, needle: &str, from: usize) -> (usize, usize) {
        let byte_from = self
            .text
            .char_indices()
            .nth(from)
            .map(|(b, _)| b)
            .unwrap_or(self.text.len());
        let b = self.text[byte_from..]
            .find(needle)
            .map(|b| b + byte_from)
            .unwrap_or_else(|| panic!("fixture needle not found: {needle:?}"));
        let start = self.text[..b].chars().count();
        (start, start + needle.chars().count())
    }

    pub(crate) fn find(&self, needle: &str) -> (usize, usize) {
        self.find_from(needle, 0)
    }

    fn span(&self, (start, end): (usize, usize)) -> Span {
        Span {
            start,
            end,
            text: self.chars()[start..end].iter().collect(),
        }
    }

    /// Index of the sentence holding the first occurrence of `needle`.
    pub(crate) fn sentence(&self, needle: &str) -> usize {
        let (s, e) = self.find(needle);
        self.a
            .sentences
            .iter()
            .position(|x| x.start <= s && e <= x.end)
            .unwrap_or_else(|| panic!("no single sentence holds {needle:?}"))
    }

    pub(crate) fn voice(&mut self, needle: &str, v: Voice) -> &mut Self {
        let s = self.sentence(needle);
        self.a.sentences[s].voice = v;
        self
    }

    pub(crate) fn clutter(&mut self, needle: &str, kind: ClutterKind) -> &mut Self {
        let (s, _) = self.find(needle);
        let p = self
            .a
            .paragraphs
            .iter()
            .position(|p| p.start <= s && s < p.end)
            .unwrap_or_else(|| panic!("no paragraph holds {needle:?}"));
        self.a.paragraphs[p].clutter = true;
        let para = self.a.paragraphs[p].clone();
        let span = self.span((para.start, para.end));
        self.a.clutter.push(Clutter {
            start: span.start,
            end: span.end,
            text: span.text,
            kind,
        });
        self
    }

    /// An attribution in the sentence holding `sentence`: source, cue and content are
    /// found inside that sentence. Marks the sentence attributed unless the source is the
    /// author. Returns the attribution's index.
    pub(crate) fn attr(
        &mut self,
        sentence: &str,
        source: Option<(&str, SourceKind)>,
        cue: &str,
        content: Option<&str>,
        quote: QuoteType,
    ) -> usize {
        let si = self.sentence(sentence);
        let from = self.a.sentences[si].start;
        let src = source.map(|(t, kind)| {
            let (start, end) = self.find_from(t, from);
            Source {
                start,
                end,
                text: t.to_string(),
                kind,
                refers_to: None,
            }
        });
        let cue = self.span(self.find_from(cue, from));
        let content = content.map(|c| self.span(self.find_from(c, from)));
        if src.as_ref().is_none_or(|s| s.kind != SourceKind::Author) {
            self.a.sentences[si].voice = Voice::Attributed;
        }
        self.a.attributions.push(Attribution {
            source: src,
            cue,
            content,
            quote,
            relayed_from: None,
            sentence: si,
            entity: None,
            confidence: 1.0,
            anonymity: None,
        });
        self.a.attributions.len() - 1
    }

    /// The source of attribution `i` is a pronoun for the earlier mention `mention`.
    pub(crate) fn refers(&mut self, i: usize, mention: &str) -> &mut Self {
        let span = self.span(self.find(mention));
        if let Some(s) = self.a.attributions[i].source.as_mut() {
            s.refers_to = Some(span);
        }
        self
    }

    pub(crate) fn relay(&mut self, i: usize, through: usize) -> &mut Self {
        self.a.attributions[i].relayed_from = Some(through);
        self
    }

    fn marker(&self, sentence: &str, word: &str) -> Marker {
        let si = self.sentence(sentence);
        let (start, end) = self.find_from(word, self.a.sentences[si].start);
        assert!(
            end <= self.a.sentences[si].end,
            "{word:?} not in sentence {sentence:?}"
        );
        Marker {
            start,
            end,
            text: word.to_string(),
            sentence: si,
        }
    }

    pub(crate) fn hedge(&mut self, sentence: &str, word: &str) -> &mut Self {
        let m = self.marker(sentence, word);
        self.a.hedges.push(m);
        self
    }

    pub(crate) fn loaded(&mut self, sentence: &str, word: &str) -> &mut Self {
        let m = self.marker(sentence, word);
        self.a.loaded_terms.push(m);
        self
    }
}

fn push_sentence(out: &mut Vec<Sentence>, chars: &[char], start: usize, end: usize, paragraph: usize) {
    // Trim leading whitespace off a sentence so offsets point at its first word.
    let lead = chars[start..end].iter().take_while(|c| c.is_whitespace()).count();
    let start = start + lead;
    if start >= end {
        return;
    }
    out.push(Sentence {
        start,
        end,
        text: chars[start..end].iter().collect(),
        paragraph,
        voice: Voice::AuthorReport,
    });
}

use QuoteType::{Direct, Indirect, Mixed};
use SourceKind::{Document, NamedOrganization, NamedPerson, UnnamedGroup, UnnamedPerson};

/// 001: a news report built on officials, named and unnamed.
pub(crate) fn seed_001() -> Fx {
    let mut fx = Fx::new(
        SEED_001,
        Genre::NewsReport,
        &[
            "most sentences report what named or unnamed officials said",
            "no first-person opinion",
        ],
    );
    fx.clutter("Sources: Bloomberg", ClutterKind::SourceList)
        .clutter("Photo Source", ClutterKind::MediaCredit)
        .clutter("Popular Video", ClutterKind::Widget);
    fx.attr(
        "Muslim extremists affiliated",
        Some(("one official", UnnamedPerson)),
        "told",
        Some("Muslim extremists affiliated with Islamic State, formerly known as ISIS or ISIL, have discussed infiltrating the United States through the U.S.-Mexico border"),
        Indirect,
    );
    let bloomberg = fx.attr(
        "While not completely dismissing",
        Some(("Bloomberg", NamedOrganization)),
        "according to",
        None,
        Indirect,
    );
    let some = fx.attr(
        "While not completely dismissing",
        Some(("some intelligence officials", UnnamedGroup)),
        "say",
        Some("Mexican drug cartels might actually prevent that from happening"),
        Indirect,
    );
    fx.relay(some, bloomberg);
    fx.hedge("While not completely dismissing", "might");
    fx.attr(
        "Francis Taylor, under secretary",
        Some(("Francis Taylor", NamedPerson)),
        "told",
        Some("conversations between Islamic State militants have been tracked on Twitter in which they discuss entering the country through Mexico"),
        Indirect,
    );
    fx.attr(
        "There have been Twitter",
        Some(("Taylor", NamedPerson)),
        "said",
        Some("There have been Twitter and social-media exchanges among ISIL adherents across the globe speaking about that as a possibility"),
        Direct,
    );
    fx.attr(
        "Lawmakers and commentators",
        Some(("Lawmakers and commentators", UnnamedGroup)),
        "raised the spectre",
        Some("Muslim extremists pouring across the southern border"),
        Indirect,
    );
    fx.loaded("Lawmakers and commentators", "pouring across");
    fx.attr(
        "And many argue",
        Some(("many", UnnamedGroup)),
        "argue",
        Some("the militants might team up with another threat to American security - the Mexican cartels"),
        Indirect,
    );
    fx.hedge("And many argue", "might");
    fx.attr(
        "Peter Pry, executive director",
        Some(("Peter Pry", NamedPerson)),
        "said",
        Some("Islamic State militants could conspire to knock out a U.S. power grid"),
        Indirect,
    );
    fx.hedge("Peter Pry, executive director", "could");
    let he = fx.attr(
        "He pointed to",
        Some(("He", NamedPerson)),
        "pointed to",
        Some("the recent successful attempt of the Mexican cartel known as the Knights Templar to knock out a Mexican grid as evidence that ISIS could seek their help to do something similar on U.S. soil"),
        Indirect,
    );
    fx.refers(he, "Peter Pry");
    fx.hedge("He pointed to", "could");
    fx.attr(
        "Pry argued",
        Some(("Pry", NamedPerson)),
        "argued",
        Some("ISIS had plenty of cash and the cartels are notoriously willing to do anything for money"),
        Indirect,
    );
    fx.loaded("Pry argued", "notoriously");
    fx.attr(
        "Conservative pundit Allen West",
        Some(("Allen West", NamedPerson)),
        "argued",
        None,
        Indirect,
    );
    // West's quote runs over two sentences; its cue sits in the second.
    fx.voice("has a large financing stream", Voice::Attributed);
    fx.hedge("has a large financing stream", "reportedly");
    fx.attr(
        "The narco-terrorists will provide",
        Some(("West", NamedPerson)),
        "wrote",
        Some(
            "The narco-terrorists will provide safe passage for anyone across our porous border for a price",
        ),
        Direct,
    );
    fx.loaded("The narco-terrorists will provide", "porous border");
    fx.attr(
        "U.S. intelligence officials say",
        Some(("U.S. intelligence officials", UnnamedGroup)),
        "say",
        Some("such cooperation is unlikely"),
        Indirect,
    );
    fx.hedge("U.S. intelligence officials say", "unlikely");
    // "The reason: It's bad for business." continues the officials' view.
    fx.voice("The reason:", Voice::Attributed);
    fx.attr(
        "The cartels likely know",
        Some(("the officials", UnnamedGroup)),
        "said",
        Some("The cartels likely know that allowing safe travel through their turf for ISIS to infiltrate the U.S. and carry out a terrorist attack would draw a massive U.S. military response"),
        Indirect,
    );
    fx.hedge("The cartels likely know", "likely");
    fx.attr(
        "Such a response would tighten",
        Some(("two intelligence officials who requested anonymity", UnnamedGroup)),
        "told",
        Some("Such a response would tighten border security and severely hamper the cartels’ narcotics smuggling operations"),
        Indirect,
    );
    fx.hedge("Such a response would tighten", "would");
    fx.attr(
        "Furthermore, Nicholas Rasmussen",
        Some(("Nicholas Rasmussen", NamedPerson)),
        "told",
        Some("ISIS still did not pose a significant threat to U.S., whether they were colluding with the cartels or not"),
        Indirect,
    );
    let he = fx.attr(
        "Their scope does not reach",
        Some(("he", NamedPerson)),
        "said",
        Some("Their scope does not reach far beyond Iraq and Syria"),
        Indirect,
    );
    fx.refers(he, "Nicholas Rasmussen");
    fx.attr(
        "We do not assess right now",
        Some(("Rasmussen", NamedPerson)),
        "said",
        Some("We do not assess right now they have the capability to mount an effective large-scale attack on the United States"),
        Direct,
    );
    fx
}

/// 003: an opinion piece that relays unnamed informants through Judicial Watch.
pub(crate) fn seed_003() -> Fx {
    let mut fx = Fx::new(
        SEED_003,
        Genre::Opinion,
        &[
            "first-person judgements: “I suspect”, “I’m no engineer”",
            "exclamations and asides: “Here we go again!”",
        ],
    );
    // The first line is a section label; the headline is the second.
    let (hs, he) = fx.find("Mexican Cartel and ISIS are Conspiring South of the Border");
    fx.a.title = "Mexican Cartel and ISIS are Conspiring South of the Border".into();
    fx.a.title_span = Some(fx.span((hs, he)));
    fx.a.byline = vec!["Stephen Owsinski".into()];
    fx.clutter("National Security", ClutterKind::SectionLabel)
        .clutter("Stephen Owsinski is a Senior", ClutterKind::AuthorBio)
        .clutter("Join the conversation!", ClutterKind::CallToAction)
        .clutter("We have no tolerance", ClutterKind::CommentPolicy);
    fx.loaded("In an odd twist", "inflict terroristic acts");
    fx.voice("Here we go again!", Voice::AuthorOpinion);
    fx.loaded("A recent fusillade", "fusillade of bullets");
    fx.loaded("Oddly allied", "mayhem");
    fx.attr(
        "have ignited a firestorm",
        Some(("cartel informants", UnnamedGroup)),
        "according to",
        Some("Mr. Trump’s mass deportation assertions and mentions of shoring up border crossings have ignited a firestorm of vengeance"),
        Indirect,
    );
    fx.attr(
        "have ignited a firestorm",
        Some(("cartel informants", UnnamedGroup)),
        "claim",
        Some("ISIS is already on Mexican soil and readied to attack throughout Trump’s inauguration"),
        Indirect,
    );
    fx.loaded("have ignited a firestorm", "firestorm of vengeance");
    let jw = fx.attr(
        "According to Judicial Watch revelations",
        Some(("Judicial Watch", NamedOrganization)),
        "According to",
        None,
        Indirect,
    );
    let inf = fx.attr(
        "According to Judicial Watch revelations",
        Some(("cartel informants", UnnamedGroup)),
        "told",
        Some("ISIS cells “are only waiting for the order and the times to carry out a simultaneous attack in the different ports of entry or cities of the United States of America.”"),
        Mixed,
    );
    fx.relay(inf, jw);
    fx.attr(
        "The unorthodox alliance",
        None,
        "reportedly",
        Some("stems from Trump making the Mexican cartel’s drug trafficking operations more difficult"),
        Indirect,
    );
    fx.hedge("The unorthodox alliance", "reportedly");
    fx.loaded("By demonstrating", "strong-arm");
    fx.voice("I suspect the exact opposite", Voice::AuthorOpinion);
    fx.hedge("I suspect the exact opposite", "likely");
    fx.loaded("I suspect the exact opposite", "aggressively unleash");
    fx.voice("As a federal law enforcement agency", Voice::AuthorOpinion);
    fx.loaded("As a nation, we", "bloodshed");
    fx.voice("It was only a matter of time", Voice::AuthorOpinion);
    fx.voice("But in typical cartel fashion", Voice::AuthorOpinion);
    fx.voice("Using their infinite flow", Voice::AuthorOpinion);
    fx.hedge("Using their infinite flow", "may");
    fx.loaded("Using their infinite flow", "infinite flow of drug money");
    fx.voice("And we know they play ugly", Voice::AuthorOpinion);
    fx.loaded("And we know they play ugly", "play ugly");
    fx.voice("One may suspect the tunneling", Voice::AuthorOpinion);
    fx.hedge("One may suspect the tunneling", "may suspect");
    fx.attr(
        "It’s already a reality",
        Some(("a New York Times report", Document)),
        "according to",
        Some("It’s already a reality"),
        Indirect,
    );
    fx.voice("Tunneling and making it to the US", Voice::AuthorOpinion);
    fx.loaded("Tunneling and making it to the US", "useless");
    fx.voice("Imagine the ISIS lunatics", Voice::AuthorOpinion);
    fx.loaded("Imagine the ISIS lunatics", "lunatics");
    fx.voice("I’m no engineer", Voice::AuthorOpinion);
    fx.loaded("I’m no engineer", "gator-filled moat");
    fx.attr(
        "Judicial Watch reported that",
        Some(("Judicial Watch", NamedOrganization)),
        "reported",
        Some("drug cartels and ISIS have concentrated on border counties and municipalities whose tiny and understaffed police jurisdictions are vulnerable avenues (known as “porous borders”) that facilitate narcotics trafficking and human smuggling operations without detection"),
        Indirect,
    );
    fx.voice("Perhaps the funding slated", Voice::AuthorOpinion);
    fx.hedge("Perhaps the funding slated", "Perhaps");
    fx.voice("However, nothing is likely", Voice::AuthorOpinion);
    fx.hedge("However, nothing is likely", "likely");
    fx.attr(
        "Federal law enforcement officials, with many years",
        Some(("Federal law enforcement officials", UnnamedGroup)),
        "define",
        Some(
            "Mr. Trump’s immigration plans as a tremendous disruption to the Mexican and Muslim communities",
        ),
        Indirect,
    );
    fx.loaded("Federal law enforcement officials, with many years", "nefarious");
    fx.hedge("The border wall and more stringent", "allegedly");
    fx.loaded("Their criminal enterprises are compromised", "sever and bleed");
    fx.loaded("It is no fiction", "flagrantly");
    fx.voice("Sounds like south-of-the-border anarchy", Voice::AuthorOpinion);
    fx.loaded("Sounds like south-of-the-border anarchy", "anarchy");
    fx.voice("With inhospitable terrain", Voice::AuthorOpinion);
    fx.loaded("With inhospitable terrain", "boiling cauldron");
    fx.voice("No matter which way PEOTUS", Voice::AuthorOpinion);
    fx.loaded("No matter which way PEOTUS", "powder keg");
    let jw2 = fx.attr(
        "Via its Mexican sources",
        Some(("Judicial Watch", NamedOrganization)),
        "unearthed by",
        None,
        Indirect,
    );
    let ms = fx.attr(
        "Via its Mexican sources",
        Some(("its Mexican sources", UnnamedGroup)),
        "Via",
        Some("ISIS deploys “spotters” in New Mexico on a mountain range operated by the US Bureau of Land Management (BLM)"),
        Indirect,
    );
    fx.relay(ms, jw2);
    fx.loaded("Via its Mexican sources", "unsettling");
    fx.attr(
        "Mexican federal intelligence agents claim",
        Some(("Mexican federal intelligence agents", UnnamedGroup)),
        "claim",
        Some("ISIS has in their crosshairs the White Sands Missile Range, state universities, Ft. Bliss, government installations, and power grid infrastructure as target-rich sites for terrorist acts"),
        Indirect,
    );
    fx.voice("The irony in building", Voice::AuthorOpinion);
    fx.loaded("The irony in building", "thugs");
    fx
}

/// 000: an interview laid out as numbered questions and answers.
pub(crate) fn seed_000() -> Fx {
    let mut fx = Fx::new(
        SEED_000,
        Genre::Interview,
        &[
            "numbered questions, each followed by an answer",
            "headline: “Answers Questions”",
        ],
    );
    fx.a.byline = vec!["Luis Salomon".into(), "Jaime Ortega".into()];
    fx.hedge("Is it somewhat possible", "possible");
    fx.hedge("There have been many such rumors", "rumors");
    fx.hedge("Though there is no solid proof", "no solid proof");
    fx.hedge("If it turns out to be true", "not confirmed");
    fx.hedge("Hypothetically speaking", "Hypothetically");
    fx.hedge("If this is correct,could", "hypothetically");
    fx.hedge("I think any US city", "potentially");
    fx.voice("I think any US city", Voice::AuthorOpinion);
    fx.voice("Even with its faults", Voice::AuthorOpinion);
    fx.voice("The MX cartels would have to have", Voice::AuthorOpinion);
    fx.hedge("The MX cartels would have to have", "would");
    fx.loaded("Money, money, money", "Money, money, money");
    fx.attr(
        "This is the fear of the anti-immigartion",
        Some(("the anti-immigartion proponents", UnnamedGroup)),
        "fear",
        None,
        Indirect,
    );
    fx
}

/// hex sha256 of a seed, as the article catalogue computes it.
pub(crate) fn hash(text: &str) -> String {
    super::text::sha256(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
