//! Administration on the store, for the operator of an installation: a board and the first
//! accounts of a fresh one, a person's AVG export and erasure, and the retention purge. Thin:
//! each command is one store call, with the same configuration as `magdit serve`.

use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;
use magdit_store::{Actor, BoardId, Grant, GrantRole, NewAccount, PersonId, SchoolId, Store};
use time::OffsetDateTime;

use crate::service::{fail, with_store};
use crate::EXIT_INVALID;

/// The roles `magdit account create` gives.
#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    /// Schoolleiding of a school (`--school`); the same as school-admin.
    Admin,
    SchoolAdmin,
    /// Every school of a board (`--board`).
    BoardAdmin,
    Leidinggevende,
    Employee,
    /// A parent on the school's roster (`--person`).
    Guardian,
    /// A pupil on the school's roster (`--person`).
    Pupil,
}

impl RoleArg {
    fn grant_role(self) -> GrantRole {
        match self {
            RoleArg::Admin | RoleArg::SchoolAdmin => GrantRole::SchoolAdmin,
            RoleArg::BoardAdmin => GrantRole::BoardAdmin,
            RoleArg::Leidinggevende => GrantRole::Leidinggevende,
            RoleArg::Employee => GrantRole::Employee,
            RoleArg::Guardian => GrantRole::Guardian,
            RoleArg::Pupil => GrantRole::Pupil,
        }
    }
}

/// What `magdit account create` was given.
pub struct NewAccountArgs {
    pub email: String,
    pub name: String,
    pub role: RoleArg,
    pub board: Option<i64>,
    pub school: Option<i64>,
    pub person: Option<i64>,
    pub password_stdin: bool,
}

/// The audit log's name for what an operator does on the command line.
fn operator() -> Result<Actor, ExitCode> {
    let user = std::env::var("USER").unwrap_or_else(|_| "operator".into());
    Actor::new(format!("cli:{user}")).map_err(fail)
}

/// A store error: what the operator gave (an unknown id, a taken address) exits 2.
fn store_error(e: magdit_store::Error) -> ExitCode {
    use magdit_store::Error as E;
    let invalid = matches!(e, E::Invalid { .. } | E::NotFound { .. } | E::Conflict { .. });
    eprintln!("magdit: {e}");
    if invalid {
        ExitCode::from(EXIT_INVALID)
    } else {
        ExitCode::FAILURE
    }
}

fn invalid(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("magdit: {message}");
    ExitCode::from(EXIT_INVALID)
}

pub fn board_create(file: Option<&Path>, name: &str) -> ExitCode {
    with_store(file, |store| async move {
        let board = store.create_board(name).await.map_err(store_error)?;
        Ok(format!("board {}: {}", board.id, board.name))
    })
}

pub fn account_create(file: Option<&Path>, args: NewAccountArgs) -> ExitCode {
    let role = args.role.grant_role();
    let scope = Grant::scoped(role, args.board.map(BoardId), args.school.map(SchoolId), args.person.map(PersonId));
    let grant = match scope {
        Ok(g) => g,
        Err(magdit_store::Error::Invalid { field, reason }) => return invalid(format!("--{field} {reason}")),
        Err(e) => return store_error(e),
    };
    let password = if args.password_stdin {
        let mut line = String::new();
        if let Err(e) = std::io::stdin().lock().read_line(&mut line) {
            return fail(format!("cannot read the password from standard input: {e}"));
        }
        Some(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        None
    };
    let new = NewAccount { email: args.email, name: args.name, password };
    with_store(file, |store| async move {
        let account = store.create_account(&new, &grant, &operator()?).await.map_err(store_error)?;
        let how = if account.has_password { "with a password" } else { "without a password (OIDC, or set one later)" };
        Ok(format!("account {}: {} <{}>, {role} {how}", account.id, account.name, account.email))
    })
}

pub fn person_export(file: Option<&Path>, school: i64, person: i64) -> ExitCode {
    with_store(file, |store| async move {
        let export = store.export_person(SchoolId(school), PersonId(person)).await.map_err(store_error)?;
        serde_json::to_string_pretty(&export).map_err(fail)
    })
}

pub fn person_erase(file: Option<&Path>, school: i64, person: i64, confirm: &str) -> ExitCode {
    with_store(file, |store| async move {
        let (school, person) = (SchoolId(school), PersonId(person));
        let found = store.person(school, person).await.map_err(store_error)?;
        if confirm.trim() != found.name {
            return Err(invalid(format!(
                "--confirm must be the person's full name as on the roster (person {person} is not `{confirm}`); nothing was erased"
            )));
        }
        let done = store.erase_person(school, person, &operator()?).await.map_err(store_error)?;
        serde_json::to_string_pretty(&done).map_err(fail)
    })
}

pub fn retention_purge(file: Option<&Path>) -> ExitCode {
    with_store(file, |store: Store| async move {
        let report = store.purge_expired(OffsetDateTime::now_utc()).await.map_err(store_error)?;
        serde_json::to_string_pretty(&report).map_err(fail)
    })
}
