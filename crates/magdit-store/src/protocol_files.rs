//! A school's own protocol files. A school adopts one of the shipped protocols or a file of its
//! own; every file it uploads is kept, never changed or deleted, so earlier versions stay and
//! each adoption can be traced to the exact text in force. Adopting a file is audited exactly
//! like adopting a shipped protocol (`adopt_protocol`, the school before and after), with
//! `protocol.source` = `own` and the file's SHA-256; storing a new file is audited too.
//!
//! The store does not read protocol files: the service validates a file with the protocol
//! loader first and passes the id and version from its `[protocol]` table. A file belongs to
//! its school alone; every function here takes the school id.

use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::audit::{self, Change};
use crate::clock;
use crate::db::{from_row, sql, Store};
use crate::error::{Error, Result};
use crate::ids::{Actor, SchoolId};
use crate::tenancy::{adopt_in, protocol_words, School};

/// The most bytes a protocol file may have (the largest shipped one has about 60 kB).
pub const MAX_SOURCE_BYTES: usize = 1024 * 1024;

/// A file to store and adopt.
#[derive(Debug, Clone, Copy)]
pub struct NewProtocolFile<'a> {
    /// The file's `[protocol] id`.
    pub protocol_id: &'a str,
    /// The file's `[protocol] version`, if it has one.
    pub version: Option<&'a str>,
    /// The TOML text as uploaded.
    pub source: &'a str,
}

/// A stored file, without its text ([`Store::protocol_file_source`] reads that).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtocolFile {
    pub school: SchoolId,
    pub protocol_id: String,
    pub version: Option<String>,
    /// SHA-256 of the text, hex: names the file within its school.
    pub sha256: String,
    /// Who uploaded it first (the audit log's actor).
    pub uploaded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
}

from_row!(ProtocolFile, |row| Ok(ProtocolFile {
    school: SchoolId(row.try_get("school_id")?),
    protocol_id: row.try_get("protocol_id")?,
    version: row.try_get("version")?,
    sha256: row.try_get("sha256")?,
    uploaded_by: row.try_get("uploaded_by")?,
    uploaded_at: row.try_get("uploaded_at")?,
}));

const FILE_COLUMNS: &str = "school_id, protocol_id, version, sha256, uploaded_by, uploaded_at";

impl Store {
    /// Stores `file` as one of `school`'s protocol files (or finds it, when the same text was
    /// uploaded before) and adopts it, in one transaction. Returns the school as adopted and
    /// the file.
    pub async fn adopt_protocol_file(
        &self,
        school: SchoolId,
        file: &NewProtocolFile<'_>,
        actor: &Actor,
    ) -> Result<(School, ProtocolFile)> {
        let source = file.source;
        if source.len() > MAX_SOURCE_BYTES {
            let reason = format!("has {} bytes; at most {MAX_SOURCE_BYTES}", source.len());
            return Err(Error::invalid("protocol.source", reason));
        }
        if source.trim().is_empty() {
            return Err(Error::invalid("protocol.source", "is empty"));
        }
        // PostgreSQL text cannot hold NUL; TOML does not allow it either.
        if source.contains('\0') {
            return Err(Error::invalid("protocol.source", "contains a NUL character"));
        }
        let (protocol_id, version) = protocol_words(file.protocol_id, file.version)?;
        let sha256 = audit::hex(&Sha256::digest(source.as_bytes()));
        let mut tx = self.write(school).await?;
        let select = format!("SELECT {FILE_COLUMNS} FROM protocol_files WHERE school_id = $1 AND sha256 = $2");
        let found: Option<ProtocolFile> = sql!(tx.conn(), "finding a protocol file", |c| {
            sqlx::query_as(&select).bind(school.0).bind(&sha256).fetch_optional(c).await
        })?;
        let stored = match found {
            Some(f) => f,
            None => {
                let insert = format!(
                    "INSERT INTO protocol_files (school_id, protocol_id, version, sha256, source, uploaded_by, uploaded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {FILE_COLUMNS}"
                );
                let f: ProtocolFile = sql!(tx.conn(), "storing a protocol file", |c| {
                    sqlx::query_as(&insert)
                        .bind(school.0)
                        .bind(&protocol_id)
                        .bind(&version)
                        .bind(&sha256)
                        .bind(source)
                        .bind(actor.as_str())
                        .bind(clock::now())
                        .fetch_one(c)
                        .await
                })?;
                audit::append(&mut tx, school, actor, Change::created("protocol_file", &f.sha256, &f)?).await?;
                f
            }
        };
        let adopted =
            adopt_in(&mut tx, school, &stored.protocol_id, stored.version.as_deref(), Some(&stored.sha256), actor)
                .await?;
        tx.commit().await?;
        Ok((adopted, stored))
    }

    /// The text of `school`'s protocol file with digest `sha256`; NotFound for a file of
    /// another school.
    pub async fn protocol_file_source(&self, school: SchoolId, sha256: &str) -> Result<String> {
        let mut conn = self.read().await?;
        let source: Option<String> = sql!(conn.conn(), "reading a protocol file", |c| {
            sqlx::query_scalar("SELECT source FROM protocol_files WHERE school_id = $1 AND sha256 = $2")
                .bind(school.0)
                .bind(sha256)
                .fetch_optional(c)
                .await
        })?;
        source.ok_or_else(|| Error::not_found("protocol_file", sha256))
    }

    /// Every protocol file `school` uploaded, newest first (the versions of its protocol).
    pub async fn protocol_files(&self, school: SchoolId) -> Result<Vec<ProtocolFile>> {
        let sql = format!("SELECT {FILE_COLUMNS} FROM protocol_files WHERE school_id = $1 ORDER BY id DESC");
        let mut conn = self.read().await?;
        sql!(conn.conn(), "listing protocol files", |c| sqlx::query_as(&sql).bind(school.0).fetch_all(c).await)
    }
}
