//! The keys a careful teacher settled on for the seeds, on hand-built and real analyses.

use super::*;

#[test]
fn seed_001_anonymous_sources_key() {
    let fx = seed_001();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let anon = of_kind(&ex, ExerciseKind::AnonymousSources);
    assert_eq!(anon.len(), 1);
    let key = key_texts(anon[0]);
    assert!(
        key.iter()
            .any(|t| t.contains("two intelligence officials who requested anonymity")),
        "{key:#?}"
    );
    assert!(key.iter().all(|t| !t.contains("Rasmussen")), "{key:#?}");
    let anonymity = anon[0]
        .content
        .options
        .iter()
        .find(|o| o.text.contains("requested anonymity"))
        .expect("in the options");
    assert!(
        anonymity.explanation.contains("no name is given"),
        "{}",
        anonymity.explanation
    );
    // Distractors are named-source statements from the same article.
    for t in wrong_texts(anon[0]) {
        let s = fx.sentence(t);
        assert_eq!(fx.a.sentences[s].voice, crate::analysis::Voice::Attributed, "{t}");
    }
}

#[test]
fn seed_001_claim_chain_follows_bloomberg() {
    let fx = seed_001();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let chains = of_kind(&ex, ExerciseKind::ClaimChain);
    let bl = chains
        .iter()
        .find(|e| {
            e.content
                .passage
                .as_ref()
                .is_some_and(|p| p.text.contains("according to Bloomberg"))
        })
        .expect("a claim chain through Bloomberg");
    assert_eq!(
        key_shown(bl),
        vec!["It comes from some intelligence officials, passed on through Bloomberg"]
    );
    assert_eq!(bl.content.difficulty, Difficulty::Hard);
}

#[test]
fn seed_001_source_of_claim_uses_named_pronoun_referent() {
    let fx = seed_001();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let soc = of_kind(&ex, ExerciseKind::SourceOfClaim);
    assert!(!soc.is_empty());
    for e in &soc {
        assert!(e.content.options.iter().any(|o| o.text == "No source is given"));
        let key = key_texts(e);
        assert_eq!(key.len(), 1);
        // No option may name the same people as the key under another wording.
        let kw: BTreeSet<String> = text::content_words(key[0]).into_iter().collect();
        if key[0] != "No source is given" {
            for t in wrong_texts(e) {
                assert!(
                    text::content_words(t).iter().all(|w| !kw.contains(w)),
                    "{t} vs {}",
                    key[0]
                );
            }
        }
    }
}

#[test]
fn seed_003_author_opinion_key() {
    let fx = seed_003();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let op = of_kind(&ex, ExerciseKind::AuthorOpinion);
    assert_eq!(op.len(), 1);
    let key = key_texts(op[0]);
    assert!(
        key.iter()
            .any(|t| t.starts_with("I suspect the exact opposite will occur")),
        "{key:#?}"
    );
    let o = op[0]
        .content
        .options
        .iter()
        .find(|o| o.text.starts_with("I suspect"))
        .expect("option");
    assert!(o.explanation.contains("“I suspect”"), "{}", o.explanation);
    for t in wrong_texts(op[0]) {
        let s = fx.sentence(t);
        assert_ne!(
            fx.a.sentences[s].voice,
            crate::analysis::Voice::AuthorOpinion,
            "{t}"
        );
    }
}

#[test]
fn seed_003_claim_chain_through_judicial_watch() {
    let fx = seed_003();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let chains = of_kind(&ex, ExerciseKind::ClaimChain);
    let jw = chains
        .iter()
        .find(|e| {
            e.content
                .passage
                .as_ref()
                .is_some_and(|p| p.text.starts_with("According to Judicial Watch"))
        })
        .expect("informants → Judicial Watch");
    assert_eq!(
        key_shown(jw),
        vec!["It comes from cartel informants, passed on through Judicial Watch"]
    );
}

#[test]
fn seed_003_loaded_language_never_marks_a_loaded_term_neutral() {
    let fx = seed_003();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let ll = of_kind(&ex, ExerciseKind::LoadedLanguage);
    assert_eq!(ll.len(), 1);
    let passage = ll[0].content.passage.as_ref().expect("passage");
    for o in &ll[0].content.options {
        let q = o.quote.as_ref().expect("quoted");
        assert!(
            passage.start <= q.start && q.end <= passage.end,
            "{} outside passage",
            o.text
        );
        let is_loaded =
            fx.a.loaded_terms
                .iter()
                .any(|m| m.start < q.end && q.start < m.end);
        assert_eq!(o.correct, is_loaded, "{}", o.text);
    }
}

#[test]
fn piece_types_match_the_seeds() {
    for (fx, want) in [
        (seed_000(), "interview"),
        (seed_001(), "news_report"),
        (seed_003(), "opinion"),
    ] {
        let h = hash(fx.text);
        let ex = generate(&art(&fx, &h));
        let pt = of_kind(&ex, ExerciseKind::PieceType);
        assert_eq!(pt.len(), 1);
        let key: Vec<&str> = pt[0]
            .content
            .options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.as_str())
            .collect();
        assert_eq!(key, vec![want]);
    }
}

#[test]
fn interview_gets_no_author_opinion_item() {
    let fx = seed_000();
    let h = hash(fx.text);
    assert!(of_kind(&generate(&art(&fx, &h)), ExerciseKind::AuthorOpinion).is_empty());
}

#[test]
fn the_three_seeds_cover_seven_kinds_including_a_comparison() {
    let fxs = all_fixtures();
    let hashes: Vec<String> = fxs.iter().map(|f| hash(f.text)).collect();
    let refs: Vec<ArticleRef> = fxs.iter().zip(&hashes).map(|(f, h)| art(f, h)).collect();
    let mut kinds = BTreeSet::new();
    for r in &refs {
        kinds.extend(generate(r).iter().map(|e| e.kind));
    }
    let cmp = compare_articles(&refs);
    assert!(!cmp.is_empty());
    kinds.extend(cmp.iter().map(|e| e.kind));
    assert!(kinds.len() >= 7, "{kinds:?}");
    assert!(kinds.contains(&ExerciseKind::CompareArticles));

    // 003 relies most on unnamed sources.
    let unnamed = cmp
        .iter()
        .find(|e| e.content.prompt.contains("does not name"))
        .expect("unnamed-sources comparison");
    let key: Vec<&ExerciseOption> = unnamed.content.options.iter().filter(|o| o.correct).collect();
    assert_eq!(key.len(), 1);
    assert_eq!(key[0].article_hash.as_deref(), Some(hashes[2].as_str()));
    assert!(key[0].explanation.contains(" of "), "{}", key[0].explanation);

    // 003 states the alleged cooperation as fact ("Mexican cartels have unified with ISIS").
    let fact = cmp
        .iter()
        .find(|e| e.content.prompt.contains("established fact"))
        .expect("established-fact comparison");
    let key: Vec<&ExerciseOption> = fact.content.options.iter().filter(|o| o.correct).collect();
    assert_eq!(key[0].article_hash.as_deref(), Some(hashes[2].as_str()));
    for e in &cmp {
        assert_eq!(e.content.validate(), Ok(()));
        assert_eq!(e.content.options.len(), 3);
        assert!(e.content.options.iter().all(|o| o.article_hash.is_some()));
    }
}

/// What a careful teacher would set on the seeds, pinned on the real analyzer's output.
#[test]
fn real_analyzer_seed_001_anonymous_key() {
    let (a, h) = real_seeds();
    let refs = real_refs(&a, &h);
    let ex = generate(&refs[1]);
    let anon = of_kind(&ex, ExerciseKind::AnonymousSources);
    assert_eq!(anon.len(), 1);
    let key = key_texts(anon[0]);
    assert!(
        key.iter()
            .any(|t| t.contains("two intelligence officials who requested anonymity")),
        "{key:#?}"
    );
    assert!(key.iter().all(|t| !t.contains("Rasmussen")), "{key:#?}");
}

#[test]
fn real_analyzer_seed_003_author_opinion_key() {
    let (a, h) = real_seeds();
    let refs = real_refs(&a, &h);
    let ex = generate(&refs[2]);
    let op = of_kind(&ex, ExerciseKind::AuthorOpinion);
    assert_eq!(op.len(), 1);
    let key = key_texts(op[0]);
    assert!(
        key.iter()
            .any(|t| t.starts_with("I suspect the exact opposite will occur")),
        "{key:#?}"
    );
}

#[test]
fn real_analyzer_seeds_cover_seven_kinds_including_a_comparison() {
    let (a, h) = real_seeds();
    let refs = real_refs(&a, &h);
    let mut kinds: BTreeSet<ExerciseKind> = refs.iter().flat_map(|r| generate(r)).map(|e| e.kind).collect();
    let cmp = compare_articles(&refs);
    kinds.extend(cmp.iter().map(|e| e.kind));
    assert!(kinds.len() >= 7, "{kinds:?}");
    assert!(kinds.contains(&ExerciseKind::CompareArticles), "{kinds:?}");
}

/// Prints what the seeds yield, for eyeballing: `cargo test --lib dump_seed -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump_seed_exercises() {
    let fxs = all_fixtures();
    let hashes: Vec<String> = fxs.iter().map(|f| hash(f.text)).collect();
    let refs: Vec<ArticleRef> = fxs.iter().zip(&hashes).map(|(f, h)| art(f, h)).collect();
    for r in &refs {
        println!("=== {}", r.title);
        for e in generate(r) {
            print_exercise(&e);
        }
    }
    println!("=== compare");
    for e in compare_articles(&refs) {
        print_exercise(&e);
    }
}

/// The same for the real analyzer: `cargo test --lib dump_real -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump_real_seed_exercises() {
    let (analyses, hashes) = real_seeds();
    let refs = real_refs(&analyses, &hashes);
    for r in &refs {
        println!("=== {}", r.title);
        for e in generate(r) {
            print_exercise(&e);
        }
    }
    println!("=== compare");
    for e in compare_articles(&refs) {
        print_exercise(&e);
    }
}

#[test]
fn seed_003_unsourced_statement_item() {
    let fx = seed_003();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let none_key: Vec<&Exercise> = of_kind(&ex, ExerciseKind::SourceOfClaim)
        .into_iter()
        .filter(|e| key_texts(e) == vec!["No source is given"])
        .collect();
    assert_eq!(none_key.len(), 1);
    let passage = none_key[0].content.passage.as_ref().expect("statement");
    let s = fx.sentence(&passage.text);
    assert_eq!(fx.a.sentences[s].voice, crate::analysis::Voice::AuthorReport);
    assert!(fx.a.attributions.iter().all(|a| a.sentence != s));
}

#[test]
fn pronoun_sources_are_explained_by_their_referent() {
    let fx = seed_001();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let pry = of_kind(&ex, ExerciseKind::SourceOfClaim)
        .into_iter()
        .find(|e| {
            e.content
                .passage
                .as_ref()
                .is_some_and(|p| p.text.starts_with("He pointed"))
        })
        .expect("the pronoun item");
    let key = pry.content.options.iter().find(|o| o.correct).expect("key");
    assert_eq!(key.text, "Peter Pry");
    assert!(key.explanation.contains("“He pointed to”"), "{}", key.explanation);
    // The option highlights the name where it stands in the article.
    let q = key.quote.as_ref().expect("quote");
    assert_eq!(chars(fx.text, q.start, q.end), "Peter Pry");
}
