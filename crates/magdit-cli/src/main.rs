//! `magdit`: the command-line face of the "mag dit?" check.

mod admin;
mod check;
mod input;
mod render;
mod scenario;
mod service;
mod show;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use magdit_engine::Engine;
use magdit_protocol::Lang;

/// Exit status for input that is not valid (situation, protocol file, scenario file).
pub const EXIT_INVALID: u8 = 2;

#[derive(Parser)]
#[command(name = "magdit", version, about = "Mag dit? — checks an act against a school's social-media protocol.",
    long_about = "Mag dit? — checks what you are about to do (post, share, message, befriend, …) against your school's social-media protocol, and says whether it is allowed, citing the articles.")]
struct Cli {
    /// Language of verdict texts and labels.
    #[arg(long, global = true, value_enum, default_value = "nl", env = "MAGDIT_LANG")]
    lang: LangArg,
    /// Also load this protocol file (a school's own); it replaces a shipped one with the same id.
    #[arg(long = "protocol-file", global = true, value_name = "FILE")]
    protocol_files: Vec<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Nl,
    En,
}

#[derive(Subcommand)]
enum Command {
    /// Check a situation and print the verdict.
    ///
    /// Example: magdit check examples/foto-zonder-toestemming.json
    ///          echo '{"protocol":"kc-de-marel","actor":{"role":"pupil"},"action":"use_device","setting":{"on_premises":true}}' | magdit check -
    Check {
        /// The situation as JSON (see the check contract); `-` reads standard input.
        #[arg(default_value = "-")]
        file: PathBuf,
        /// Print the verdict as JSON.
        #[arg(long)]
        json: bool,
        /// Read one situation per line and write one JSON verdict per line, in order.
        #[arg(long, conflicts_with = "json")]
        jsonl: bool,
    },
    /// List the protocols magdit knows.
    ///
    /// Example: magdit protocols
    Protocols,
    /// Print a protocol, or one of its articles verbatim.
    ///
    /// Example: magdit show cvo-nwf A.6
    Show {
        protocol: String,
        article: Option<String>,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Validate protocol files and report every problem with line, column and a suggestion.
    ///
    /// Example: magdit validate protocols/cvo-nwf.toml
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run the school service: the HTTP API on the embedded store (or DATABASE_URL).
    ///
    /// Example: magdit serve            (http://127.0.0.1:8080, data in ./data)
    ///          MAGDIT_LISTEN=0.0.0.0:8080 DATABASE_URL=postgres://… magdit serve
    Serve {
        /// A TOML configuration file (see docs/service.md); MAGDIT_… variables override it.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Load a demo school (fictitious pupils, parents, consent, accounts) into the store.
    ///
    /// Example: magdit demo && magdit serve
    Demo {
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// How many pupils.
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u16).range(1..=20_000))]
        pupils: u16,
        /// The password of the demo accounts.
        #[arg(long, default_value = "demo-wachtwoord")]
        password: String,
    },
    /// The audit log: verify every school's and board's hash chain.
    ///
    /// Example: magdit audit verify
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
        #[arg(long, value_name = "FILE", global = true)]
        config: Option<PathBuf>,
    },
    /// Create a board (bestuur): the first step of a fresh installation.
    ///
    /// Example: magdit board create --name "Stichting Voorbeeld"
    Board {
        #[command(subcommand)]
        command: BoardCommand,
        /// The configuration file of `magdit serve` (the store to use).
        #[arg(long, value_name = "FILE", global = true)]
        config: Option<PathBuf>,
    },
    /// Create an account with its first grant, e.g. the first admin of a board or school.
    ///
    /// Example: echo 'een lang wachtwoord' | magdit account create --email bestuur@voorbeeld.nl --name "Bea Bestuur" --board 1 --role board-admin --password-stdin
    ///          magdit account create --email directie@linde.nl --name "Dirk Directie" --school 1 --role admin
    Account {
        #[command(subcommand)]
        command: AccountCommand,
        /// The configuration file of `magdit serve` (the store to use).
        #[arg(long, value_name = "FILE", global = true)]
        config: Option<PathBuf>,
    },
    /// AVG rights of one person of a school's roster: export (inzage) and erasure.
    ///
    /// Example: magdit person export --school 1 --person 17 > inzage.json
    ///          magdit person erase --school 1 --person 17 --confirm "Daan de Vries"
    Person {
        #[command(subcommand)]
        command: PersonCommand,
        /// The configuration file of `magdit serve` (the store to use).
        #[arg(long, value_name = "FILE", global = true)]
        config: Option<PathBuf>,
    },
    /// Retention: delete or blank what is past each school's retention periods.
    ///
    /// Example: magdit retention purge
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
        /// The configuration file of `magdit serve` (the store to use).
        #[arg(long, value_name = "FILE", global = true)]
        config: Option<PathBuf>,
    },
    /// Run scenario files (situation + expected verdict and articles) and report failures.
    ///
    /// Example: magdit test ../shared/scenarios/seed-protocols.json
    Test {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Also list passing scenarios.
        #[arg(long)]
        verbose: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check that no entry was changed or removed; exit status 1 if one was.
    Verify,
}

#[derive(Subcommand)]
enum BoardCommand {
    /// Create a board and print its id.
    ///
    /// Example: magdit board create --name "Stichting Voorbeeld"
    Create {
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Create an account with one grant; audited as `cli:$USER`. A board admin then adds
    /// schools and accounts over the API.
    ///
    /// Example: echo 'een lang wachtwoord' | magdit account create --email directie@linde.nl --name "Dirk Directie" --school 1 --role admin --password-stdin
    Create {
        /// The address the person signs in with.
        #[arg(long)]
        email: String,
        /// The display name.
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: admin::RoleArg,
        /// The board, for board-admin.
        #[arg(long)]
        board: Option<i64>,
        /// The school, for every other role.
        #[arg(long)]
        school: Option<i64>,
        /// The person on the school's roster, for guardian and pupil.
        #[arg(long)]
        person: Option<i64>,
        /// Read the password from the first line of standard input; without it the account
        /// signs in through OIDC or gets a password from an admin later.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum PersonCommand {
    /// Print everything stored about the person as JSON (AVG art. 15).
    ///
    /// Example: magdit person export --school 1 --person 17 > inzage.json
    Export {
        #[arg(long)]
        school: i64,
        #[arg(long)]
        person: i64,
    },
    /// Erase the person from every table (AVG art. 17); cannot be undone. Audited as
    /// `cli:$USER`; prints what was erased, in counts.
    ///
    /// Example: magdit person erase --school 1 --person 17 --confirm "Daan de Vries"
    Erase {
        #[arg(long)]
        school: i64,
        #[arg(long)]
        person: i64,
        /// The person's full name exactly as on the roster.
        #[arg(long, value_name = "NAME")]
        confirm: String,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Purge now and print what was purged, per school (`magdit serve` also does it hourly).
    ///
    /// Example: magdit retention purge
    Purge,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = match cli.lang {
        LangArg::Nl => Lang::Nl,
        LangArg::En => Lang::En,
    };
    match &cli.command {
        Command::Validate { files } => return validate::run(files),
        Command::Demo { config, pupils, password } => return service::demo(config.as_deref(), usize::from(*pupils), password),
        Command::Audit { command: AuditCommand::Verify, config } => return service::audit_verify(config.as_deref()),
        Command::Board { command: BoardCommand::Create { name }, config } => return admin::board_create(config.as_deref(), name),
        Command::Account { command: AccountCommand::Create { email, name, role, board, school, person, password_stdin }, config } => {
            let args = admin::NewAccountArgs {
                email: email.clone(),
                name: name.clone(),
                role: *role,
                board: *board,
                school: *school,
                person: *person,
                password_stdin: *password_stdin,
            };
            return admin::account_create(config.as_deref(), args);
        }
        Command::Person { command: PersonCommand::Export { school, person }, config } => {
            return admin::person_export(config.as_deref(), *school, *person)
        }
        Command::Person { command: PersonCommand::Erase { school, person, confirm }, config } => {
            return admin::person_erase(config.as_deref(), *school, *person, confirm)
        }
        Command::Retention { command: RetentionCommand::Purge, config } => return admin::retention_purge(config.as_deref()),
        _ => {}
    }
    let engine = match load_engine(&cli.protocol_files) {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    match cli.command {
        Command::Check { file, jsonl: true, .. } => check::jsonl(&engine, &file, lang),
        Command::Check { file, json, .. } => check::single(&engine, &file, json, lang),
        Command::Protocols => show::list(&engine, lang),
        Command::Show { protocol, article, json } => show::show(&engine, &protocol, article.as_deref(), json),
        Command::Test { files, verbose } => scenario::run(&engine, &files, verbose),
        Command::Serve { config } => service::serve(config.as_deref(), engine),
        Command::Validate { .. }
        | Command::Demo { .. }
        | Command::Audit { .. }
        | Command::Board { .. }
        | Command::Account { .. }
        | Command::Person { .. }
        | Command::Retention { .. } => unreachable!("handled above"),
    }
}

fn load_engine(files: &[PathBuf]) -> Result<Engine, ExitCode> {
    let mut engine = Engine::builtin();
    for path in files {
        let protocol = validate::load_file(path).ok_or(ExitCode::from(EXIT_INVALID))?;
        engine.add(protocol);
    }
    Ok(engine)
}
