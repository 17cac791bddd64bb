//! Text messages for one-time codes (server only). Every gateway speaks one trait, shaped like the
//! SMS services Chinese sites use (Aliyun, Tencent Cloud): a registered signature, a template id
//! and its parameters, and our own id for the message (their `OutId`), so the gateway can drop a
//! resend of a message it already took.
//!
//! `LocalSmsInbox` is the demo's and the tests' gateway: no SMS service can be reached from here,
//! so it keeps each message in `sms_outbox`, and the app serves a sandbox phone
//! (`/sandbox/sms`) that shows what a number received. A deployment sets a real gateway; the
//! sandbox phone exists only while the local one is in use.

use crate::domain::phone::PhoneNumber;
use sqlx::PgConnection;
use std::{future::Future, pin::Pin};

/// The signature every message starts with (registered with the SMS service).
pub const SIGNATURE: &str = "【CodeLink】";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmsTemplate {
    /// "验证码 {code}，用于登录…"
    LoginCode,
    /// "验证码 {code}，用于绑定手机号…"
    BindCode,
    /// "验证码 {code}，用于重置密码…"
    ResetCode,
    /// Someone asked for a login or reset code for a number no account has: the owner learns why no code
    /// came and what to do, while the person asking learns nothing about which numbers exist.
    NotRegistered,
}

impl SmsTemplate {
    /// The template's id at the SMS service.
    pub fn id(self) -> &'static str {
        match self {
            SmsTemplate::LoginCode => "SMS_LOGIN_CODE",
            SmsTemplate::BindCode => "SMS_BIND_CODE",
            SmsTemplate::ResetCode => "SMS_RESET_CODE",
            SmsTemplate::NotRegistered => "SMS_NOT_REGISTERED",
        }
    }

    /// The text the service fills in from the template, in Chinese with English after it (we do
    /// not know the reader's language outside the site).
    pub fn render(self, code: &str, minutes: i64) -> String {
        use crate::i18n::*;
        let in_language = |locale: Locale| match self {
            SmsTemplate::LoginCode => td_string!(locale, sms_login_code, code = code, minutes = minutes).to_string(),
            SmsTemplate::BindCode => td_string!(locale, sms_bind_code, code = code, minutes = minutes).to_string(),
            SmsTemplate::ResetCode => td_string!(locale, sms_reset_code, code = code, minutes = minutes).to_string(),
            SmsTemplate::NotRegistered => td_string!(locale, sms_not_registered).to_string(),
        };
        let text = format!("{} / {}", in_language(Locale::zh_CN), in_language(Locale::en));
        format!("{SIGNATURE}{text}")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingSms {
    /// Our id for the message (the code's row), which the gateway de-duplicates on.
    pub out_id: i64,
    pub to: PhoneNumber,
    pub template: SmsTemplate,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    #[error("the SMS gateway refused the message: {0}")]
    Refused(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SmsError>> + Send + 'a>>;

pub trait SmsGateway: Send + Sync {
    fn name(&self) -> &'static str;
    /// Hands one message to the gateway. Called inside the transaction that stores the code, so a
    /// code exists exactly when its message was accepted: a refusal rolls the code back.
    fn send<'a>(&'a self, conn: &'a mut PgConnection, sms: &'a OutgoingSms) -> SendFuture<'a>;
    /// Whether what it sent can be read back on the sandbox phone page.
    fn has_sandbox_inbox(&self) -> bool {
        false
    }
}

/// Keeps messages in `sms_outbox` for the sandbox phone.
pub struct LocalSmsInbox;

impl SmsGateway for LocalSmsInbox {
    fn name(&self) -> &'static str {
        "local"
    }

    fn send<'a>(&'a self, conn: &'a mut PgConnection, sms: &'a OutgoingSms) -> SendFuture<'a> {
        Box::pin(async move {
            sqlx::query(
                "INSERT INTO sms_outbox (out_id, to_phone, template, body, gateway) VALUES ($1, $2, $3, $4, 'local')
                 ON CONFLICT (out_id) DO NOTHING",
            )
            .bind(sms.out_id)
            .bind(sms.to.e164())
            .bind(sms.template.id())
            .bind(&sms.text)
            .execute(conn)
            .await?;
            Ok(())
        })
    }

    fn has_sandbox_inbox(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_the_signature_the_code_and_its_lifetime_in_both_languages() {
        let text = SmsTemplate::LoginCode.render("042917", 5);
        assert!(text.starts_with("【CodeLink】验证码 042917，用于登录，5 分钟内有效"), "{text}");
        assert!(text.contains("Your login code is 042917"), "{text}");
        assert!(!SmsTemplate::NotRegistered.render("042917", 5).contains("042917"), "no code for an unknown number");
    }
}
