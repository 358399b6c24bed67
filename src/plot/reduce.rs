//! Min/max reduction of long series to columns, and value ranges that ignore NaN.

/// The smallest and largest finite values in all of `values`, or `None` if there are none.
pub(crate) fn finite_range<'a>(values: impl IntoIterator<Item = &'a f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Widen a range so it can be drawn: a flat range gets ±1 (or ±10% of its
/// value), then `pad` (a fraction of the span) is added at both ends.
pub(crate) fn padded(range: (f64, f64), pad: f64) -> (f64, f64) {
    let (mut lo, mut hi) = range;
    if hi - lo <= f64::EPSILON * hi.abs().max(lo.abs()).max(1.0) {
        let half = if lo.abs() > 0.0 { lo.abs() * 0.1 } else { 1.0 };
        lo -= half;
        hi += half;
    }
    let p = (hi - lo) * pad;
    (lo - p, hi + p)
}

/// Statistics of the finite values of a series that fall into one column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Column {
    /// Column number, 0-based.
    pub col: usize,
    /// Index and value of the first finite point in the column.
    pub first: (usize, f64),
    /// Index and value of the smallest point.
    pub min: (usize, f64),
    /// Index and value of the largest point.
    pub max: (usize, f64),
    /// Index and value of the last finite point.
    pub last: (usize, f64),
    /// How many finite points fell into the column.
    pub count: usize,
}

/// Group the points of `values` into `columns` columns and keep, per column,
/// the first, smallest, largest and last finite value.
///
/// `column_of(i)` says which column point `i` falls into (it must not
/// decrease with `i`; values beyond `columns - 1` are clamped). The result is a
/// list of runs: consecutive columns holding finite points, split wherever a
/// point is non-finite, so lines are not drawn across NaN holes.
pub(crate) fn reduce_columns(
    values: &[f64],
    columns: usize,
    column_of: impl Fn(usize) -> usize,
) -> Vec<Vec<Column>> {
    let mut runs: Vec<Vec<Column>> = Vec::new();
    let mut current: Vec<Column> = Vec::new();
    if columns == 0 {
        return runs;
    }
    for (i, &v) in values.iter().enumerate() {
        if !v.is_finite() {
            if !current.is_empty() {
                runs.push(std::mem::take(&mut current));
            }
            continue;
        }
        let col = column_of(i).min(columns - 1);
        match current.last_mut() {
            Some(c) if c.col == col => {
                if v < c.min.1 {
                    c.min = (i, v);
                }
                if v > c.max.1 {
                    c.max = (i, v);
                }
                c.last = (i, v);
                c.count += 1;
            }
            _ => current.push(Column {
                col,
                first: (i, v),
                min: (i, v),
                max: (i, v),
                last: (i, v),
                count: 1,
            }),
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

impl Column {
    /// The column's points in index order (first, min/max, last) with
    /// repeats removed: drawn as a path, they keep the spike and the joins.
    pub(crate) fn path_points(&self) -> Vec<(usize, f64)> {
        let (a, b) = if self.min.0 <= self.max.0 {
            (self.min, self.max)
        } else {
            (self.max, self.min)
        };
        let mut pts = vec![self.first];
        for p in [a, b, self.last] {
            if pts.last().map(|q| q.0) != Some(p.0) {
                pts.push(p);
            }
        }
        pts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(
            finite_range(&[f64::NAN, 2.0, -1.0, f64::INFINITY]),
            Some((-1.0, 2.0))
        );
        assert_eq!(finite_range(&[f64::NAN]), None);
        assert_eq!(finite_range(&[]), None);
        assert_eq!(padded((0.0, 0.0), 0.0), (-1.0, 1.0));
        let (lo, hi) = padded((5.0, 5.0), 0.0);
        assert!((lo - 4.5).abs() < 1e-12 && (hi - 5.5).abs() < 1e-12);
        assert_eq!(padded((0.0, 10.0), 0.1), (-1.0, 11.0));
    }

    #[test]
    fn spike_survives_reduction() {
        let mut v: Vec<f64> = (0..4096)
            .map(|i| (i as f64 / 4096.0 * std::f64::consts::TAU).sin())
            .collect();
        v[1024] = -1.0;
        let runs = reduce_columns(&v, 100, |i| i * 100 / v.len());
        assert_eq!(runs.len(), 1);
        let col = runs[0]
            .iter()
            .find(|c| c.first.0 <= 1024 && c.last.0 >= 1024)
            .unwrap();
        assert_eq!(col.min, (1024, -1.0));
        assert!(col.max.1 > 0.99);
        let path = col.path_points();
        assert!(path.contains(&(1024, -1.0)));
    }

    #[test]
    fn nan_splits_runs() {
        let v = [0.0, 1.0, f64::NAN, 2.0, 3.0];
        let runs = reduce_columns(&v, 5, |i| i);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].len(), 2);
        assert_eq!(runs[1][0].first, (3, 2.0));
        assert!(reduce_columns(&[f64::NAN; 4], 4, |i| i).is_empty());
        assert!(reduce_columns(&v, 0, |i| i).is_empty());
    }
}
