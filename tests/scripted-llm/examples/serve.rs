//! Serves a script from a JSON file until interrupted, for demos and for
//! trying the CLI (`wasm-agent run`, `serve`) without a real provider.
//!
//! ```text
//! cargo run -p wasm-agent-scripted-llm --example serve -- script.json
//! ```
//!
//! The file is an array of turns, each one of:
//! `{"text": "..."}`, `{"tool_call": {"id": "t1", "name": "bash", "arguments": {...}}}`,
//! `{"parts": [{"text": ...} | {"thinking": ...} | {"tool_call": {...}}, ...]}`,
//! any of them with `"usage": [input, output]`. The server prints its base
//! URL (`http://127.0.0.1:PORT`) on the first line of stdout; point an
//! Anthropic-format provider at it, or an OpenAI one at `…/v1`.

use std::process::ExitCode;

use serde_json::Value;
use wasm_agent_scripted_llm::{Part, ScriptedLlm, Turn};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: serve SCRIPT.json  (an array of turns; see the source's docs)");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("serve: cannot read {path}: {err}");
            return ExitCode::from(1);
        }
    };
    let turns = match serde_json::from_str::<Value>(&text)
        .map_err(|e| e.to_string())
        .and_then(|script| parse_script(&script))
    {
        Ok(turns) => turns,
        Err(err) => {
            eprintln!("serve: {path}: {err}");
            return ExitCode::from(1);
        }
    };
    let server = ScriptedLlm::start(turns);
    println!("{}", server.base_url());
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}

fn parse_script(script: &Value) -> Result<Vec<Turn>, String> {
    let turns = script
        .as_array()
        .ok_or("the script must be a JSON array of turns")?;
    turns
        .iter()
        .enumerate()
        .map(|(i, turn)| parse_turn(turn).map_err(|e| format!("turn {}: {e}", i + 1)))
        .collect()
}

fn parse_turn(turn: &Value) -> Result<Turn, String> {
    let parts = match turn.get("parts") {
        Some(parts) => parts
            .as_array()
            .ok_or("'parts' must be an array")?
            .iter()
            .map(parse_part)
            .collect::<Result<Vec<Part>, String>>()?,
        None => vec![parse_part(turn)?],
    };
    let mut turn_out = Turn::reply(parts);
    if let Some(usage) = turn.get("usage") {
        let pair = usage
            .as_array()
            .and_then(|u| Some((u.first()?.as_u64()?, u.get(1)?.as_u64()?)))
            .ok_or("'usage' must be [input, output]")?;
        turn_out = turn_out.with_usage(pair.0, pair.1);
    }
    Ok(turn_out)
}

fn parse_part(part: &Value) -> Result<Part, String> {
    if let Some(text) = part.get("text").and_then(Value::as_str) {
        return Ok(Part::Text(text.to_string()));
    }
    if let Some(text) = part.get("thinking").and_then(Value::as_str) {
        return Ok(Part::Thinking(text.to_string()));
    }
    if let Some(call) = part.get("tool_call") {
        let field = |key: &str| {
            call.get(key)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or(format!("tool_call needs a string '{key}'"))
        };
        return Ok(Part::tool_call(
            field("id")?,
            field("name")?,
            call.get("arguments").cloned().unwrap_or_default(),
        ));
    }
    Err("a turn or part is {\"text\"}, {\"thinking\"} or {\"tool_call\"}".to_string())
}
