//! The benchmark fixture: 1,000 files, about 5 MB, the same bytes on every
//! machine and every run (a fixed-seed generator, no external data).
//!
//! - `numbers.txt`: 40,000 integers, one per line;
//! - `a/phrases-NN.txt`: 50 files of short phrases repeated in random order,
//!   for `sort | uniq -c`;
//! - `src/mM/pP/fNNN.{txt,md,log,rs}`: 949 files of random word lines in
//!   nested directories; about one line in 150 contains `needle`.

use std::io;
use std::path::Path;

/// Number of phrase files under `a/`.
const PHRASE_FILES: usize = 50;
/// Number of word files under `src/`.
const WORD_FILES: usize = 949;
/// Lines of `numbers.txt`.
const NUMBERS: usize = 40_000;

const PHRASES: [&str; 16] = [
    "hello world",
    "the quick brown fox",
    "lorem ipsum dolor",
    "build passed",
    "tests failed",
    "retry later",
    "cache miss",
    "cache hit",
    "connection reset",
    "user logged in",
    "user logged out",
    "disk almost full",
    "request timed out",
    "all good",
    "deploy started",
    "deploy finished",
];

const WORDS: [&str; 48] = [
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
    "uniform", "victor", "whiskey", "xray", "yankee", "zulu", "agent", "sandbox", "shell",
    "module", "memory", "bucket", "fork", "snapshot", "pipe", "tool", "guest", "host", "vector",
    "parser", "token", "stream", "buffer", "kernel", "signal", "thread", "socket", "cursor",
];

const EXTENSIONS: [&str; 4] = ["txt", "md", "log", "rs"];

/// One file of the fixture: its path relative to the fixture's root, and
/// its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureFile {
    /// Relative path with `/` separators (`src/m3/p1/f042.md`).
    pub path: String,
    /// The file's bytes.
    pub data: Vec<u8>,
}

/// The generated tree (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// Every file, parents implied.
    pub files: Vec<FixtureFile>,
}

impl Fixture {
    /// Generates the fixture; the same call always gives the same bytes.
    pub fn generate() -> Fixture {
        let mut rng = SplitMix64(0x5eed_2026_0a9e_1717);
        let mut files = Vec::with_capacity(1 + PHRASE_FILES + WORD_FILES);

        let mut numbers = String::with_capacity(NUMBERS * 7);
        for _ in 0..NUMBERS {
            numbers.push_str(&(rng.below(1_000_000)).to_string());
            numbers.push('\n');
        }
        files.push(FixtureFile {
            path: "numbers.txt".into(),
            data: numbers.into_bytes(),
        });

        for n in 0..PHRASE_FILES {
            let mut text = String::new();
            for _ in 0..400 {
                text.push_str(PHRASES[rng.below(PHRASES.len() as u64) as usize]);
                text.push('\n');
            }
            files.push(FixtureFile {
                path: format!("a/phrases-{n:02}.txt"),
                data: text.into_bytes(),
            });
        }

        for n in 0..WORD_FILES {
            let mut text = String::new();
            let lines = 70 + rng.below(60);
            for _ in 0..lines {
                let words = 4 + rng.below(8);
                for w in 0..words {
                    if w > 0 {
                        text.push(' ');
                    }
                    if rng.below(1200) == 0 {
                        text.push_str("needle");
                    } else {
                        text.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
                    }
                }
                text.push('\n');
            }
            let ext = EXTENSIONS[n % EXTENSIONS.len()];
            files.push(FixtureFile {
                path: format!("src/m{}/p{}/f{n:03}.{ext}", n % 10, (n / 10) % 10),
                data: text.into_bytes(),
            });
        }
        Fixture { files }
    }

    /// Total size of the files in bytes.
    pub fn total_bytes(&self) -> usize {
        self.files.iter().map(|f| f.data.len()).sum()
    }

    /// Writes the tree below the host directory `root` (created if needed).
    pub fn write_to_dir(&self, root: &Path) -> io::Result<()> {
        for file in &self.files {
            let path = root.join(&file.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &file.data)?;
        }
        Ok(())
    }
}

/// SplitMix64: a tiny, well-mixed generator; good enough for test data and
/// identical everywhere.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_the_promised_shape_and_never_changes() {
        let fixture = Fixture::generate();
        assert_eq!(fixture.files.len(), 1000);
        let size = fixture.total_bytes();
        assert!((4_500_000..5_500_000).contains(&size), "{size} bytes");
        assert_eq!(fixture, Fixture::generate());
        let numbers = &fixture.files[0];
        assert_eq!(numbers.path, "numbers.txt");
        assert_eq!(numbers.data.iter().filter(|b| **b == b'\n').count(), 40_000);
        let needles: usize = fixture
            .files
            .iter()
            .map(|f| String::from_utf8_lossy(&f.data).matches("needle").count())
            .sum();
        assert!(needles > 100, "{needles} needles");
        assert!(fixture.files.iter().any(|f| f.path.ends_with(".md")));
    }
}
