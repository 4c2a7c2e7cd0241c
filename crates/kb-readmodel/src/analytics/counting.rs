//! Counting a table's cells: `|rows[i] ∩ columns[j]|` within a population for every
//! pair, one intersection per cell for narrow tables, member by member for wide ones.

use std::borrow::Cow;

use roaring::RoaringBitmap;

/// The initiatives of the population holding one value of a dimension.
///
/// A dimension of a few dozen values is cut to the population once. Organisations are
/// thousands of small bitmaps: cutting each to the population copies them all for a
/// table that reads each member once, so they keep their whole bitmap and their count
/// within the population instead.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Members<'a> {
    /// The value's initiatives within the population.
    Within(RoaringBitmap),
    /// All of the value's initiatives, of which `total` are in the population.
    Whole { all: &'a RoaringBitmap, total: u64 },
}

impl Members<'_> {
    /// How many initiatives of the population hold the value.
    pub(crate) fn total(&self) -> u64 {
        match self {
            Members::Within(b) => b.len(),
            Members::Whole { total, .. } => *total,
        }
    }

    /// How many initiatives of `subset` (a part of the population) hold the value.
    pub(crate) fn within(&self, subset: &RoaringBitmap) -> u64 {
        match self {
            Members::Within(b) => b.intersection_len(subset),
            Members::Whole { all, .. } => all.intersection_len(subset),
        }
    }

    /// The value's initiatives within `population`, as one bitmap.
    pub(super) fn cut(&self, population: &RoaringBitmap) -> Cow<'_, RoaringBitmap> {
        match self {
            Members::Within(b) => Cow::Borrowed(b),
            Members::Whole { all, .. } => Cow::Owned(*all & population),
        }
    }

    /// The value's initiatives: within the population, or all of them for `Whole`.
    pub(super) fn reach(&self) -> &RoaringBitmap {
        match self {
            Members::Within(b) => b,
            Members::Whole { all, .. } => all,
        }
    }
}

/// Calls `f` with every member of `b` in order, read in batches (much faster than one
/// at a time).
pub(super) fn each_member(b: &RoaringBitmap, mut f: impl FnMut(u32)) {
    let mut batch = [0u32; 1024];
    let mut members = b.iter();
    loop {
        let got = members.next_many(&mut batch);
        if got.is_empty() {
            return;
        }
        for m in got.iter() {
            f(*m);
        }
    }
}

/// Past this many cells a table is counted member by member instead of one
/// intersection per cell: topic × organisation has some 40,000 cells, most of them
/// empty, while each initiative holds a few pairs.
pub(super) const DENSE_CELLS: usize = 4_096;

/// `|rows[i] ∩ columns[j]|` within `population` for every pair, row by row.
pub(super) fn counts<'a>(
    rows: &'a [&'a Members<'a>],
    columns: &'a [&'a Members<'a>],
    population: &'a RoaringBitmap,
) -> Vec<u32> {
    let width = columns.len();
    if rows.len() * width <= DENSE_CELLS {
        let cut = |side: &'a [&'a Members<'a>]| -> Vec<Cow<'a, RoaringBitmap>> {
            side.iter().map(|m| m.cut(population)).collect()
        };
        let (rows, columns) = (cut(rows), cut(columns));
        let mut out = Vec::with_capacity(rows.len() * width);
        for rb in &rows {
            for cb in &columns {
                out.push(u32::try_from(rb.intersection_len(cb)).unwrap_or(u32::MAX));
            }
        }
        return out;
    }
    // One side is listed member by member (`Lists`), within the population; the other
    // side's members (whole bitmaps may reach outside the population, where the lists
    // are empty) each add one to the cells of their listed values.
    let cut_rows = rows.iter().all(|m| matches!(m, Members::Within(_)))
        || !columns.iter().all(|m| matches!(m, Members::Within(_)));
    let (listed, walked) = if cut_rows {
        (rows, columns)
    } else {
        (columns, rows)
    };
    let listed: Vec<Cow<RoaringBitmap>> = listed.iter().map(|m| m.cut(population)).collect();
    let lists = Lists::new(&listed);
    let mut out = vec![0u32; rows.len() * width];
    for (w, m) in walked.iter().enumerate() {
        each_member(m.reach(), |member| {
            lists.each(member, |l| {
                let at = if cut_rows {
                    l * width + w
                } else {
                    w * width + l
                };
                if let Some(c) = out.get_mut(at) {
                    *c += 1;
                }
            });
        });
    }
    out
}

/// The values of each member of some bitmaps: a bit mask per member for up to 64
/// bitmaps, else a compressed list (`starts[m]..starts[m + 1]` of `values`).
enum Lists {
    Masks(Vec<u64>),
    Compressed { starts: Vec<u32>, values: Vec<u32> },
}

impl Lists {
    fn new(sets: &[Cow<RoaringBitmap>]) -> Self {
        let size = sets
            .iter()
            .filter_map(|b| b.max())
            .max()
            .map_or(0, |m| m as usize + 1);
        if sets.len() <= 64 {
            let mut masks = vec![0u64; size];
            for (i, b) in sets.iter().enumerate() {
                each_member(b, |m| masks[m as usize] |= 1u64 << i);
            }
            return Lists::Masks(masks);
        }
        let mut starts = vec![0u32; size + 1];
        for b in sets {
            each_member(b, |m| starts[m as usize + 1] += 1);
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut fill = starts.clone();
        let mut values = vec![0u32; starts[size] as usize];
        for (i, b) in sets.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            each_member(b, |m| {
                let at = &mut fill[m as usize];
                values[*at as usize] = i;
                *at += 1;
            });
        }
        Lists::Compressed { starts, values }
    }

    /// Calls `f` with the index of every bitmap holding `member`.
    #[inline]
    fn each(&self, member: u32, mut f: impl FnMut(usize)) {
        let m = member as usize;
        match self {
            Lists::Masks(masks) => {
                let Some(mut bits) = masks.get(m).copied() else {
                    return;
                };
                while bits != 0 {
                    f(bits.trailing_zeros() as usize);
                    bits &= bits - 1;
                }
            }
            Lists::Compressed { starts, values } => {
                if let (Some(&from), Some(&to)) = (starts.get(m), starts.get(m + 1)) {
                    for &i in &values[from as usize..to as usize] {
                        f(i as usize);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `count` bitmaps of members below 2,000 drawn by a fixed pattern from `salt`.
    fn spread(count: u32, salt: u32) -> Vec<RoaringBitmap> {
        (0..count)
            .map(|i| {
                (0..2_000u32)
                    .filter(|m| (m * (7 + salt) + i * (1 + salt)) % (13 + salt) < 3)
                    .collect()
            })
            .collect()
    }

    /// Checks `counts` against one intersection per cell, within `population`.
    fn counts_as_intersections(
        rows: &[Members],
        columns: &[Members],
        population: &RoaringBitmap,
    ) -> Vec<u32> {
        let r: Vec<&Members> = rows.iter().collect();
        let c: Vec<&Members> = columns.iter().collect();
        let got = counts(&r, &c, population);
        assert_eq!(got.len(), r.len() * c.len());
        for (i, rm) in r.iter().enumerate() {
            for (j, cm) in c.iter().enumerate() {
                let want = rm.cut(population).intersection_len(&cm.cut(population));
                assert_eq!(u64::from(got[i * c.len() + j]), want, "{i} × {j}");
            }
        }
        assert!(got.iter().any(|n| *n > 0));
        got
    }

    #[test]
    fn wide_tables_count_member_by_member_as_intersections_do() {
        // Every member below 1,900 is in the population; whole bitmaps reach past it,
        // one column past every row's largest member.
        let population: RoaringBitmap = (0..1_900u32).collect();
        let mut columns = spread(70, 4);
        columns[0].insert(5_000);
        let whole = |sets: &[RoaringBitmap]| -> Vec<Members<'static>> {
            sets.iter()
                .map(|b| {
                    let all: &'static RoaringBitmap = Box::leak(Box::new(b.clone()));
                    Members::Whole {
                        all,
                        total: all.intersection_len(&population),
                    }
                })
                .collect()
        };
        let within = |sets: &[RoaringBitmap]| -> Vec<Members<'static>> {
            sets.iter()
                .map(|b| Members::Within(b & &population))
                .collect()
        };
        // Up to 64 rows are listed as bit masks, more as a compressed list; either side
        // may be the one listed.
        for rows in [spread(60, 0), spread(100, 1)] {
            assert!(rows.len() * columns.len() > DENSE_CELLS);
            let plain = counts_as_intersections(&within(&rows), &within(&columns), &population);
            for (r, c) in [
                (within(&rows), whole(&columns)),
                (whole(&rows), within(&columns)),
                (whole(&rows), whole(&columns)),
            ] {
                assert_eq!(counts_as_intersections(&r, &c, &population), plain);
            }
        }
        // A narrow table is counted one intersection per cell, whole bitmaps cut first.
        let few = spread(3, 2);
        assert!(few.len() * columns.len() <= DENSE_CELLS);
        counts_as_intersections(&whole(&few), &within(&columns), &population);
    }
}
