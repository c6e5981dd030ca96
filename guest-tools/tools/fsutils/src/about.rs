//! `--help` and `--version`, which GNU tools answer before anything else:
//! the first of them among the options wins, even after other options.

use std::ffi::OsString;

/// What `stat --help` prints.
const STAT_HELP: &str = "\
Usage: stat [OPTION]... FILE...
Display file status.

  -L, --dereference     follow links
  -c  --format=FORMAT   use the specified FORMAT instead of the default;
                          output a newline after each use of FORMAT
      --printf=FORMAT   like --format, but interpret backslash escapes,
                          and do not output a mandatory trailing newline;
                          if you want a newline, include \\n in FORMAT
  -t, --terse           print the information in terse form
      --help        display this help and exit
      --version     output version information and exit

The valid format sequences for files:

  %a   permission bits in octal
  %A   permission bits and file type in human readable form
  %b   number of blocks allocated (see %B)
  %B   the size in bytes of each block reported by %b
  %d   device number in decimal
  %D   device number in hex
  %f   raw mode in hex
  %F   file type
  %g   group ID of owner
  %G   group name of owner
  %h   number of hard links
  %i   inode number
  %m   mount point
  %n   file name
  %N   quoted file name with dereference if symbolic link
  %o   optimal I/O transfer size hint
  %s   total size, in bytes
  %t   major device type in hex, for character/block device special files
  %T   minor device type in hex, for character/block device special files
  %u   user ID of owner
  %U   user name of owner
  %w   time of file birth, human-readable; - if unknown
  %W   time of file birth, seconds since Epoch; 0 if unknown
  %x   time of last access, human-readable
  %X   time of last access, seconds since Epoch
  %y   time of last data modification, human-readable
  %Y   time of last data modification, seconds since Epoch
  %z   time of last status change, human-readable
  %Z   time of last status change, seconds since Epoch

In the sandbox, owners, permission bits and block counts are what the
filesystem reports through WASI, completed as an ext4 volume would show
them. -f (--file-system) is not available.
";

/// What `du --help` prints.
const DU_HELP: &str = "\
Usage: du [OPTION]... [FILE]...
Summarize disk usage of the set of FILEs, recursively for directories.

Mandatory arguments to long options are mandatory for short options too.
  -a, --all             write counts for all files, not just directories
      --apparent-size   print apparent sizes rather than disk usage
  -b, --bytes           equivalent to '--apparent-size --block-size=1'
  -c, --total           produce a grand total
  -d, --max-depth=N     print the total for a directory (or file, with --all)
                          only if it is N or fewer levels below the command
                          line argument;  --max-depth=0 is the same as
                          --summarize
  -h, --human-readable  print sizes in human readable format (e.g., 1K 234M 2G)
  -k                    like --block-size=1K
  -m                    like --block-size=1M
  -s, --summarize       display only a total for each argument
  -x, --one-file-system    skip directories on different file systems
      --help        display this help and exit
      --version     output version information and exit

Disk usage is counted as ext4 allocates it: whole 4 KiB blocks per file
and per directory, nothing for symbolic links.
";

/// The answer to `--help` or `--version` if `args` (without the program
/// name) ask for one before `--`, for `tool` (`stat` or `du`).
pub fn requested(tool: &str, args: &[OsString]) -> Option<String> {
    let asked = args
        .iter()
        .take_while(|arg| *arg != "--")
        .find(|arg| *arg == "--help" || *arg == "--version")?;
    if asked == "--version" {
        return Some(format!(
            "{tool} (wasm-agent {}) {}\n",
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION")
        ));
    }
    Some(if tool == "stat" { STAT_HELP } else { DU_HELP }.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn help_and_version_win_wherever_they_are() {
        let help = requested("du", &args(&["-s", "--help", "x"])).unwrap();
        assert!(help.starts_with("Usage: du "));
        let version = requested("stat", &args(&["-L", "--version", "--help"])).unwrap();
        assert_eq!(version, format!("stat (wasm-agent wa-fsutils) {}\n", env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn operands_after_double_dash_are_files() {
        assert_eq!(requested("stat", &args(&["--", "--help"])), None);
        assert_eq!(requested("du", &args(&["-s", "dir"])), None);
    }
}
