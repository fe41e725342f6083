//! Export to IMS QTI 3.0: one `qti-assessment-item` per exercise, and a content package (a
//! ZIP with `imsmanifest.xml`, a `qti-assessment-test` and the items) for a whole assignment,
//! which is what Canvas, Moodle and other QTI 3 consumers import.
//!
//! Scoring mirrors [`crate::exercises::grade`]:
//! - single choice: 1 for the key, else 0 (`qti-match` against the correct response);
//! - multiple response, partial: a `qti-mapping` with +1/correct_total per correct option and
//!   −1/correct_total per wrong one, lower bound 0, upper bound 1, i.e. exactly
//!   max(0, (correct chosen − wrong chosen) / correct total);
//! - multiple response, all-or-nothing: `qti-match` against the full key (the logic of the
//!   `match_correct` template);
//! - free text (reflection): an extended-text interaction, no automatic score; the rubric
//!   goes into a scorer-only rubric block.
//!
//! Response processing is written out rather than pointing at the `match_correct` /
//! `map_response` templates, because the templates never set the `FEEDBACK` outcome, and the
//! per-option explanations (inline feedback keyed to the chosen option ids) need it. The
//! written rules are the templates' own, plus `FEEDBACK = RESPONSE`.
//!
//! Option ids become QTI identifiers: `C-` + the id sanitised to an NCName (our ids are short
//! hex hashes, so this is normally just the prefix), with the option's index appended in the
//! unlikely case two sanitise to the same identifier.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use uuid::Uuid;

use super::archive;
use super::xml::{escape, identifier};
use crate::exercises::{Exercise, ExerciseContent, ExerciseKind, ResponseType, ScoringMode};

pub const NAMESPACE: &str = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0";
const SCHEMA_LOCATION: &str = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0 \
     https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd";
const MANIFEST_NAMESPACE: &str = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1";

/// The QTI identifier of an exercise: `ex-` + its UUID.
pub fn item_identifier(id: Uuid) -> String {
    format!("ex-{}", id.hyphenated())
}

/// The QTI identifiers of the options, in order; made unique if sanitising collides.
fn choice_identifiers(content: &ExerciseContent) -> Vec<String> {
    let mut seen = BTreeSet::new();
    content
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let mut ident = identifier("C-", &o.id);
            if !seen.insert(ident.clone()) {
                ident = format!("{ident}-{i}");
                seen.insert(ident.clone());
            }
            ident
        })
        .collect()
}

/// A readable title: the kind in words.
pub fn title(kind: ExerciseKind) -> &'static str {
    match kind {
        ExerciseKind::AnonymousSources => "Anonymous sources",
        ExerciseKind::SourceOfClaim => "Source of a claim",
        ExerciseKind::AuthorOpinion => "Author's opinion or reported information",
        ExerciseKind::HedgedClaims => "Hedged claims",
        ExerciseKind::LoadedLanguage => "Loaded language",
        ExerciseKind::ClaimChain => "How a claim reached the author",
        ExerciseKind::PieceType => "Kind of piece",
        ExerciseKind::CompareArticles => "Comparing articles",
        ExerciseKind::Reflection => "Reflection",
        ExerciseKind::InterviewVoice => "Whose words in an interview",
    }
}

/// Writes a number as QTI's `xs:double` lexical form; fractions like 1/3 keep full precision
/// so three of them add up to 1 as closely as the consumer's arithmetic allows.
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

fn float_outcome(out: &mut String, ident: &str, default: f64) {
    let _ = write!(
        out,
        "  <qti-outcome-declaration identifier=\"{ident}\" cardinality=\"single\" base-type=\"float\">\n    \
         <qti-default-value><qti-value>{}</qti-value></qti-default-value>\n  \
         </qti-outcome-declaration>\n",
        number(default)
    );
}

fn set_score(value: &str) -> String {
    format!("<qti-set-outcome-value identifier=\"SCORE\">{value}</qti-set-outcome-value>")
}

/// The `qti-assessment-item` document for one exercise.
pub fn item_xml(exercise: &Exercise) -> String {
    let content = &exercise.content;
    let ident = item_identifier(exercise.id);
    let mut out = String::with_capacity(4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<qti-assessment-item xmlns=\"{NAMESPACE}\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"{SCHEMA_LOCATION}\" \
         identifier=\"{ident}\" title=\"{}\" adaptive=\"false\" time-dependent=\"false\" xml:lang=\"en\">",
        escape(title(exercise.kind))
    );
    match content.response_type {
        ResponseType::FreeText => free_text_item(&mut out, content),
        ResponseType::SingleChoice | ResponseType::MultipleResponse => choice_item(&mut out, content),
    }
    out.push_str("</qti-assessment-item>\n");
    out
}

fn passage_and_prompt(out: &mut String, content: &ExerciseContent) {
    if let Some(passage) = &content.passage {
        let _ = writeln!(
            out,
            "    <blockquote><p>{}</p></blockquote>",
            escape(&passage.text)
        );
    }
}

fn choice_item(out: &mut String, content: &ExerciseContent) {
    let multiple = content.response_type == ResponseType::MultipleResponse;
    let cardinality = if multiple { "multiple" } else { "single" };
    let idents = choice_identifiers(content);
    let correct_total = content.options.iter().filter(|o| o.correct).count();
    let mapped = multiple && content.scoring == ScoringMode::Partial && correct_total > 0;

    let _ = writeln!(
        out,
        "  <qti-response-declaration identifier=\"RESPONSE\" cardinality=\"{cardinality}\" base-type=\"identifier\">"
    );
    out.push_str("    <qti-correct-response>\n");
    for (o, id) in content.options.iter().zip(&idents) {
        if o.correct {
            let _ = writeln!(out, "      <qti-value>{id}</qti-value>");
        }
    }
    out.push_str("    </qti-correct-response>\n");
    if mapped {
        let step = 1.0 / correct_total as f64;
        out.push_str("    <qti-mapping lower-bound=\"0\" upper-bound=\"1\" default-value=\"0\">\n");
        for (o, id) in content.options.iter().zip(&idents) {
            let value = if o.correct { step } else { -step };
            let _ = writeln!(
                out,
                "      <qti-map-entry map-key=\"{id}\" mapped-value=\"{}\"/>",
                number(value)
            );
        }
        out.push_str("    </qti-mapping>\n");
    }
    out.push_str("  </qti-response-declaration>\n");
    float_outcome(out, "SCORE", 0.0);
    float_outcome(out, "MAXSCORE", 1.0);
    let _ = writeln!(
        out,
        "  <qti-outcome-declaration identifier=\"FEEDBACK\" cardinality=\"{cardinality}\" base-type=\"identifier\"/>"
    );

    out.push_str("  <qti-item-body>\n");
    passage_and_prompt(out, content);
    let max_choices = if multiple { 0 } else { 1 };
    let _ = writeln!(
        out,
        "    <qti-choice-interaction response-identifier=\"RESPONSE\" shuffle=\"true\" max-choices=\"{max_choices}\">"
    );
    let _ = writeln!(out, "      <qti-prompt>{}</qti-prompt>", escape(&content.prompt));
    for (o, id) in content.options.iter().zip(&idents) {
        let _ = write!(
            out,
            "      <qti-simple-choice identifier=\"{id}\">{}",
            escape(&o.text)
        );
        if !o.explanation.trim().is_empty() {
            let _ = write!(
                out,
                " <qti-feedback-inline outcome-identifier=\"FEEDBACK\" identifier=\"{id}\" show-hide=\"show\">{}</qti-feedback-inline>",
                escape(&o.explanation)
            );
        }
        out.push_str("</qti-simple-choice>\n");
    }
    out.push_str("    </qti-choice-interaction>\n");
    out.push_str("  </qti-item-body>\n");

    out.push_str("  <qti-response-processing>\n");
    out.push_str("    <qti-response-condition>\n");
    if mapped {
        // The map_response template: no answer scores 0, otherwise the mapped sum, clamped by
        // the mapping's bounds.
        let _ = writeln!(
            out,
            "      <qti-response-if><qti-is-null><qti-variable identifier=\"RESPONSE\"/></qti-is-null>{}</qti-response-if>",
            set_score("<qti-base-value base-type=\"float\">0</qti-base-value>")
        );
        let _ = writeln!(
            out,
            "      <qti-response-else>{}</qti-response-else>",
            set_score("<qti-map-response identifier=\"RESPONSE\"/>")
        );
    } else {
        // The match_correct template: exactly the key scores 1, anything else 0.
        let _ = writeln!(
            out,
            "      <qti-response-if><qti-match><qti-variable identifier=\"RESPONSE\"/><qti-correct identifier=\"RESPONSE\"/></qti-match>{}</qti-response-if>",
            set_score("<qti-base-value base-type=\"float\">1</qti-base-value>")
        );
        let _ = writeln!(
            out,
            "      <qti-response-else>{}</qti-response-else>",
            set_score("<qti-base-value base-type=\"float\">0</qti-base-value>")
        );
    }
    out.push_str("    </qti-response-condition>\n");
    out.push_str(
        "    <qti-set-outcome-value identifier=\"FEEDBACK\"><qti-variable identifier=\"RESPONSE\"/></qti-set-outcome-value>\n",
    );
    out.push_str("  </qti-response-processing>\n");
}

fn free_text_item(out: &mut String, content: &ExerciseContent) {
    out.push_str(
        "  <qti-response-declaration identifier=\"RESPONSE\" cardinality=\"single\" base-type=\"string\"/>\n",
    );
    float_outcome(out, "SCORE", 0.0);
    float_outcome(out, "MAXSCORE", 1.0);
    out.push_str("  <qti-item-body>\n");
    if let Some(rubric) = content.rubric.as_deref().filter(|r| !r.trim().is_empty()) {
        // Only the person scoring sees it, like our own rubric.
        let _ = writeln!(
            out,
            "    <qti-rubric-block use=\"scoring\" view=\"scorer\"><qti-content-body><p>{}</p></qti-content-body></qti-rubric-block>",
            escape(rubric)
        );
    }
    passage_and_prompt(out, content);
    out.push_str("    <qti-extended-text-interaction response-identifier=\"RESPONSE\">\n");
    let _ = writeln!(out, "      <qti-prompt>{}</qti-prompt>", escape(&content.prompt));
    out.push_str("    </qti-extended-text-interaction>\n");
    out.push_str("  </qti-item-body>\n");
    // No response processing: a person scores it.
}

/// The `qti-assessment-test` that lists the items of a package, SCORE summed over them.
pub fn test_xml(identifier_: &str, title_: &str, exercises: &[Exercise]) -> String {
    let mut out = String::with_capacity(1024 + exercises.len() * 128);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<qti-assessment-test xmlns=\"{NAMESPACE}\" identifier=\"{}\" title=\"{}\">",
        escape(identifier_),
        escape(title_)
    );
    float_outcome(&mut out, "SCORE", 0.0);
    float_outcome(&mut out, "MAXSCORE", exercises.len() as f64);
    out.push_str(
        "  <qti-test-part identifier=\"part-1\" navigation-mode=\"nonlinear\" submission-mode=\"simultaneous\">\n",
    );
    out.push_str(
        "    <qti-assessment-section identifier=\"section-1\" title=\"Exercises\" visible=\"true\">\n",
    );
    for e in exercises {
        let ident = item_identifier(e.id);
        let _ = writeln!(
            out,
            "      <qti-assessment-item-ref identifier=\"{ident}\" href=\"items/{ident}.xml\"/>"
        );
    }
    out.push_str("    </qti-assessment-section>\n");
    out.push_str("  </qti-test-part>\n");
    out.push_str("  <qti-outcome-processing>\n");
    out.push_str(
        "    <qti-set-outcome-value identifier=\"SCORE\"><qti-sum><qti-test-variables variable-identifier=\"SCORE\"/></qti-sum></qti-set-outcome-value>\n",
    );
    out.push_str("  </qti-outcome-processing>\n");
    out.push_str("</qti-assessment-test>\n");
    out
}

/// The `imsmanifest.xml` of a package: the test and every item as resources.
pub fn manifest_xml(package_identifier: &str, exercises: &[Exercise]) -> String {
    let mut out = String::with_capacity(1024 + exercises.len() * 256);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<manifest xmlns=\"{MANIFEST_NAMESPACE}\" identifier=\"{}\">",
        escape(package_identifier)
    );
    out.push_str("  <metadata><schema>QTI Package</schema><schemaversion>3.0.0</schemaversion></metadata>\n");
    out.push_str("  <organizations/>\n  <resources>\n");
    out.push_str(
        "    <resource identifier=\"test\" type=\"imsqti_test_xmlv3p0\" href=\"assessment-test.xml\">\n",
    );
    out.push_str("      <file href=\"assessment-test.xml\"/>\n");
    for e in exercises {
        let _ = writeln!(
            out,
            "      <dependency identifierref=\"{}\"/>",
            item_identifier(e.id)
        );
    }
    out.push_str("    </resource>\n");
    for e in exercises {
        let ident = item_identifier(e.id);
        let _ = writeln!(
            out,
            "    <resource identifier=\"{ident}\" type=\"imsqti_item_xmlv3p0\" href=\"items/{ident}.xml\">\n      \
             <file href=\"items/{ident}.xml\"/>\n    </resource>"
        );
    }
    out.push_str("  </resources>\n</manifest>\n");
    out
}

/// A QTI 3.0 content package (ZIP) of `exercises`: manifest, test, one file per item.
pub fn package(package_id: Uuid, title_: &str, exercises: &[Exercise]) -> Result<Vec<u8>, archive::ZipError> {
    let ident = format!("pkg-{}", package_id.hyphenated());
    let manifest = manifest_xml(&ident, exercises);
    let test = test_xml(&format!("test-{}", package_id.hyphenated()), title_, exercises);
    let items: Vec<(String, String)> = exercises
        .iter()
        .map(|e| (format!("items/{}.xml", item_identifier(e.id)), item_xml(e)))
        .collect();
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("imsmanifest.xml", manifest.as_bytes()),
        ("assessment-test.xml", test.as_bytes()),
    ];
    entries.extend(items.iter().map(|(p, x)| (p.as_str(), x.as_bytes())));
    archive::write(&entries)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::exercises::{Difficulty, ExerciseOption, Quote};

    pub(crate) fn exercise(response_type: ResponseType, scoring: ScoringMode, key: &[bool]) -> Exercise {
        let ids = ["a1", "b2", "c3", "d4", "e5"];
        Exercise {
            id: Uuid::from_u128(0x1234),
            kind: ExerciseKind::AnonymousSources,
            content: ExerciseContent {
                prompt: "Which statements come from <unnamed> sources & \"others\"?".into(),
                response_type,
                passage: Some(Quote {
                    start: 0,
                    end: 5,
                    text: "Two officials who requested anonymity".into(),
                }),
                options: key
                    .iter()
                    .zip(ids)
                    .map(|(&correct, id)| ExerciseOption {
                        id: id.into(),
                        text: format!("Option {id} says 'x' < y"),
                        quote: None,
                        article_hash: None,
                        correct,
                        explanation: format!("Because {id}: no name is given"),
                    })
                    .collect(),
                difficulty: Difficulty::Medium,
                scoring,
                rubric: None,
                confidence: 1.0,
                needs_review: false,
                review_notes: Vec::new(),
            },
        }
    }

    fn q<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
        node.descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == name)
            .collect()
    }

    #[test]
    fn partial_multiple_response_maps_each_option() {
        let e = exercise(
            ResponseType::MultipleResponse,
            ScoringMode::Partial,
            &[true, true, true, false, false],
        );
        let xml = item_xml(&e);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "qti-assessment-item");
        assert_eq!(root.tag_name().namespace(), Some(NAMESPACE));
        assert_eq!(
            root.attribute("identifier"),
            Some("ex-00000000-0000-0000-0000-000000001234")
        );

        let decl = q(root, "qti-response-declaration")[0];
        assert_eq!(decl.attribute("cardinality"), Some("multiple"));
        let correct: Vec<&str> = q(q(decl, "qti-correct-response")[0], "qti-value")
            .iter()
            .filter_map(|v| v.text())
            .collect();
        assert_eq!(correct, vec!["C-a1", "C-b2", "C-c3"]);
        let mapping = q(decl, "qti-mapping")[0];
        assert_eq!(mapping.attribute("lower-bound"), Some("0"));
        assert_eq!(mapping.attribute("upper-bound"), Some("1"));
        let entries: Vec<(String, f64)> = q(mapping, "qti-map-entry")
            .iter()
            .map(|m| {
                (
                    m.attribute("map-key").unwrap().to_string(),
                    m.attribute("mapped-value").unwrap().parse().unwrap(),
                )
            })
            .collect();
        assert_eq!(entries.len(), 5);
        for (key, value) in &entries {
            let want = if ["C-a1", "C-b2", "C-c3"].contains(&key.as_str()) {
                1.0 / 3.0
            } else {
                -1.0 / 3.0
            };
            assert!((value - want).abs() < 1e-12, "{key}: {value}");
        }
        // The mapped sum of choosing a1, b2, d4 is (2 − 1)/3, as grade() says.
        let chosen = ["C-a1", "C-b2", "C-d4"];
        let sum: f64 = entries
            .iter()
            .filter(|(k, _)| chosen.contains(&k.as_str()))
            .map(|(_, v)| v)
            .sum();
        assert!((sum - 1.0 / 3.0).abs() < 1e-12);

        let outcomes: Vec<&str> = q(root, "qti-outcome-declaration")
            .iter()
            .filter_map(|o| o.attribute("identifier"))
            .collect();
        assert_eq!(outcomes, vec!["SCORE", "MAXSCORE", "FEEDBACK"]);

        let interaction = q(root, "qti-choice-interaction")[0];
        assert_eq!(interaction.attribute("max-choices"), Some("0"));
        let prompt = q(interaction, "qti-prompt")[0].text().unwrap();
        assert_eq!(
            prompt,
            "Which statements come from <unnamed> sources & \"others\"?"
        );
        let choices = q(interaction, "qti-simple-choice");
        assert_eq!(choices.len(), 5);
        let fb = q(choices[0], "qti-feedback-inline")[0];
        assert_eq!(fb.attribute("identifier"), Some("C-a1"));
        assert_eq!(fb.text(), Some("Because a1: no name is given"));
        assert_eq!(q(root, "qti-map-response").len(), 1);
        assert_eq!(q(root, "blockquote").len(), 1);
    }

    #[test]
    fn single_choice_and_all_or_nothing_match_the_key() {
        for (rt, mode, key, cardinality, max) in [
            (
                ResponseType::SingleChoice,
                ScoringMode::Partial,
                &[false, true, false][..],
                "single",
                "1",
            ),
            (
                ResponseType::MultipleResponse,
                ScoringMode::AllOrNothing,
                &[true, false, true][..],
                "multiple",
                "0",
            ),
        ] {
            let xml = item_xml(&exercise(rt, mode, key));
            let doc = roxmltree::Document::parse(&xml).expect("well-formed");
            let root = doc.root_element();
            assert_eq!(
                q(root, "qti-response-declaration")[0].attribute("cardinality"),
                Some(cardinality)
            );
            assert!(q(root, "qti-mapping").is_empty());
            assert_eq!(q(root, "qti-match").len(), 1);
            assert_eq!(q(root, "qti-correct").len(), 1);
            assert_eq!(
                q(root, "qti-choice-interaction")[0].attribute("max-choices"),
                Some(max)
            );
        }
    }

    #[test]
    fn free_text_is_an_extended_text_item_with_a_scorer_rubric() {
        let mut e = exercise(ResponseType::FreeText, ScoringMode::Partial, &[]);
        e.kind = ExerciseKind::Reflection;
        e.content.rubric = Some("Mentions <who> said it & how they knew".into());
        let xml = item_xml(&e);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let root = doc.root_element();
        assert_eq!(root.attribute("title"), Some("Reflection"));
        assert_eq!(q(root, "qti-extended-text-interaction").len(), 1);
        assert_eq!(
            q(root, "qti-response-declaration")[0].attribute("base-type"),
            Some("string")
        );
        let rubric = q(root, "qti-rubric-block")[0];
        assert_eq!(rubric.attribute("view"), Some("scorer"));
        assert_eq!(
            q(rubric, "p")[0].text(),
            Some("Mentions <who> said it & how they knew")
        );
        assert!(q(root, "qti-response-processing").is_empty());
    }

    #[test]
    fn hostile_text_cannot_break_the_document() {
        let mut e = exercise(ResponseType::SingleChoice, ScoringMode::Partial, &[true, false]);
        e.content.prompt = "]]></qti-prompt><evil/>\u{1}&amp;".into();
        e.content.options[0].id = "a b\"<".into();
        let xml = item_xml(&e);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        assert!(q(doc.root_element(), "evil").is_empty());
        assert_eq!(
            q(doc.root_element(), "qti-prompt")[0].text(),
            Some("]]></qti-prompt><evil/>&amp;")
        );
        assert_eq!(
            q(doc.root_element(), "qti-simple-choice")[0].attribute("identifier"),
            Some("C-a_b__")
        );
    }

    #[test]
    fn colliding_identifiers_are_made_unique() {
        let mut e = exercise(
            ResponseType::MultipleResponse,
            ScoringMode::Partial,
            &[true, false, true],
        );
        e.content.options[0].id = "x y".into();
        e.content.options[1].id = "x/y".into();
        let ids = choice_identifiers(&e.content);
        assert_eq!(ids, vec!["C-x_y", "C-x_y-1", "C-c3"]);
    }

    #[test]
    fn package_lists_every_item_and_parses() {
        let mut second = exercise(ResponseType::SingleChoice, ScoringMode::Partial, &[true, false]);
        second.id = Uuid::from_u128(0x5678);
        let exercises = vec![
            exercise(
                ResponseType::MultipleResponse,
                ScoringMode::Partial,
                &[true, false, true],
            ),
            second,
        ];
        let zip_bytes = package(Uuid::from_u128(9), "Week 3 & sources", &exercises).unwrap();
        let files = archive::read(&zip_bytes);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "imsmanifest.xml",
                "assessment-test.xml",
                "items/ex-00000000-0000-0000-0000-000000001234.xml",
                "items/ex-00000000-0000-0000-0000-000000005678.xml",
            ]
        );
        for (name, data) in &files {
            let text = std::str::from_utf8(data).unwrap();
            roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let manifest_text = std::str::from_utf8(&files[0].1).unwrap();
        let manifest = roxmltree::Document::parse(manifest_text).unwrap();
        let hrefs: Vec<&str> = q(manifest.root_element(), "resource")
            .iter()
            .filter_map(|r| r.attribute("href"))
            .collect();
        // Every resource the manifest names is in the archive.
        for href in &hrefs {
            assert!(names.contains(href), "{href} missing");
        }
        assert_eq!(hrefs.len(), 3);
        let test_text = std::str::from_utf8(&files[1].1).unwrap();
        let test = roxmltree::Document::parse(test_text).unwrap();
        assert_eq!(test.root_element().attribute("title"), Some("Week 3 & sources"));
        assert_eq!(q(test.root_element(), "qti-assessment-item-ref").len(), 2);
    }
}
