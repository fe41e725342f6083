//! The counting rule of a gradebook cell: of a student's attempts at one exercise, which one
//! counts. Graded attempts come before those awaiting review (which count as pending, never as
//! 0), then the higher score (a graded attempt without a score as 0), then the earlier attempt
//! (ties: the earliest). It is the order of `counting_key` in the migrations, which item
//! analysis sorts by in SQL; the gradebook applies it here, to the attempts one index-only scan
//! returns, so PostgreSQL builds no key per attempt. The API tests check that both agree.

use std::cmp::Ordering;

use uuid::Uuid;

/// One attempt as the gradebook reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attempt {
    pub attempt: i32,
    pub score: Option<f64>,
    pub graded: bool,
    pub late: bool,
}

/// What a gradebook shows of one (student, exercise) cell with at least one attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// The counted attempt's score when it is graded; `None` when no attempt is graded yet.
    pub score: Option<f64>,
    pub attempts: i64,
    /// Attempts waiting for a person's grade.
    pub pending: i64,
    /// The counted attempt is graded and was late.
    pub counted_late: bool,
    /// Any attempt of the cell was late.
    pub any_late: bool,
}

/// PostgreSQL's order of double precision values: NaN above every number and equal to itself,
/// -0 equal to 0.
fn pg_cmp(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

/// `Greater` when `a` counts before `b`.
fn counts_before(a: &Attempt, b: &Attempt) -> Ordering {
    a.graded
        .cmp(&b.graded)
        .then_with(|| pg_cmp(a.score.unwrap_or(0.0), b.score.unwrap_or(0.0)))
        .then_with(|| b.attempt.cmp(&a.attempt))
}

/// Folds a cell's attempts, in any order; `None` when there are none.
pub fn cell(attempts: impl IntoIterator<Item = Attempt>) -> Option<Cell> {
    let mut counted: Option<Attempt> = None;
    let (mut n, mut pending, mut any_late) = (0, 0, false);
    for a in attempts {
        n += 1;
        pending += i64::from(!a.graded);
        any_late |= a.late;
        if counted.is_none_or(|c| counts_before(&a, &c) == Ordering::Greater) {
            counted = Some(a);
        }
    }
    let counted = counted?;
    Some(Cell {
        score: counted.graded.then(|| counted.score.unwrap_or(0.0)),
        attempts: n,
        pending,
        counted_late: counted.graded && counted.late,
        any_late,
    })
}

/// A student's attempts at an assignment as parallel columns (the gradebook statement's
/// arrays), one element per attempt, in any order.
#[derive(Debug, Clone, Copy)]
pub struct Attempts<'a> {
    pub exercise_ids: &'a [Uuid],
    pub attempts: &'a [i32],
    pub scores: &'a [Option<f64>],
    pub graded: &'a [bool],
    pub late: &'a [bool],
}

impl<'a> Attempts<'a> {
    pub const NONE: Attempts<'static> = Attempts {
        exercise_ids: &[],
        attempts: &[],
        scores: &[],
        graded: &[],
        late: &[],
    };

    /// The cell of one exercise; `None` when the student has not attempted it.
    pub fn cell(&self, exercise_id: Uuid) -> Option<Cell> {
        let n = self
            .exercise_ids
            .len()
            .min(self.attempts.len())
            .min(self.scores.len())
            .min(self.graded.len())
            .min(self.late.len());
        cell(
            (0..n)
                .filter(|&i| self.exercise_ids[i] == exercise_id)
                .map(|i| Attempt {
                    attempt: self.attempts[i],
                    score: self.scores[i],
                    graded: self.graded[i],
                    late: self.late[i],
                }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(attempt: i32, score: Option<f64>, graded: bool, late: bool) -> Attempt {
        Attempt {
            attempt,
            score,
            graded,
            late,
        }
    }

    fn both_orders(attempts: &[Attempt]) -> Cell {
        let forward = cell(attempts.iter().copied()).unwrap();
        let backward = cell(attempts.iter().rev().copied()).unwrap();
        assert_eq!(forward, backward, "the order attempts arrive in does not matter");
        forward
    }

    #[test]
    fn the_best_graded_attempt_counts_with_its_late_flag() {
        let c = both_orders(&[
            a(1, Some(0.0), true, false),
            a(2, Some(1.0), true, true),
            a(3, Some(0.0), true, true),
        ]);
        assert_eq!(c.score, Some(1.0));
        assert!(c.counted_late);
        assert_eq!((c.attempts, c.pending), (3, 0));
    }

    #[test]
    fn of_a_tie_the_earliest_counts() {
        let c = both_orders(&[a(1, Some(0.5), true, false), a(2, Some(0.5), true, true)]);
        assert_eq!(c.score, Some(0.5));
        assert!(
            !c.counted_late,
            "the on-time first attempt counts, not the late second"
        );
        assert!(c.any_late);
        let c = both_orders(&[a(1, Some(0.0), true, false), a(2, Some(-0.0), true, true)]);
        assert!(!c.counted_late, "-0 ties with 0 as in PostgreSQL");
    }

    #[test]
    fn a_graded_attempt_counts_before_one_awaiting_review() {
        let c = both_orders(&[a(1, None, false, true), a(2, Some(0.25), true, false)]);
        assert_eq!(c.score, Some(0.25));
        assert_eq!(c.pending, 1);
        assert!(!c.counted_late);
        assert!(c.any_late);
    }

    #[test]
    fn only_pending_attempts_have_no_score_and_no_counted_late() {
        let c = both_orders(&[a(1, None, false, true), a(2, None, false, false)]);
        assert_eq!(c.score, None);
        assert_eq!((c.attempts, c.pending), (2, 2));
        assert!(!c.counted_late);
        assert!(c.any_late);
    }

    #[test]
    fn a_graded_attempt_without_a_score_counts_as_zero() {
        let c = both_orders(&[a(1, None, true, false), a(2, Some(-1.0), true, true)]);
        assert_eq!(c.score, Some(0.0));
        assert!(!c.counted_late);
    }

    #[test]
    fn no_attempt_is_no_cell() {
        assert_eq!(cell([]), None);
        assert_eq!(Attempts::NONE.cell(Uuid::nil()), None);
    }

    #[test]
    fn the_columns_are_split_by_exercise() {
        let (x, y) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let at = Attempts {
            exercise_ids: &[y, x, y],
            attempts: &[2, 1, 1],
            scores: &[Some(1.0), Some(0.5), Some(0.0)],
            graded: &[true, true, true],
            late: &[true, false, false],
        };
        assert_eq!(at.cell(x).map(|c| (c.score, c.attempts)), Some((Some(0.5), 1)));
        assert_eq!(
            at.cell(y).map(|c| (c.score, c.attempts, c.counted_late)),
            Some((Some(1.0), 2, true))
        );
        assert_eq!(at.cell(Uuid::from_u128(3)), None);
    }
}
