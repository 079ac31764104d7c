//! `magdit validate`: protocol files with diagnostics a person can act on.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use magdit_protocol::{load, Protocol, MAX_FILE_BYTES};
use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::{input, EXIT_INVALID};

pub fn run(files: &[PathBuf]) -> ExitCode {
    let mut ok = true;
    for path in files {
        match load_file(path) {
            Some(p) => println!("{}: ok ({} articles, {} with a rule)", path.display(), p.articles.len(), p.articles.iter().filter(|a| a.rule.is_some()).count()),
            None => ok = false,
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INVALID)
    }
}

/// Load a protocol file, printing its diagnostics to standard error when it does not load.
pub fn load_file(path: &Path) -> Option<Protocol> {
    let text = match input::read_text(path, MAX_FILE_BYTES) {
        Ok(t) => t,
        Err(message) => {
            eprintln!("magdit: {message}");
            return None;
        }
    };
    match load(&path.display().to_string(), &text) {
        Ok(p) => Some(p),
        Err(e) => {
            let theme = if std::io::stderr().is_terminal() { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
            let handler = GraphicalReportHandler::new_themed(theme);
            eprintln!("{e}");
            for problem in &e.problems {
                let mut out = String::new();
                let _ = handler.render_report(&mut out, problem);
                eprintln!("{}:{}:{}: {}", path.display(), problem.line, problem.column, problem.message);
                eprintln!("{out}");
            }
            None
        }
    }
}
