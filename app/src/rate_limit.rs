//! Slows down abuse (server only): password guessing, batch registration and mass applying. Every
//! attempt spends one token from the account's bucket and one from the client address's bucket; an
//! empty bucket refuses the attempt before any work is done (a correct password guessed while
//! limited is refused too). Logins count only failures against the account (`admit_attempt`,
//! `succeeded`): a merchant who logs in six times in a minute is not locked out.
//!
//! The buckets live in PostgreSQL (`attempt_buckets`, migration 38), one row each, spent by one
//! atomic statement: a limit holds across every server process, and the database's clock is the
//! one they share. A check is one round trip of about a tenth of a millisecond, on actions that cost
//! a password hash or a write anyway, so a store of its own (Redis) would buy nothing measurable and
//! add a service every instance depends on.

use sqlx::PgPool;
use std::{net::IpAddr, time::Duration};

/// A token bucket: `burst` attempts at once, then one more every `refill_every`.
#[derive(Clone, Copy, Debug)]
pub struct Bucket {
    pub burst: u32,
    pub refill_every: Duration,
}

const fn bucket(burst: u32, refill_every: Duration) -> Bucket {
    Bucket { burst, refill_every }
}

const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[derive(Clone, Copy, Debug)]
pub struct AttemptLimiter {
    /// Names this limiter's buckets in the shared table.
    name: &'static str,
    per_account: Bucket,
    per_address: Bucket,
}

impl AttemptLimiter {
    /// Logins: 5 failures per account, then one more per minute; 30 attempts per address, then one
    /// every 2 seconds (an office behind one NAT address still logs in comfortably).
    pub const LOGINS: Self = Self::new("login", bucket(5, secs(60)), bucket(30, secs(2)));

    /// Registrations, keyed by the email and the address: 20 from one address, then one every 30
    /// seconds (a classroom signing up together gets through; a script making hundreds does not).
    pub const REGISTRATIONS: Self = Self::new("registration", bucket(3, secs(60)), bucket(20, secs(30)));

    /// Applications, keyed by the developer's id and address: 10 in a burst, then one every 30
    /// seconds per account, and 60 then one every 2 seconds per address. Reading a task takes longer
    /// than that; pasting one pitch into every task in the hall does not.
    pub const APPLICATIONS: Self = Self::new("application", bucket(10, secs(30)), bucket(60, secs(2)));

    /// Invitations to apply, keyed by the merchant's id and address: a day's worth
    /// (`domain::invitations::PER_MERCHANT_PER_DAY`, 20) at once, then one more every 72 minutes,
    /// so no merchant sends more than about 20 a day; 60 then one every 30 seconds per address.
    /// Each task's own cap is counted with the invitations themselves.
    pub const INVITATIONS: Self = Self::new(
        "invitation",
        bucket(
            crate::domain::invitations::PER_MERCHANT_PER_DAY,
            secs(24 * 3600 / crate::domain::invitations::PER_MERCHANT_PER_DAY as u64),
        ),
        bucket(60, secs(30)),
    );

    /// SMS codes, keyed by the number and the address. The codes' own table is what makes a number
    /// wait a minute between codes and stops it at ten a day; these buckets only keep one number's
    /// requests from hammering it (5, then one every 12 seconds) and one address from texting a
    /// list of strangers (10, then one every 30 seconds).
    pub const SMS_CODES: Self = Self::new("sms", bucket(5, secs(12)), bucket(10, secs(30)));

    /// Password-reset requests, keyed by the e-mail address and the client address: 3 per address
    /// typed, then one every 2 minutes (each sends a mail); 10 per client, then one every 30 seconds.
    pub const PASSWORD_RESETS: Self = Self::new("reset", bucket(3, secs(120)), bucket(10, secs(30)));

    /// Help-centre contact messages, keyed by the account and the address: 3, then one every 10
    /// minutes per account (an answer takes longer than that); 5, then one every 10 minutes per
    /// address, which is all a visitor gets.
    pub const SUPPORT_MESSAGES: Self = Self::new("support", bucket(3, secs(600)), bucket(5, secs(600)));

    pub const fn new(name: &'static str, per_account: Bucket, per_address: Bucket) -> Self {
        AttemptLimiter { name, per_account, per_address }
    }

    /// For an attempt whose success must not count against the account (a login, the current
    /// password asked again): spends a token from the address's bucket and holds one of the
    /// account's, which `succeeded` gives back. Holding it before the work, rather than taking it
    /// after a failure, keeps parallel guesses within the bucket too.
    pub async fn admit_attempt(&self, pool: &PgPool, account: &str, address: IpAddr) -> Result<bool, sqlx::Error> {
        self.admit(pool, account, address).await
    }

    /// The attempt admitted by `admit_attempt` succeeded: its account token is given back.
    pub async fn succeeded(&self, pool: &PgPool, account: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE attempt_buckets SET due = greatest(due - period, now()) WHERE bucket = $1")
            .bind(self.account_key(account))
            .execute(pool)
            .await?;
        Ok(())
    }

    /// Spends a token from both buckets; `false` means refuse this attempt. A bucket that has one
    /// spends it even when the other is empty, so a refused attempt still counts.
    pub async fn admit(&self, pool: &PgPool, account: &str, address: IpAddr) -> Result<bool, sqlx::Error> {
        spend(pool, &[(self.address_key(address), self.per_address), (self.account_key(account), self.per_account)])
            .await
    }

    /// Spends a token from the address's bucket only, for attempts whose account is limited
    /// elsewhere (an SMS code allows five tries and no more).
    pub async fn admit_address(&self, pool: &PgPool, address: IpAddr) -> Result<bool, sqlx::Error> {
        spend(pool, &[(self.address_key(address), self.per_address)]).await
    }

    fn account_key(&self, account: &str) -> String {
        format!("{}/account/{}", self.name, account.to_lowercase())
    }

    fn address_key(&self, address: IpAddr) -> String {
        format!("{}/address/{address}", self.name)
    }
}

fn micros(duration: Duration) -> i64 {
    i64::try_from(duration.as_micros()).unwrap_or(i64::MAX)
}

/// Spends one token from each bucket that has one, in one statement; true when all had one. Rows
/// are locked in the order given, address before account everywhere, so two spends never wait on
/// each other in a circle.
async fn spend(pool: &PgPool, buckets: &[(String, Bucket)]) -> Result<bool, sqlx::Error> {
    let keys: Vec<&str> = buckets.iter().map(|(key, _)| key.as_str()).collect();
    let periods: Vec<i64> = buckets.iter().map(|(_, bucket)| micros(bucket.refill_every)).collect();
    let bursts: Vec<i32> = buckets.iter().map(|(_, bucket)| bucket.burst as i32).collect();
    let spent: i64 = sqlx::query_scalar(
        "WITH spent AS (
             INSERT INTO attempt_buckets AS b (bucket, due, period, burst)
             SELECT key, now() + period * interval '1 microsecond', period * interval '1 microsecond', burst
               FROM unnest($1::text[], $2::int8[], $3::int4[]) AS wanted(key, period, burst)
             ON CONFLICT (bucket) DO UPDATE
                SET due = greatest(b.due, now()) + EXCLUDED.period, period = EXCLUDED.period, burst = EXCLUDED.burst
              WHERE greatest(b.due, now()) + EXCLUDED.period <= now() + EXCLUDED.period * EXCLUDED.burst
             RETURNING 1)
         SELECT count(*) FROM spent",
    )
    .bind(&keys)
    .bind(&periods)
    .bind(&bursts)
    .fetch_one(pool)
    .await?;
    Ok(spent == buckets.len() as i64)
}

/// Forgets buckets that have refilled, so the table does not grow with every address ever seen,
/// and sign-ups older than the challenge's window. Any process may run it.
pub async fn forget_idle(pool: &PgPool) -> Result<(), sqlx::Error> {
    // Rows a spend holds are skipped (a spend locks two rows; waiting on one could close a circle).
    sqlx::query(
        "DELETE FROM attempt_buckets WHERE bucket IN (
             SELECT bucket FROM attempt_buckets WHERE due < now() FOR UPDATE SKIP LOCKED)",
    )
    .execute(pool)
    .await?;
    sqlx::query("DELETE FROM recent_signups WHERE signed_up_at < now() - $1 * interval '1 second'")
        .bind(RecentRegistrations::WINDOW.as_secs() as i64)
        .execute(pool)
        .await?;
    Ok(())
}

/// Registrations per address within the last hour, to decide when a sign-up must answer a
/// challenge first. A count, not a bucket: the register page must ask whether a challenge is due
/// without spending anything.
pub struct RecentRegistrations;

impl RecentRegistrations {
    /// Registrations from one address within an hour that need no challenge.
    pub const FREE_PER_HOUR: i64 = 3;
    const WINDOW: Duration = Duration::from_secs(3600);

    pub async fn challenge_due(pool: &PgPool, address: IpAddr) -> Result<bool, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT count(*) >= $3 FROM recent_signups
              WHERE address = $1 AND signed_up_at > now() - $2 * interval '1 second'",
        )
        .bind(address.to_string())
        .bind(Self::WINDOW.as_secs() as i64)
        .bind(Self::FREE_PER_HOUR)
        .fetch_one(pool)
        .await
    }

    pub async fn record(pool: &PgPool, address: IpAddr) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO recent_signups (address) VALUES ($1)").bind(address.to_string()).execute(pool).await?;
        Ok(())
    }
}
