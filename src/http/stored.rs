//! Decoding values the store hands over as text or JSON. A value that does not decode is a
//! fault of the stored data: a 500, never the client's error.

use serde::Deserialize;

use crate::exercises::{ExerciseContent, ExerciseKind};
use crate::http::error::ApiError;

/// Stored exercise content and kind to their types.
pub fn decode_exercise(
    content: &serde_json::Value,
    kind: &str,
) -> Result<(ExerciseContent, ExerciseKind), ApiError> {
    let content = ExerciseContent::deserialize(content)
        .map_err(|e| ApiError::internal(format!("stored exercise content does not parse: {e}")))?;
    let kind = ExerciseKind::deserialize(serde_json::Value::String(kind.to_string()))
        .map_err(|e| ApiError::internal(format!("stored exercise kind does not parse: {e}")))?;
    Ok((content, kind))
}
