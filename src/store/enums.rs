//! How every stored enum crosses the database boundary: as its serde name (the name the API
//! uses too) in a `text` column that a CHECK constraint limits to those names. One macro for
//! all of them keeps the core's enums free of sqlx; a stored name the enum does not know is a
//! decode error (a 500), never a silent default.

use serde::de::value::{Error as NameError, StrDeserializer};
use serde::de::IntoDeserializer as _;
use serde::{Deserialize, Serialize};
use sqlx::error::BoxDynError;

use crate::classroom::{FeedbackPolicy, GradeChangeReason, LatePolicy, SubmissionStatus};
use crate::exercises::{ExerciseKind, ScoringMode};
use crate::identity::Role;
use crate::review::ExerciseStatus;
use crate::webhooks::EventType;

/// The name `value` is stored under: its serde name.
fn name_of<T: Serialize>(value: &T) -> Result<String, BoxDynError> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(name) => Ok(name),
        other => Err(format!("{other} is not an enum name").into()),
    }
}

/// The value stored under `name`.
fn from_name<'de, T: Deserialize<'de>>(name: &'de str) -> Result<T, BoxDynError> {
    let names: StrDeserializer<'_, NameError> = name.into_deserializer();
    T::deserialize(names).map_err(|e| format!("stored value {name:?}: {e}").into())
}

macro_rules! text_column {
    ($($t:ty),+ $(,)?) => {$(
        impl sqlx::Type<sqlx::Postgres> for $t {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <str as sqlx::Type<sqlx::Postgres>>::type_info()
            }
            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl sqlx::postgres::PgHasArrayType for $t {
            fn array_type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::postgres::PgHasArrayType>::array_type_info()
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for $t {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, BoxDynError> {
                <String as sqlx::Encode<'_, sqlx::Postgres>>::encode(name_of(self)?, buf)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $t {
            fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, BoxDynError> {
                from_name(<&str as sqlx::Decode<'r, sqlx::Postgres>>::decode(value)?)
            }
        }
    )+};
}

text_column!(
    Role,
    ExerciseKind,
    ExerciseStatus,
    ScoringMode,
    FeedbackPolicy,
    LatePolicy,
    SubmissionStatus,
    GradeChangeReason,
    EventType,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_errors() {
        assert_eq!(
            name_of(&LatePolicy::AcceptFlagged).ok().as_deref(),
            Some("accept_flagged")
        );
        assert_eq!(
            name_of(&EventType::GradeChanged).ok().as_deref(),
            Some("grade.changed")
        );
        assert_eq!(
            from_name::<FeedbackPolicy>("after_due").ok(),
            Some(FeedbackPolicy::AfterDue)
        );
        assert_eq!(from_name::<Role>("grader").ok(), Some(Role::Grader));
        assert!(from_name::<ScoringMode>("generous").is_err());
    }
}
