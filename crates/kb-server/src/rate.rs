//! Rate limits on `/graphql`: per API key, by the key's role, and per client address for
//! requests without a key (the `governor` crate's GCRA: a limit of N a minute allows bursts
//! of N and then one every 60/N seconds). A refused request gets `RATE_LIMITED`, HTTP 429
//! and `Retry-After`; one key's traffic never uses another's allowance. A limit of 0 is
//! no limit. Behind a proxy every request comes from the proxy's address: limit anonymous
//! traffic at the proxy there, or leave the address limit off.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use kb_domain::{ApiKeyId, Role};

/// Requests a minute allowed for each kind of caller; 0 is no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// Per client address, for requests without a key.
    pub anonymous: u32,
    /// Per partner key.
    pub partner: u32,
    /// Per contributor key.
    pub contributor: u32,
    /// Per editor or admin key.
    pub editor: u32,
}

/// Who a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Caller {
    Address(IpAddr),
    Key(ApiKeyId),
}

/// The limiters of one server.
pub(crate) struct RateLimits {
    anonymous: Option<DefaultKeyedRateLimiter<Caller>>,
    partner: Option<DefaultKeyedRateLimiter<Caller>>,
    contributor: Option<DefaultKeyedRateLimiter<Caller>>,
    editor: Option<DefaultKeyedRateLimiter<Caller>>,
    checks: AtomicU64,
}

/// How often the limiters forget callers that have their whole allowance back.
const PRUNE_EVERY: u64 = 10_000;

fn limiter(per_minute: u32) -> Option<DefaultKeyedRateLimiter<Caller>> {
    NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}

impl RateLimits {
    pub(crate) fn new(limits: Limits) -> Self {
        Self {
            anonymous: limiter(limits.anonymous),
            partner: limiter(limits.partner),
            contributor: limiter(limits.contributor),
            editor: limiter(limits.editor),
            checks: AtomicU64::new(0),
        }
    }

    /// `Ok` if a request of this key (by its role), or without one from `address`, may
    /// go on; otherwise how long until it may.
    pub(crate) fn check(
        &self,
        key: Option<(ApiKeyId, Role)>,
        address: IpAddr,
    ) -> Result<(), Duration> {
        let (limiter, caller) = match key {
            None => (&self.anonymous, Caller::Address(address)),
            Some((id, role)) => {
                let limiter = match role {
                    Role::Partner => &self.partner,
                    Role::Contributor => &self.contributor,
                    Role::Editor | Role::Admin => &self.editor,
                };
                (limiter, Caller::Key(id))
            }
        };
        let Some(limiter) = limiter else {
            return Ok(());
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            for l in [
                &self.anonymous,
                &self.partner,
                &self.contributor,
                &self.editor,
            ]
            .into_iter()
            .flatten()
            {
                l.retain_recent();
            }
        }
        limiter
            .check_key(&caller)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// Whole seconds to wait, at least one: what `Retry-After` says.
pub(crate) fn retry_after(wait: Duration) -> u64 {
    u64::try_from(wait.as_nanos().div_ceil(1_000_000_000))
        .unwrap_or(u64::MAX)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_caller_has_its_own_allowance_and_zero_is_no_limit() {
        let limits = RateLimits::new(Limits {
            anonymous: 2,
            partner: 3,
            contributor: 0,
            editor: 0,
        });
        let here = IpAddr::from([127, 0, 0, 1]);
        let there = IpAddr::from([10, 0, 0, 1]);
        assert!(limits.check(None, here).is_ok());
        assert!(limits.check(None, here).is_ok());
        let wait = limits
            .check(None, here)
            .expect_err("the third within a minute");
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert!(limits.check(None, there).is_ok());
        let (a, b) = (
            Some((ApiKeyId(1), Role::Partner)),
            Some((ApiKeyId(2), Role::Partner)),
        );
        for _ in 0..3 {
            assert!(limits.check(a, here).is_ok());
        }
        assert!(limits.check(a, here).is_err());
        assert!(limits.check(b, here).is_ok());
        for _ in 0..100 {
            assert!(
                limits
                    .check(Some((ApiKeyId(3), Role::Editor)), here)
                    .is_ok()
            );
        }
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after(Duration::ZERO), 1);
        assert_eq!(retry_after(Duration::from_millis(1)), 1);
        assert_eq!(retry_after(Duration::from_secs(20)), 20);
        assert_eq!(retry_after(Duration::from_millis(20_001)), 21);
    }
}
