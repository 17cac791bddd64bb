//! Accounts: roles, and the rules a registration must pass. Parsing yields values that are valid by
//! construction (`NewAccount` cannot hold a malformed email or an admin role).

use super::validation::{check_length, check_visible_text, Field, FieldError, Problem};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Developer,
    Merchant,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Developer => "developer",
            Role::Merchant => "merchant",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "developer" => Some(Role::Developer),
            "merchant" => Some(Role::Merchant),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MerchantKind {
    Company,
    Team,
    Individual,
}

impl MerchantKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MerchantKind::Company => "company",
            MerchantKind::Team => "team",
            MerchantKind::Individual => "individual",
        }
    }

    pub fn parse(s: &str) -> Option<MerchantKind> {
        match s {
            "company" => Some(MerchantKind::Company),
            "team" => Some(MerchantKind::Team),
            "individual" => Some(MerchantKind::Individual),
            _ => None,
        }
    }
}

pub const PASSWORD_MIN_CHARS: u32 = 8;
/// Long enough for any passphrase, short enough that hashing it is never a denial of service.
pub const PASSWORD_MAX_CHARS: u32 = 128;
pub const DISPLAY_NAME_MIN_CHARS: u32 = 2;
pub const DISPLAY_NAME_MAX_CHARS: u32 = 32;
pub const EMAIL_MAX_CHARS: u32 = 254;

/// A syntactically plausible, lower-cased email address. Deliverability is a later, mailed check;
/// this only refuses what cannot be an address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, FieldError> {
        let value = raw.trim();
        check_length(Field::Email, value, 1, EMAIL_MAX_CHARS)?;
        let invalid = FieldError::new(Field::Email, Problem::InvalidEmail);
        let (local, domain) = value.split_once('@').ok_or(invalid)?;
        let well_formed = !local.is_empty()
            && local.chars().count() <= 64
            && !domain.contains('@')
            && domain.contains('.')
            && domain.split('.').all(|label| !label.is_empty())
            && !value.chars().any(|c| c.is_whitespace() || c.is_control());
        if well_formed {
            Ok(Email(value.to_lowercase()))
        } else {
            Err(invalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who may sign up through the form. There is no admin variant: admins come from the demo data or
/// the server's `create-admin` command, never from a web form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignupRole {
    Developer,
    Merchant(MerchantKind),
}

impl SignupRole {
    pub fn role(self) -> Role {
        match self {
            SignupRole::Developer => Role::Developer,
            SignupRole::Merchant(_) => Role::Merchant,
        }
    }

    pub fn merchant_kind(self) -> Option<MerchantKind> {
        match self {
            SignupRole::Developer => None,
            SignupRole::Merchant(kind) => Some(kind),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    pub email: Email,
    pub password: String,
    pub display_name: String,
    pub role: SignupRole,
    /// The invite code from the link the person came through, if any.
    pub invite: Option<String>,
    /// The person accepted the current terms and privacy policy (`domain::legal`); the account is
    /// created with that consent recorded. Only an operator's tool creates an account without it
    /// (that person is asked at their first login).
    pub consented: bool,
}

/// The raw registration form, exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationForm {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub role: String,
    #[serde(default)]
    pub merchant_kind: Option<String>,
    /// From `/register?invite=<code>`.
    #[serde(default)]
    pub invite: Option<String>,
    /// The box "I have read and agree to the terms and the privacy policy": required.
    #[serde(default)]
    pub consent: bool,
}

impl RegistrationForm {
    /// Every problem at once, so the form can mark all bad fields in one round trip.
    pub fn validate(&self) -> Result<NewAccount, Vec<FieldError>> {
        let mut errors = Vec::new();
        let email = Email::parse(&self.email).map_err(|e| errors.push(e)).ok();
        let password_ok = check_length(Field::Password, &self.password, PASSWORD_MIN_CHARS, PASSWORD_MAX_CHARS)
            .map_err(|e| errors.push(e))
            .is_ok();
        let display_name = self.display_name.trim();
        let name_ok = check_length(Field::DisplayName, display_name, DISPLAY_NAME_MIN_CHARS, DISPLAY_NAME_MAX_CHARS)
            .and_then(|()| check_visible_text(Field::DisplayName, display_name, false))
            .map_err(|e| errors.push(e))
            .is_ok();
        let role = match self.role.as_str() {
            "developer" => Some(SignupRole::Developer),
            "merchant" => match self.merchant_kind.as_deref().and_then(MerchantKind::parse) {
                Some(kind) => Some(SignupRole::Merchant(kind)),
                None => {
                    errors.push(FieldError::new(Field::MerchantKind, Problem::Required));
                    None
                }
            },
            "" => {
                errors.push(FieldError::new(Field::Role, Problem::Required));
                None
            }
            _ => {
                errors.push(FieldError::new(Field::Role, Problem::NotAllowed));
                None
            }
        };
        if !self.consent {
            errors.push(FieldError::new(Field::Consent, Problem::Required));
        }
        match (email, role) {
            (Some(email), Some(role)) if password_ok && name_ok && self.consent => {
                let invite = self.invite.as_deref().map(str::trim).filter(|code| !code.is_empty()).map(str::to_string);
                Ok(NewAccount {
                    email,
                    password: self.password.clone(),
                    display_name: display_name.to_string(),
                    role,
                    invite,
                    consented: true,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RegistrationForm {
        RegistrationForm {
            email: "Dev@Example.COM ".into(),
            password: "correct horse".into(),
            display_name: " 李雷 ".into(),
            role: "developer".into(),
            merchant_kind: None,
            invite: Some(" abc123 ".into()),
            consent: true,
        }
    }

    #[test]
    fn a_good_form_becomes_a_normalised_account() {
        let account = form().validate().unwrap();
        assert_eq!(account.email.as_str(), "dev@example.com");
        assert_eq!(account.display_name, "李雷");
        assert_eq!(account.role, SignupRole::Developer);
        assert_eq!(account.invite.as_deref(), Some("abc123"));
        let blank = RegistrationForm { invite: Some("  ".into()), ..form() };
        assert_eq!(blank.validate().unwrap().invite, None, "an empty invite is no invite");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in ["", "no-at-sign", "@x.cn", "a@", "a@b", "a@b..cn", "a b@c.cn", "a@b@c.cn"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(Email::parse("a.b+tag@mail.example.cn").is_ok());
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = RegistrationForm {
            email: "nope".into(),
            password: "short".into(),
            display_name: "x".repeat(10_000_000),
            role: "merchant".into(),
            merchant_kind: None,
            invite: None,
            consent: false,
        };
        let errors = bad.validate().unwrap_err();
        assert_eq!(
            errors,
            vec![
                FieldError::new(Field::Email, Problem::InvalidEmail),
                FieldError::new(Field::Password, Problem::TooShort { min: 8 }),
                FieldError::new(Field::DisplayName, Problem::TooLong { max: 32 }),
                FieldError::new(Field::MerchantKind, Problem::Required),
                FieldError::new(Field::Consent, Problem::Required),
            ]
        );
    }

    #[test]
    fn nobody_signs_up_without_accepting_the_terms() {
        let refused = RegistrationForm { consent: false, ..form() };
        assert_eq!(refused.validate().unwrap_err(), vec![FieldError::new(Field::Consent, Problem::Required)]);
        assert!(form().validate().unwrap().consented);
    }

    #[test]
    fn nobody_signs_up_as_admin() {
        let admin = RegistrationForm { role: "admin".into(), ..form() };
        assert_eq!(admin.validate().unwrap_err(), vec![FieldError::new(Field::Role, Problem::NotAllowed)]);
    }

    #[test]
    fn merchants_state_their_kind() {
        let merchant = RegistrationForm { role: "merchant".into(), merchant_kind: Some("team".into()), ..form() };
        assert_eq!(merchant.validate().unwrap().role, SignupRole::Merchant(MerchantKind::Team));
    }

    #[test]
    fn password_length_bounds() {
        let long = RegistrationForm { password: "p".repeat(129), ..form() };
        assert_eq!(long.validate().unwrap_err(), vec![FieldError::new(Field::Password, Problem::TooLong { max: 128 })]);
        let exact = RegistrationForm { password: "p".repeat(8), ..form() };
        assert!(exact.validate().is_ok());
    }
}
