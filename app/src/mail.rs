//! E-mail for notifications. Every transport speaks one trait; the demo and the tests use
//! `LocalOutbox`, which keeps each message in the `email_outbox` table (admins read it in the
//! console) instead of handing it to an SMTP relay, which cannot be reached from here.

use crate::{domain::notifications::NoticeKind, i18n::*, words::notice_text};
use sqlx::PgConnection;
use std::future::Future;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingMail {
    /// The notification it tells of; `None` for mail that is not one (a password-reset link).
    pub notification_id: Option<i64>,
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the relay refused the message: {0}")]
    Refused(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub trait MailTransport: Send + Sync {
    fn name(&self) -> &'static str;
    /// Sends one message. Called inside the transaction that marks its notification e-mailed, so a
    /// message is recorded sent exactly when its notification is; an SMTP transport would pass the
    /// notification id as the Message-ID, letting the relay drop a resend after a crash.
    fn send(&self, conn: &mut PgConnection, mail: &OutgoingMail) -> impl Future<Output = Result<(), MailError>> + Send;
}

/// Keeps messages in `email_outbox`.
pub struct LocalOutbox;

impl MailTransport for LocalOutbox {
    fn name(&self) -> &'static str {
        "local"
    }

    async fn send(&self, conn: &mut PgConnection, mail: &OutgoingMail) -> Result<(), MailError> {
        sqlx::query(
            "INSERT INTO email_outbox (notification_id, to_address, subject, body, transport) VALUES ($1, $2, $3, $4, 'local')
             ON CONFLICT (notification_id) DO NOTHING",
        )
        .bind(mail.notification_id)
        .bind(&mail.to)
        .bind(&mail.subject)
        .bind(&mail.body)
        .execute(conn)
        .await?;
        Ok(())
    }
}

/// The message for one notification, in Chinese with English beneath (we do not know which the
/// reader prefers outside the site), linking back to what it is about.
pub fn compose(notification_id: i64, to: &str, kind: NoticeKind, task_title: Option<&str>, link: &str) -> OutgoingMail {
    let (zh, en) = (notice_text(Locale::zh_CN, kind), notice_text(Locale::en, kind));
    let about = task_title.map(|t| format!("「{t}」\n")).unwrap_or_default();
    OutgoingMail {
        notification_id: Some(notification_id),
        to: to.to_string(),
        subject: format!("【CodeLink】{zh}"),
        body: format!(
            "{zh}\n{about}\n{en}\n\n{link}\n\n——\n{} / {}",
            td_string!(Locale::zh_CN, mail_preferences_footer),
            td_string!(Locale::en, mail_preferences_footer)
        ),
    }
}

/// The password-reset message: the link, how long it works, and what to do if nobody asked.
pub fn compose_password_reset(to: &str, link: &str, minutes: i64) -> OutgoingMail {
    OutgoingMail {
        notification_id: None,
        to: to.to_string(),
        subject: format!(
            "【CodeLink】{} / {}",
            td_string!(Locale::zh_CN, mail_reset_subject),
            td_string!(Locale::en, mail_reset_subject)
        ),
        body: format!(
            "{}\n\n{link}\n\n{}\n\n{} {}",
            td_string!(Locale::zh_CN, mail_reset_body, minutes = minutes),
            td_string!(Locale::zh_CN, mail_reset_not_you),
            td_string!(Locale::en, mail_reset_body, minutes = minutes),
            td_string!(Locale::en, mail_reset_not_you),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_mail_is_bilingual_and_links_back() {
        let mail =
            compose(7, "li@example.com", NoticeKind::Delivered, Some("数据看板"), "http://127.0.0.1:3000/tasks/x");
        assert_eq!(mail.subject, "【CodeLink】开发者已提交交付，请验收");
        assert!(mail.body.contains("「数据看板」"), "{}", mail.body);
        assert!(mail.body.contains("http://127.0.0.1:3000/tasks/x"));
        assert!(mail.body.lines().any(|l| l.is_ascii() && !l.is_empty()), "an English line: {}", mail.body);
    }

    #[test]
    fn a_reset_mail_carries_its_link_and_lifetime_and_belongs_to_no_notification() {
        let mail = compose_password_reset("li@example.com", "http://127.0.0.1:3000/reset-password?token=ab", 30);
        assert_eq!(mail.notification_id, None);
        assert!(mail.body.contains("\n\nhttp://127.0.0.1:3000/reset-password?token=ab\n\n"), "{}", mail.body);
        assert!(mail.body.contains("30 分钟内有效") && mail.body.contains("within 30 minutes"), "{}", mail.body);
    }
}
