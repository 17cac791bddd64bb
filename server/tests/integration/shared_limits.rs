//! The limits on guessing, bulk sign-ups and mass applying are counted in the database, so they
//! hold across every server process: two instances of the app on one database allow what one does.

use crate::common::{spawn_app, PASSWORD};
use app::rate_limit::{AttemptLimiter, RecentRegistrations};
use axum::http::StatusCode;
use sqlx::PgPool;
use std::net::IpAddr;

/// A fresh database with the schema, for the tests that use the limiters without a server.
async fn migrated(pool: PgPool) -> PgPool {
    server::startup::migrate(&pool).await.expect("migrations");
    pool
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

async fn admit(pool: &PgPool, limiter: AttemptLimiter, account: &str, address: &str) -> bool {
    limiter.admit(pool, account, ip(address)).await.unwrap()
}

#[sqlx::test(migrations = false)]
async fn the_sixth_rapid_attempt_on_one_account_is_refused(pool: PgPool) {
    let pool = migrated(pool).await;
    for _ in 0..5 {
        assert!(admit(&pool, AttemptLimiter::LOGINS, "a@x.cn", "10.0.0.1").await);
    }
    assert!(!admit(&pool, AttemptLimiter::LOGINS, "A@X.cn", "10.0.0.1").await, "case must not reset the bucket");
    assert!(admit(&pool, AttemptLimiter::LOGINS, "b@x.cn", "10.0.0.1").await, "another account is not affected");
    assert!(
        admit(&pool, AttemptLimiter::REGISTRATIONS, "a@x.cn", "10.0.0.9").await,
        "another limiter's bucket of the same account is its own"
    );
}

#[sqlx::test(migrations = false)]
async fn one_address_cannot_spray_many_accounts(pool: PgPool) {
    let pool = migrated(pool).await;
    for n in 0..30 {
        assert!(admit(&pool, AttemptLimiter::LOGINS, &format!("user{n}@x.cn"), "10.0.0.2").await);
    }
    assert!(!admit(&pool, AttemptLimiter::LOGINS, "fresh@x.cn", "10.0.0.2").await);
    assert!(admit(&pool, AttemptLimiter::LOGINS, "fresh@x.cn", "10.0.0.3").await);
}

#[sqlx::test(migrations = false)]
async fn successful_logins_give_the_account_token_back_but_every_attempt_spends_the_address(pool: PgPool) {
    let pool = migrated(pool).await;
    let login = AttemptLimiter::LOGINS;
    for _ in 0..20 {
        assert!(login.admit_attempt(&pool, "m@x.cn", ip("10.0.3.1")).await.unwrap());
        login.succeeded(&pool, "M@x.cn").await.unwrap();
    }
    for _ in 0..5 {
        assert!(login.admit_attempt(&pool, "m@x.cn", ip("10.0.3.1")).await.unwrap(), "five wrong passwords");
    }
    assert!(!login.admit_attempt(&pool, "m@x.cn", ip("10.0.3.1")).await.unwrap(), "the sixth failure waits");
    for _ in 0..5 {
        login.admit_attempt(&pool, "other@x.cn", ip("10.0.3.1")).await.unwrap();
    }
    assert!(
        !login.admit_attempt(&pool, "third@x.cn", ip("10.0.3.1")).await.unwrap(),
        "thirty attempts from one address, then the address waits"
    );
}

#[sqlx::test(migrations = false)]
async fn a_bucket_refills_one_token_per_period(pool: PgPool) {
    let pool = migrated(pool).await;
    let limiter = AttemptLimiter::new(
        "test",
        app::rate_limit::Bucket { burst: 2, refill_every: std::time::Duration::from_millis(300) },
        app::rate_limit::Bucket { burst: 100, refill_every: std::time::Duration::from_millis(1) },
    );
    assert!(admit(&pool, limiter, "k", "10.0.5.1").await);
    assert!(admit(&pool, limiter, "k", "10.0.5.1").await);
    assert!(!admit(&pool, limiter, "k", "10.0.5.1").await, "the burst is spent");
    tokio::time::sleep(std::time::Duration::from_millis(350)).await;
    assert!(admit(&pool, limiter, "k", "10.0.5.1").await, "one token came back");
    assert!(!admit(&pool, limiter, "k", "10.0.5.1").await, "and only one");
    // The address bucket (one token a millisecond) is full again a moment later.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    app::rate_limit::forget_idle(&pool).await.unwrap();
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM attempt_buckets").fetch_one(&pool).await.unwrap();
    assert_eq!(kept, 1, "the refilled address bucket is forgotten, the spent account bucket kept");
}

#[sqlx::test(migrations = false)]
async fn mass_applying_and_inviting_are_slowed(pool: PgPool) {
    let pool = migrated(pool).await;
    for _ in 0..10 {
        assert!(admit(&pool, AttemptLimiter::APPLICATIONS, "developer-1", "10.0.1.1").await);
    }
    assert!(!admit(&pool, AttemptLimiter::APPLICATIONS, "developer-1", "10.0.1.1").await, "the eleventh at once");
    // The refused attempt spent an address token too: 49 more make sixty.
    for n in 2..51 {
        assert!(admit(&pool, AttemptLimiter::APPLICATIONS, &format!("developer-{n}"), "10.0.1.1").await);
    }
    assert!(!admit(&pool, AttemptLimiter::APPLICATIONS, "developer-99", "10.0.1.1").await, "sixty, then wait");
    for _ in 0..20 {
        assert!(admit(&pool, AttemptLimiter::INVITATIONS, "merchant-1", "10.0.4.1").await);
    }
    assert!(!admit(&pool, AttemptLimiter::INVITATIONS, "merchant-1", "10.0.4.1").await, "the twenty-first today");
    assert!(admit(&pool, AttemptLimiter::INVITATIONS, "merchant-2", "10.0.4.1").await, "another merchant");
}

#[sqlx::test(migrations = false)]
async fn parallel_attempts_spend_exactly_the_burst(pool: PgPool) {
    let pool = migrated(pool).await;
    let attempts = (0..40).map(|_| {
        let pool = pool.clone();
        tokio::spawn(async move { AttemptLimiter::LOGINS.admit_attempt(&pool, "race@x.cn", ip("10.0.6.1")).await })
    });
    let mut admitted = 0;
    for attempt in attempts {
        admitted += usize::from(attempt.await.unwrap().unwrap());
    }
    assert_eq!(admitted, 5, "forty guesses at once get the account's five");
}

#[sqlx::test(migrations = false)]
async fn the_fourth_registration_from_one_address_in_an_hour_needs_a_challenge(pool: PgPool) {
    let pool = migrated(pool).await;
    for _ in 0..3 {
        assert!(!RecentRegistrations::challenge_due(&pool, ip("10.0.2.1")).await.unwrap());
        RecentRegistrations::record(&pool, ip("10.0.2.1")).await.unwrap();
    }
    assert!(RecentRegistrations::challenge_due(&pool, ip("10.0.2.1")).await.unwrap());
    assert!(!RecentRegistrations::challenge_due(&pool, ip("10.0.2.2")).await.unwrap(), "other addresses");
}

/// What an operator saw with per-process limits: five wrong passwords on one instance, then five
/// more on the other. Now the second instance refuses the sixth.
#[sqlx::test(migrations = false)]
async fn two_instances_count_one_accounts_wrong_passwords_once(pool: PgPool) {
    let first = spawn_app(pool.clone()).await;
    let second = spawn_app(pool).await;
    let email = "shared-limit@example.cn";
    first.register(email, "developer", None).await;
    for n in 1..=5 {
        let instance = if n % 2 == 0 { &first } else { &second };
        let reply = instance.login(email, "wrong-password", None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "wrong password {n}");
    }
    for instance in [&first, &second] {
        let limited = instance.login(email, PASSWORD, None).await;
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.body);
    }
}
