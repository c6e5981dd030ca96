//! Guest modules: where they come from, which commands they provide, and
//! their `InstancePre`, built once per module for the process lifetime.

use super::cache::{compile_uncached, ArtifactCache};
use super::preinit;
use super::StoreState;
use crate::error::{Error, ErrorKind, Result};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use wasmtime::{Engine, InstancePre, Linker, Module};

/// The custom section in which a multicall module lists its command names,
/// newline-separated.
pub const TOOLS_SECTION: &str = "wasm-agent.tools";

/// Where a guest module's bytes come from.
#[derive(Debug, Clone)]
pub enum ModuleSource {
    /// A `.wasm` file on the host.
    File(PathBuf),
    /// Bytes in memory (e.g. embedded in the binary).
    Bytes(Arc<[u8]>),
}

impl ModuleSource {
    fn describe(&self) -> String {
        match self {
            ModuleSource::File(path) => path.display().to_string(),
            ModuleSource::Bytes(bytes) => format!("<{} bytes in memory>", bytes.len()),
        }
    }

    fn read(&self) -> Result<Arc<[u8]>> {
        match self {
            ModuleSource::File(path) => std::fs::read(path).map(Into::into).map_err(|err| {
                let kind = if err.kind() == std::io::ErrorKind::NotFound {
                    ErrorKind::ToolsNotFound
                } else {
                    ErrorKind::Io
                };
                let hint = if kind == ErrorKind::ToolsNotFound {
                    "; build the guest tools with scripts/build-guest-tools.sh or set \
                     WASM_AGENT_TOOLS to a tools.wasm"
                } else {
                    ""
                };
                Error::new(
                    kind,
                    format!("cannot read guest module {}: {err}{hint}", path.display()),
                )
                .with_source(err)
            }),
            ModuleSource::Bytes(bytes) => Ok(bytes.clone()),
        }
    }
}

/// Which commands a module provides.
#[derive(Debug, Clone)]
pub enum Commands {
    /// A multicall module listing its commands in the [`TOOLS_SECTION`]
    /// custom section and dispatching on `argv[0]`.
    Multicall,
    /// A module providing exactly one command under this name.
    Single(String),
}

/// A module the runtime can instantiate commands from.
#[derive(Debug, Clone)]
pub struct ModuleSpec {
    /// Where its bytes come from.
    pub source: ModuleSource,
    /// Which commands it provides.
    pub commands: Commands,
}

/// A loaded guest module.
pub(crate) struct GuestModule {
    pub(crate) pre: InstancePre<StoreState>,
    pub(crate) commands: Vec<String>,
}

impl GuestModule {
    /// Reads, compiles (or loads from cache) and pre-links a module.
    pub(crate) fn load(
        spec: &ModuleSpec,
        engine: &Engine,
        linker: &Linker<StoreState>,
        cache_dir: Option<&Path>,
    ) -> Result<GuestModule> {
        let what = spec.source.describe();
        let cache = cache_dir.map(|dir| ArtifactCache::new(dir, engine));
        if let (Some(cache), ModuleSource::File(path)) = (&cache, &spec.source) {
            if let Some(hit) = cache.lookup_file(path) {
                let commands = match &spec.commands {
                    Commands::Single(name) => vec![name.clone()],
                    Commands::Multicall => hit.commands,
                };
                return GuestModule::link(hit.module, commands, linker, &what);
            }
        }
        let bytes = spec.source.read()?;
        let commands = match &spec.commands {
            Commands::Single(name) => vec![name.clone()],
            Commands::Multicall => multicall_commands(&bytes, &what)?,
        };
        let prepare = |wasm: &[u8]| -> Result<Vec<u8>> {
            if preinit::wants_preinit(wasm) {
                preinit::preinitialize(engine, linker, wasm, &what)
            } else {
                Ok(wasm.to_vec())
            }
        };
        let module = match &cache {
            Some(cache) => cache.load(&bytes, &what, &commands, prepare)?,
            None => compile_uncached(engine, &prepare(&bytes)?, &what)?,
        };
        if let (Some(cache), ModuleSource::File(path)) = (&cache, &spec.source) {
            cache.record_file(path, &bytes);
        }
        GuestModule::link(module, commands, linker, &what)
    }

    fn link(
        module: Module,
        commands: Vec<String>,
        linker: &Linker<StoreState>,
        what: &str,
    ) -> Result<GuestModule> {
        let pre = linker
            .instantiate_pre(&module)
            .map_err(|err| Error::runtime(format!("cannot link guest module {what}"), err))?;
        Ok(GuestModule { pre, commands })
    }
}

/// The command names listed in a multicall module's [`TOOLS_SECTION`].
fn multicall_commands(wasm: &[u8], what: &str) -> Result<Vec<String>> {
    let section = custom_section(wasm, TOOLS_SECTION).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidModule,
            format!(
                "guest module {what} has no `{TOOLS_SECTION}` section listing its \
                 commands; rebuild it with scripts/build-guest-tools.sh"
            ),
        )
    })?;
    Ok(String::from_utf8_lossy(section)
        .split('\n')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect())
}

/// Finds the payload of the custom section `name` in a wasm binary, without
/// decoding anything else (sections are skipped by their length prefix).
pub(crate) fn custom_section<'a>(wasm: &'a [u8], name: &str) -> Option<&'a [u8]> {
    if wasm.len() < 8 || &wasm[0..4] != b"\0asm" {
        return None;
    }
    let mut rest = &wasm[8..];
    while !rest.is_empty() {
        let id = rest[0];
        let (size, used) = leb128_u32(&rest[1..])?;
        let start = 1 + used;
        let end = start.checked_add(size as usize)?;
        let payload = rest.get(start..end)?;
        if id == 0 {
            let (name_len, used) = leb128_u32(payload)?;
            let name_end = used.checked_add(name_len as usize)?;
            if payload.get(used..name_end)? == name.as_bytes() {
                return Some(&payload[name_end..]);
            }
        }
        rest = &rest[end..];
    }
    None
}

/// Decodes an unsigned LEB128 `u32`; returns the value and bytes used.
fn leb128_u32(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    for (i, &byte) in bytes.iter().enumerate().take(5) {
        value |= u32::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_custom_section(name: &str, data: &[u8]) -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        // An empty type section first, to check other sections are skipped.
        wasm.extend_from_slice(&[1, 1, 0]);
        let mut payload = vec![name.len() as u8];
        payload.extend_from_slice(name.as_bytes());
        payload.extend_from_slice(data);
        wasm.push(0);
        wasm.push(payload.len() as u8);
        wasm.extend_from_slice(&payload);
        wasm
    }

    #[test]
    fn finds_the_tools_section() {
        let wasm = with_custom_section(TOOLS_SECTION, b"cat\nls\n");
        assert_eq!(
            custom_section(&wasm, TOOLS_SECTION),
            Some(&b"cat\nls\n"[..])
        );
        assert_eq!(custom_section(&wasm, "other"), None);
    }

    #[test]
    fn truncated_modules_do_not_panic() {
        let wasm = with_custom_section(TOOLS_SECTION, b"cat");
        for len in 0..wasm.len() {
            let _ = custom_section(&wasm[..len], TOOLS_SECTION);
        }
    }

    #[test]
    fn decodes_multibyte_leb128() {
        assert_eq!(leb128_u32(&[0xe5, 0x8e, 0x26]), Some((624_485, 3)));
        assert_eq!(leb128_u32(&[0x80]), None);
    }
}
