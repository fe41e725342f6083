//! Classes of error met on outside news (reports, wire copy, columns), each with sentences of
//! our own making: typewriter quotation marks, verbs of action that report nothing, members of
//! a named body, an unnamed role the article names later.

use super::*;

fn story(body: &str) -> Analysis {
    analyze(&format!("A headline\n\n{body}\n"))
}

#[test]
fn two_apostrophes_quote_like_double_quotation_marks() {
    let a = story("''We are not leaving,'' said a woman who lives on the block.");
    let at = find(&a, "a woman", "said");
    assert_eq!(
        at.content.as_ref().map(|c| c.text.as_str()),
        Some("''We are not leaving,''")
    );
    assert_eq!(at.quote, QuoteType::Direct);
    // A quotation over two sentences after a colon keeps both.
    let a = story("The foreman said: ''The river is too high. We will stay on the roof.''");
    let at = find(&a, "The foreman", "said");
    assert_eq!(
        at.content.as_ref().map(|c| c.text.as_str()),
        Some("''The river is too high. We will stay on the roof.''")
    );
    assert_eq!(at.quote, QuoteType::Direct);
    // Single apostrophes stay apostrophes.
    let a = story("The farmers' union said the harvest was late.");
    assert_eq!(find(&a, "union", "said").quote, QuoteType::Indirect);
}
