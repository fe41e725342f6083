//! Article text as the service accepts it, and its content hash (the article's identity).

use sha2::{Digest, Sha256};

/// Article text that is non-empty and free of NUL characters (PostgreSQL text cannot hold them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleText(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ArticleTextError {
    #[error("the text is empty")]
    Empty,
    #[error("the text contains a NUL character")]
    Nul,
}

impl ArticleText {
    pub fn parse(text: String) -> Result<Self, ArticleTextError> {
        if text.trim().is_empty() {
            Err(ArticleTextError::Empty)
        } else if text.contains('\0') {
            Err(ArticleTextError::Nul)
        } else {
            Ok(ArticleText(text))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Hex SHA-256 of the exact text: the same text is the same article.
    pub fn content_hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_text_is_refused_and_the_hash_is_stable() {
        assert_eq!(ArticleText::parse("  \n".into()), Err(ArticleTextError::Empty));
        assert_eq!(ArticleText::parse("a\0b".into()), Err(ArticleTextError::Nul));
        let a = ArticleText::parse("Title\n\nBody.".into()).unwrap();
        assert_eq!(a.content_hash().len(), 64);
        assert_eq!(
            a.content_hash(),
            ArticleText::parse("Title\n\nBody.".into())
                .unwrap()
                .content_hash()
        );
        assert_ne!(
            a.content_hash(),
            ArticleText::parse("Title\n\nBody!".into())
                .unwrap()
                .content_hash()
        );
    }
}
