//! Loads the seed articles: idempotent (keyed by content hash), a changed file becomes a new
//! version of its article, and the seeds' exercises ship published.
//!
//! The articles in the repository's `seeds/` folder are built into the binary, so `newslit serve`
//! starts with them from any working directory, installed or in a container. A seed folder
//! (`NEWSLIT_SEED_DIR`) adds its files to that set; a file named like a built-in one replaces it.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{include_dir, Dir};
use sqlx::PgPool;

use crate::articles::ArticleText;
use crate::review::ExerciseStatus;
use crate::service::catalogue::{self, ArticleMeta};
use crate::store::articles;

/// The seed articles compiled in (`build.rs` makes a changed folder rebuild the crate).
static BUILTIN: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/seeds");

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

/// Seed articles by file name (the name keys an article's versions), in name order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedSet(BTreeMap<String, Vec<u8>>);

impl SeedSet {
    /// The articles built into the binary.
    pub fn builtin() -> Self {
        SeedSet(
            BUILTIN
                .files()
                .filter(|f| is_seed_file(f.path()))
                .map(|f| (file_name(f.path()), f.contents().to_vec()))
                .collect(),
        )
    }

    /// The `.txt` files of a folder.
    pub fn from_dir(dir: &Path) -> Result<Self, SeedError> {
        let io = |source| SeedError::Io {
            path: dir.display().to_string(),
            source,
        };
        let mut set = SeedSet::default();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if is_seed_file(&path) {
                set.0.insert(file_name(&path), std::fs::read(&path).map_err(io)?);
            }
        }
        Ok(set)
    }

    /// The built-in articles (unless `builtin` is false) with a folder's files added; a file named
    /// like a built-in one replaces it.
    pub fn configured(builtin: bool, dir: Option<&Path>) -> Result<Self, SeedError> {
        let mut set = if builtin { Self::builtin() } else { Self::default() };
        if let Some(dir) = dir {
            set.0.extend(Self::from_dir(dir)?.0);
        }
        Ok(set)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn is_seed_file(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "txt")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Loads the `.txt` files of a folder (and nothing built in).
pub async fn load_dir(pool: &PgPool, dir: &Path) -> Result<SeedReport, SeedError> {
    load(pool, &SeedSet::from_dir(dir)?).await
}

pub async fn load(pool: &PgPool, seeds: &SeedSet) -> Result<SeedReport, SeedError> {
    let mut report = SeedReport::default();
    for (name, raw) in &seeds.0 {
        let text = String::from_utf8(raw.clone())
            .ok()
            .and_then(|t| ArticleText::parse(t).ok())
            .ok_or_else(|| SeedError::BadFile(name.clone()))?;
        let previous = articles::latest_seed(pool, name).await?;
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

#[cfg(test)]
mod tests {
    use super::SeedSet;

    #[test]
    fn the_three_seed_articles_are_built_in_and_a_folder_adds_or_replaces() {
        let builtin = SeedSet::builtin();
        let on_disk =
            SeedSet::from_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).unwrap();
        assert_eq!(builtin.names().count(), 3);
        assert_eq!(builtin, on_disk, "the binary carries the folder as it is");

        let dir = std::env::temp_dir().join(format!("newslit-seedset-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let first = builtin.names().next().unwrap().to_string();
        std::fs::write(dir.join(&first), "Replaced\n\nThe mayor said so.\n").unwrap();
        std::fs::write(dir.join("900_extra.txt"), "Extra\n\nThe council said no.\n").unwrap();
        std::fs::write(dir.join("notes.md"), "not a seed").unwrap();
        let set = SeedSet::configured(true, Some(&dir)).unwrap();
        assert_eq!(set.names().count(), 4);
        assert_eq!(set.0[&first], b"Replaced\n\nThe mayor said so.\n");
        let only = SeedSet::configured(false, Some(&dir)).unwrap();
        assert_eq!(
            only.names().collect::<Vec<_>>(),
            vec![first.as_str(), "900_extra.txt"]
        );
        assert!(SeedSet::configured(false, None).unwrap().is_empty());
        assert!(SeedSet::configured(true, Some(&dir.join("missing"))).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
