//! Classical item analysis of one assignment: facility and discrimination per item, option
//! selection counts, and Cronbach's alpha for the whole set. Pure arithmetic over a score
//! matrix; the caller gathers the counted scores.
//!
//! The statistics follow Moodle's quiz statistics report (`question/classes/statistics/
//! questions/calculator.php` and `mod/quiz/report/statistics/classes/calculator.php`):
//! - **facility** = mean score / max score, over the students who attempted the item
//!   (Moodle shows it as a percentage; we return the fraction);
//! - **discrimination** = Pearson r between the item score and the *rest of the test*
//!   (total minus this item), as Moodle's "discrimination index" (which it multiplies by 100);
//! - **Cronbach's alpha** = k/(k−1) · (1 − Σ item variances / variance of totals), Moodle's
//!   "coefficient of internal consistency" (again ×100 there).
//!
//! Moodle divides every variance and covariance by n − 1 (sample variance). We do the same;
//! note that the choice cancels out of both r and alpha (numerator and denominator carry the
//! same factor over the same students), so the population variance would give identical
//! results. It only matters for the reported standard deviations.
//!
//! Missing scores (not attempted, or free text still pending review) are left out of that
//! item's facility. Discrimination and alpha need a full row per student, so they are
//! computed over the students who have a score for every item ("complete" rows), as Moodle
//! only analyses finished attempts. `complete_students` in the report says how many that was.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

/// One item (exercise) of the assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemSpec {
    /// The most an answer can score (1.0 for every exercise today).
    pub max_score: f64,
    /// The option ids in display order; empty for free text.
    pub option_ids: Vec<String>,
}

/// One student's counted response to one item.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemResponse {
    /// None while the answer awaits a person's grade.
    pub score: Option<f64>,
    /// The option ids chosen (empty for free text).
    pub chosen: Vec<String>,
}

/// How often one option was chosen.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OptionCount {
    pub option_id: String,
    /// Students whose counted answer chose this option.
    pub count: u64,
    /// `count` / students who answered the item; None when nobody did.
    pub share: Option<f64>,
}

/// The statistics of one item.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ItemStats {
    /// Students with a counted answer to this item (graded or not).
    pub answered: u64,
    /// Students with a score for this item (answered and graded).
    pub scored: u64,
    pub mean_score: Option<f64>,
    /// Mean score / max score, in [0, 1]: the share of the available credit earned.
    pub facility: Option<f64>,
    /// Sample standard deviation of the item score (n − 1).
    pub standard_deviation: Option<f64>,
    /// Pearson r between this item's score and the rest of the test, in [−1, 1], over the
    /// complete rows. None when it is undefined: fewer than two complete rows, or no variance
    /// in the item or in the rest.
    pub discrimination: Option<f64>,
    /// Per option, in the item's option order. Ids a student chose that the item no longer
    /// has (after an edit) are listed after them.
    pub options: Vec<OptionCount>,
}

/// The statistics of an assignment.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ItemAnalysis {
    pub students: u64,
    /// Students with a score for every item: the rows discrimination and alpha use.
    pub complete_students: u64,
    /// Mean total over the complete rows.
    pub mean_total: Option<f64>,
    /// Sample standard deviation of the total over the complete rows.
    pub total_standard_deviation: Option<f64>,
    /// Cronbach's alpha over the complete rows; None with fewer than two items, fewer than
    /// two complete rows, or no variance in the totals.
    pub cronbach_alpha: Option<f64>,
    pub items: Vec<ItemStats>,
}

/// Below this a variance counts as zero: scores are sums of fractions like 1/3, so exact
/// equality would let rounding noise through as "variance".
const EPSILON: f64 = 1e-12;

fn mean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        None
    } else {
        Some(xs.iter().sum::<f64>() / xs.len() as f64)
    }
}

/// Sum of products of deviations from the means.
fn co_deviation(xs: &[f64], ys: &[f64]) -> f64 {
    let (Some(mx), Some(my)) = (mean(xs), mean(ys)) else {
        return 0.0;
    };
    xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum()
}

/// Sample variance (n − 1), as Moodle; None below two values.
fn sample_variance(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    Some(co_deviation(xs, xs) / (xs.len() - 1) as f64)
}

/// Pearson r; None when either side has no variance or there are fewer than two pairs.
fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    if xs.len() < 2 || xs.len() != ys.len() {
        return None;
    }
    let sxx = co_deviation(xs, xs);
    let syy = co_deviation(ys, ys);
    if sxx <= EPSILON || syy <= EPSILON {
        return None;
    }
    let r = co_deviation(xs, ys) / (sxx * syy).sqrt();
    // Rounding can push |r| a hair past 1.
    Some(r.clamp(-1.0, 1.0))
}

/// Analyses `rows` (one per student, one entry per item in `items` order; `None` = the
/// student has no counted answer to that item). Rows shorter than `items` are read as
/// missing the rest.
pub fn analyze(items: &[ItemSpec], rows: &[Vec<Option<ItemResponse>>]) -> ItemAnalysis {
    let k = items.len();
    let score = |row: &Vec<Option<ItemResponse>>, i: usize| row.get(i).and_then(|r| r.as_ref()?.score);
    let complete: Vec<&Vec<Option<ItemResponse>>> = rows
        .iter()
        .filter(|row| (0..k).all(|i| score(row, i).is_some()))
        .collect();
    let totals: Vec<f64> = complete
        .iter()
        .map(|row| (0..k).filter_map(|i| score(row, i)).sum())
        .collect();

    let mut item_stats = Vec::with_capacity(k);
    let mut sum_item_variance = 0.0;
    for (i, spec) in items.iter().enumerate() {
        let answered: Vec<&ItemResponse> = rows.iter().filter_map(|row| row.get(i)?.as_ref()).collect();
        let scores: Vec<f64> = answered.iter().filter_map(|r| r.score).collect();
        let mean_score = mean(&scores);
        let facility = match mean_score {
            Some(m) if spec.max_score > 0.0 => Some(m / spec.max_score),
            _ => None,
        };

        let item_complete: Vec<f64> = complete.iter().filter_map(|row| score(row, i)).collect();
        let rest: Vec<f64> = totals.iter().zip(&item_complete).map(|(t, x)| t - x).collect();
        sum_item_variance += sample_variance(&item_complete).unwrap_or(0.0);

        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        for r in &answered {
            for id in &r.chosen {
                *counts.entry(id.as_str()).or_default() += 1;
            }
        }
        let n_answered = answered.len() as u64;
        let share = |count: u64| (n_answered > 0).then(|| count as f64 / n_answered as f64);
        let mut options: Vec<OptionCount> = spec
            .option_ids
            .iter()
            .map(|id| {
                let count = counts.remove(id.as_str()).unwrap_or(0);
                OptionCount {
                    option_id: id.clone(),
                    count,
                    share: share(count),
                }
            })
            .collect();
        options.extend(counts.into_iter().map(|(id, count)| OptionCount {
            option_id: id.to_string(),
            count,
            share: share(count),
        }));

        item_stats.push(ItemStats {
            answered: n_answered,
            scored: scores.len() as u64,
            mean_score,
            facility,
            standard_deviation: sample_variance(&scores).map(f64::sqrt),
            discrimination: pearson(&item_complete, &rest),
            options,
        });
    }

    let total_variance = sample_variance(&totals);
    let cronbach_alpha = match total_variance {
        Some(v) if k >= 2 && v > EPSILON => {
            let k = k as f64;
            Some(k / (k - 1.0) * (1.0 - sum_item_variance / v))
        }
        _ => None,
    };

    ItemAnalysis {
        students: rows.len() as u64,
        complete_students: complete.len() as u64,
        mean_total: mean(&totals),
        total_standard_deviation: total_variance.map(f64::sqrt),
        cronbach_alpha,
        items: item_stats,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(options: &[&str]) -> ItemSpec {
        ItemSpec {
            max_score: 1.0,
            option_ids: options.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn resp(score: f64, chosen: &[&str]) -> Option<ItemResponse> {
        Some(ItemResponse {
            score: Some(score),
            chosen: chosen.iter().map(|s| s.to_string()).collect(),
        })
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    /// Four students, three one-mark items:
    ///
    /// ```text
    ///            item1 item2 item3 | total
    ///   s1         1     1     1   |   3
    ///   s2         1     1     0   |   2
    ///   s3         1     0     1   |   2
    ///   s4         0     0     0   |   0
    /// ```
    ///
    /// Facility: item1 3/4 = 0.75, item2 2/4 = 0.5, item3 2/4 = 0.5.
    ///
    /// Sample variances (divide by n − 1 = 3):
    /// - item1: mean .75, deviations .25 .25 .25 −.75, squares sum .1875 + .5625 = .75 → .25
    /// - item2: mean .5, deviations ±.5, squares sum 1 → 1/3; item3 likewise 1/3
    /// - Σ item variances = .25 + 2/3 = 11/12
    /// - totals: mean 1.75, deviations 1.25 .25 .25 −1.75, squares 1.5625 + .0625 + .0625 +
    ///   3.0625 = 4.75 → 4.75/3 = 19/12
    ///
    /// Alpha = 3/2 · (1 − (11/12)/(19/12)) = 3/2 · 8/19 = 12/19 ≈ 0.631579.
    ///
    /// Discrimination, item vs rest (total − item):
    /// - item1: x = 1 1 1 0, rest = 2 1 1 0. Deviations x: .25 .25 .25 −.75; rest (mean 1):
    ///   1 0 0 −1. Σdx·dr = .25 + .75 = 1; Σdx² = .75; Σdr² = 2. r = 1/√1.5 ≈ 0.816497.
    /// - item2: x = 1 1 0 0, rest = 2 1 2 0 (mean 1.25, deviations .75 −.25 .75 −1.25).
    ///   Σdx·dr = .375 − .125 − .375 + .625 = .5; Σdx² = 1; Σdr² = .5625 + .0625 + .5625 +
    ///   1.5625 = 2.75. r = .5/√2.75 ≈ 0.301511.
    /// - item3: x = 1 0 1 0, rest = 2 2 1 0 (deviations .75 .75 −.25 −1.25).
    ///   Σdx·dr = .375 − .375 − .125 + .625 = .5; Σdr² = 2.75. r ≈ 0.301511.
    #[test]
    fn hand_computed_example() {
        let items = vec![spec(&["a", "b"]), spec(&["a", "b"]), spec(&["a", "b", "c"])];
        let rows = vec![
            vec![resp(1.0, &["a"]), resp(1.0, &["a"]), resp(1.0, &["a", "b"])],
            vec![resp(1.0, &["a"]), resp(1.0, &["a"]), resp(0.0, &["c"])],
            vec![resp(1.0, &["a"]), resp(0.0, &["b"]), resp(1.0, &["a", "b"])],
            vec![resp(0.0, &["b"]), resp(0.0, &["b"]), resp(0.0, &["c"])],
        ];
        let a = analyze(&items, &rows);
        assert_eq!(a.students, 4);
        assert_eq!(a.complete_students, 4);
        assert!(close(a.mean_total, 1.75));
        assert!(close(a.total_standard_deviation, (19.0f64 / 12.0).sqrt()));
        assert!(close(a.cronbach_alpha, 12.0 / 19.0), "{:?}", a.cronbach_alpha);

        let f: Vec<Option<f64>> = a.items.iter().map(|i| i.facility).collect();
        assert!(close(f[0], 0.75) && close(f[1], 0.5) && close(f[2], 0.5));
        assert!(close(a.items[0].discrimination, 1.0 / 1.5f64.sqrt()));
        assert!(close(a.items[1].discrimination, 0.5 / 2.75f64.sqrt()));
        assert!(close(a.items[2].discrimination, 0.5 / 2.75f64.sqrt()));
        assert!(close(a.items[0].standard_deviation, 0.5));

        let third: Vec<(&str, u64)> = a.items[2]
            .options
            .iter()
            .map(|o| (o.option_id.as_str(), o.count))
            .collect();
        assert_eq!(third, vec![("a", 2), ("b", 2), ("c", 2)]);
        assert!(close(a.items[2].options[0].share, 0.5));
    }

    #[test]
    fn undefined_statistics_are_none_not_nan() {
        // Everyone got item1 right: no variance, so no discrimination.
        let items = vec![spec(&["a", "b"]), spec(&["a", "b"])];
        let rows = vec![
            vec![resp(1.0, &["a"]), resp(1.0, &["a"])],
            vec![resp(1.0, &["a"]), resp(0.0, &["b"])],
        ];
        let a = analyze(&items, &rows);
        assert_eq!(a.items[0].discrimination, None);
        // The rest of the test for item2 is item1, constant: undefined too.
        assert_eq!(a.items[1].discrimination, None);
        assert!(close(a.items[0].facility, 1.0));

        let empty = analyze(&items, &[]);
        assert_eq!(empty.cronbach_alpha, None);
        assert_eq!(empty.items[0].facility, None);
        assert_eq!(empty.items[0].options[0].share, None);
        assert_eq!(empty.mean_total, None);

        let single = analyze(&items[..1], &[vec![resp(1.0, &["a"])], vec![resp(0.0, &["b"])]]);
        assert_eq!(single.cronbach_alpha, None, "alpha needs two items");
    }

    #[test]
    fn missing_and_pending_answers_count_only_where_they_can() {
        let items = vec![spec(&["a", "b"]), spec(&[]), spec(&["a", "b"])];
        let pending = Some(ItemResponse {
            score: None,
            chosen: vec![],
        });
        let rows = vec![
            vec![resp(1.0, &["a"]), resp(1.0, &[]), resp(1.0, &["a"])],
            vec![resp(0.0, &["b"]), pending, resp(0.0, &["b"])],
            vec![resp(1.0, &["a", "gone"]), None, resp(1.0, &["a"])],
            vec![resp(0.0, &["b"]), resp(0.5, &[]), resp(1.0, &["a"])],
        ];
        let a = analyze(&items, &rows);
        assert_eq!(a.complete_students, 2);
        assert_eq!(a.items[1].answered, 3);
        assert_eq!(a.items[1].scored, 2);
        assert!(close(a.items[1].facility, 0.75));
        // Facility of item1 uses all four students.
        assert!(close(a.items[0].facility, 0.5));
        // An option chosen that the item no longer lists is still counted, after the rest.
        let ids: Vec<&str> = a.items[0].options.iter().map(|o| o.option_id.as_str()).collect();
        assert_eq!(ids, vec!["a", "b", "gone"]);
        // Two complete rows (s1: 1, 1, 1 and s4: 0, .5, 1): item1 and the rest co-vary
        // perfectly, item3 is constant.
        assert!(close(a.items[0].discrimination, 1.0));
        assert_eq!(a.items[2].discrimination, None);
    }
}
