//! Slows down abuse (server only): password guessing, batch registration and mass applying. Every
//! attempt spends one token from the account's bucket and one from the client address's bucket; an
//! empty bucket refuses the attempt before any work is done (a correct password guessed while
//! limited is refused too). Logins count only failures against the account (`admit_attempt`,
//! `succeeded`): a merchant who logs in six times in a minute is not locked out.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::{net::IpAddr, num::NonZeroU32, time::Duration};

pub struct AttemptLimiter {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    /// The account's bucket for attempts where only failures count (same quota as `per_account`).
    account_failures: FailureBuckets,
}

impl AttemptLimiter {
    /// Logins: 5 attempts per account, then one more per minute; 30 per address, then one every
    /// 2 seconds (an office behind one NAT address still logs in comfortably).
    pub fn logins() -> Self {
        Self::with_quotas(quota(5, Duration::from_secs(60)), quota(30, Duration::from_secs(2)))
    }

    /// Registrations, keyed by the email and the address: 20 from one address, then one every 30
    /// seconds (a classroom signing up together gets through; a script making hundreds does not).
    pub fn registrations() -> Self {
        Self::with_quotas(quota(3, Duration::from_secs(60)), quota(20, Duration::from_secs(30)))
    }

    /// Applications, keyed by the developer's id and address: 10 in a burst, then one every 30
    /// seconds per account, and 60 then one every 2 seconds per address. Reading a task takes longer
    /// than that; pasting one pitch into every task in the hall does not.
    pub fn applications() -> Self {
        Self::with_quotas(quota(10, Duration::from_secs(30)), quota(60, Duration::from_secs(2)))
    }

    /// Invitations to apply, keyed by the merchant's id and address: a day's worth
    /// (`domain::invitations::PER_MERCHANT_PER_DAY`, 20) at once, then one more every 72 minutes,
    /// so no merchant sends more than about 20 a day; 60 then one every 30 seconds per address.
    /// Each task's own cap is counted in the database, where it holds across servers.
    pub fn invitations() -> Self {
        let per_day = crate::domain::invitations::PER_MERCHANT_PER_DAY;
        let refill = Duration::from_secs(24 * 3600 / u64::from(per_day));
        Self::with_quotas(quota(per_day, refill), quota(60, Duration::from_secs(30)))
    }

    /// SMS codes, keyed by the number and the address. The database is what makes a number wait a
    /// minute between codes and stops it at ten a day; these buckets only keep one number's
    /// requests from hammering it (5, then one every 12 seconds) and one address from texting a
    /// list of strangers (10, then one every 30 seconds).
    pub fn sms_codes() -> Self {
        Self::with_quotas(quota(5, Duration::from_secs(12)), quota(10, Duration::from_secs(30)))
    }

    /// Password-reset requests, keyed by the e-mail address and the client address: 3 per address
    /// typed, then one every 2 minutes (each sends a mail); 10 per client, then one every 30 seconds.
    pub fn password_resets() -> Self {
        Self::with_quotas(quota(3, Duration::from_secs(120)), quota(10, Duration::from_secs(30)))
    }

    /// Help-centre contact messages, keyed by the account and the address: 3, then one every 10
    /// minutes per account (an answer takes longer than that); 5, then one every 10 minutes per
    /// address, which is all a visitor gets.
    pub fn support_messages() -> Self {
        Self::with_quotas(quota(3, Duration::from_secs(600)), quota(5, Duration::from_secs(600)))
    }

    pub fn with_quotas(per_account: Quota, per_address: Quota) -> Self {
        AttemptLimiter {
            per_account: RateLimiter::keyed(per_account),
            per_address: RateLimiter::keyed(per_address),
            account_failures: FailureBuckets::new(per_account),
        }
    }

    /// For an attempt whose success must not count against the account (a login, the current
    /// password asked again): spends a token from the address's bucket and holds one of the
    /// account's, which `succeeded` gives back. Holding it before the work, rather than taking it
    /// after a failure, keeps parallel guesses within the bucket too.
    pub fn admit_attempt(&self, account: &str, address: IpAddr) -> bool {
        self.per_address.check_key(&address).is_ok() && self.account_failures.take(&account.to_lowercase())
    }

    /// The attempt admitted by `admit_attempt` succeeded: its account token is given back.
    pub fn succeeded(&self, account: &str) {
        self.account_failures.give_back(&account.to_lowercase());
    }

    /// Spends a token from both buckets; `false` means refuse this attempt.
    pub fn admit(&self, account: &str, address: IpAddr) -> bool {
        let address_ok = self.per_address.check_key(&address).is_ok();
        let account_ok = self.per_account.check_key(&account.to_lowercase()).is_ok();
        address_ok && account_ok
    }

    /// Spends a token from the address's bucket only, for attempts whose account is limited
    /// elsewhere (an SMS code allows five tries and no more).
    pub fn admit_address(&self, address: IpAddr) -> bool {
        self.per_address.check_key(&address).is_ok()
    }

    /// Forgets buckets that have refilled, so the maps do not grow with every address ever seen.
    pub fn forget_idle(&self) {
        self.per_account.retain_recent();
        self.per_address.retain_recent();
        self.account_failures.forget_idle();
    }
}

/// Keyed token buckets that can give a token back, which governor's cannot: the generic cell rate
/// algorithm, one "theoretical arrival time" per key. A bucket is full when that time is not in the
/// future; each token moves it one period later; a token is refused when that would put it more
/// than `burst` periods ahead of now.
struct FailureBuckets {
    period: Duration,
    burst: u32,
    due: std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>>,
}

impl FailureBuckets {
    fn new(quota: Quota) -> Self {
        FailureBuckets { period: quota.replenish_interval(), burst: quota.burst_size().get(), due: Default::default() }
    }

    fn take(&self, key: &str) -> bool {
        let now = std::time::Instant::now();
        let mut due = self.due.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let next = due.get(key).copied().unwrap_or(now).max(now) + self.period;
        if next > now + self.period * self.burst {
            return false;
        }
        due.insert(key.to_string(), next);
        true
    }

    fn give_back(&self, key: &str) {
        let now = std::time::Instant::now();
        let mut due = self.due.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(at) = due.get_mut(key) {
            *at = at.checked_sub(self.period).unwrap_or(now).max(now);
        }
    }

    fn forget_idle(&self) {
        let now = std::time::Instant::now();
        self.due.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).retain(|_, at| *at > now);
    }
}

/// Registrations per address within the last hour, to decide when a sign-up must answer a
/// challenge first. A count, not a limiter: governor can only spend tokens, and the register page
/// must ask whether a challenge is due without spending anything.
#[derive(Default)]
pub struct RecentRegistrations {
    seen: std::sync::Mutex<std::collections::HashMap<IpAddr, Vec<std::time::Instant>>>,
}

impl RecentRegistrations {
    /// Registrations from one address within an hour that need no challenge.
    pub const FREE_PER_HOUR: usize = 3;
    const WINDOW: Duration = Duration::from_secs(3600);

    pub fn challenge_due(&self, address: IpAddr) -> bool {
        let mut seen = self.seen.lock().expect("not poisoned");
        let times = seen.entry(address).or_default();
        times.retain(|t| t.elapsed() < Self::WINDOW);
        times.len() >= Self::FREE_PER_HOUR
    }

    pub fn record(&self, address: IpAddr) {
        self.seen.lock().expect("not poisoned").entry(address).or_default().push(std::time::Instant::now());
    }

    pub fn forget_idle(&self) {
        self.seen.lock().expect("not poisoned").retain(|_, times| times.iter().any(|t| t.elapsed() < Self::WINDOW));
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
        let limiter = AttemptLimiter::logins();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..5 {
            assert!(limiter.admit("a@x.cn", ip));
        }
        assert!(!limiter.admit("A@X.cn", ip), "case must not reset the account's bucket");
        assert!(limiter.admit("b@x.cn", ip), "another account is not affected");
    }

    #[test]
    fn one_address_cannot_spray_many_accounts() {
        let limiter = AttemptLimiter::logins();
        let ip: IpAddr = "10.0.0.2".parse().unwrap();
        for n in 0..30 {
            assert!(limiter.admit(&format!("user{n}@x.cn"), ip));
        }
        assert!(!limiter.admit("fresh@x.cn", ip));
        assert!(limiter.admit("fresh@x.cn", "10.0.0.3".parse().unwrap()));
    }
}

#[cfg(test)]
mod failure_tests {
    use super::*;

    #[test]
    fn successful_logins_do_not_spend_the_account_but_failures_do() {
        let limiter = AttemptLimiter::logins();
        let ip: IpAddr = "10.0.3.1".parse().unwrap();
        for _ in 0..20 {
            assert!(limiter.admit_attempt("m@x.cn", ip));
            limiter.succeeded("M@x.cn");
        }
        for _ in 0..5 {
            assert!(limiter.admit_attempt("m@x.cn", ip), "five wrong passwords are answered");
        }
        assert!(!limiter.admit_attempt("m@x.cn", ip), "the sixth failure in a row waits");
        assert!(limiter.admit_attempt("other@x.cn", ip), "another account is not affected");
    }

    #[test]
    fn every_attempt_still_spends_the_address() {
        let limiter = AttemptLimiter::logins();
        let ip: IpAddr = "10.0.3.2".parse().unwrap();
        for _ in 0..30 {
            assert!(limiter.admit_attempt("busy@x.cn", ip));
            limiter.succeeded("busy@x.cn");
        }
        assert!(!limiter.admit_attempt("busy@x.cn", ip), "thirty from one address, then the address waits");
    }
}

#[cfg(test)]
mod abuse_tests {
    use super::*;

    #[test]
    fn mass_applying_is_slowed_per_account_and_per_address() {
        let limiter = AttemptLimiter::applications();
        let ip: IpAddr = "10.0.1.1".parse().unwrap();
        for _ in 0..10 {
            assert!(limiter.admit("developer-1", ip));
        }
        assert!(!limiter.admit("developer-1", ip), "the eleventh at once is refused");
        // The refused attempt spent an address token too: 49 more make sixty.
        for n in 2..51 {
            assert!(limiter.admit(&format!("developer-{n}"), ip));
        }
        assert!(!limiter.admit("developer-99", ip), "sixty from one address, then the address waits");
    }

    #[test]
    fn a_merchant_sends_a_days_invitations_then_waits() {
        let limiter = AttemptLimiter::invitations();
        let ip: IpAddr = "10.0.4.1".parse().unwrap();
        for _ in 0..20 {
            assert!(limiter.admit("merchant-1", ip));
        }
        assert!(!limiter.admit("merchant-1", ip), "the twenty-first today is refused");
        assert!(limiter.admit("merchant-2", ip), "another merchant is not affected");
    }

    #[test]
    fn the_fourth_registration_from_one_address_in_an_hour_needs_a_challenge() {
        let recent = RecentRegistrations::default();
        let ip: IpAddr = "10.0.2.1".parse().unwrap();
        for _ in 0..3 {
            assert!(!recent.challenge_due(ip));
            recent.record(ip);
        }
        assert!(recent.challenge_due(ip));
        assert!(!recent.challenge_due("10.0.2.2".parse().unwrap()), "other addresses are not affected");
    }

    #[test]
    fn one_address_cannot_register_in_bulk() {
        let limiter = AttemptLimiter::registrations();
        let ip: IpAddr = "10.0.1.2".parse().unwrap();
        for n in 0..20 {
            assert!(limiter.admit(&format!("u{n}@x.cn"), ip));
        }
        assert!(!limiter.admit("u21@x.cn", ip));
        assert!(limiter.admit("u21@x.cn", "10.0.1.3".parse().unwrap()), "another address is not affected");
    }
}
