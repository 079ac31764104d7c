//! The `magdit` binary as a person or a script uses it.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn magdit(args: &[&str], stdin: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_magdit"));
    cmd.args(args).env_remove("MAGDIT_LANG");
    run(cmd, stdin)
}

/// Runs `cmd` with `stdin` as its input, collecting its output.
fn run(mut cmd: Command, stdin: &str) -> Output {
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run magdit");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn show_prints_every_article_verbatim() {
    let contract: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(repo().join("../shared/contract/articles.json")).unwrap()).unwrap();
    let mut n = 0;
    for (protocol, ids) in contract {
        let all = magdit(&["show", &protocol, "--json"], "");
        let articles: Vec<serde_json::Value> = serde_json::from_str(&stdout(&all)).unwrap();
        for id in ids.as_array().unwrap() {
            let id = id.as_str().unwrap();
            let text = articles.iter().find(|a| a["id"] == id).unwrap()["text"].as_str().unwrap().to_string();
            let one = magdit(&["show", &protocol, id], "");
            assert!(one.status.success(), "{protocol} {id}: {}", stderr(&one));
            assert!(stdout(&one).contains(&text), "{protocol} {id} prints its text");
            n += 1;
        }
    }
    assert_eq!(n, 131);
}

#[test]
fn show_unknown_article_lists_the_known_ones() {
    let o = magdit(&["show", "cvo-nwf", "A.9"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("A.7"));
}

const PHOTO: &str = r#"{"protocol":"cvo-nwf","actor":{"role":"pupil"},"action":"post","channel":{"kind":"social_media","name":"instagram"},"content":{"text":"Schoolreis!","media":[{"kind":"photo","school_situation":true,"depicts":["p2"]}]},"people":[{"id":"p2","name":"Daan Bakker","role":"pupil","age":11,"consent":{"social_media":"refused"}}]}"#;

#[test]
fn check_prints_a_readable_dutch_verdict() {
    let o = magdit(&["check", "-"], PHOTO);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Oordeel: NIET TOEGESTAAN"), "{out}");
    assert!(out.contains("A.6"), "{out}");
    assert!(out.contains("Daan Bakker"), "{out}");
}

#[test]
fn check_json_and_english() {
    let o = magdit(&["check", "--json", "--lang", "en", "-"], PHOTO);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["verdict"], "forbidden");
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["article"] == "A.6"));
}

#[test]
fn invalid_situation_exits_2_naming_the_field() {
    let o = magdit(&["check", "-"], &PHOTO.replace("\"pupil\"},\"action\"", "\"leerling\"},\"action\""));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("field `actor.role`"), "{}", stderr(&o));
}

#[test]
fn empty_and_non_utf8_input_exit_2() {
    assert_eq!(magdit(&["check", "-"], "").status.code(), Some(2));
    let mut child = Command::new(env!("CARGO_BIN_EXE_magdit")).args(["check", "-"]).stdin(Stdio::piped()).stderr(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"{\"protocol\": \"\xff\"}").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("UTF-8"));
}

#[test]
fn unknown_protocol_lists_known_ones() {
    let o = magdit(&["check", "-"], &PHOTO.replace("cvo-nwf", "cvo"));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("known protocols: "), "{}", stderr(&o));
}

#[test]
fn jsonl_keeps_one_line_per_situation_in_order() {
    let input = format!("{PHOTO}\nnot json\n\n{}\n", PHOTO.replace("refused", "given"));
    let o = magdit(&["check", "--jsonl"], &input);
    assert_eq!(o.status.code(), Some(2), "an invalid line makes the status 2");
    let lines: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["verdict"], "forbidden");
    assert_eq!(lines[1]["error"]["line"], 2);
    assert_eq!(lines[2]["verdict"], "allowed");
}

#[test]
fn protocols_lists_the_five() {
    let out = stdout(&magdit(&["protocols"], ""));
    for id in ["vmbo-maastricht", "kc-de-marel", "st-jozefschool-de-pontonnier", "school-matthijsje", "cvo-nwf"] {
        assert!(out.contains(id), "{out}");
    }
}

#[test]
fn validate_reports_a_misspelt_file_with_location_and_suggestion() {
    let good = std::fs::read_to_string(repo().join("protocols/kc-de-marel.toml")).unwrap();
    let bad = good.replacen("outcome = \"forbidden\"", "outcome = \"forbiden\"", 1);
    let dir = std::env::temp_dir().join(format!("magdit-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(&path, &bad).unwrap();
    let o = magdit(&["validate", path.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(2));
    let line = bad.lines().position(|l| l.contains("forbiden")).unwrap() + 1;
    let err = stderr(&o);
    assert!(err.contains(&format!("bad.toml:{line}:11: unknown outcome `forbiden`")), "{err}");
    assert!(err.contains("did you mean `forbidden`?"), "{err}");
    assert!(err.contains("╰── not a known outcome"), "the span is underlined and labelled: {err}");
    assert!(magdit(&["validate", repo().join("protocols/kc-de-marel.toml").to_str().unwrap()], "").status.success());
}

#[test]
fn a_school_can_load_its_own_protocol_file() {
    let own = std::fs::read_to_string(repo().join("protocols/kc-de-marel.toml")).unwrap().replacen("id = \"kc-de-marel\"", "id = \"eigen-school\"", 1);
    let path = std::env::temp_dir().join(format!("magdit-own-{}.toml", std::process::id()));
    std::fs::write(&path, own).unwrap();
    let o = magdit(&["--protocol-file", path.to_str().unwrap(), "protocols"], "");
    assert!(stdout(&o).contains("eigen-school"), "{}", stderr(&o));
}

#[test]
fn test_command_runs_scenario_files() {
    let o = magdit(&["test", repo().join("../shared/scenarios/seed-protocols.json").to_str().unwrap()], "");
    let out = stdout(&o);
    assert!(out.lines().last().unwrap().ends_with("passed, 0 failed"), "{out}");
    assert!(o.status.success());
}

/// `magdit` on the SQLite store in `data`.
fn magdit_in(data: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_magdit"));
    cmd.args(args).env("MAGDIT_DATA_DIR", data).env_remove("DATABASE_URL");
    run(cmd, stdin)
}

#[test]
fn a_fresh_installation_gets_its_first_admin_and_serves_avg_requests() {
    let data = std::env::temp_dir().join(format!("magdit-admin-{}", std::process::id()));
    let run = |args: &[&str], stdin: &str| magdit_in(&data, args, stdin);

    let o = run(&["board", "create", "--name", "Stichting Voorbeeld"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "board 1: Stichting Voorbeeld");
    let create = ["account", "create", "--email", "bestuur@voorbeeld.nl", "--name", "Bea Bestuur", "--role", "board-admin"];
    let o = run(&[&create[..], &["--school", "1"]].concat(), "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--school is not part of a board_admin grant"), "{}", stderr(&o));
    let o = run(&[&create[..], &["--board", "1", "--password-stdin"]].concat(), "een lang wachtwoord\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("board_admin with a password"), "{}", stdout(&o));
    let o = run(&[&create[..], &["--board", "1"]].concat(), "");
    assert_eq!(o.status.code(), Some(2), "the address is taken");

    // A school's person: exported, refused erasure under a wrong name, erased under theirs.
    assert!(run(&["demo", "--pupils", "2"], "").status.success());
    let o = run(&["person", "export", "--school", "1", "--person", "1"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let export: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let name = export["person"]["name"].as_str().unwrap().to_owned();
    let o = run(&["person", "erase", "--school", "1", "--person", "1", "--confirm", "Iemand Anders"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nothing was erased"), "{}", stderr(&o));
    let o = run(&["person", "erase", "--school", "1", "--person", "1", "--confirm", &name], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let erased: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(erased["person"], 1);
    let o = run(&["person", "export", "--school", "1", "--person", "1"], "");
    assert_eq!(o.status.code(), Some(2), "gone: {}", stderr(&o));

    let o = run(&["retention", "purge"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["sessions"], 0, "{report}");
    assert!(run(&["audit", "verify"], "").status.success());
    std::fs::remove_dir_all(&data).ok();
}
