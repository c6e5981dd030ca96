//! The shell's own file descriptors: 0, 1, 2 and whatever `exec 3>file` or
//! a redirection opened.

use crate::io::{FileStream, Input, Output};

/// What a shell descriptor refers to.
#[derive(Debug, Clone)]
pub enum Fd {
    /// A readable stream.
    Input(Input),
    /// A writable stream.
    Output(Output),
    /// A file open for reading and writing (`<>`).
    ReadWrite(FileStream),
}

impl Fd {
    /// The descriptor as something to read, if it is readable.
    pub fn as_input(&self) -> Option<Input> {
        match self {
            Fd::Input(input) => Some(input.clone()),
            Fd::ReadWrite(stream) => Some(Input::File(stream.clone())),
            Fd::Output(_) => None,
        }
    }

    /// The descriptor as something to write, if it is writable.
    pub fn as_output(&self) -> Option<Output> {
        match self {
            Fd::Output(output) => Some(output.clone()),
            Fd::ReadWrite(stream) => Some(Output::File(stream.clone())),
            Fd::Input(_) => None,
        }
    }
}

/// Descriptor number → stream. Cloning duplicates every descriptor (a
/// subshell's view).
#[derive(Debug, Clone, Default)]
pub struct Fds {
    slots: Vec<Option<Fd>>,
}

impl Fds {
    /// A table with stdin, stdout and stderr.
    pub fn new(stdin: Input, stdout: Output, stderr: Output) -> Fds {
        Fds {
            slots: vec![
                Some(Fd::Input(stdin)),
                Some(Fd::Output(stdout)),
                Some(Fd::Output(stderr)),
            ],
        }
    }

    /// The descriptor `fd`, if open.
    pub fn get(&self, fd: u32) -> Option<&Fd> {
        self.slots.get(fd as usize)?.as_ref()
    }

    /// Opens `fd` as `value`; returns what it held.
    pub fn set(&mut self, fd: u32, value: Option<Fd>) -> Option<Fd> {
        let fd = fd as usize;
        if self.slots.len() <= fd {
            self.slots.resize_with(fd + 1, || None);
        }
        std::mem::replace(&mut self.slots[fd], value)
    }

    /// Standard input (empty when closed or not readable).
    pub fn stdin(&self) -> Input {
        self.get(0).and_then(Fd::as_input).unwrap_or_default()
    }

    /// Standard output (discarded when closed or not writable).
    pub fn stdout(&self) -> Output {
        self.get(1).and_then(Fd::as_output).unwrap_or_default()
    }

    /// Standard error (discarded when closed or not writable).
    pub fn stderr(&self) -> Output {
        self.get(2).and_then(Fd::as_output).unwrap_or_default()
    }
}
