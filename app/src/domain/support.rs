//! The help centre's contact form (联系客服): what a message is about, what it may say, and the
//! admin's reply. A signed-in user's reply arrives as a notice; a visitor may leave an address.

use super::{
    account::Email,
    validation::{check_length, check_visible_text, Field, FieldError, Problem},
};
use serde::{Deserialize, Serialize};

/// The address the footer and the help centre name for anything the form does not suit.
pub const SUPPORT_EMAIL: &str = "support@codelink.dev";

/// A Chinese question is short: "提现多久到账？" is seven characters.
pub const MESSAGE_MIN_CHARS: u32 = 5;
pub const MESSAGE_MAX_CHARS: u32 = 2_000;
pub const REPLY_MIN_CHARS: u32 = 2;
pub const REPLY_MAX_CHARS: u32 = 2_000;
/// Requests per page of the admin queue.
pub const QUEUE_PAGE_SIZE: i64 = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Topic {
    Account,
    Escrow,
    Fees,
    Dispute,
    Withdrawal,
    Other,
}

impl Topic {
    pub const ALL: [Topic; 6] =
        [Topic::Account, Topic::Escrow, Topic::Fees, Topic::Dispute, Topic::Withdrawal, Topic::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Account => "account",
            Topic::Escrow => "escrow",
            Topic::Fees => "fees",
            Topic::Dispute => "dispute",
            Topic::Withdrawal => "withdrawal",
            Topic::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Topic::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// The contact form as typed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ContactForm {
    pub topic: String,
    pub message: String,
    /// Only a visitor's counts; a signed-in user is answered in the site.
    pub email: Option<String>,
}

/// A contact message that may be filed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub topic: Topic,
    pub message: String,
    pub email: Option<Email>,
}

impl ContactForm {
    /// Every problem at once. `signed_in`: the sender is known, so an address typed is ignored.
    pub fn validate(&self, signed_in: bool) -> Result<Contact, Vec<FieldError>> {
        let mut errors = Vec::new();
        let topic = Topic::parse(self.topic.trim());
        if topic.is_none() {
            let problem = if self.topic.trim().is_empty() { Problem::Required } else { Problem::NotAllowed };
            errors.push(FieldError::new(Field::Topic, problem));
        }
        let message = self.message.trim();
        let message_ok = check_length(Field::Message, message, MESSAGE_MIN_CHARS, MESSAGE_MAX_CHARS)
            .and_then(|()| check_visible_text(Field::Message, message, true))
            .map_err(|e| errors.push(e))
            .is_ok();
        let typed = self.email.as_deref().map(str::trim).filter(|e| !e.is_empty() && !signed_in);
        let email = match typed.map(Email::parse) {
            None => Ok(None),
            Some(Ok(email)) => Ok(Some(email)),
            Some(Err(error)) => Err(errors.push(error)),
        };
        match (topic, email) {
            (Some(topic), Ok(email)) if message_ok => Ok(Contact { topic, message: message.to_string(), email }),
            _ => Err(errors),
        }
    }
}

/// An admin's reply, trimmed.
pub fn parse_reply(text: &str) -> Result<String, FieldError> {
    let text = text.trim();
    check_length(Field::Reply, text, REPLY_MIN_CHARS, REPLY_MAX_CHARS)?;
    check_visible_text(Field::Reply, text, true)?;
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ContactForm {
        ContactForm {
            topic: "escrow".into(), message: "  托管的钱什么时候到账？请说明一下。 ".into(), email: None
        }
    }

    #[test]
    fn a_good_message_is_trimmed_and_filed() {
        let contact = form().validate(true).unwrap();
        assert_eq!(contact.topic, Topic::Escrow);
        assert_eq!(contact.message, "托管的钱什么时候到账？请说明一下。");
        assert_eq!(contact.email, None);
        for topic in Topic::ALL {
            assert_eq!(Topic::parse(topic.as_str()), Some(topic));
        }
    }

    #[test]
    fn a_visitor_may_leave_an_address_and_a_bad_one_is_refused() {
        let visitor = ContactForm { email: Some(" Guest@Example.cn ".into()), ..form() };
        assert_eq!(visitor.validate(false).unwrap().email.unwrap().as_str(), "guest@example.cn");
        assert_eq!(visitor.validate(true).unwrap().email, None, "a signed-in user is answered in the site");
        let bad = ContactForm { email: Some("nope".into()), ..form() };
        assert_eq!(bad.validate(false).unwrap_err(), vec![FieldError::new(Field::Email, Problem::InvalidEmail)]);
        let blank = ContactForm { email: Some("  ".into()), ..form() };
        assert_eq!(blank.validate(false).unwrap().email, None);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = ContactForm { topic: "refund-now".into(), message: "太短".into(), email: Some("x@".into()) };
        assert_eq!(
            bad.validate(false).unwrap_err(),
            vec![
                FieldError::new(Field::Topic, Problem::NotAllowed),
                FieldError::new(Field::Message, Problem::TooShort { min: MESSAGE_MIN_CHARS }),
                FieldError::new(Field::Email, Problem::InvalidEmail),
            ]
        );
        let empty = ContactForm::default();
        assert_eq!(
            empty.validate(true).unwrap_err(),
            vec![FieldError::new(Field::Topic, Problem::Required), FieldError::new(Field::Message, Problem::Required)]
        );
    }

    #[test]
    fn a_reply_says_something() {
        assert_eq!(parse_reply("  已处理，款项今天到账。 ").unwrap(), "已处理，款项今天到账。");
        assert_eq!(parse_reply(" ").unwrap_err(), FieldError::new(Field::Reply, Problem::Required));
        assert_eq!(
            parse_reply(&"字".repeat(2_001)).unwrap_err(),
            FieldError::new(Field::Reply, Problem::TooLong { max: REPLY_MAX_CHARS })
        );
    }
}
