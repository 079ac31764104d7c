//! `magdit check`: one situation (readable or JSON), or many as JSON lines.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use magdit_engine::{limits, Engine, SituationError};
use magdit_protocol::Lang;
use serde::Serialize;

use crate::{input, render, EXIT_INVALID};

pub fn single(engine: &Engine, path: &Path, json: bool, lang: Lang) -> ExitCode {
    let text = match input::read_text(path, limits::SITUATION_BYTES) {
        Ok(text) => text,
        Err(message) => return invalid(&message),
    };
    match engine.check_json(&text, lang) {
        Ok(verdict) if json => {
            let mut out = io::stdout().lock();
            if serde_json::to_writer_pretty(&mut out, &verdict).is_ok() {
                let _ = writeln!(out);
            }
            ExitCode::SUCCESS
        }
        Ok(verdict) => {
            let protocol = engine.protocol(&verdict.protocol).expect("a verdict names a known protocol");
            print!("{}", render::verdict(&verdict, protocol, lang));
            ExitCode::SUCCESS
        }
        Err(e) => invalid(&format!("invalid situation: {e}")),
    }
}

fn invalid(message: &str) -> ExitCode {
    eprintln!("magdit: {message}");
    ExitCode::from(EXIT_INVALID)
}

#[derive(Serialize)]
struct LineError<'a> {
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    line: usize,
    #[serde(skip_serializing_if = "str::is_empty")]
    field: &'a str,
    message: &'a str,
}

/// One verdict line per situation line, in order. An invalid line yields an `{"error": …}`
/// line in its place (so output stays aligned with input) and makes the exit status 2.
pub fn jsonl(engine: &Engine, path: &Path, lang: Lang) -> ExitCode {
    let mut reader = match input::open(path) {
        Ok(r) => r,
        Err(e) => return invalid(&format!("cannot read {}: {e}", path.display())),
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut buf = Vec::new();
    // One verdict's JSON, reused from line to line.
    let mut json = Vec::new();
    let mut line_no = 0;
    let mut failures = 0usize;
    loop {
        match input::read_line(&mut *reader, &mut buf, limits::SITUATION_BYTES) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return invalid(&format!("cannot read {}: {e}", path.display())),
        }
        line_no += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let result = if buf.len() > limits::SITUATION_BYTES {
            Err(SituationError::new("", format!("the line is longer than {} bytes", limits::SITUATION_BYTES)))
        } else {
            match std::str::from_utf8(&buf) {
                Ok(text) => engine.check_json(text, lang),
                Err(e) => Err(SituationError::new("", format!("the line is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to()))),
            }
        };
        json.clear();
        // Into one reused buffer: no allocation per line for the output.
        let written = match result {
            Ok(verdict) => serde_json::to_writer(&mut json, &verdict),
            Err(e) => {
                failures += 1;
                eprintln!("magdit: line {line_no}: invalid situation: {e}");
                let message = e.to_string();
                serde_json::to_writer(&mut json, &LineError { error: ErrorBody { line: line_no, field: &e.field, message: &message } })
            }
        };
        if let Err(e) = written {
            eprintln!("magdit: line {line_no}: cannot write the verdict: {e}");
            return ExitCode::FAILURE;
        }
        json.push(b'\n');
        if out.write_all(&json).is_err() {
            // The reader went away (a closed pipe): nothing more to say.
            return ExitCode::SUCCESS;
        }
    }
    let _ = out.flush();
    if failures > 0 {
        ExitCode::from(EXIT_INVALID)
    } else {
        ExitCode::SUCCESS
    }
}
