//! The secrets people carry (session cookies, CSRF tokens, sign-in links, OpenID `state`):
//! 256 random bits from the operating system, URL-safe, and stored only as a SHA-256
//! hash wherever possession of the value is what grants access.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::{Result, StoreError};

/// 32 random bytes, base64url without padding (43 characters).
pub(crate) fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Internal(format!("no randomness: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The SHA-256 of a token, hex: what the database holds instead of the token.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether `token` can be one of ours at all, so nothing longer is hashed or looked up.
pub(crate) fn plausible(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_43_url_safe_characters_and_never_repeats() {
        let a = random_token().expect("token");
        let b = random_token().expect("token");
        assert_eq!(a.len(), 43);
        assert!(plausible(&a), "{a}");
        assert_ne!(a, b);
    }

    #[test]
    fn only_the_hash_is_kept() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(!plausible("short"));
        assert!(!plausible(&"a".repeat(42)));
        assert!(!plausible(&format!("{}/", "a".repeat(42))));
    }
}
