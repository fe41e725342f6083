//! The analysis contract: what the analyzer finds in an article, as plain values.
//!
//! The JSON shape of [`Analysis`] is read by other tools (the evaluation scorer, front-ends,
//! the exercise generator); fields may be added, never renamed or removed.
//! Every offset is a char (Unicode scalar) offset into the input text, end exclusive.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A stretch of the input text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Span {
    /// First char (Unicode scalar value) of the span, counted from 0.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    /// The text of the span, exactly as in the input.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Genre {
    NewsReport,
    Interview,
    Opinion,
}

/// Whose voice a sentence speaks in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Voice {
    /// The sentence reports what a source says or holds.
    Attributed,
    /// The writer's own judgement, prediction or feeling.
    AuthorOpinion,
    /// The writer's own statement of fact, with no source given.
    AuthorReport,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    NamedPerson,
    NamedOrganization,
    UnnamedPerson,
    UnnamedGroup,
    /// Reports, polls, tweets, social-media exchanges, documents.
    Document,
    /// The writer of the article.
    Author,
}

impl SourceKind {
    pub fn is_unnamed(self) -> bool {
        matches!(self, SourceKind::UnnamedPerson | SourceKind::UnnamedGroup)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuoteType {
    Direct,
    Indirect,
    Mixed,
}

/// What an attribution attributes: words spoken or written, a belief, or a feeling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttributionType {
    /// Said, told, wrote, reported, according to: the source's own words.
    #[default]
    Speech,
    /// A view held true or likely: "officials believe", "analysts expect", "are convinced that".
    Belief,
    /// A wish, fear, liking or stand: "voters fear", "Republicans want", "are reluctant to".
    Sentiment,
    /// A position a group shows by what it does, with no verb of saying or feeling: "Democrats
    /// have pushed for", "unions campaigned against", "protesters are crying fraud".
    Stance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Source {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: SourceKind,
    /// For a pronoun source ("he said"), the earlier mention it refers to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Attribution {
    /// Who says it; `None` when the text names no source ("it was reported").
    pub source: Option<Source>,
    /// The words that mark the attribution: "said", "according to", "told".
    pub cue: Span,
    /// What is attributed.
    pub content: Option<Span>,
    pub quote: QuoteType,
    /// Index (into `attributions`) of the attribution through which this one reached the
    /// writer: in "X reported that Y told Z …", Y's attribution is relayed from X's.
    pub relayed_from: Option<usize>,
    /// Index (into `sentences`) of the sentence holding the cue.
    pub sentence: usize,
    /// Index (into `entities`) of the source this attribution's source phrase names.
    #[serde(default)]
    pub entity: Option<usize>,
    /// How sure the analyzer is of this attribution's source, cue and kind, from 0 to 1.
    #[serde(default = "default_confidence")]
    pub confidence: f32,
    /// For an unnamed source, the phrase that marks it as anonymous ("who was not authorized
    /// to speak publicly", "on condition of anonymity", "a person familiar with the matter").
    #[serde(default)]
    pub anonymity: Option<Span>,
    /// Speech, belief or sentiment, from the cue ("said" / "believe" / "fear").
    #[serde(default)]
    pub attribution_type: AttributionType,
}

fn default_confidence() -> f32 {
    0.5
}

/// One source of an article under all the names it goes by there: "Ana Ruiz" … "Ms. Ruiz" …
/// "she"; "the city's transit authority" … "Metro" when the text ties them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Entity {
    /// Its index in `entities`.
    pub id: usize,
    pub kind: SourceKind,
    /// The mention that names it best (the fullest name, else the longest description).
    pub name: Span,
    /// Every source phrase of the article that refers to it, in text order.
    pub mentions: Vec<Span>,
    /// For an unnamed source, the phrase that marks it as anonymous.
    #[serde(default)]
    pub anonymity: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Index into `paragraphs`.
    pub paragraph: usize,
    pub voice: Voice,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    /// Page furniture rather than article text (comment policy, photo credits, "Popular Video").
    pub clutter: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClutterKind {
    CommentPolicy,
    CallToAction,
    MediaCredit,
    SourceList,
    Widget,
    SectionLabel,
    AuthorBio,
    /// A photo caption: the short line above a media credit.
    Caption,
    /// A broadcast-style sign-off ("I'm Mario Ritter.").
    SignOff,
    /// An editorial or archival notice to readers ("Please note that due to our archival
    /// policy …", "Editor's note: …").
    Notice,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Clutter {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: ClutterKind,
}

/// A word or phrase found by a lexicon (hedge, loaded term).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Marker {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Index into `sentences`.
    pub sentence: usize,
}

/// Everything the analyzer found in one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Analysis {
    pub title: String,
    pub title_span: Option<Span>,
    pub byline: Vec<String>,
    pub genre: Genre,
    /// Why the genre was chosen, in words a teacher can check.
    pub genre_cues: Vec<String>,
    /// How sure the analyzer is of the genre, from 0 to 1.
    #[serde(default = "default_confidence")]
    pub genre_confidence: f32,
    pub paragraphs: Vec<Paragraph>,
    pub clutter: Vec<Clutter>,
    pub sentences: Vec<Sentence>,
    pub attributions: Vec<Attribution>,
    /// The sources of the article, aliases merged; `attributions[].entity` points here.
    #[serde(default)]
    pub entities: Vec<Entity>,
    pub hedges: Vec<Marker>,
    pub loaded_terms: Vec<Marker>,
}
