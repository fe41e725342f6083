//! Loads the seed articles from a folder: idempotent (keyed by content hash), a changed file
//! becomes a new version of its article, and the seeds' exercises ship published.

use std::path::Path;

use sqlx::PgPool;

use crate::articles::ArticleText;
use crate::review::ExerciseStatus;
use crate::service::catalogue::{self, ArticleMeta};
use crate::store::articles;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("cannot read the seed folder {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("seed file {0} is not UTF-8 text or is empty")]
    BadFile(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// What a seed run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub added: usize,
    pub new_versions: usize,
    pub unchanged: usize,
    /// Stored articles whose analysis a newer analyzer refreshed.
    pub reanalyzed: usize,
    pub compare_exercises: usize,
}

pub async fn load_dir(pool: &PgPool, dir: &Path) -> Result<SeedReport, SeedError> {
    let io = |source| SeedError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut report = SeedReport::default();
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let raw = std::fs::read(path).map_err(io)?;
        let text = String::from_utf8(raw)
            .ok()
            .and_then(|t| ArticleText::parse(t).ok())
            .ok_or_else(|| SeedError::BadFile(name.clone()))?;
        let previous = articles::latest_seed(pool, &name).await?;
        if previous
            .as_ref()
            .is_some_and(|p| p.content_hash == text.content_hash())
        {
            report.unchanged += 1;
            continue;
        }
        let seed = match &previous {
            Some(p) => (name.clone(), p.version + 1, Some(p.id)),
            None => (name.clone(), 1, None),
        };
        let meta = ArticleMeta {
            seed: Some(seed),
            ..ArticleMeta::default()
        };
        let (_, created) =
            catalogue::add_article(pool, &text, &meta, ExerciseStatus::Published, None).await?;
        match (created, previous.is_some()) {
            (true, true) => report.new_versions += 1,
            (true, false) => report.added += 1,
            (false, _) => report.unchanged += 1,
        }
    }
    report.reanalyzed = catalogue::refresh_stale(pool).await?;
    // Re-running the generator keeps exercises in step with the generator version; teacher
    // corrections survive it.
    let current = articles::current_seeds(pool).await?;
    catalogue::regenerate(pool, &current, ExerciseStatus::Published).await?;
    if current.len() >= 2 {
        report.compare_exercises = catalogue::compare(pool, &current, ExerciseStatus::Published).await?;
    }
    Ok(report)
}
