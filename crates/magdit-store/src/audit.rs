//! The audit log: every change to a school's data, append-only and hash-chained per school;
//! and, for changes that concern a board rather than one school (board admins' grants and
//! accounts), the same kind of chain per board.
//!
//! Entry `n` stores `hash = sha256(prev_hash || canonical(entry))` with `prev_hash` the hash
//! of entry `n - 1` (64 zeros for the first). The canonical form covers the school (or board),
//! sequence number, time, actor, entity, action and a digest of the before/after payload — not
//! the payload itself, so that erasing a person's data (AVG) or a retention period can blank
//! payloads without breaking the chain. School and board entries hash under different domain
//! tags, so an entry of one kind of chain never verifies in the other. [`Store::verify_audit`]
//! and [`Store::verify_board_audit`] recompute everything and name the first entry that does
//! not fit. Writes append their entry in the same transaction as the change, so there is no
//! change without its entry.
//!
//! What the chain cannot show by itself is the loss of its newest entries; the service should
//! publish or export the head hash ([`Verification::head`]) now and then as an anchor.

use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::clock;
use crate::db::{execute, from_row, sql, Conn, Store, Tx};
use crate::error::{Error, Result};
use crate::ids::{Actor, BoardId, SchoolId};

/// The `prev_hash` of a chain's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit chain: a school's, or a board's. Ordered boards first, then by id: the order in
/// which a transaction that appends to several chains takes their locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Chain {
    Board(BoardId),
    School(SchoolId),
}

impl Chain {
    fn table(self) -> &'static str {
        match self {
            Chain::Board(_) => "board_audit_log",
            Chain::School(_) => "audit_log",
        }
    }

    fn key_column(self) -> &'static str {
        match self {
            Chain::Board(_) => "board_id",
            Chain::School(_) => "school_id",
        }
    }

    fn key(self) -> i64 {
        match self {
            Chain::Board(b) => b.0,
            Chain::School(s) => s.0,
        }
    }

    /// The domain tag hashed before an entry's fields.
    fn tag(self) -> &'static [u8] {
        match self {
            Chain::Board(_) => b"magdit-board-audit-entry-v1\0",
            Chain::School(_) => b"magdit-audit-entry-v1\0",
        }
    }

    fn columns(self) -> String {
        format!(
            "{} AS chain_key, seq, at, actor, entity, entity_id, action, before_json, after_json, payload_sha256, \
             prev_hash, hash, redacted_at",
            self.key_column()
        )
    }

    /// Takes this chain's write lock inside `tx`.
    pub(crate) async fn lock(self, tx: &mut Tx) -> Result<()> {
        match self {
            Chain::Board(b) => crate::db::lock_board(tx, b).await,
            Chain::School(s) => crate::db::lock_school(tx, s).await,
        }
    }
}

/// What every entry of an audit chain records, school or board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    /// 1, 2, 3, … within the chain, without gaps.
    pub seq: i64,
    pub at: OffsetDateTime,
    pub actor: String,
    /// What kind of thing changed: `school`, `person`, `guardian_link`, `consent`, `purpose`,
    /// `account`, `grant`, `retention`, `audit`.
    pub entity: String,
    /// Which one, e.g. a person id, or `pupil_id/purpose` for consent.
    pub entity_id: String,
    /// What happened: `create`, `update`, `give`, `withdraw`, …
    pub action: String,
    /// The entity before the change as JSON text (absent for a creation or after erasure).
    pub before: Option<String>,
    /// The entity after the change as JSON text (absent for a removal or after erasure).
    pub after: Option<String>,
    pub payload_sha256: String,
    pub prev_hash: String,
    pub hash: String,
    /// When the payload was erased, if it was.
    pub redacted_at: Option<OffsetDateTime>,
}

/// One entry of a school's audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub school: SchoolId,
    #[serde(flatten)]
    pub record: AuditRecord,
}

/// One entry of a board's audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoardAuditEntry {
    pub board: BoardId,
    #[serde(flatten)]
    pub record: AuditRecord,
}

/// An entry of either kind of chain as stored; `key` is the school or board id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Raw {
    pub key: i64,
    pub record: AuditRecord,
}

from_row!(Raw, |row| Ok(Raw {
    key: row.try_get("chain_key")?,
    record: AuditRecord {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        entity: row.try_get("entity")?,
        entity_id: row.try_get("entity_id")?,
        action: row.try_get("action")?,
        before: row.try_get("before_json")?,
        after: row.try_get("after_json")?,
        payload_sha256: row.try_get("payload_sha256")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
        redacted_at: row.try_get("redacted_at")?,
    },
}));

impl From<Raw> for AuditEntry {
    fn from(r: Raw) -> AuditEntry {
        AuditEntry { school: SchoolId(r.key), record: r.record }
    }
}

impl From<Raw> for BoardAuditEntry {
    fn from(r: Raw) -> BoardAuditEntry {
        BoardAuditEntry { board: BoardId(r.key), record: r.record }
    }
}

/// The outcome of [`Store::verify_audit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Entries read.
    pub entries: u64,
    /// Entries whose payload was erased (they still verify through their payload digest).
    pub redacted: u64,
    /// The hash of the last entry read: an anchor to keep outside the database.
    pub head: Option<String>,
    /// The first entry that does not fit the chain, if any; entries after it are not checked.
    pub broken: Option<Broken>,
}

impl Verification {
    /// Whether every entry fits.
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }
}

/// Where and why the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    pub seq: i64,
    pub reason: String,
}

/// A change about to be recorded; built by the domain modules.
pub(crate) struct Change {
    pub entity: &'static str,
    pub entity_id: String,
    pub action: &'static str,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Change {
    /// Something new: no before.
    pub(crate) fn created(entity: &'static str, entity_id: impl ToString, after: &impl Serialize) -> Result<Change> {
        Ok(Change {
            entity,
            entity_id: entity_id.to_string(),
            action: "create",
            before: None,
            after: Some(to_json(after)?),
        })
    }

    /// A change from `before` to `after`, named by `action` (`update`, `give`, `adopt`, …).
    pub(crate) fn changed(
        entity: &'static str,
        entity_id: impl ToString,
        action: &'static str,
        before: Option<&impl Serialize>,
        after: &impl Serialize,
    ) -> Result<Change> {
        Ok(Change {
            entity,
            entity_id: entity_id.to_string(),
            action,
            before: before.map(to_json).transpose()?,
            after: Some(to_json(after)?),
        })
    }

    /// Something gone: no after.
    pub(crate) fn removed(entity: &'static str, entity_id: impl ToString, before: &impl Serialize) -> Result<Change> {
        Ok(Change {
            entity,
            entity_id: entity_id.to_string(),
            action: "remove",
            before: Some(to_json(before)?),
            after: None,
        })
    }

    /// An event with no before and a small after (counts, flags): no personal data.
    pub(crate) fn event(
        entity: &'static str,
        entity_id: impl ToString,
        action: &'static str,
        after: &impl Serialize,
    ) -> Result<Change> {
        Ok(Change { entity, entity_id: entity_id.to_string(), action, before: None, after: Some(to_json(after)?) })
    }
}

fn to_json(value: &impl Serialize) -> Result<String> {
    // Our payload types are plain structs, which always serialise; a failure would be a bug
    // in a Serialize impl, reported rather than unwrapped.
    serde_json::to_string(value).map_err(|e| Error::invalid("audit payload", e.to_string()))
}

/// Appends `change` to `school`'s chain inside `tx`, which must come from
/// [`Store::write`] for that school (or have just created it), so no other writer of the
/// school can append in between.
pub(crate) async fn append(tx: &mut Tx, school: SchoolId, actor: &Actor, change: Change) -> Result<AuditEntry> {
    append_to(tx, Chain::School(school), actor, change).await.map(AuditEntry::from)
}

/// Appends `change` to `chain` inside `tx`, which must hold the chain's lock
/// ([`Chain::lock`], or [`Store::write`] for a school).
pub(crate) async fn append_to(tx: &mut Tx, chain: Chain, actor: &Actor, change: Change) -> Result<Raw> {
    let head =
        format!("SELECT seq, hash FROM {} WHERE {} = $1 ORDER BY seq DESC LIMIT 1", chain.table(), chain.key_column());
    let last: Option<(i64, String)> = sql!(tx.conn(), "reading the head of the audit chain", |c| {
        sqlx::query_as(&head).bind(chain.key()).fetch_optional(c).await
    })?;
    let (prev_seq, prev_hash) = last.unwrap_or((0, GENESIS.to_string()));
    let mut entry = Raw {
        key: chain.key(),
        record: AuditRecord {
            seq: prev_seq + 1,
        at: clock::now(),
            actor: actor.as_str().to_string(),
            entity: change.entity.to_string(),
            entity_id: change.entity_id,
            action: change.action.to_string(),
            payload_sha256: payload_digest(change.before.as_deref(), change.after.as_deref()),
            before: change.before,
            after: change.after,
            prev_hash,
            hash: String::new(),
            redacted_at: None,
        },
    };
    entry.record.hash = entry_hash(chain, &entry);
    let e = &entry.record;
    let insert = format!(
        "INSERT INTO {} ({}, seq, at, actor, entity, entity_id, action, before_json, after_json, \
         payload_sha256, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        chain.table(),
        chain.key_column()
    );
    execute!(
        tx.conn(),
        "appending to the audit log",
        sqlx::query(&insert)
            .bind(entry.key)
            .bind(e.seq)
            .bind(e.at)
            .bind(&e.actor)
            .bind(&e.entity)
            .bind(&e.entity_id)
            .bind(&e.action)
            .bind(&e.before)
            .bind(&e.after)
            .bind(&e.payload_sha256)
            .bind(&e.prev_hash)
            .bind(&e.hash)
    )?;
    Ok(entry)
}

/// Which entries of a chain to erase the payload of (see [`redact_in`]).
pub(crate) enum Selector<'a> {
    /// Every entry about one entity.
    Entity { entity: &'a str, entity_id: &'a str },
    /// Entries of one entity kind whose id starts with `prefix` (e.g. `17/` for a pupil's
    /// consent entries `17/social_media`).
    IdPrefix { entity: &'a str, prefix: &'a str },
    /// Entries of one entity kind whose id ends with `suffix`.
    IdSuffix { entity: &'a str, suffix: &'a str },
    /// Entries of one entity kind whose payload contains `needle` (matched literally).
    PayloadContains { entity: &'a str, needle: &'a str },
    /// Every entry recorded before an instant (a retention period).
    Before(OffsetDateTime),
}

/// Escapes LIKE's wildcards so a pattern matches its text literally (with `ESCAPE '\'`).
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// A bound argument of a [`Selector`]'s condition.
enum Arg {
    Text(String),
    Time(OffsetDateTime),
}

impl Selector<'_> {
    /// The WHERE condition after the chain key ($1), and its arguments ($2, $3, …).
    fn condition(&self) -> (&'static str, Vec<Arg>) {
        let text = |s: &str| Arg::Text(s.to_string());
        match self {
            Selector::Entity { entity, entity_id } => {
                ("entity = $2 AND entity_id = $3", vec![text(entity), text(entity_id)])
            }
            Selector::IdPrefix { entity, prefix } => (
                "entity = $2 AND entity_id LIKE $3 ESCAPE '\\'",
                vec![text(entity), Arg::Text(format!("{}%", escape_like(prefix)))],
            ),
            Selector::IdSuffix { entity, suffix } => (
                "entity = $2 AND entity_id LIKE $3 ESCAPE '\\'",
                vec![text(entity), Arg::Text(format!("%{}", escape_like(suffix)))],
            ),
            Selector::PayloadContains { entity, needle } => (
                "entity = $2 AND (before_json LIKE $3 ESCAPE '\\' OR after_json LIKE $3 ESCAPE '\\')",
                vec![text(entity), Arg::Text(format!("%{}%", escape_like(needle)))],
            ),
            Selector::Before(t) => ("at < $2", vec![Arg::Time(*t)]),
        }
    }
}

/// Binds a selector's arguments after the ones already bound.
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for arg in $args {
            q = match arg {
                Arg::Text(v) => q.bind(v.as_str()),
                Arg::Time(t) => q.bind(*t),
            };
        }
        q
    }};
}

/// Erases the before/after payloads of the entries of `chain` that `which` selects and that
/// still have one, inside `tx` (which must hold the chain's lock). Returns how many.
pub(crate) async fn redact_in(tx: &mut Tx, chain: Chain, which: &Selector<'_>, now: OffsetDateTime) -> Result<u64> {
    let (condition, args) = which.condition();
    let n = args.len() + 2;
    let sql = format!(
        "UPDATE {} SET before_json = NULL, after_json = NULL, redacted_at = ${n} \
         WHERE {} = $1 AND redacted_at IS NULL AND {condition}",
        chain.table(),
        chain.key_column()
    );
    execute!(tx.conn(), "erasing audit payloads", bind_args!(sqlx::query(&sql).bind(chain.key()), &args).bind(now))
}

/// The entries of `chain` that `which` selects, oldest first (for an AVG export).
pub(crate) async fn select_in(conn: Conn<'_>, chain: Chain, which: &Selector<'_>) -> Result<Vec<Raw>> {
    let (condition, args) = which.condition();
    let sql = format!(
        "SELECT {} FROM {} WHERE {} = $1 AND {condition} ORDER BY seq",
        chain.columns(),
        chain.table(),
        chain.key_column()
    );
    sql!(conn, "reading audit entries", |c| {
        bind_args!(sqlx::query_as(&sql).bind(chain.key()), &args).fetch_all(c).await
    })
}

/// Entries read per round trip while verifying; bounds memory for long chains.
const VERIFY_PAGE: i64 = 1_000;

impl Store {
    /// A page of `school`'s audit log: up to `limit` (at most 1,000) entries after sequence
    /// number `after_seq` (0 for the start), oldest first.
    pub async fn audit_log(&self, school: SchoolId, after_seq: i64, limit: u32) -> Result<Vec<AuditEntry>> {
        Ok(self.chain_page(Chain::School(school), after_seq, limit).await?.into_iter().map(AuditEntry::from).collect())
    }

    /// A page of `board`'s audit log, as [`Store::audit_log`] for a school.
    pub async fn board_audit_log(&self, board: BoardId, after_seq: i64, limit: u32) -> Result<Vec<BoardAuditEntry>> {
        Ok(self
            .chain_page(Chain::Board(board), after_seq, limit)
            .await?
            .into_iter()
            .map(BoardAuditEntry::from)
            .collect())
    }

    async fn chain_page(&self, chain: Chain, after_seq: i64, limit: u32) -> Result<Vec<Raw>> {
        let limit = i64::from(limit.clamp(1, 1_000));
        let sql = format!(
            "SELECT {} FROM {} WHERE {} = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            chain.columns(),
            chain.table(),
            chain.key_column()
        );
        let mut conn = self.read().await?;
        sql!(conn.conn(), "reading the audit log", |c| {
            sqlx::query_as(&sql).bind(chain.key()).bind(after_seq).bind(limit).fetch_all(c).await
        })
    }

    /// Every entry about one entity of `school` (e.g. `("person", "17")`), oldest first: the
    /// history an administrator sees.
    pub async fn audit_of(&self, school: SchoolId, entity: &str, entity_id: &str) -> Result<Vec<AuditEntry>> {
        let mut conn = self.read().await?;
        let rows = select_in(conn.conn(), Chain::School(school), &Selector::Entity { entity, entity_id }).await?;
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }

    /// Recomputes `school`'s chain from the first entry and reports the first entry that does
    /// not fit: a gap in the sequence, a link to the wrong predecessor, a payload that no
    /// longer matches its digest, or fields that no longer match the hash. Never fails on
    /// tampered data; errors are database failures only.
    pub async fn verify_audit(&self, school: SchoolId) -> Result<Verification> {
        self.verify_chain(Chain::School(school)).await
    }

    /// [`Store::verify_audit`] for a board's chain.
    pub async fn verify_board_audit(&self, board: BoardId) -> Result<Verification> {
        self.verify_chain(Chain::Board(board)).await
    }

    async fn verify_chain(&self, chain: Chain) -> Result<Verification> {
        let sql = format!(
            "SELECT {} FROM {} WHERE {} = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            chain.columns(),
            chain.table(),
            chain.key_column()
        );
        let mut conn = self.read().await?;
        let mut report = Verification { entries: 0, redacted: 0, head: None, broken: None };
        let (mut seq, mut prev_hash) = (0_i64, GENESIS.to_string());
        loop {
            let page: Vec<Raw> = sql!(conn.conn(), "reading the audit log", |c| {
                sqlx::query_as(&sql).bind(chain.key()).bind(seq).bind(VERIFY_PAGE).fetch_all(c).await
            })?;
            let full = page.len() as i64 == VERIFY_PAGE;
            for entry in page {
                report.entries += 1;
                let check = check_entry(chain, &entry, seq, &prev_hash);
                let entry = entry.record;
                if let Some(reason) = check {
                    report.broken = Some(Broken { seq: entry.seq, reason });
                    return Ok(report);
                }
                if entry.redacted_at.is_some() {
                    report.redacted += 1;
                }
                seq = entry.seq;
                prev_hash = entry.hash;
                report.head = Some(prev_hash.clone());
            }
            if !full {
                return Ok(report);
            }
        }
    }

    /// Erases the before/after payloads of every audit entry about one entity (for an AVG
    /// erasure request), keeping the entries and their digests so the chain still verifies,
    /// and appends an entry recording the erasure. Returns how many entries were erased.
    pub async fn redact_audit(&self, school: SchoolId, entity: &str, entity_id: &str, actor: &Actor) -> Result<u64> {
        let mut tx = self.write(school).await?;
        let now = clock::now();
        let chain = Chain::School(school);
        let erased = redact_in(&mut tx, chain, &Selector::Entity { entity, entity_id }, now).await?;
        let change = Change::changed(
            "audit",
            format!("{entity}/{entity_id}"),
            "redact",
            None::<&()>,
            &serde_json::json!({ "entries": erased }),
        )?;
        append(&mut tx, school, actor, change).await?;
        tx.commit().await?;
        Ok(erased)
    }
}

/// Why `entry` does not follow the entry with sequence number `prev_seq` and hash
/// `prev_hash` in `chain`, if it does not.
fn check_entry(chain: Chain, raw: &Raw, prev_seq: i64, prev_hash: &str) -> Option<String> {
    let entry = &raw.record;
    if entry.seq != prev_seq + 1 {
        return Some(format!("entry {} follows entry {prev_seq}: entries are missing", entry.seq));
    }
    if entry.prev_hash != prev_hash {
        return Some("it does not link to the entry before it (prev_hash differs)".into());
    }
    let payload_present = entry.before.is_some() || entry.after.is_some();
    if (entry.redacted_at.is_none() || payload_present)
        && payload_digest(entry.before.as_deref(), entry.after.as_deref()) != entry.payload_sha256
    {
        return Some("its before/after payload was changed (payload digest differs)".into());
    }
    if entry_hash(chain, raw) != entry.hash {
        return Some("its recorded fields were changed (hash differs)".into());
    }
    None
}

/// Appends `bytes` with a length prefix, so no two different field lists hash alike.
fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

/// The digest of a before/after payload; an absent side and an empty one differ.
pub(crate) fn payload_digest(before: Option<&str>, after: Option<&str>) -> String {
    let mut h = Sha256::new();
    h.update(b"magdit-audit-payload-v1\0");
    for side in [before, after] {
        match side {
            None => h.update([0u8]),
            Some(text) => {
                h.update([1u8]);
                field(&mut h, text.as_bytes());
            }
        }
    }
    hex(&h.finalize())
}

/// sha256(prev_hash || domain tag || canonical entry). For a school chain the tag and the
/// fields are those of the first version of the store, so entries written before boards had
/// chains still verify.
pub(crate) fn entry_hash(chain: Chain, raw: &Raw) -> String {
    let e = &raw.record;
    let mut h = Sha256::new();
    h.update(e.prev_hash.as_bytes());
    h.update(chain.tag());
    for part in [
        raw.key.to_string().as_str(),
        e.seq.to_string().as_str(),
        clock::canonical(e.at).as_str(),
        &e.actor,
        &e.entity,
        &e.entity_id,
        &e.action,
        &e.payload_sha256,
    ] {
        field(&mut h, part.as_bytes());
    }
    hex(&h.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const CHAIN: Chain = Chain::School(SchoolId(1));
    /// The hash of [`entry`] as the first version of the store computed it.
    const PINNED: &str = "d5de8e9f8f9cbe9ccb4816ce5b3c89c9edd6bd86a42f120d4d3536fa8e887e81";

    fn entry() -> Raw {
        let mut e = Raw {
            key: 1,
            record: AuditRecord {
                seq: 1,
                at: datetime!(2025-08-01 09:30:00 UTC),
                actor: "account:1".into(),
                entity: "person".into(),
                entity_id: "7".into(),
                action: "create".into(),
                before: None,
                after: Some(r#"{"name":"Daan"}"#.into()),
                payload_sha256: payload_digest(None, Some(r#"{"name":"Daan"}"#)),
                prev_hash: GENESIS.into(),
                hash: String::new(),
                redacted_at: None,
            },
        };
        e.record.hash = entry_hash(CHAIN, &e);
        e
    }

    #[test]
    fn a_sound_entry_checks() {
        assert_eq!(check_entry(CHAIN, &entry(), 0, GENESIS), None);
        assert_eq!(hex(&[0x00, 0xab, 0xff]), "00abff");
        assert_eq!(entry().record.hash.len(), 64);
    }

    #[test]
    fn every_covered_field_is_covered() {
        let mut e = entry();
        e.record.actor = "account:2".into();
        assert!(check_entry(CHAIN, &e, 0, GENESIS).unwrap().contains("hash differs"));
        let mut e = entry();
        e.record.after = Some(r#"{"name":"Sem"}"#.into());
        assert!(check_entry(CHAIN, &e, 0, GENESIS).unwrap().contains("payload"));
        let mut e = entry();
        e.record.at += time::Duration::microseconds(1);
        assert!(check_entry(CHAIN, &e, 0, GENESIS).is_some());
        assert!(check_entry(CHAIN, &entry(), 1, GENESIS).unwrap().contains("missing"));
    }

    #[test]
    fn a_redacted_entry_still_checks() {
        let mut e = entry();
        e.record.after = None;
        e.record.redacted_at = Some(datetime!(2026-01-01 0:00 UTC));
        assert_eq!(check_entry(CHAIN, &e, 0, GENESIS), None);
    }

    #[test]
    fn board_and_school_entries_hash_apart() {
        let e = entry();
        assert_ne!(entry_hash(Chain::Board(BoardId(1)), &e), e.record.hash);
        assert!(check_entry(Chain::Board(BoardId(1)), &e, 0, GENESIS).unwrap().contains("hash differs"));
    }

    #[test]
    fn the_school_hash_is_unchanged() {
        // Pinned: entries written by earlier versions must keep verifying.
        assert_eq!(entry().record.hash, PINNED);
    }

    #[test]
    fn absent_and_empty_payloads_differ() {
        assert_ne!(payload_digest(None, None), payload_digest(Some(""), None));
        assert_ne!(payload_digest(Some("a"), None), payload_digest(None, Some("a")));
    }
}
