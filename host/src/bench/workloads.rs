//! The seven agent workloads, run with the fixture at `/data` and `/data`
//! as the working directory.

/// One workload: a name for the table and the bash script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Workload {
    /// Short name shown in the table.
    pub name: &'static str,
    /// The script; paths are under `/data`.
    pub script: &'static str,
}

/// Where the fixture lives in every peer's view of the filesystem.
pub const DATA_DIR: &str = "/data";

/// What agents type most: recursive grep, find, sort/uniq pipelines, sed,
/// awk and a shell loop.
pub const WORKLOADS: [Workload; 7] = [
    Workload {
        name: "grep -rn | wc -l",
        script: "grep -rn needle /data | wc -l",
    },
    Workload {
        name: "find -name | sort | head",
        script: "find /data -name '*.md' | sort | head",
    },
    Workload {
        name: "cat | sort | uniq -c | sort -rn | head",
        script: "cat /data/a/*.txt | sort | uniq -c | sort -rn | head",
    },
    Workload {
        name: "sed -n ranges",
        script: "sed -n '1000,1005p;39999,$p' numbers.txt",
    },
    Workload {
        name: "sed -n /re/p | wc -l",
        script: "sed -n '/^99/p' numbers.txt | wc -l",
    },
    Workload {
        name: "awk sum",
        script: "awk '{s+=$1} END {print s}' numbers.txt",
    },
    Workload {
        name: "for $(seq 1000) | tail -1",
        script: "for i in $(seq 1 1000); do echo $i; done | tail -1",
    },
];
