// This file is part of the uutils coreutils package.
//
// For the full copyright and license information, please view the LICENSE
// file that was distributed with this source code.

// wasm-agent addition (see WASM-AGENT.md at the crate root): where GNU fmt
// breaks the lines of a paragraph.
//
// GNU fmt chooses the breaks of a paragraph by dynamic programming over a
// cost model that is part of its observable behaviour: every line costs a
// constant; a line costs the square of its distance from the goal width and
// half the square of the difference from the next line's length; breaking
// after the end of a sentence or other punctuation, or before an opening
// parenthesis, earns a bonus; breaking after a period that does not end a
// sentence, after the first word of a sentence or before its last word is
// penalised. The last line costs nothing. The figures below are the ones
// that reproduce GNU coreutils' output.

// spell-checker:ignore punct

/// A cost, in the squared units of the model.
type Cost = i64;

/// The square of `n`, the unit the model's constants are given in.
const fn equiv(n: Cost) -> Cost {
    n * n
}

/// A line `n` columns shorter or longer than the goal.
const fn short_cost(n: Cost) -> Cost {
    equiv(n * 10)
}

/// Adjacent lines whose lengths differ by `n`.
const fn ragged_cost(n: Cost) -> Cost {
    short_cost(n) / 2
}

/// Every line.
const LINE_COST: Cost = equiv(70);

/// Breaking after the first word of a sentence, `n` columns wide.
const fn widow_cost(n: Cost) -> Cost {
    equiv(200) / (n + 2)
}

/// Breaking before the last word of a sentence, `n` columns wide.
const fn orphan_cost(n: Cost) -> Cost {
    equiv(150) / (n + 2)
}

/// Breaking after the end of a sentence.
const SENTENCE_BONUS: Cost = equiv(50);

/// Breaking after a period that does not end a sentence: the break would
/// make it look like one.
const NOBREAK_COST: Cost = equiv(600);

/// Breaking before an opening parenthesis (or quote).
const PAREN_BONUS: Cost = equiv(40);

/// Breaking after other punctuation.
const PUNCT_BONUS: Cost = equiv(40);

/// What the model needs to know about one word of a paragraph.
#[derive(Clone, Copy, Debug, Default)]
pub struct WordMetrics {
    /// Display width of the word.
    pub width: usize,
    /// Columns between this word and the previous one when both stay on
    /// one line (unused for the first word).
    pub gap_before: usize,
    /// Ends in `.`, `?` or `!`, possibly followed by closing `)]'"`.
    pub period: bool,
    /// Ends a sentence: a period followed by the end of its line or a wide
    /// gap, or the last word of the paragraph (whatever it ends with).
    pub sentence_end: bool,
    /// Ends in other ASCII punctuation.
    pub punct: bool,
    /// Starts with an opening `(['`"`.
    pub paren: bool,
}

impl WordMetrics {
    /// The punctuation flags of `word` (its bytes, without whitespace).
    pub fn classify(word: &[u8]) -> (bool, bool, bool) {
        let Some(&last) = word.last() else {
            return (false, false, false);
        };
        let paren = matches!(word[0], b'(' | b'[' | b'\'' | b'`' | b'"');
        let punct = last.is_ascii_punctuation();
        let mut end = word.len() - 1;
        while end > 0 && matches!(word[end], b')' | b']' | b'\'' | b'"') {
            end -= 1;
        }
        let period = matches!(word[end], b'.' | b'?' | b'!');
        (period, punct, paren)
    }
}

/// The shape of the lines to fill.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Column where the first line's first word starts.
    pub first_indent: usize,
    /// Column where the other lines start.
    pub other_indent: usize,
    /// Lines stay shorter than this, unless one word alone is longer.
    pub width: usize,
    /// The length lines should have.
    pub goal: usize,
}

/// How many words of a paragraph GNU fmt holds (less two, which it keeps
/// free), and how many bytes of their text: a longer paragraph is set in
/// pieces, each ended where its lines cost least (see [`line_starts`]).
const MAX_WORDS: usize = 1000;
const MAX_CHARS: usize = 5000;

/// Credit for ending a piece of a long paragraph one line later.
const LINE_CREDIT: Cost = equiv(3);

/// Indices of the words that start a line, after the first line (which
/// starts at word 0), in order.
///
/// Like GNU fmt, a paragraph longer than [`MAX_WORDS`] words or
/// [`MAX_CHARS`] bytes of words is set piece by piece: the words read so
/// far are filled, the lines up to the cheapest place to stop are kept,
/// and filling goes on from there, matching the first new line to the
/// length of the last one kept.
pub fn line_starts(words: &[WordMetrics], shape: Shape) -> Vec<usize> {
    let mut filler = Filler {
        words,
        shape,
        starts: Vec::new(),
        base: 0,
        last_line_length: 0,
    };
    let mut chars = 0;
    for index in 0..words.len() {
        // The text buffer fills up while the word is read...
        if index > filler.base && chars + words[index].width > MAX_CHARS {
            chars -= filler.set_piece(index);
        }
        chars += words[index].width;
        // ...the word buffer once it is read.
        if index - filler.base == MAX_WORDS - 2 {
            chars -= filler.set_piece(index);
        }
    }
    filler.finish()
}

/// The state of [`line_starts`].
struct Filler<'a> {
    words: &'a [WordMetrics],
    shape: Shape,
    starts: Vec<usize>,
    /// The first word not set yet.
    base: usize,
    /// The length of the last line set, if a piece was.
    last_line_length: usize,
}

impl Filler<'_> {
    fn indent(&self) -> usize {
        if self.base == 0 {
            self.shape.first_indent
        } else {
            self.shape.other_indent
        }
    }

    /// Sets the lines of a piece of the words before `end`; returns the
    /// width of the words set.
    fn set_piece(&mut self, end: usize) -> usize {
        let window = &self.words[self.base..end];
        let plan = Plan::new(window, self.indent(), self.last_line_length, self.shape);
        let split = plan.piece_end();
        let mut line = 0;
        let mut at = plan.next_break[0];
        while at < split {
            self.starts.push(self.base + at);
            line = at;
            at = plan.next_break[at];
        }
        self.starts.push(self.base + split);
        self.last_line_length = plan.line_length[line];
        self.base += split;
        window[..split].iter().map(|w| w.width).sum()
    }

    /// Sets the remaining words; returns all line starts.
    fn finish(mut self) -> Vec<usize> {
        let rest = &self.words[self.base..];
        if !rest.is_empty() {
            let plan = Plan::new(rest, self.indent(), self.last_line_length, self.shape);
            let mut at = plan.next_break[0];
            while at < rest.len() {
                self.starts.push(self.base + at);
                at = plan.next_break[at];
            }
        }
        self.starts
    }
}

/// The cheapest breaks of some words, found from the last word back.
struct Plan {
    /// Per word: the cost of the lines from the one starting there on...
    best_cost: Vec<Cost>,
    /// ...the word starting the next of those lines...
    next_break: Vec<usize>,
    /// ...and the length of the line starting there.
    line_length: Vec<usize>,
}

impl Plan {
    /// Plans `words`, the first line starting at column `first_indent`
    /// and, unless 0, best matching `last_line_length`.
    fn new(
        words: &[WordMetrics],
        first_indent: usize,
        last_line_length: usize,
        shape: Shape,
    ) -> Self {
        let count = words.len();
        let mut plan = Plan {
            best_cost: vec![0; count + 1],
            next_break: vec![count; count + 1],
            line_length: vec![0; count + 1],
        };
        for start in (0..count).rev() {
            let mut best = Cost::MAX;
            let indent = if start == 0 {
                first_indent
            } else {
                shape.other_indent
            };
            // At least one word, however long, in the line.
            let mut len = indent + words[start].width;
            let mut next = start;
            loop {
                next += 1;
                // The line holds words start..next.
                let mut cost = plan.line_cost(next, len, count, shape);
                if start == 0 && last_line_length > 0 {
                    cost += ragged_cost(len as Cost - last_line_length as Cost);
                }
                let cost = cost.saturating_add(plan.best_cost[next]);
                if cost < best {
                    best = cost;
                    plan.next_break[start] = next;
                    plan.line_length[start] = len;
                }
                if next == count {
                    break;
                }
                len += words[next].gap_before + words[next].width;
                if len >= shape.width {
                    break;
                }
            }
            plan.best_cost[start] = best.saturating_add(base_cost(words, start));
        }
        plan
    }

    /// Where to end a piece of a long paragraph: at the start of the line
    /// that costs least compared with the lines after it, later lines
    /// being favoured by [`LINE_CREDIT`] each.
    fn piece_end(&self) -> usize {
        let count = self.next_break.len() - 1;
        let mut split = count;
        let mut best_break = Cost::MAX;
        let mut at = self.next_break[0];
        while at != count {
            let cost = self.best_cost[at].saturating_sub(self.best_cost[self.next_break[at]]);
            if cost < best_break {
                split = at;
                best_break = cost;
            }
            best_break = best_break.saturating_add(LINE_CREDIT);
            at = self.next_break[at];
        }
        split
    }

    /// The part of the cost of a line ending before word `next` that
    /// depends on its length `len`.
    fn line_cost(&self, next: usize, len: usize, count: usize, shape: Shape) -> Cost {
        if next == count {
            return 0;
        }
        let mut cost = short_cost(shape.goal as Cost - len as Cost);
        if self.next_break[next] != count {
            cost += ragged_cost(len as Cost - self.line_length[next] as Cost);
        }
        cost
    }
}

/// The part of the cost of starting a line at word `start` that does not
/// depend on its length.
fn base_cost(words: &[WordMetrics], start: usize) -> Cost {
    let mut cost = LINE_COST;
    if start > 0 {
        let before = &words[start - 1];
        if before.period {
            if before.sentence_end {
                cost -= SENTENCE_BONUS;
            } else {
                cost += NOBREAK_COST;
            }
        } else if before.punct {
            cost -= PUNCT_BONUS;
        } else if start > 1 && words[start - 2].sentence_end {
            cost += widow_cost(before.width as Cost);
        }
    }
    let this = &words[start];
    if this.paren {
        cost -= PAREN_BONUS;
    } else if this.sentence_end {
        cost += orphan_cost(this.width as Cost);
    }
    cost
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<WordMetrics> {
        let split: Vec<&str> = text.split(' ').collect();
        split
            .iter()
            .enumerate()
            .map(|(i, word)| {
                let (period, punct, paren) = WordMetrics::classify(word.as_bytes());
                WordMetrics {
                    width: word.len(),
                    gap_before: 1,
                    period,
                    sentence_end: i + 1 == split.len(),
                    punct,
                    paren,
                }
            })
            .collect()
    }

    fn fill(text: &str, width: usize) -> Vec<String> {
        let split: Vec<&str> = text.split(' ').collect();
        let shape = Shape {
            first_indent: 0,
            other_indent: 0,
            width,
            goal: width * 187 / 200,
        };
        let mut lines = Vec::new();
        let mut from = 0;
        for to in line_starts(&words(text), shape)
            .into_iter()
            .chain([split.len()])
        {
            lines.push(split[from..to].join(" "));
            from = to;
        }
        lines
    }

    #[test]
    fn avoids_breaking_after_a_period_inside_a_sentence() {
        // As GNU fmt -w 40: "dog." followed by one space ends no sentence.
        let text = "The quick brown fox jumps over the lazy dog. The quick brown fox \
                    jumps over the lazy dog again and again.";
        assert_eq!(
            fill(text, 40),
            [
                "The quick brown fox jumps over the",
                "lazy dog. The quick brown fox jumps",
                "over the lazy dog again and again.",
            ]
        );
    }

    #[test]
    fn lines_stay_shorter_than_the_width() {
        let text = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj";
        for line in fill(text, 15) {
            assert!(line.len() < 15, "{line:?}");
        }
    }

    #[test]
    fn a_long_word_gets_a_line_of_its_own() {
        assert_eq!(
            fill("a bbbbbbbbbbbbbbbbbbbb c", 10),
            ["a", "bbbbbbbbbbbbbbbbbbbb", "c"]
        );
    }

    #[test]
    fn classify_sees_through_closing_quotes() {
        assert_eq!(WordMetrics::classify(b"end.\")"), (true, true, false));
        assert_eq!(WordMetrics::classify(b"(see"), (false, false, true));
        assert_eq!(WordMetrics::classify(b"list,"), (false, true, false));
        assert_eq!(WordMetrics::classify(b"plain"), (false, false, false));
    }
}
