//! Slows down password guessing (server only). Every login attempt spends one token from the
//! account's bucket and one from the client address's bucket; an empty bucket refuses the attempt
//! before the password is even checked, so a correct guess made while limited is refused too.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::{net::IpAddr, num::NonZeroU32, time::Duration};

pub struct LoginLimiter {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
}

impl LoginLimiter {
    /// 5 attempts per account, then one more per minute; 30 per address, then one every 2 seconds
    /// (an office behind one NAT address still logs in comfortably).
    pub fn new() -> Self {
        Self::with_quotas(quota(5, Duration::from_secs(60)), quota(30, Duration::from_secs(2)))
    }

    pub fn with_quotas(per_account: Quota, per_address: Quota) -> Self {
        LoginLimiter { per_account: RateLimiter::keyed(per_account), per_address: RateLimiter::keyed(per_address) }
    }

    /// Spends a token from both buckets; `false` means refuse this attempt.
    pub fn admit(&self, account: &str, address: IpAddr) -> bool {
        let address_ok = self.per_address.check_key(&address).is_ok();
        let account_ok = self.per_account.check_key(&account.to_lowercase()).is_ok();
        address_ok && account_ok
    }

    /// Forgets buckets that have refilled, so the maps do not grow with every address ever seen.
    pub fn forget_idle(&self) {
        self.per_account.retain_recent();
        self.per_address.retain_recent();
    }
}

impl Default for LoginLimiter {
    fn default() -> Self {
        Self::new()
    }
}

fn quota(burst: u32, refill_every: Duration) -> Quota {
    Quota::with_period(refill_every)
        .expect("refill period is non-zero")
        .allow_burst(NonZeroU32::new(burst).expect("burst is non-zero"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_rapid_attempt_on_one_account_is_refused() {
        let limiter = LoginLimiter::new();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..5 {
            assert!(limiter.admit("a@x.cn", ip));
        }
        assert!(!limiter.admit("A@X.cn", ip), "case must not reset the account's bucket");
        assert!(limiter.admit("b@x.cn", ip), "another account is not affected");
    }

    #[test]
    fn one_address_cannot_spray_many_accounts() {
        let limiter = LoginLimiter::new();
        let ip: IpAddr = "10.0.0.2".parse().unwrap();
        for n in 0..30 {
            assert!(limiter.admit(&format!("user{n}@x.cn"), ip));
        }
        assert!(!limiter.admit("fresh@x.cn", ip));
        assert!(limiter.admit("fresh@x.cn", "10.0.0.3".parse().unwrap()));
    }
}
