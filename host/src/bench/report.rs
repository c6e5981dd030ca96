//! The comparison table.

use std::fmt::Write as _;
use std::time::Duration;

/// One measured figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A median time.
    Time(Duration),
    /// A memory size in bytes.
    Bytes(f64),
}

/// One cell: a figure, and whether the peer's output matched the reference
/// (a figure for wrong output is shown but marked).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// The figure.
    pub value: Value,
    /// False when the output differed from native bash's.
    pub matches: bool,
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What was measured.
    pub metric: String,
    /// One cell per peer, in the report's peer order; `None` where the
    /// metric does not apply.
    pub cells: Vec<Option<Cell>>,
    /// The goal for wasm-agent, if the issue sets one.
    pub goal: Option<&'static str>,
}

/// Everything `wasm-agent bench` measured.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// Column titles; the first is wasm-agent, the one the ratios are for.
    pub peers: Vec<&'static str>,
    /// The figures.
    pub rows: Vec<Row>,
    /// Output differences and other remarks, printed under the table.
    pub notes: Vec<String>,
}

impl Report {
    /// The report as a Markdown table with ratios against wasm-agent,
    /// followed by the notes.
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("| metric |");
        for peer in &self.peers {
            let _ = write!(out, " {peer} |");
        }
        for peer in self.peers.iter().skip(1) {
            let _ = write!(out, " vs {peer} |");
        }
        out.push_str(" goal |\n|---|");
        for _ in 0..self.peers.len() * 2 - 1 {
            out.push_str("---:|");
        }
        out.push_str("---|\n");
        for row in &self.rows {
            // A `|` inside a cell, even in backticks, would end the cell.
            let _ = write!(out, "| {} |", row.metric.replace('|', "\\|"));
            for cell in &row.cells {
                let _ = write!(out, " {} |", cell.map_or("—".into(), format_cell));
            }
            let ours = row.cells.first().copied().flatten();
            for other in row.cells.iter().skip(1) {
                let _ = write!(out, " {} |", ratio(ours, *other));
            }
            let _ = writeln!(out, " {} |", row.goal.unwrap_or(""));
        }
        for note in &self.notes {
            let _ = write!(out, "\n{note}\n");
        }
        out
    }
}

fn format_cell(cell: Cell) -> String {
    let text = match cell.value {
        Value::Time(t) => format_time(t),
        Value::Bytes(b) if b >= 1024.0 * 1024.0 => format!("{:.1} MiB", b / 1024.0 / 1024.0),
        Value::Bytes(b) => format!("{:.1} KiB", b / 1024.0),
    };
    if cell.matches {
        text
    } else {
        format!("{text} (wrong output)")
    }
}

/// A time with a unit that keeps three significant figures.
pub fn format_time(t: Duration) -> String {
    let secs = t.as_secs_f64();
    if secs >= 1.0 {
        format!("{secs:.2} s")
    } else if secs >= 1e-3 {
        format!("{:.2} ms", secs * 1e3)
    } else if secs >= 1e-6 {
        format!("{:.2} µs", secs * 1e6)
    } else {
        format!("{:.0} ns", secs * 1e9)
    }
}

/// How wasm-agent compares with another peer: `12.3× faster`, `2.0×
/// slower`, `4.0× smaller`.
fn ratio(ours: Option<Cell>, other: Option<Cell>) -> String {
    let (Some(ours), Some(other)) = (ours, other) else {
        return String::new();
    };
    let (ours_v, other_v, better, worse) = match (ours.value, other.value) {
        (Value::Time(a), Value::Time(b)) => (a.as_secs_f64(), b.as_secs_f64(), "faster", "slower"),
        (Value::Bytes(a), Value::Bytes(b)) => (a, b, "smaller", "larger"),
        _ => return String::new(),
    };
    if ours_v <= 0.0 || other_v <= 0.0 {
        return String::new();
    }
    if other_v >= ours_v {
        format!("{:.1}× {better}", other_v / ours_v)
    } else {
        format!("{:.1}× {worse}", ours_v / other_v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(us: u64) -> Option<Cell> {
        Some(Cell {
            value: Value::Time(Duration::from_micros(us)),
            matches: true,
        })
    }

    #[test]
    fn table_has_ratios_against_the_first_peer() {
        let report = Report {
            peers: vec!["wasm-agent", "native bash"],
            rows: vec![
                Row {
                    metric: "echo".into(),
                    cells: vec![time(2), time(1000)],
                    goal: Some("≤ 3 µs"),
                },
                Row {
                    metric: "`a | b`".into(),
                    cells: vec![time(4000), time(2000)],
                    goal: None,
                },
                Row {
                    metric: "populate".into(),
                    cells: vec![time(500), None],
                    goal: None,
                },
            ],
            notes: vec!["note".into()],
        };
        assert_eq!(
            report.to_markdown(),
            "| metric | wasm-agent | native bash | vs native bash | goal |\n\
             |---|---:|---:|---:|---|\n\
             | echo | 2.00 µs | 1.00 ms | 500.0× faster | ≤ 3 µs |\n\
             | `a \\| b` | 4.00 ms | 2.00 ms | 2.0× slower |  |\n\
             | populate | 500.00 µs | — |  |  |\n\
             \nnote\n"
        );
    }
}
