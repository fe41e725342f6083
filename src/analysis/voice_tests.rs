//! Tests of the writer's-voice layer as a reader meets it: hedges read with case and sense,
//! transcripts and prose interviews, page furniture, acronyms that look like pronouns.

use super::*;

fn hedge_words(text: &str) -> Vec<String> {
    analyze(text).hedges.into_iter().map(|m| m.text).collect()
}

fn voice_of(a: &Analysis, needle: &str) -> Voice {
    a.sentences
        .iter()
        .find(|s| s.text.contains(needle))
        .map(|s| s.voice)
        .unwrap_or_else(|| panic!("no sentence with {needle:?}"))
}

#[test]
fn may_the_month_is_no_hedge() {
    let h = hedge_words("Budget vote set\n\nThe council will vote in May on the budget.\n");
    assert!(h.is_empty(), "{h:?}");
    let h = hedge_words("Budget vote set\n\nThe council may vote on the budget next week.\n");
    assert_eq!(h, vec!["may"]);
}

#[test]
fn concessive_might_is_no_hedge() {
    let h = hedge_words("A film review\n\nThe film might feature a famous star, but the story is thin.\n");
    assert!(h.is_empty(), "{h:?}");
    let h = hedge_words("A film review\n\nAlthough it may look calm, the city is tense.\n");
    assert!(h.is_empty(), "{h:?}");
    let h = hedge_words("Storm warning\n\nThe storm might reach the coast on Friday.\n");
    assert_eq!(h, vec!["might"]);
}

#[test]
fn us_the_country_is_not_the_writers_we() {
    let a = analyze("Trade figures\n\nThe strait carries about US$5 trillion in trade every year.\n");
    assert_eq!(voice_of(&a, "strait carries"), Voice::AuthorReport);
}

#[test]
fn speaker_labelled_transcript_is_an_interview() {
    let text = "Wikinews interviews curler Ana Ruiz\n\n\
        Wikinews interviewed Ana Ruiz about the games.\n\n\
        ((Wikinews)) How likely are you to be on the final team?\n\n\
        Ana Ruiz: I am very happy and I think we will be the team.\n\n\
        ((WN)) Were you happy with fourth place?\n\n\
        AR: I was happy with the way the team played.\n\n\
        ((WN)) What comes next?\n\n\
        AR: We will be training harder. I hope we win.\n";
    let a = analyze(text);
    assert_eq!(a.genre, Genre::Interview, "{:?}", a.genre_cues);
    // The interviewee's first person is hers, not the writer's.
    assert_eq!(voice_of(&a, "I hope we win"), Voice::Attributed);
    assert_eq!(voice_of(&a, "I am very happy"), Voice::Attributed);
    let src = a
        .attributions
        .iter()
        .find(|x| {
            x.content
                .as_ref()
                .is_some_and(|c| c.text.starts_with("I was happy"))
        })
        .and_then(|x| x.source.clone())
        .map(|s| s.text);
    assert_eq!(src.as_deref(), Some("AR"));
}

#[test]
fn labelled_lines_without_a_recurring_speaker_are_no_transcript() {
    let text = "Floods hit the valley\n\n\
        Photo: City archive.\n\n\
        Note: roads are closed.\n\n\
        Update: the river is falling.\n\n\
        The mayor said the water would recede by Friday.\n";
    assert_eq!(analyze(text).genre, Genre::NewsReport);
}

#[test]
fn prose_interview_is_an_interview() {
    let text = "Broken drain led to sinkhole\n\n\
        A sinkhole opened in the city on Monday.\n\n\
        Wikinews interviewed Eric Haddox, a civil engineer who visited the site.\n\n\
        Mr. Haddox told us that the hole is smaller than reported.\n";
    let a = analyze(text);
    assert_eq!(a.genre, Genre::Interview, "{:?}", a.genre_cues);
}

#[test]
fn sign_offs_notices_and_captions_are_clutter() {
    let text = "North Korea expels journalists\n\n\
        North Korea expelled three journalists on Monday.\n\n\
        Canada takes on Australia in wheelchair rugby\n\n\
        Image: Laura Hale.\n\n\
        I'm Mario Ritter.\n\n\
        We want to hear from you. Write to us in the Comments section.\n\n\
        Please note that due to our archival policy, we will not alter archived articles.\n";
    let a = analyze(text);
    let kinds: Vec<ClutterKind> = a.clutter.iter().map(|c| c.kind).collect();
    for k in [
        ClutterKind::Caption,
        ClutterKind::MediaCredit,
        ClutterKind::SignOff,
        ClutterKind::CallToAction,
        ClutterKind::Notice,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing from {kinds:?}");
    }
    assert!(
        a.sentences.iter().all(|s| s.voice != Voice::AuthorOpinion),
        "{:?}",
        a.sentences
    );
}

#[test]
fn evaluative_predicates_are_the_writers_judgement() {
    let a = analyze(
        "Council plan\n\n\
        The council met on Monday. That is a ridiculous approach. \
        The risk to residents is very low. The verdict of voters will be harsh. \
        It's impossible to overstate the cost.\n",
    );
    assert_eq!(voice_of(&a, "met on Monday"), Voice::AuthorReport);
    for s in [
        "ridiculous approach",
        "very low",
        "will be harsh",
        "impossible to overstate",
    ] {
        assert_eq!(voice_of(&a, s), Voice::AuthorOpinion, "{s}");
    }
}

#[test]
fn factual_and_past_predicates_are_reports() {
    let a = analyze(
        "Storm closes bridge\n\n\
        The bridge was closed after the storm. The mayor was unable to attend the meeting. \
        The span is 30 metres long. The road was dangerous that night. \
        It was early April, and the river was rising.\n",
    );
    for s in [
        "was closed",
        "unable to attend",
        "30 metres",
        "dangerous that night",
    ] {
        assert_eq!(voice_of(&a, s), Voice::AuthorReport, "{s}");
    }
}

#[test]
fn advice_imperatives_and_denials_argue_but_questions_and_reported_advice_do_not() {
    let a = analyze(
        "Transit fares\n\n\
        The city should scrap the fare rise. Consider the cost to a family of four. \
        Public transport is not some luxury but a lifeline. Should riders worry? \
        The operator arranged that buses should run all night.\n",
    );
    assert_eq!(voice_of(&a, "should scrap"), Voice::AuthorOpinion);
    assert_eq!(voice_of(&a, "Consider the cost"), Voice::AuthorOpinion);
    assert_eq!(voice_of(&a, "not some luxury"), Voice::AuthorOpinion);
    assert_eq!(voice_of(&a, "Should riders worry"), Voice::AuthorReport);
    assert_eq!(voice_of(&a, "operator arranged"), Voice::AuthorReport);
}

#[test]
fn a_column_without_i_that_argues_in_the_present_is_opinion() {
    let text = "The river deserves better\n\n\
        The river is the city's oldest neighbour. Its banks are quiet on weekday mornings. \
        The new plan treats it as a drain. That is a short-sighted approach.\n\n\
        Flood walls cost money. They also cut the town off from its water. \
        The parks that line the banks draw families every summer. \
        Those parks are truly precious.\n\n\
        The council has a choice. It can build a wall, or it can restore the wetlands upstream. \
        The wetlands hold water when the rain comes. They cost less over time.\n\n\
        The case for the wetlands is overwhelming. A wall is not a plan. \
        The city should choose the wetlands. Voters will be unforgiving otherwise. \
        Consider the children who will inherit the river.\n";
    let a = analyze(text);
    assert_eq!(a.genre, Genre::Opinion, "{:?}", a.genre_cues);
    assert!(
        a.genre_cues.iter().any(|c| c.contains("present tense")),
        "{:?}",
        a.genre_cues
    );
}

#[test]
fn a_past_tense_report_with_sources_stays_news() {
    let text = "Flood walls approved\n\n\
        The city council approved new flood walls on Tuesday, officials said. \
        The vote was 7 to 2.\n\n\
        \"We had no choice after last spring,\" said Mayor Ana Ruiz. \
        She said the walls would cost $4 million.\n\n\
        Residents who attended the meeting said they were worried about the river parks. \
        The council said it would hold a hearing in June. \
        Work is expected to begin next year, according to the city's engineer.\n";
    let a = analyze(text);
    assert_eq!(a.genre, Genre::NewsReport, "{:?}", a.genre_cues);
}

#[test]
fn typewriter_quotes_are_the_speakers_first_person() {
    let text = "Senator backs the plan\n\n\
        The senator spoke to reporters after the vote on Tuesday.\n\n\
        ''I think this is a good day. I am proud of my colleagues, and I hope my state agrees.''\n\n\
        The bill goes to the House next week.\n";
    let a = analyze(text);
    assert_eq!(a.genre, Genre::NewsReport, "{:?}", a.genre_cues);
    assert!(
        a.sentences.iter().all(|s| s.voice != Voice::AuthorOpinion),
        "{:?}",
        a.sentences
    );
}

#[test]
fn a_profile_told_in_one_persons_present_tense_words_is_an_interview() {
    let text = "A baker's second life\n\n\
        Ana Ruiz opened her bakery in Tulsa in 2019. She says the first year was hard. \
        \"We sold bread at a loss,\" Ruiz says.\n\n\
        Ruiz says her mother taught her to bake. She recalls the smell of the kitchen. \
        \"It was always full,\" she says.\n\n\
        Ruiz says customers come back for the rye. She tells new bakers to start small. \
        \"Do one thing well,\" she explains.\n\n\
        The shop employs six people. Ruiz says she hopes to open a second one. \
        \"I want it near the school,\" she adds. She says the rent there is high.\n";
    let a = analyze(text);
    assert_eq!(a.genre, Genre::Interview, "{:?}", a.genre_cues);
    // A report that quotes the same person in the past tense stays a report.
    let report = text
        .replace(" says", " said")
        .replace(" recalls", " recalled")
        .replace(" tells", " told")
        .replace(" explains", " explained")
        .replace(" adds", " added");
    assert_eq!(
        analyze(&report).genre,
        Genre::NewsReport,
        "{:?}",
        analyze(&report).genre_cues
    );
}

#[test]
fn the_label_that_asks_is_the_interviewer() {
    let text = "Curling star on the season\n\n\
        TIME: How did the season go?\n\n\
        Ana Ruiz: It went well. I am happy with the team.\n\n\
        TIME: What comes next?\n\n\
        Ana Ruiz: We train for the world championship.\n";
    let a = analyze(text);
    assert_eq!(a.genre, Genre::Interview, "{:?}", a.genre_cues);
    assert_eq!(voice_of(&a, "I am happy"), Voice::Attributed);
    let asker = a
        .attributions
        .iter()
        .find(|x| {
            x.content
                .as_ref()
                .is_some_and(|c| c.text.contains("What comes next"))
        })
        .and_then(|x| x.source.clone());
    assert_eq!(asker.map(|s| s.kind), Some(SourceKind::Author));
}

#[test]
fn figure_tables_and_listicles_are_no_interviews() {
    let table = "Delegate count\n\n\
        It takes 2,383 delegates to win.\n\n\
        Ana Ruiz: 1,769.\n\n\
        Ben Ortiz: 1,501.\n\n\
        Ruiz: 547.\n\n\
        Ortiz: 46.\n";
    assert_eq!(analyze(table).genre, Genre::NewsReport);
    let listicle = "Three things to watch tonight\n\n\
        The candidates meet for a debate tonight.\n\n\
        1) Will Ruiz go negative?\n\n\
        Ruiz has avoided attacks so far. Her aides want a calm night.\n\n\
        2) Can Ortiz win over older voters?\n\n\
        Ortiz trails among voters over 65, according to polls.\n";
    assert_eq!(
        analyze(listicle).genre,
        Genre::NewsReport,
        "{:?}",
        analyze(listicle).genre_cues
    );
}

#[test]
fn inability_and_types_are_no_hedges() {
    let h = hedge_words("Road closed\n\nRescuers could not reach the village on Monday.\n");
    assert!(h.is_empty(), "{h:?}");
    let h = hedge_words("Lab report\n\nScientists found a new kind of bacteria in the lake.\n");
    assert!(h.is_empty(), "{h:?}");
    let h = hedge_words("Lab report\n\nThe result was kind of surprising, and it could change the study.\n");
    assert_eq!(h, vec!["kind of", "could"]);
}

#[test]
fn in_an_opinion_piece_a_plain_evaluation_is_the_writers_but_in_a_report_it_is_not() {
    let column = "The river deserves better\n\n\
        The river is the city's oldest neighbour. The new plan treats it as a drain. \
        That is a short-sighted approach. Those parks are truly precious.\n\n\
        The council has a choice. The wetlands hold water when the rain comes. \
        The case for the wetlands is overwhelming. A wall is not a plan. \
        The city should choose the wetlands. Voters will be unforgiving otherwise.\n\n\
        The old footbridge is beautiful. Under the rules, builders must file a plan.\n\n\
        Consider the children who will inherit the river.\n";
    let a = analyze(column);
    assert_eq!(a.genre, Genre::Opinion, "{:?}", a.genre_cues);
    assert_eq!(voice_of(&a, "footbridge is beautiful"), Voice::AuthorOpinion);
    // A rule stated with "must" is no judgement of the writer's, even here.
    assert_eq!(voice_of(&a, "builders must file"), Voice::AuthorReport);
    let report = "Footbridge reopens\n\n\
        The city reopened the footbridge on Monday after repairs, officials said. \
        The old footbridge is beautiful. Work cost $200,000, the council said.\n";
    let a = analyze(report);
    assert_eq!(a.genre, Genre::NewsReport, "{:?}", a.genre_cues);
    assert_eq!(voice_of(&a, "footbridge is beautiful"), Voice::AuthorReport);
}

#[test]
fn headings_and_page_notices_carry_no_opinion() {
    let text = "UN chief leaves office\n\n\
        The secretary general leaves office in December.\n\n\
        His legacy is less impressive\n\n\
        He spoke at the assembly on Monday.\n\n\
        Read more: The UN is facing a crisis of trust and possible bankruptcy after years of cuts.\n\n\
        This page is archived, and is no longer publicly editable.\n\n\
        Note that some listed sources or external links may no longer be available online due to age.\n";
    let a = analyze(text);
    assert_eq!(voice_of(&a, "less impressive"), Voice::AuthorReport);
    let kinds: Vec<ClutterKind> = a.clutter.iter().map(|c| c.kind).collect();
    assert!(kinds.contains(&ClutterKind::CallToAction), "{kinds:?}");
    assert!(kinds.contains(&ClutterKind::Notice), "{kinds:?}");
    assert_eq!(voice_of(&a, "listed sources"), Voice::AuthorReport);
}

#[test]
fn hedges_read_in_sense_nouns_questions_and_open_questions() {
    let h = hedge_words("Sanctions\n\nNeither military might nor sanctions have worked so far.\n");
    assert!(h.is_empty(), "{h:?}");
    let h = hedge_words("Team talk\n\nHow likely are you to make the team?\n");
    assert!(h.is_empty(), "{h:?}");
    let h = hedge_words(
        "Cause of death\n\nIt is not clear what caused the death, and the details remain unknown.\n",
    );
    assert_eq!(h, vec!["not clear", "unknown"]);
    let h = hedge_words("Talks\n\nIt remains to be seen whether the talks will resume.\n");
    assert_eq!(h, vec!["remains to be seen"]);
}

#[test]
fn questions_set_as_lines_of_their_own_make_an_interview() {
    let text = "Ten minutes with a lighthouse keeper\n\n\
        By Tom Reyes\n\n\
        Mara Lindqvist has kept the Skarven light for twenty years.\n\n\
        What made you take the job?\n\n\
        I wanted quiet. My father kept a light too, and I grew up with the lamp.\n\n\
        How do you spend a winter night out there?\n\n\
        I read, I mend nets and I watch the weather. We get storms most weeks.\n\n\
        Do you ever feel lonely?\n\n\
        Not really. I talk to the ships on the radio every evening.\n";
    let a = analyze(text);
    assert_eq!(a.genre, Genre::Interview, "{:?}", a.genre_cues);
    // The answers are the interviewee's words, her "I" is not the writer's opinion.
    assert_eq!(voice_of(&a, "I wanted quiet"), Voice::Attributed);
    let asked = a
        .attributions
        .iter()
        .find(|x| {
            x.content
                .as_ref()
                .is_some_and(|c| c.text.starts_with("Do you ever"))
        })
        .and_then(|x| x.source.clone());
    assert_eq!(asked.map(|s| s.kind), Some(SourceKind::Author));
}

#[test]
fn rhetorical_and_quoted_question_lines_make_no_interview() {
    // A column asks itself questions and answers them; it puts nothing to a "you".
    let column = "The ferry we deserve\n\n\
        The island's ferry is late again.\n\n\
        Why does this keep happening?\n\n\
        The council has cut the maintenance budget three years running.\n\n\
        Who pays for it?\n\n\
        The islanders do, in missed shifts and lost mornings.\n\n\
        What would fix it?\n\n\
        A second boat, and a council that stops pretending the first one is enough.\n";
    assert_ne!(
        analyze(column).genre,
        Genre::Interview,
        "{:?}",
        analyze(column).genre_cues
    );
    // A report quoting questions: the question marks are inside quotations.
    let report = "Mayor faces hecklers\n\n\
        The mayor spoke at the town hall on Monday.\n\n\
        One resident shouted: \u{201c}Where were you when the river flooded?\u{201d}\n\n\
        The mayor said the city had sent crews within hours.\n\n\
        Another asked: \u{201c}Why should we trust your numbers?\u{201d}\n\n\
        She said the figures were audited.\n\n\
        A third said: \u{201c}Will you resign?\u{201d}\n\n\
        She said she would not.\n";
    assert_eq!(
        analyze(report).genre,
        Genre::NewsReport,
        "{:?}",
        analyze(report).genre_cues
    );
}

#[test]
fn a_column_that_quotes_much_but_argues_with_we_questions_and_should_is_opinion() {
    // No "I", judgement in few sentences, a third of it attributed: the writer still asks,
    // says "we" and advises, which a report's writer does not.
    let text = "The library cuts nobody voted for\n\n\
        By Lena Ortiz\n\n\
        The county closed three branch libraries last spring.\n\
        The board said the savings would reach two million dollars.\n\
        Librarians said the figure ignored the cost of the buses that replaced them.\n\
        Parents said their children now travel an hour to borrow a book.\n\
        The board chair said the decision was final.\n\
        But what did we get for the money?\n\
        We got shorter opening hours at the branches that remain.\n\
        We got a reading room that closes at five.\n\
        Why should a child in Dunmore wait a week for a book?\n\
        The county should reopen the branches before the next budget.\n\
        We pay for them already, through the library levy on every tax bill.\n\
        The levy was renewed in 2019 with a large majority.\n\
        The board meets again in March.\n\
        It must put the branches on its agenda.\n\
        Our neighbours in Carlow kept theirs open on a smaller budget.\n\
        The difference is a matter of priorities.\n\
        Who decided that buses matter more than books?\n\
        The voters never did.\n";
    let a = analyze(text);
    assert_eq!(a.genre, Genre::Opinion, "{:?}", a.genre_cues);
    assert!(
        a.genre_cues.iter().any(|c| c.contains("addresses the reader")),
        "{:?}",
        a.genre_cues
    );
}

#[test]
fn a_report_whose_sources_say_we_and_should_stays_a_report() {
    // The same words inside quotations are the sources' voice, not the writer's.
    let text = "County closes three libraries\n\n\
        By Lena Ortiz\n\n\
        The county closed three branch libraries on Monday.\n\
        The board said the savings would reach two million dollars.\n\
        \u{201c}We had no choice,\u{201d} the board chair, Ana Mendez, said.\n\
        \u{201c}Should we cut the fire service instead?\u{201d} she asked.\n\
        Librarians said the figure ignored the cost of replacement buses.\n\
        \u{201c}We should have been consulted,\u{201d} said Tom Byrne, a librarian in Dunmore.\n\
        The branches in Dunmore, Carlow and Ashby closed at noon.\n\
        About 40,000 books were moved to the central library.\n\
        Six staff members were transferred to other branches.\n\
        The bus service began on Tuesday morning.\n\
        It runs twice a day from each of the three towns.\n\
        The library levy was renewed in 2019.\n\
        The board will meet again in March.\n\
        The budget for next year will be published in February.\n\
        Parents in Ashby have started a petition.\n\
        It had 1,200 signatures by Monday evening.\n";
    let a = analyze(text);
    assert_eq!(a.genre, Genre::NewsReport, "{:?}", a.genre_cues);
}

/// A past-tense piece on a city's history that judges in only a few sentences, under the
/// byline `by`.
fn history_piece(by: &str) -> String {
    format!(
        "How the harbour city lost its ferries\n\n{by}\n\n\
        The harbour city ran six ferry lines in 1990. By 2010 it ran two. \
        The council sold the boats one by one to pay for roads.\n\n\
        Each sale was presented as a saving. The crews were moved to buses, \
        and the piers were let to restaurants.\n\n\
        The last line closed in 2019, the port authority said. \
        Commuters from the islands now drive around the bay.\n\n\
        That is a poor bargain for the islands. The bay was the city's best road, \
        and the city paved over it.\n\n\
        A new council took office last year. It has promised a study of the old routes.\n"
    )
}

#[test]
fn an_experts_byline_gives_names_and_makes_a_contribution_not_a_report() {
    let a = analyze(&history_piece(
        "By Ana Ruiz, Senior Lecturer in Urban History, University of Leeds; Tom Reyes, Research Fellow, Harbour Institute",
    ));
    // The byline's names are the authors; their posts are not names.
    assert_eq!(a.byline, vec!["Ana Ruiz".to_string(), "Tom Reyes".to_string()]);
    assert_eq!(a.genre, Genre::Opinion, "{:?}", a.genre_cues);
    assert!(
        a.genre_cues
            .iter()
            .any(|c| c.contains("Senior Lecturer in Urban History")),
        "{:?}",
        a.genre_cues
    );
    // The byline is no statement of the writer's.
    assert!(a
        .sentences
        .iter()
        .all(|s| !s.text.starts_with("By Ana Ruiz") || s.voice != Voice::AuthorOpinion));
}

#[test]
fn the_same_piece_under_a_reporters_byline_stays_a_report() {
    for by in [
        "By Ana Ruiz",
        "By Ana Ruiz, Staff Writer",
        "By Ana Ruiz, City Hall Correspondent",
    ] {
        let a = analyze(&history_piece(by));
        assert_eq!(a.byline, vec!["Ana Ruiz".to_string()], "{by}");
        assert_eq!(a.genre, Genre::NewsReport, "{by}: {:?}", a.genre_cues);
    }
}

#[test]
fn an_opening_with_by_and_a_time_is_no_byline() {
    let a = analyze(
        "Harbour talks stall\n\n\
        By Monday morning, the harbour talks had stalled, officials said.\n\n\
        The unions want a pay rise.\n",
    );
    assert!(a.byline.is_empty(), "{:?}", a.byline);
    assert!(a
        .sentences
        .iter()
        .any(|s| s.text.starts_with("By Monday morning")));
}

/// Questions set as headings over experts' written answers; `intro` opens the body.
fn experts_qa(intro: &str) -> String {
    format!(
        "How many boats does the harbour need?\n\n\
        By Ana Ruiz, Senior Lecturer in Urban History, University of Leeds\n\n\
        {intro}\n\n\
        Why did the ferries close?\n\n\
        The council sold the boats to pay for roads. Each sale looked like a saving.\n\n\
        The crews were moved to buses.\n\n\
        The piers were let to restaurants.\n\n\
        What did you find in the archives?\n\n\
        We read forty years of council minutes. Our count shows six lines in 1990.\n\n\
        The last one closed in 2019.\n\n\
        What would bring them back?\n\n\
        A second boat on the island route would carry most of the commuters.\n\n\
        The piers still stand.\n"
    )
}

#[test]
fn questions_as_headings_put_to_the_experts_the_intro_presents_make_an_interview() {
    let a = analyze(&experts_qa(
        "Urban historian Ana Ruiz and her team have counted every ferry line the city ran.",
    ));
    assert_eq!(a.genre, Genre::Interview, "{:?}", a.genre_cues);
    // Without the introduction the same headings are an explainer's, not a Q&A.
    let b = analyze(&experts_qa("The city once ran six ferry lines."));
    assert_ne!(b.genre, Genre::Interview, "{:?}", b.genre_cues);
}

#[test]
fn in_an_opinion_piece_a_weighed_prediction_is_the_writers_but_an_ability_is_not() {
    let column = "The river deserves better\n\n\
        The river is the city's oldest neighbour. The new plan treats it as a drain. \
        That is a short-sighted approach. Those parks are truly precious.\n\n\
        The case for the wetlands is overwhelming. A wall is not a plan. \
        The city should choose the wetlands.\n\n\
        A new council would help, but it would not change the river's course.\n\n\
        Wetlands can hold water, but they can also flood the fields.\n";
    let a = analyze(column);
    assert_eq!(a.genre, Genre::Opinion, "{:?}", a.genre_cues);
    // A modal prediction, a contrast and a denial, in the present: the writer weighing.
    assert_eq!(voice_of(&a, "A new council would help"), Voice::AuthorOpinion);
    // "can" says what wetlands are able to do: a fact, even in a column.
    assert_eq!(voice_of(&a, "Wetlands can hold water"), Voice::AuthorReport);
    let report = "Council election set\n\n\
        The city will elect a new council in May, officials said. \
        A new council would help, but it would not change the river's course. \
        The vote was set on Monday, the clerk said.\n";
    let a = analyze(report);
    assert_eq!(a.genre, Genre::NewsReport, "{:?}", a.genre_cues);
    assert_ne!(voice_of(&a, "A new council would help"), Voice::AuthorOpinion);
}

#[test]
fn in_an_opinion_piece_a_dated_past_event_is_the_record_not_the_judgement() {
    let column = "The river deserves better\n\n\
        The river is the city's oldest neighbour. The new plan treats it as a drain. \
        That is a short-sighted approach. Those parks are truly precious.\n\n\
        The case for the wetlands is overwhelming. A wall is not a plan. \
        The city should choose the wetlands.\n\n\
        In 1968, the old council came under severe pressure.\n\n\
        The old footbridge is beautiful.\n";
    let a = analyze(column);
    assert_eq!(a.genre, Genre::Opinion, "{:?}", a.genre_cues);
    assert_eq!(voice_of(&a, "In 1968"), Voice::AuthorReport);
    assert_eq!(voice_of(&a, "footbridge is beautiful"), Voice::AuthorOpinion);
}

#[test]
fn one_speaker_under_two_labels_still_makes_a_transcript() {
    let text = "The Courier's interview with Ana Ruiz\n\n\
        Ruiz, the city's transport minister, spoke to the Courier on Thursday.\n\n\
        Question: Minister Ruiz, thank you for talking to us.\n\n\
        Minister Ruiz: It is great to be here. I am glad to talk about the trains.\n\n\
        Q: Will the new line open this year?\n\n\
        Ruiz: We will open it in June, and I am sure it will be full.\n";
    let a = analyze(text);
    assert_eq!(a.genre, Genre::Interview, "{:?}", a.genre_cues);
    // The interviewee's first person is hers, not the writer's.
    assert_eq!(voice_of(&a, "I am sure it will be full"), Voice::Attributed);
    assert_ne!(voice_of(&a, "It is great to be here"), Voice::AuthorOpinion);
}

#[test]
fn a_piece_that_says_it_is_an_interview_needs_only_two_question_lines() {
    let text = "Dr. Ana Ruiz tells the Courier about sleep\n\n\
        Dr. Ana Ruiz is a sleep researcher in Leeds. In an interview with the Courier, she \
        discusses her work. Below is the full interview.\n\n\
        When did you first study sleep?\n\n\
        I have been working on sleep since 1993. My first study was on night nurses.\n\n\
        What would you tell a tired parent?\n\n\
        Gently does it. The hard approach is to wake at the same hour every day, and I \
        have seen it work for many families, though it takes weeks and it costs sleep at \
        first, which many parents find hard to accept when they are already tired and the \
        children are small and the days are long. Is it any better than the gentle one?\n";
    let a = analyze(text);
    assert_eq!(a.genre, Genre::Interview, "{:?}", a.genre_cues);
    assert_eq!(voice_of(&a, "I have been working"), Voice::Attributed);
    // Without the sentence that says so, two questions are a report's asides.
    let plain = text.replace(" Below is the full interview.", "");
    assert_ne!(analyze(&plain).genre, Genre::Interview);
}

#[test]
fn a_line_sending_the_reader_to_the_sites_pages_is_clutter() {
    let text = "Earthquake strikes Yushu\n\n\
        Problems? See our media guide.\n\n\
        At least 400 people were killed when the earthquake struck on Wednesday.\n";
    let a = analyze(text);
    let guide = a
        .clutter
        .iter()
        .find(|c| c.text.contains("media guide"))
        .map(|c| c.kind);
    assert_eq!(guide, Some(ClutterKind::CallToAction), "{:?}", a.clutter);
    assert_ne!(voice_of(&a, "media guide"), Voice::AuthorOpinion);
}

#[test]
fn in_an_opinion_piece_a_judging_adjective_is_the_writers_but_not_in_the_past_or_a_heading() {
    let column = "The river deserves better\n\n\
        The river is the city's oldest neighbour. The new plan treats it as a drain. \
        That is a short-sighted approach. Those parks are truly precious.\n\n\
        The case for the wetlands is overwhelming. A wall is not a plan. \
        The city should choose the wetlands.\n\n\
        Residents have been placed in an invidious position.\n\n\
        The engineers faced a difficult winter and made a misguided choice in March.\n\n\
        The council's plan is misguided\n\n\
        The council meets on Tuesday.\n";
    let a = analyze(column);
    assert_eq!(a.genre, Genre::Opinion, "{:?}", a.genre_cues);
    assert_eq!(voice_of(&a, "invidious position"), Voice::AuthorOpinion);
    // Narrated in the past: the record, not the argument.
    assert_eq!(voice_of(&a, "misguided choice in March"), Voice::AuthorReport);
    assert_eq!(voice_of(&a, "council meets"), Voice::AuthorReport);
    let report = "Residents wait for a plan\n\n\
        The council said on Monday it would publish its plan in May. \
        Residents have been placed in an invidious position, a neighbour said. \
        Families have been placed in an invidious position. The council meets on Tuesday.\n";
    let a = analyze(report);
    assert_eq!(a.genre, Genre::NewsReport, "{:?}", a.genre_cues);
    assert_eq!(voice_of(&a, "Families have been placed"), Voice::AuthorReport);
}

#[test]
fn in_an_opinion_piece_the_writers_forecast_is_judgement_but_not_a_clause_report_or_question() {
    let column = "The river deserves better\n\n\
        The river is the city's oldest neighbour. The new plan treats it as a drain. \
        That is a short-sighted approach. Those parks are truly precious.\n\n\
        The case for the wetlands is overwhelming. A wall is not a plan. \
        The city should choose the wetlands.\n\n\
        A new council could change the river's course.\n\n\
        Engineers study the silt that may block the channel.\n\n\
        Last year, I warned that the council would delay the plan.\n\n\
        What might happen next?\n\n\
        The new council would be able to hire engineers.\n";
    let a = analyze(column);
    assert_eq!(a.genre, Genre::Opinion, "{:?}", a.genre_cues);
    assert_eq!(voice_of(&a, "could change the river"), Voice::AuthorOpinion);
    // A modal in a relative clause describes the silt.
    assert_eq!(voice_of(&a, "silt that may block"), Voice::AuthorReport);
    // After "warned", "would" is the tense of reported words.
    assert_ne!(voice_of(&a, "would delay the plan"), Voice::AuthorOpinion);
    assert_ne!(voice_of(&a, "What might happen"), Voice::AuthorOpinion);
    // A power conferred is a fact.
    assert_eq!(voice_of(&a, "would be able to hire"), Voice::AuthorReport);
}
