//! The O(ND) difference algorithm (E. Myers, "An O(ND) Difference Algorithm
//! and its Variations", Algorithmica 1, 1986), in its linear-space form:
//! search forward from the start and backward from the end at once until
//! the two searches meet, split there, and solve both halves.
//!
//! Where several shortest scripts exist, the one found depends on details:
//! the order diagonals are scanned in, which search is extended first, the
//! meeting test. These follow GNU diff, as do its two cost limits: when the
//! search has gone on for more than about sqrt(N) steps (`too_expensive`,
//! at least 4096) it settles for the furthest-reaching diagonal, and with
//! `--speed-large-files` it stops early at a diagonal ending in a long
//! match. Either makes the result possibly non-minimal, never wrong.

/// A snake longer than this counts as "big" for `--speed-large-files`.
const SNAKE_LIMIT: isize = 20;

/// Marks which elements of `x` and `y` are not part of the common
/// subsequence found. Returns `(x_changed, y_changed)`.
pub fn compare(
    x: &[u32],
    y: &[u32],
    minimal: bool,
    speed_large_files: bool,
) -> (Vec<bool>, Vec<bool>) {
    let mut search = Search::new(x, y, speed_large_files);
    let mut x_changed = vec![false; x.len()];
    let mut y_changed = vec![false; y.len()];
    // The halves are independent, so a work list replaces GNU's recursion
    // (whose depth is unbounded on adversarial input, and the WASI stack
    // is small).
    let mut work = vec![(0, x.len() as isize, 0, y.len() as isize, minimal)];
    while let Some((mut xoff, mut xlim, mut yoff, mut ylim, find_minimal)) = work.pop() {
        while xoff < xlim && yoff < ylim && x[xoff as usize] == y[yoff as usize] {
            xoff += 1;
            yoff += 1;
        }
        while xoff < xlim && yoff < ylim && x[xlim as usize - 1] == y[ylim as usize - 1] {
            xlim -= 1;
            ylim -= 1;
        }
        if xoff == xlim {
            y_changed[yoff as usize..ylim as usize].fill(true);
        } else if yoff == ylim {
            x_changed[xoff as usize..xlim as usize].fill(true);
        } else {
            let p = search.middle(xoff, xlim, yoff, ylim, find_minimal);
            work.push((p.xmid, xlim, p.ymid, ylim, p.hi_minimal));
            work.push((xoff, p.xmid, yoff, p.ymid, p.lo_minimal));
        }
    }
    (x_changed, y_changed)
}

/// Where a problem is split, and whether each half must be solved minimally.
struct Partition {
    xmid: isize,
    ymid: isize,
    lo_minimal: bool,
    hi_minimal: bool,
}

/// The search state: the furthest x reached on each diagonal, forward and
/// backward. Diagonal `d` (x - y) lives at index `d + offset`.
struct Search<'a> {
    x: &'a [u32],
    y: &'a [u32],
    fd: Vec<isize>,
    bd: Vec<isize>,
    offset: isize,
    too_expensive: isize,
    heuristic: bool,
}

impl<'a> Search<'a> {
    fn new(x: &'a [u32], y: &'a [u32], heuristic: bool) -> Self {
        let size = x.len() + y.len() + 3;
        // About the square root of the input size, but at least 4096.
        let mut too_expensive: isize = 1;
        let mut diags = size;
        while diags != 0 {
            too_expensive <<= 1;
            diags >>= 2;
        }
        Search {
            x,
            y,
            fd: vec![0; size],
            bd: vec![0; size],
            offset: y.len() as isize + 1,
            too_expensive: too_expensive.max(4096),
            heuristic,
        }
    }

    #[inline]
    fn eq(&self, x: isize, y: isize) -> bool {
        self.x[x as usize] == self.y[y as usize]
    }

    #[inline]
    fn fd(&self, d: isize) -> isize {
        self.fd[(d + self.offset) as usize]
    }

    #[inline]
    fn set_fd(&mut self, d: isize, v: isize) {
        self.fd[(d + self.offset) as usize] = v;
    }

    #[inline]
    fn bd(&self, d: isize) -> isize {
        self.bd[(d + self.offset) as usize]
    }

    #[inline]
    fn set_bd(&mut self, d: isize, v: isize) {
        self.bd[(d + self.offset) as usize] = v;
    }

    /// Finds the midpoint of a shortest edit script for the given ranges,
    /// whose first and last elements must differ.
    fn middle(
        &mut self,
        xoff: isize,
        xlim: isize,
        yoff: isize,
        ylim: isize,
        find_minimal: bool,
    ) -> Partition {
        let dmin = xoff - ylim;
        let dmax = xlim - yoff;
        let fmid = xoff - yoff;
        let bmid = xlim - ylim;
        let (mut fmin, mut fmax, mut bmin, mut bmax) = (fmid, fmid, bmid, bmid);
        let odd = (fmid - bmid) & 1 != 0;
        self.set_fd(fmid, xoff);
        self.set_bd(bmid, xlim);
        let mut c: isize = 1;
        loop {
            let mut big_snake = false;

            // One more edit step forward on every diagonal in reach.
            if fmin > dmin {
                fmin -= 1;
                self.set_fd(fmin - 1, -1);
            } else {
                fmin += 1;
            }
            if fmax < dmax {
                fmax += 1;
                self.set_fd(fmax + 1, -1);
            } else {
                fmax -= 1;
            }
            let mut d = fmax;
            while d >= fmin {
                let (tlo, thi) = (self.fd(d - 1), self.fd(d + 1));
                let x0 = if tlo < thi { thi } else { tlo + 1 };
                let y0 = x0 - d;
                let snake = if x0 < xlim && y0 < ylim {
                    common_prefix(
                        &self.x[x0 as usize..xlim as usize],
                        &self.y[y0 as usize..ylim as usize],
                    )
                } else {
                    0
                };
                let (x, y) = (x0 + snake, y0 + snake);
                big_snake |= x - x0 > SNAKE_LIMIT;
                self.set_fd(d, x);
                if odd && bmin <= d && d <= bmax && self.bd(d) <= x {
                    return Partition {
                        xmid: x,
                        ymid: y,
                        lo_minimal: true,
                        hi_minimal: true,
                    };
                }
                d -= 2;
            }

            // And one more backward.
            if bmin > dmin {
                bmin -= 1;
                self.set_bd(bmin - 1, isize::MAX);
            } else {
                bmin += 1;
            }
            if bmax < dmax {
                bmax += 1;
                self.set_bd(bmax + 1, isize::MAX);
            } else {
                bmax -= 1;
            }
            let mut d = bmax;
            while d >= bmin {
                let (tlo, thi) = (self.bd(d - 1), self.bd(d + 1));
                let x0 = if tlo < thi { tlo } else { thi - 1 };
                let y0 = x0 - d;
                let snake = if xoff < x0 && yoff < y0 {
                    common_suffix(
                        &self.x[xoff as usize..x0 as usize],
                        &self.y[yoff as usize..y0 as usize],
                    )
                } else {
                    0
                };
                let (x, y) = (x0 - snake, y0 - snake);
                big_snake |= x0 - x > SNAKE_LIMIT;
                self.set_bd(d, x);
                if !odd && fmin <= d && d <= fmax && x <= self.fd(d) {
                    return Partition {
                        xmid: x,
                        ymid: y,
                        lo_minimal: true,
                        hi_minimal: true,
                    };
                }
                d -= 2;
            }

            if !find_minimal {
                let bounds = Bounds {
                    xoff,
                    xlim,
                    yoff,
                    ylim,
                    fmin,
                    fmax,
                    bmin,
                    bmax,
                    fmid,
                    bmid,
                };
                if c > 200 && big_snake && self.heuristic {
                    if let Some(p) = self.good_diagonal(&bounds, c) {
                        return p;
                    }
                }
                if c >= self.too_expensive {
                    return self.furthest(&bounds);
                }
            }
            c += 1;
        }
    }

    /// `--speed-large-files`: a diagonal that got much further than the cost
    /// so far and ends in a long match is taken as if the searches had met.
    fn good_diagonal(&self, b: &Bounds, c: isize) -> Option<Partition> {
        let mut best = 0;
        let mut found = None;
        let mut d = b.fmax;
        while d >= b.fmin {
            let dd = d - b.fmid;
            let x = self.fd(d);
            let y = x - d;
            let v = (x - b.xoff) * 2 - dd;
            if v > 12 * (c + dd.abs())
                && v > best
                && b.xoff + SNAKE_LIMIT <= x
                && x < b.xlim
                && b.yoff + SNAKE_LIMIT <= y
                && y < b.ylim
                && (1..=SNAKE_LIMIT).all(|k| self.eq(x - k, y - k))
            {
                best = v;
                found = Some((x, y));
            }
            d -= 2;
        }
        if let Some((xmid, ymid)) = found {
            return Some(Partition {
                xmid,
                ymid,
                lo_minimal: true,
                hi_minimal: false,
            });
        }
        best = 0;
        let mut d = b.bmax;
        while d >= b.bmin {
            let dd = d - b.bmid;
            let x = self.bd(d);
            let y = x - d;
            let v = (b.xlim - x) * 2 + dd;
            if v > 12 * (c + dd.abs())
                && v > best
                && b.xoff < x
                && x <= b.xlim - SNAKE_LIMIT
                && b.yoff < y
                && y <= b.ylim - SNAKE_LIMIT
                && (0..SNAKE_LIMIT).all(|k| self.eq(x + k, y + k))
            {
                best = v;
                found = Some((x, y));
            }
            d -= 2;
        }
        found.map(|(xmid, ymid)| Partition {
            xmid,
            ymid,
            lo_minimal: false,
            hi_minimal: true,
        })
    }

    /// Too expensive: split at whichever search got furthest (forward:
    /// largest x + y; backward: smallest), leaving the far half non-minimal.
    fn furthest(&self, b: &Bounds) -> Partition {
        let (mut fxybest, mut fxbest) = (-1, 0);
        let mut d = b.fmax;
        while d >= b.fmin {
            let mut x = self.fd(d).min(b.xlim);
            let mut y = x - d;
            if b.ylim < y {
                x = b.ylim + d;
                y = b.ylim;
            }
            if fxybest < x + y {
                fxybest = x + y;
                fxbest = x;
            }
            d -= 2;
        }
        let (mut bxybest, mut bxbest) = (isize::MAX, 0);
        let mut d = b.bmax;
        while d >= b.bmin {
            let mut x = self.bd(d).max(b.xoff);
            let mut y = x - d;
            if y < b.yoff {
                x = b.yoff + d;
                y = b.yoff;
            }
            if x + y < bxybest {
                bxybest = x + y;
                bxbest = x;
            }
            d -= 2;
        }
        if (b.xlim + b.ylim) - bxybest < fxybest - (b.xoff + b.yoff) {
            Partition {
                xmid: fxbest,
                ymid: fxybest - fxbest,
                lo_minimal: true,
                hi_minimal: false,
            }
        } else {
            Partition {
                xmid: bxbest,
                ymid: bxybest - bxbest,
                lo_minimal: false,
                hi_minimal: true,
            }
        }
    }
}

/// Length of the common start of `a` and `b` (a forward snake).
fn common_prefix(a: &[u32], b: &[u32]) -> isize {
    a.iter().zip(b).take_while(|(p, q)| p == q).count() as isize
}

/// Length of the common end of `a` and `b` (a backward snake).
fn common_suffix(a: &[u32], b: &[u32]) -> isize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(p, q)| p == q)
        .count() as isize
}

/// The ranges and search limits the cost heuristics look at.
struct Bounds {
    xoff: isize,
    xlim: isize,
    yoff: isize,
    ylim: isize,
    fmin: isize,
    fmax: isize,
    bmin: isize,
    bmax: isize,
    fmid: isize,
    bmid: isize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcs_len(x: &[u32], y: &[u32]) -> usize {
        let mut t = vec![vec![0usize; y.len() + 1]; x.len() + 1];
        for i in (0..x.len()).rev() {
            for j in (0..y.len()).rev() {
                t[i][j] = if x[i] == y[j] {
                    t[i + 1][j + 1] + 1
                } else {
                    t[i + 1][j].max(t[i][j + 1])
                };
            }
        }
        t[0][0]
    }

    #[test]
    fn finds_a_shortest_script_on_random_inputs() {
        let mut seed = 12345u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..300 {
            let n = (next() % 30) as usize;
            let m = (next() % 30) as usize;
            let x: Vec<u32> = (0..n).map(|_| (next() % 4) as u32).collect();
            let y: Vec<u32> = (0..m).map(|_| (next() % 4) as u32).collect();
            let (xc, yc) = compare(&x, &y, false, false);
            let kept_x: Vec<u32> = x
                .iter()
                .zip(&xc)
                .filter(|(_, &c)| !c)
                .map(|(&v, _)| v)
                .collect();
            let kept_y: Vec<u32> = y
                .iter()
                .zip(&yc)
                .filter(|(_, &c)| !c)
                .map(|(&v, _)| v)
                .collect();
            assert_eq!(
                kept_x, kept_y,
                "unchanged lines must form a common subsequence"
            );
            assert_eq!(kept_x.len(), lcs_len(&x, &y), "and a longest one");
        }
    }
}
