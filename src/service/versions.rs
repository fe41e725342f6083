//! Exercise versions held in the process. A stored version `(exercise id, version)` never
//! changes (an edit makes a new version), so each is read and decoded once per process and
//! shared by every request after: the key for grading an answer, and the student rendering
//! (everything but the option order, which is per student) for the assignment view. Safe with
//! any number of instances: none can hold a stale copy of an immutable row.
//!
//! The only thing that can be stale is which version is an exercise's *current* one
//! ([`ExerciseVersions::latest`]); the submission statement checks it against the database and
//! the caller loads the newer version when they differ.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use crate::exercises::{ExerciseContent, ExerciseKind, StudentExercise};
use crate::http::error::ApiError;
use crate::store;
use crate::store::exercises::StoredVersion;

/// One immutable exercise version, decoded, with its student rendering.
pub struct Version {
    pub exercise_id: Uuid,
    pub version: i32,
    pub kind: ExerciseKind,
    pub content: ExerciseContent,
    /// `{"version":…,"exercise":{…,"options":[` — the assignment-view item up to its options.
    head: String,
    /// Each option of the student view as JSON, in the stored order, with its id.
    options: Vec<(String, String)>,
}

/// The end of an assignment-view item after its options.
const TAIL: &str = "]}}";

impl Version {
    fn new(
        exercise_id: Uuid,
        version: i32,
        kind: ExerciseKind,
        content: ExerciseContent,
    ) -> Result<Self, ApiError> {
        #[derive(Serialize)]
        struct Item<'a> {
            version: i32,
            exercise: &'a StudentExercise,
        }
        let mut view = content.student_view(exercise_id, kind, &[]);
        let options = std::mem::take(&mut view.options)
            .into_iter()
            .map(|o| serde_json::to_string(&o).map(|json| (o.id, json)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(ApiError::internal)?;
        let mut head = serde_json::to_string(&Item {
            version,
            exercise: &view,
        })
        .map_err(ApiError::internal)?;
        if !head.ends_with("[]}}") {
            return Err(ApiError::internal(
                "student exercise rendering does not end with its options",
            ));
        }
        head.truncate(head.len() - TAIL.len());
        Ok(Version {
            exercise_id,
            version,
            kind,
            content,
            head,
            options,
        })
    }

    /// Appends this version as an item of the assignment view (`{"version":…,"exercise":…}`)
    /// with its options in `student`'s order: byte for byte what serializing
    /// [`ExerciseContent::student_view`] with the seed `student ‖ exercise` gives.
    pub fn render_for(&self, student: Uuid, out: &mut String) {
        out.push_str(&self.head);
        let mut order: Vec<usize> = (0..self.options.len()).collect();
        if self.kind != ExerciseKind::PieceType {
            let keys: Vec<[u8; 32]> = self
                .options
                .iter()
                .map(|(id, _)| {
                    Sha256::new()
                        .chain_update(student.as_bytes())
                        .chain_update(self.exercise_id.as_bytes())
                        .chain_update([0u8])
                        .chain_update(id.as_bytes())
                        .finalize()
                        .into()
                })
                .collect();
            order.sort_by(|&a, &b| (keys[a], &self.options[a].0).cmp(&(keys[b], &self.options[b].0)));
        }
        for (n, i) in order.into_iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            out.push_str(&self.options[i].1);
        }
        out.push_str(TAIL);
    }

    /// A rough upper bound of one rendering's length, to size the body once.
    pub fn rendered_len(&self) -> usize {
        self.head.len() + TAIL.len() + self.options.iter().map(|(_, j)| j.len() + 1).sum::<usize>()
    }
}

/// The versions this process has read, and the newest version number seen per exercise.
#[derive(Default)]
pub struct ExerciseVersions {
    versions: RwLock<HashMap<(Uuid, i32), Arc<Version>>>,
    latest: RwLock<HashMap<Uuid, i32>>,
}

impl ExerciseVersions {
    fn cached(&self, exercise_id: Uuid, version: i32) -> Option<Arc<Version>> {
        self.versions
            .read()
            .ok()
            .and_then(|m| m.get(&(exercise_id, version)).cloned())
    }

    fn keep(&self, row: StoredVersion, exercise_id: Uuid) -> Result<Arc<Version>, ApiError> {
        let v = Arc::new(Version::new(exercise_id, row.version, row.kind, row.content.0)?);
        if let Ok(mut m) = self.versions.write() {
            m.insert((exercise_id, row.version), v.clone());
        }
        if let Ok(mut m) = self.latest.write() {
            let seen = m.entry(exercise_id).or_insert(row.version);
            *seen = (*seen).max(row.version);
        }
        Ok(v)
    }

    /// One version, from memory or else read once. `None`: no such version is stored.
    pub async fn get(
        &self,
        pool: &PgPool,
        exercise_id: Uuid,
        version: i32,
    ) -> Result<Option<Arc<Version>>, ApiError> {
        if let Some(v) = self.cached(exercise_id, version) {
            return Ok(Some(v));
        }
        let row = store::exercises::version(pool, exercise_id, version).await?;
        row.map(|r| self.keep(r, exercise_id)).transpose()
    }

    /// The newest version of an exercise this process knows of (read once when it knows none).
    /// It may be behind the database: whoever relies on it checks the number in SQL.
    pub async fn latest(&self, pool: &PgPool, exercise_id: Uuid) -> Result<Option<Arc<Version>>, ApiError> {
        let known = self.latest.read().ok().and_then(|m| m.get(&exercise_id).copied());
        if let Some(v) = known.and_then(|n| self.cached(exercise_id, n)) {
            return Ok(Some(v));
        }
        let row = store::exercises::catalogue_version(pool, exercise_id).await?;
        row.map(|r| self.keep(r, exercise_id)).transpose()
    }
}
