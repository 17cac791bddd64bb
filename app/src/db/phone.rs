//! One-time SMS codes: sending one (within the limits of `domain::phone`) and redeeming it to log
//! in or to bind a number. Each is one transaction; codes for one number are serialised by an
//! advisory lock when sent and by the code row's lock when redeemed, so two requests at once can
//! neither both pass the resend wait nor both use one code.

use crate::{
    domain::{
        phone::{judge, may_send, resend_in, CodePurpose, PhoneNumber, StoredCode, Verdict, CODE_LIFETIME_SECS},
        validation::{Field, FieldError, Problem},
    },
    error::AppError,
    sms::{OutgoingSms, SmsGateway, SmsTemplate},
    views::phone::SandboxMessage,
};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

fn phone_problem(problem: Problem) -> AppError {
    AppError::field(FieldError::new(Field::Phone, problem))
}

fn code_problem(problem: Problem) -> AppError {
    AppError::field(FieldError::new(Field::Code, problem))
}

fn mac(salt: &[u8], code: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(salt).expect("HMAC takes a key of any length");
    mac.update(code.as_bytes());
    mac
}

/// The account `phone` is bound to, if any.
async fn owner(conn: &mut PgConnection, phone: &PhoneNumber) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM users WHERE phone = $1").bind(phone.e164()).fetch_optional(conn).await
}

/// The number bound to `user`, if any.
pub async fn bound(pool: &PgPool, user: Uuid) -> Result<Option<PhoneNumber>, sqlx::Error> {
    let phone: Option<String> =
        sqlx::query_scalar("SELECT phone FROM users WHERE id = $1").bind(user).fetch_optional(pool).await?.flatten();
    Ok(phone.and_then(|p| PhoneNumber::parse(&p).ok()))
}

/// Takes the number off `user`'s account.
pub async fn unbind(pool: &PgPool, user: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET phone = NULL WHERE id = $1").bind(user).execute(pool).await?;
    Ok(())
}

/// Seconds until another code for `purpose` may be sent to `phone` (0: now).
pub async fn resend_wait(pool: &PgPool, phone: &PhoneNumber, purpose: CodePurpose) -> Result<u32, sqlx::Error> {
    Ok(resend_in(newest_age(&mut *pool.acquire().await?, phone, purpose).await?))
}

/// How long ago (seconds) the newest code for this purpose went to `phone`.
async fn newest_age(
    conn: &mut PgConnection,
    phone: &PhoneNumber,
    purpose: CodePurpose,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT floor(extract(epoch FROM app_now() - sent_at))::bigint FROM phone_codes
         WHERE phone = $1 AND purpose = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(phone.e164())
    .bind(purpose.as_str())
    .fetch_optional(conn)
    .await
}

/// How many codes `phone` got today (China time), for any purpose.
async fn sent_today(conn: &mut PgConnection, phone: &PhoneNumber) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM phone_codes
         WHERE phone = $1 AND sent_at >= (china_instant(date_trunc('day', china_time(app_now()))))",
    )
    .bind(phone.e164())
    .fetch_one(conn)
    .await
}

/// Sends a new code to `phone`. For `Bind`, `asker` is the logged-in account, and a number bound
/// to another account is refused. For `Login` and `Reset`, a number no account has gets a message saying so
/// instead of a code, and the caller is answered as for any other number.
pub async fn send_code(
    pool: &PgPool,
    gateway: &dyn SmsGateway,
    phone: &PhoneNumber,
    purpose: CodePurpose,
    asker: Option<Uuid>,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('phone_code:' || $1))")
        .bind(phone.e164())
        .execute(&mut *tx)
        .await?;
    let owner = owner(&mut tx, phone).await?;
    let (user, template) = match purpose {
        CodePurpose::Login => {
            (owner, if owner.is_some() { SmsTemplate::LoginCode } else { SmsTemplate::NotRegistered })
        }
        CodePurpose::Reset => {
            (owner, if owner.is_some() { SmsTemplate::ResetCode } else { SmsTemplate::NotRegistered })
        }
        CodePurpose::Bind => {
            let asker = asker.ok_or(AppError::Unauthorized)?;
            if owner.is_some_and(|owner| owner != asker) {
                return Err(phone_problem(Problem::PhoneTaken));
            }
            (Some(asker), SmsTemplate::BindCode)
        }
    };
    let (newest, today) = (newest_age(&mut tx, phone, purpose).await?, sent_today(&mut tx, phone).await?);
    may_send(newest, today).map_err(phone_problem)?;
    let mut random = [0u8; 20];
    getrandom::fill(&mut random).map_err(crate::error::internal)?;
    let code = crate::domain::phone::code_from(u32::from_le_bytes([random[0], random[1], random[2], random[3]]));
    let salt = &random[4..];
    let out_id: i64 = sqlx::query_scalar(
        "INSERT INTO phone_codes (phone, purpose, user_id, code_salt, code_mac) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(phone.e164())
    .bind(purpose.as_str())
    .bind(user)
    .bind(salt)
    .bind(mac(salt, &code).finalize().into_bytes().as_slice())
    .fetch_one(&mut *tx)
    .await?;
    let sms =
        OutgoingSms { out_id, to: phone.clone(), template, text: template.render(&code, CODE_LIFETIME_SECS / 60) };
    if let Err(error) = gateway.send(&mut tx, &sms).await {
        tracing::warn!(%error, gateway = gateway.name(), "the SMS gateway did not take a code");
        return Err(AppError::Internal);
    }
    tx.commit().await?;
    Ok(())
}

/// Uses the newest code sent to `phone` for `purpose`. Returns the account it proves: for `Login`
/// the number's owner, for `Bind` the asker, whose account now carries the number. A wrong code
/// counts against the code (and is kept counted); nothing else is written.
pub async fn redeem(
    pool: &PgPool,
    phone: &PhoneNumber,
    purpose: CodePurpose,
    typed: &str,
    asker: Option<Uuid>,
) -> Result<Uuid, AppError> {
    let mut tx = pool.begin().await?;
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        user_id: Option<Uuid>,
        code_salt: Vec<u8>,
        code_mac: Vec<u8>,
        age_secs: i64,
        failed_attempts: i32,
        used: bool,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, user_id, code_salt, code_mac, floor(extract(epoch FROM app_now() - sent_at))::bigint AS age_secs,
                failed_attempts, used_at IS NOT NULL AS used
         FROM phone_codes WHERE phone = $1 AND purpose = $2 ORDER BY id DESC LIMIT 1 FOR UPDATE",
    )
    .bind(phone.e164())
    .bind(purpose.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(Row { id, user_id: user, code_salt: salt, code_mac: expected, age_secs, failed_attempts, used }) = row
    else {
        return Err(code_problem(Problem::CodeExpired));
    };
    // A code proves the number to the account it was sent for, and to no other.
    let for_this_account = match purpose {
        CodePurpose::Login | CodePurpose::Reset => user.is_some(),
        CodePurpose::Bind => user.is_some() && user == asker,
    };
    let matches = mac(&salt, typed).verify_slice(&expected).is_ok() && for_this_account;
    let verdict = judge(StoredCode { age_secs, failed_attempts, used }, matches);
    match verdict {
        Verdict::Accepted => {}
        Verdict::Wrong { .. } => {
            sqlx::query("UPDATE phone_codes SET failed_attempts = failed_attempts + 1 WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Err(code_problem(verdict.problem().unwrap_or(Problem::CodeExpired)));
        }
        Verdict::Dead => return Err(code_problem(Problem::CodeExpired)),
    }
    let account = user.ok_or(AppError::Internal)?;
    sqlx::query("UPDATE phone_codes SET used_at = app_now() WHERE id = $1").bind(id).execute(&mut *tx).await?;
    if purpose == CodePurpose::Bind {
        sqlx::query("UPDATE users SET phone = $1 WHERE id = $2")
            .bind(phone.e164())
            .bind(account)
            .execute(&mut *tx)
            .await
            .map_err(|error| match &error {
                sqlx::Error::Database(e) if e.constraint() == Some("users_phone_key") => {
                    phone_problem(Problem::PhoneTaken)
                }
                _ => error.into(),
            })?;
    }
    tx.commit().await?;
    Ok(account)
}

/// What `phone` received from the local gateway in the last day, newest first.
pub async fn sandbox_inbox(pool: &PgPool, phone: &PhoneNumber) -> Result<Vec<SandboxMessage>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT body, china_text(sent_at, 'MM-DD HH24:MI:SS') FROM sms_outbox
         WHERE to_phone = $1 AND sent_at > app_now() - interval '1 day' ORDER BY id DESC LIMIT 20",
    )
    .bind(phone.e164())
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(body, sent_at)| SandboxMessage { body, sent_at }).collect())
}
