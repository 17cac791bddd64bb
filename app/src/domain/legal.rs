//! The platform's legal documents (用户协议, 隐私政策, 平台规则): each has a version, and an account
//! must have accepted the current version of the ones sign-up agrees to. Bumping a version here is
//! how a changed text is put before every user again: their next page asks for consent.

use serde::{Deserialize, Serialize};

/// The version of 用户协议 in force. Raise it when its text changes in substance.
pub const TERMS_VERSION: u32 = 1;
/// The version of 隐私政策 in force.
pub const PRIVACY_VERSION: u32 = 1;
/// The version of 平台规则 in force. Its figures come from the rules themselves (fees, lifecycle,
/// credit), so only a change of wording raises it.
pub const RULES_VERSION: u32 = 1;
/// The day the current versions took effect (China time), shown under each title.
pub const EFFECTIVE_DATE: &str = "2026-12-07";

/// The page every signed-in page sends a user to while a consent is due.
pub const CONSENT_PATH: &str = "/legal/consent";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Document {
    Terms,
    Privacy,
    Rules,
}

impl Document {
    pub const ALL: [Document; 3] = [Document::Terms, Document::Privacy, Document::Rules];
    /// What signing up agrees to, and what a newer version of asks for consent again. The rules
    /// are part of the terms (the terms point to them), so they are not accepted separately.
    pub const CONSENTED: [Document; 2] = [Document::Terms, Document::Privacy];

    pub fn as_str(self) -> &'static str {
        match self {
            Document::Terms => "terms",
            Document::Privacy => "privacy",
            Document::Rules => "rules",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Document::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// The version in force.
    pub fn version(self) -> u32 {
        match self {
            Document::Terms => TERMS_VERSION,
            Document::Privacy => PRIVACY_VERSION,
            Document::Rules => RULES_VERSION,
        }
    }

    /// Where it is read: `/legal/terms`.
    pub fn path(self) -> String {
        format!("/legal/{}", self.as_str())
    }
}

/// The documents whose current version the user has not accepted yet, given every (document,
/// version) they have accepted. Nothing accepted (an account from before consent was asked) means
/// every consented document is due.
pub fn consent_due(accepted: &[(Document, u32)]) -> Vec<Document> {
    Document::CONSENTED
        .into_iter()
        .filter(|doc| !accepted.iter().any(|(d, version)| d == doc && *version >= doc.version()))
        .collect()
}

/// The versions in force of what is consented to, as one text ("terms:1,privacy:1"). A session that
/// found its user's consent current keeps it, so later pages need no lookup; a raised version no
/// longer matches and asks the database again.
pub fn consent_stamp() -> String {
    Document::CONSENTED.iter().map(|d| format!("{}:{}", d.as_str(), d.version())).collect::<Vec<_>>().join(",")
}

/// Whether a signed-in user with a consent due may still open `path`: the consent page itself and
/// the documents it links to, help, logging in and out, the language switch, and everything that is
/// not a page (server functions, scripts and styles, files).
pub fn open_while_consent_due(path: &str) -> bool {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    ["/legal", "/help", "/login", "/register", "/language", "/api", "/pkg", "/files", "/healthz"]
        .into_iter()
        .any(under)
        // Static files (favicon.svg, robots.txt): a last segment with a dot is never a page.
        || path.rsplit('/').next().is_some_and(|last| last.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_round_trips_and_has_a_page() {
        for doc in Document::ALL {
            assert_eq!(Document::parse(doc.as_str()), Some(doc));
            assert_eq!(doc.path(), format!("/legal/{}", doc.as_str()));
            assert!(doc.version() >= 1);
        }
        assert_eq!(Document::parse("cookies"), None);
    }

    #[test]
    fn the_current_versions_satisfy_and_nothing_less_does() {
        let current: Vec<(Document, u32)> = Document::CONSENTED.iter().map(|d| (*d, d.version())).collect();
        assert!(consent_due(&current).is_empty());
        assert_eq!(consent_due(&[]), vec![Document::Terms, Document::Privacy], "never asked: both are due");
        let older_terms = [(Document::Terms, TERMS_VERSION - 1), (Document::Privacy, PRIVACY_VERSION)];
        assert_eq!(consent_due(&older_terms), vec![Document::Terms], "an older terms version asks again");
        let both = [
            (Document::Terms, TERMS_VERSION - 1),
            (Document::Terms, TERMS_VERSION),
            (Document::Privacy, PRIVACY_VERSION),
        ];
        assert!(consent_due(&both).is_empty(), "the history keeps old versions beside the new one");
        assert_eq!(consent_due(&[(Document::Rules, 99)]), vec![Document::Terms, Document::Privacy]);
    }

    #[test]
    fn a_user_with_a_consent_due_can_reach_only_what_consenting_needs() {
        for open in [
            "/legal/consent",
            "/legal/terms",
            "/help",
            "/help/growth",
            "/login",
            "/api/logout",
            "/pkg/codelink.js",
            "/favicon.svg",
            "/language/en",
        ] {
            assert!(open_while_consent_due(open), "{open}");
        }
        for gated in ["/", "/wallet", "/tasks/1", "/legalese", "/helpdesk", "/admin"] {
            assert!(!open_while_consent_due(gated), "{gated}");
        }
    }

    #[test]
    fn the_stamp_names_every_consented_version() {
        assert_eq!(consent_stamp(), format!("terms:{TERMS_VERSION},privacy:{PRIVACY_VERSION}"));
    }
}
