//! Words from the locale files for what is said outside a page's own view: a notification reads
//! the same in the bell's list and in the e-mail that carries it; the embeddable card image and the
//! record files speak the language their address asks for. Lower than pages, mail and the server's
//! file routes, so all of them take their words from here.

use crate::{
    domain::{legal::Document, notifications::NoticeKind, resume_card::CardLabels},
    i18n::*,
};

/// The language a file's address asks for (`?lang=en`, `en-US`…); anything else is Chinese, the
/// site's first language.
pub fn locale_of_param(lang: Option<&str>) -> Locale {
    match lang.map(str::to_ascii_lowercase).as_deref() {
        Some("en") | Some("en-us") | Some("en-gb") => Locale::en,
        _ => Locale::zh_CN,
    }
}

/// The cookie leptos_i18n renders from, which `/language/{locale}` sets.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// The language a page renders in for a request, decided as leptos_i18n decides it while rendering
/// (so a cached page is keyed by the language it is in): the language cookie (`LOCALE_COOKIE`)
/// when it names one of ours, else the best match among the browser's languages in the order
/// `Accept-Language` lists them, else Chinese.
pub fn locale_of_request(cookie: Option<&str>, accept_language: Option<&str>) -> Locale {
    use leptos_i18n::Locale as _;
    if let Some(locale) = cookie.and_then(|value| value.parse::<Locale>().ok()) {
        return locale;
    }
    let accepted: Vec<&str> = accept_language
        .unwrap_or_default()
        .split(',')
        .map(|language| language.split_once(';').map_or(language, |(tag, _)| tag))
        .collect();
    Locale::find_locale(&accepted)
}

/// The resume card image's words in `locale`.
pub fn card_labels(locale: Locale) -> CardLabels {
    CardLabels {
        tasks_done: td_string!(locale, card_tasks_done),
        badges: td_string!(locale, card_badges),
        rating: td_string!(locale, card_rating),
        xp: td_string!(locale, card_xp),
        skills: td_string!(locale, card_skills),
        no_skills: td_string!(locale, card_no_skills),
        verified: td_string!(locale, card_verified),
        title: td_string!(locale, card_title),
    }
}

/// The installable app's words (its manifest and offline page) in `locale`.
pub struct WebAppWords {
    pub name: &'static str,
    pub short_name: &'static str,
    pub description: &'static str,
    pub offline_title: &'static str,
    pub offline_body: &'static str,
    pub offline_retry: &'static str,
}

pub fn web_app_words(locale: Locale) -> WebAppWords {
    WebAppWords {
        name: td_string!(locale, seo_app_name),
        short_name: td_string!(locale, seo_app_short_name),
        description: td_string!(locale, seo_app_description),
        offline_title: td_string!(locale, seo_offline_title),
        offline_body: td_string!(locale, seo_offline_body),
        offline_retry: td_string!(locale, seo_offline_retry),
    }
}

/// A notice's sentence in `locale`: the list shows it, and the e-mail sender writes it.
pub fn notice_text(locale: Locale, kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::NewApplication => td_string!(locale, notice_new_application),
        NoticeKind::ApplicationAccepted => td_string!(locale, notice_application_accepted),
        NoticeKind::ApplicationNotChosen => td_string!(locale, notice_application_not_chosen),
        NoticeKind::ApplicationDeclined => td_string!(locale, notice_application_declined),
        NoticeKind::ApplicationExpired => td_string!(locale, notice_application_expired),
        NoticeKind::Delivered => td_string!(locale, notice_delivered),
        NoticeKind::ChangesRequested => td_string!(locale, notice_changes_requested),
        NoticeKind::Paid => td_string!(locale, notice_paid),
        NoticeKind::Rated => td_string!(locale, notice_rated),
        NoticeKind::RewardRaised => td_string!(locale, notice_reward_raised),
        NoticeKind::TaskCancelled => td_string!(locale, notice_task_cancelled),
        NoticeKind::CancelProposed => td_string!(locale, notice_cancel_proposed),
        NoticeKind::CancelAgreed => td_string!(locale, notice_cancel_agreed),
        NoticeKind::DisputeOpened => td_string!(locale, notice_dispute_opened),
        NoticeKind::DisputeSettled => td_string!(locale, notice_dispute_settled),
        NoticeKind::WithdrawalFailed => td_string!(locale, notice_withdrawal_failed),
        NoticeKind::SavedSearchMatch => td_string!(locale, notice_saved_search_match),
        NoticeKind::DeadlineSoon => td_string!(locale, notice_deadline_soon),
        NoticeKind::BadgeEarned => td_string!(locale, notice_badge_earned),
        NoticeKind::ReviewWaiting => td_string!(locale, notice_review_waiting),
        NoticeKind::ReviewRevealed => td_string!(locale, notice_review_revealed),
        NoticeKind::NewMessage => td_string!(locale, notice_new_message),
        NoticeKind::Restricted => td_string!(locale, notice_restricted),
        NoticeKind::TaskHeld => td_string!(locale, notice_task_held),
        NoticeKind::TaskApproved => td_string!(locale, notice_task_approved),
        NoticeKind::TaskRejected => td_string!(locale, notice_task_rejected),
        NoticeKind::TaskHidden => td_string!(locale, notice_task_hidden),
        NoticeKind::TaskRestored => td_string!(locale, notice_task_restored),
        NoticeKind::Suspended => td_string!(locale, notice_suspended),
        NoticeKind::GrowthAdjusted => td_string!(locale, notice_growth_adjusted),
        NoticeKind::MembershipRenewed => td_string!(locale, notice_membership_renewed),
        NoticeKind::MembershipEnded => td_string!(locale, notice_membership_ended),
        NoticeKind::PromotionRefunded => td_string!(locale, notice_promotion_refunded),
        NoticeKind::ContestEntry => td_string!(locale, notice_contest_entry),
        NoticeKind::ContestWon => td_string!(locale, notice_contest_won),
        NoticeKind::NewDevice => td_string!(locale, notice_new_device),
        NoticeKind::Invitation => td_string!(locale, notice_invitation),
        NoticeKind::SupportReply => td_string!(locale, notice_support_reply),
    }
}

/// A legal document's title (用户协议, 隐私政策, 平台规则): its page, the footer and the consent page.
pub fn document_title(locale: Locale, doc: Document) -> &'static str {
    match doc {
        Document::Terms => td_string!(locale, legal_terms_title),
        Document::Privacy => td_string!(locale, legal_privacy_title),
        Document::Rules => td_string!(locale, legal_rules_title),
    }
}

/// A notice kind's short name, for the e-mail preferences (a list of sentences reads badly there).
pub fn notice_short_name(locale: Locale, kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::NewApplication => td_string!(locale, notice_short_new_application),
        NoticeKind::ApplicationAccepted => td_string!(locale, notice_short_application_accepted),
        NoticeKind::ApplicationNotChosen => td_string!(locale, notice_short_application_not_chosen),
        NoticeKind::ApplicationDeclined => td_string!(locale, notice_short_application_declined),
        NoticeKind::ApplicationExpired => td_string!(locale, notice_short_application_expired),
        NoticeKind::Delivered => td_string!(locale, notice_short_delivered),
        NoticeKind::ChangesRequested => td_string!(locale, notice_short_changes_requested),
        NoticeKind::Paid => td_string!(locale, notice_short_paid),
        NoticeKind::Rated => td_string!(locale, notice_short_rated),
        NoticeKind::RewardRaised => td_string!(locale, notice_short_reward_raised),
        NoticeKind::TaskCancelled => td_string!(locale, notice_short_task_cancelled),
        NoticeKind::CancelProposed => td_string!(locale, notice_short_cancel_proposed),
        NoticeKind::CancelAgreed => td_string!(locale, notice_short_cancel_agreed),
        NoticeKind::DisputeOpened => td_string!(locale, notice_short_dispute_opened),
        NoticeKind::DisputeSettled => td_string!(locale, notice_short_dispute_settled),
        NoticeKind::WithdrawalFailed => td_string!(locale, notice_short_withdrawal_failed),
        NoticeKind::SavedSearchMatch => td_string!(locale, notice_short_saved_search_match),
        NoticeKind::DeadlineSoon => td_string!(locale, notice_short_deadline_soon),
        NoticeKind::BadgeEarned => td_string!(locale, notice_short_badge_earned),
        NoticeKind::ReviewWaiting => td_string!(locale, notice_short_review_waiting),
        NoticeKind::ReviewRevealed => td_string!(locale, notice_short_review_revealed),
        NoticeKind::NewMessage => td_string!(locale, notice_short_new_message),
        NoticeKind::Restricted => td_string!(locale, notice_short_restricted),
        NoticeKind::TaskHeld => td_string!(locale, notice_short_task_held),
        NoticeKind::TaskApproved => td_string!(locale, notice_short_task_approved),
        NoticeKind::TaskRejected => td_string!(locale, notice_short_task_rejected),
        NoticeKind::TaskHidden => td_string!(locale, notice_short_task_hidden),
        NoticeKind::TaskRestored => td_string!(locale, notice_short_task_restored),
        NoticeKind::Suspended => td_string!(locale, notice_short_suspended),
        NoticeKind::GrowthAdjusted => td_string!(locale, notice_short_growth_adjusted),
        NoticeKind::MembershipRenewed => td_string!(locale, notice_short_membership_renewed),
        NoticeKind::MembershipEnded => td_string!(locale, notice_short_membership_ended),
        NoticeKind::PromotionRefunded => td_string!(locale, notice_short_promotion_refunded),
        NoticeKind::ContestEntry => td_string!(locale, notice_short_contest_entry),
        NoticeKind::ContestWon => td_string!(locale, notice_short_contest_won),
        NoticeKind::NewDevice => td_string!(locale, notice_short_new_device),
        NoticeKind::Invitation => td_string!(locale, notice_short_invitation),
        NoticeKind::SupportReply => td_string!(locale, notice_short_support_reply),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_asks_for_english_or_gets_chinese() {
        assert_eq!(locale_of_param(Some("EN")), Locale::en);
        assert_eq!(locale_of_param(Some("en-us")), Locale::en);
        for other in [Some("fr"), Some("zh"), Some(""), None] {
            assert_eq!(locale_of_param(other), Locale::zh_CN, "{other:?}");
        }
    }

    #[test]
    fn a_request_renders_in_its_cookie_language_else_the_browsers() {
        assert_eq!(locale_of_request(Some("en"), Some("zh-CN,zh;q=0.9")), Locale::en);
        assert_eq!(locale_of_request(Some("zh-CN"), Some("en-US,en;q=0.9")), Locale::zh_CN);
        assert_eq!(locale_of_request(None, Some("en-US,en;q=0.9")), Locale::en);
        assert_eq!(locale_of_request(Some("klingon"), Some("en")), Locale::en);
        assert_eq!(locale_of_request(None, Some("zh-CN,zh;q=0.9,en;q=0.8")), Locale::zh_CN);
        assert_eq!(locale_of_request(None, Some("fr-FR")), Locale::zh_CN);
        assert_eq!(locale_of_request(None, None), Locale::zh_CN);
    }
}
