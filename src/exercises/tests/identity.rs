//! Determinism and identity: the same text gives the same exercises and ids, and ids survive changes elsewhere.

use super::*;

#[test]
fn fixtures_split_where_a_reader_would() {
    let fx = seed_001();
    let s = fx.sentence("Republican Texas Gov. Rick Perry");
    assert!(
        fx.a.sentences[s].text.starts_with("“Narco-terrorists” is a term"),
        "{}",
        fx.a.sentences[s].text
    );
    for s in &fx.a.sentences {
        assert_eq!(chars(fx.text, s.start, s.end), s.text);
    }
}

#[test]
fn generation_is_deterministic() {
    for fx in all_fixtures() {
        let h = hash(fx.text);
        let a = generate(&art(&fx, &h));
        let fx2 = match fx.text {
            t if t == seed_000().text => seed_000(),
            t if t == seed_001().text => seed_001(),
            _ => seed_003(),
        };
        let b = generate(&art(&fx2, &h));
        assert!(!a.is_empty());
        assert_eq!(a, b);
    }
}

#[test]
fn ids_are_uuid_v5_over_hash_kind_subject_and_unique() {
    let fx = seed_001();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let ids: BTreeSet<uuid::Uuid> = ex.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), ex.len(), "exercise ids collide");
    for e in &ex {
        assert_eq!(e.id.get_version_num(), 5);
    }
    let anon = of_kind(&ex, ExerciseKind::AnonymousSources);
    assert_eq!(
        anon[0].id,
        text::exercise_id(&h, ExerciseKind::AnonymousSources, "article")
    );
    // A different article hash gives different ids.
    let other = generate(&art(&fx, "00"));
    assert!(other.iter().all(|e| !ids.contains(&e.id)));
}

#[test]
fn comparison_is_order_independent_in_ids_and_deterministic() {
    let fxs = all_fixtures();
    let hashes: Vec<String> = fxs.iter().map(|f| hash(f.text)).collect();
    let refs: Vec<ArticleRef> = fxs.iter().zip(&hashes).map(|(f, h)| art(f, h)).collect();
    let a = compare_articles(&refs);
    assert_eq!(a, compare_articles(&refs));
    let rev: Vec<ArticleRef> = refs.iter().rev().copied().collect();
    let b = compare_articles(&rev);
    let ida: BTreeSet<_> = a.iter().map(|e| e.id).collect();
    let idb: BTreeSet<_> = b.iter().map(|e| e.id).collect();
    assert_eq!(ida, idb);
    // One article can't be compared with itself.
    assert!(compare_articles(&refs[..1]).is_empty());
    assert!(compare_articles(&[refs[0], refs[0]]).is_empty());
}

#[test]
fn ids_survive_a_changed_analysis_of_other_sentences() {
    // A teacher's correction is stored under an exercise id; an improved analyzer must not
    // orphan it when the exercise is about the same statement.
    let fx = seed_001();
    let h = hash(fx.text);
    let before: BTreeSet<uuid::Uuid> = generate(&art(&fx, &h)).iter().map(|e| e.id).collect();
    let mut fx2 = seed_001();
    fx2.loaded("Conservative pundit Allen West", "Conservative pundit");
    fx2.a.hedges.clear();
    let after = generate(&art(&fx2, &h));
    for e in &after {
        if matches!(
            e.kind,
            ExerciseKind::SourceOfClaim | ExerciseKind::AnonymousSources | ExerciseKind::PieceType
        ) {
            assert!(before.contains(&e.id), "{:?} changed id", e.kind);
        }
    }
}
