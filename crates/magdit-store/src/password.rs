//! Secrets: argon2id password hashes (PHC strings), random tokens, and their digests.
//!
//! Hashing runs on tokio's blocking pool: an argon2id hash at OWASP's cost takes tens of
//! milliseconds of CPU and 19 MiB of memory, which must not stall the async workers.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The argon2id cost of new password hashes. Existing hashes keep verifying with the cost
/// recorded in their PHC string, so raising it later is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PasswordHashing {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl Default for PasswordHashing {
    /// OWASP's recommendation for argon2id (Password Storage Cheat Sheet): 19 MiB, 2
    /// iterations, 1 lane.
    fn default() -> Self {
        PasswordHashing {
            memory_kib: Params::DEFAULT_M_COST,
            iterations: Params::DEFAULT_T_COST,
            parallelism: Params::DEFAULT_P_COST,
        }
    }
}

impl PasswordHashing {
    /// A cost argon2 accepts: at least 8 KiB per lane, one iteration, one lane.
    pub fn new(memory_kib: u32, iterations: u32, parallelism: u32) -> Result<PasswordHashing> {
        let hashing = PasswordHashing { memory_kib, iterations, parallelism };
        hashing.argon2()?;
        Ok(hashing)
    }

    fn argon2(self) -> Result<Argon2<'static>> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| Error::invalid("password_hashing", e.to_string()))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// The fewest characters a password may have (NIST SP 800-63B).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The most characters a password may have; long passphrases fit, megabytes do not.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Checks a new password's length; its content is the user's business.
pub(crate) fn check_new_password(password: &str) -> Result<()> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(Error::invalid("password", format!("has {chars} characters; at least {MIN_PASSWORD_CHARS}")));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(Error::invalid("password", format!("has {chars} characters; at most {MAX_PASSWORD_CHARS}")));
    }
    Ok(())
}

/// Runs CPU-heavy work off the async workers.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Internal { context: "hashing a password", reason: e.to_string() })
}

/// The argon2id PHC string of `password` with a fresh random salt.
pub(crate) async fn hash(hashing: PasswordHashing, password: &str) -> Result<String> {
    let argon2 = hashing.argon2()?;
    let salt = SaltString::encode_b64(&random::<16>()?)
        .map_err(|e| Error::Internal { context: "making a salt", reason: e.to_string() })?;
    let password = password.to_string();
    blocking(move || {
        argon2
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal { context: "hashing a password", reason: e.to_string() })
    })
    .await?
}

/// Whether `password` matches the PHC string `phc` (compared in constant time by argon2).
/// A stored string that does not parse verifies nothing.
pub(crate) async fn verify(phc: String, password: &str) -> Result<bool> {
    let password = password.to_string();
    blocking(move || match PasswordHash::new(&phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    })
    .await
}

/// Spends what a verification would (a hash at the current cost) and discards it: answers
/// for unknown, disabled and password-less accounts take as long as for a wrong password.
pub(crate) async fn dummy_verify(hashing: PasswordHashing, password: &str) -> Result<()> {
    let argon2 = hashing.argon2()?;
    let password = password.to_string();
    blocking(move || {
        let mut out = [0u8; 32];
        let _ = argon2.hash_password_into(password.as_bytes(), b"magdit-dummy-salt", &mut out);
    })
    .await
}

/// `N` bytes from the operating system's random number generator.
pub(crate) fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| Error::Internal { context: "reading random bytes", reason: e.to_string() })?;
    Ok(bytes)
}

/// A fresh secret: 32 random bytes, base64url without padding (43 characters).
pub(crate) fn token() -> Result<String> {
    Ok(URL_SAFE_NO_PAD.encode(random::<32>()?))
}

/// Whether `s` looks like a [`token`]: 43 base64url characters. Checked before any lookup so
/// that odd input costs nothing.
pub(crate) fn is_token(s: &str) -> bool {
    s.len() == 43 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The SHA-256 of a token, hex: what the store keeps instead of the token. (A token has 256
/// random bits, so a fast hash suffices; a slow one would only slow every request.)
pub fn token_digest(token: &str) -> String {
    crate::audit::hex(&Sha256::digest(token.as_bytes()))
}

/// Compares two strings in time that depends on their lengths only.
/// Whether `a` equals `b`, in time that does not depend on where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> PasswordHashing {
        PasswordHashing::new(64, 1, 1).unwrap()
    }

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let a = hash(cheap(), "correct horse").await.unwrap();
        let b = hash(cheap(), "correct horse").await.unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{a}");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(verify(a.clone(), "correct horse").await.unwrap());
        assert!(!verify(a, "correct horsE").await.unwrap());
        assert!(!verify("not a phc string".into(), "x").await.unwrap());
        dummy_verify(cheap(), "whatever").await.unwrap();
    }

    #[test]
    fn defaults_are_owasps() {
        assert_eq!(
            PasswordHashing::default(),
            PasswordHashing { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 }
        );
        assert!(PasswordHashing::new(1, 1, 1).is_err());
    }

    #[test]
    fn tokens() {
        let t = token().unwrap();
        assert!(is_token(&t), "{t}");
        assert_ne!(t, token().unwrap());
        assert!(!is_token("short"));
        assert!(!is_token(&format!("{}!", &t[..42])));
        assert_eq!(token_digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }

    #[test]
    fn password_lengths() {
        assert!(check_new_password("1234567").is_err());
        assert!(check_new_password("12345678").is_ok());
        assert!(check_new_password(&"x".repeat(257)).is_err());
    }
}
