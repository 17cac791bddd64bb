//! The platform rules (平台规则) as paragraphs, each with its figures taken from the rule the server
//! applies (`domain::fees`, `domain::lifecycle`, `domain::tasks`, `domain::credit`, …): the rules
//! page shows them all, and the help centre answers its questions with the same paragraphs, so the
//! two can never disagree with each other or with the server.

use crate::{
    domain::{credit, fees::percent_label, fees::CommissionRate, level::Level, lifecycle, membership, reviews, tasks},
    i18n::*,
};
use leptos::prelude::*;

const PARAGRAPH: &str = "mt-2 text-sm leading-relaxed text-slate-600";

/// "B −1% / A −2% / S −3%": the commission each developer level takes off.
fn level_discounts() -> String {
    Level::ALL
        .into_iter()
        .filter(|level| level.commission_discount_bps() > 0)
        .map(|level| format!("{} −{}", level.as_str(), percent_label(level.commission_discount_bps())))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// "C 5 / B 10 / A 20 / S 40": how many applications may wait for an answer at each level.
fn open_application_caps() -> String {
    Level::ALL
        .into_iter()
        .map(|level| format!("{} {}", level.as_str(), level.open_application_cap()))
        .collect::<Vec<_>>()
        .join(" / ")
}

#[component]
pub fn EscrowRule() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class=PARAGRAPH>{move || t_string!(i18n, legal_rules_escrow, days = lifecycle::AUTO_ACCEPT_AFTER_DAYS)}</p> }
}

#[component]
pub fn FeesRule() -> impl IntoView {
    let i18n = use_i18n();
    let min = percent_label(CommissionRate::MIN_BPS);
    let max = percent_label(CommissionRate::MAX_BPS);
    let default = CommissionRate::DEFAULT.percent_label();
    let floor = min.clone();
    view! {
        <p class=PARAGRAPH data-testid="rule-fees">
            {move || t_string!(i18n, legal_rules_fees, min = min.clone(), max = max.clone(), default = default.clone())}
        </p>
        <p class=PARAGRAPH>
            {move || t_string!(i18n, legal_rules_levels, discounts = level_discounts(), min = floor.clone())}
        </p>
    }
}

#[component]
pub fn AnswerRule() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class=PARAGRAPH data-testid="rule-answer">
            {move || t_string!(i18n, legal_rules_answer, hours = lifecycle::ANSWER_WITHIN_HOURS)}
        </p>
        <p class=PARAGRAPH>{move || t_string!(i18n, legal_rules_open_caps, caps = open_application_caps())}</p>
    }
}

#[component]
pub fn ChangesRule() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class=PARAGRAPH>
            {move || t_string!(i18n, legal_rules_changes, default = tasks::DEFAULT_CHANGE_ROUNDS, max = tasks::MAX_CHANGE_ROUNDS)}
        </p>
    }
}

#[component]
pub fn DisputesRule() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class=PARAGRAPH>{t!(i18n, legal_rules_disputes)}</p> }
}

#[component]
pub fn CreditRule() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class=PARAGRAPH>
            {move || t_string!(
                i18n,
                legal_rules_credit,
                base = credit::BASE,
                dispute = credit::PER_DISPUTE_LOST,
                cancel = credit::PER_CANCELLATION
            )}
        </p>
        <p class=PARAGRAPH>
            {move || t_string!(
                i18n,
                legal_rules_restriction,
                reviews = credit::BAD_REVIEWS_LIMIT,
                review_days = credit::BAD_REVIEWS_WINDOW_DAYS,
                disputes = credit::DISPUTES_LOST_LIMIT,
                dispute_days = credit::DISPUTES_WINDOW_DAYS,
                days = credit::RESTRICTION_DAYS
            )}
        </p>
        <p class=PARAGRAPH>{move || t_string!(i18n, legal_rules_reviews, days = reviews::REVEAL_AFTER_DAYS)}</p>
    }
}

#[component]
pub fn LimitsRule() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class=PARAGRAPH>
            {move || t_string!(
                i18n,
                legal_rules_limits,
                applications = membership::FREE_DAILY_APPLICATIONS,
                tasks = membership::FREE_OPEN_TASKS
            )}
        </p>
    }
}

#[component]
pub fn WithdrawalsRule() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class=PARAGRAPH>{t!(i18n, legal_rules_withdrawals)}</p> }
}

/// Every rule, under its heading, for the rules page.
#[component]
pub fn AllRules() -> impl IntoView {
    let i18n = use_i18n();
    let heading = "mt-6 text-base font-semibold text-slate-900";
    view! {
        <p class=PARAGRAPH>{t!(i18n, legal_rules_intro)}</p>
        <h2 class=heading id="escrow">{t!(i18n, legal_rules_escrow_title)}</h2>
        <EscrowRule />
        <h2 class=heading id="fees">{t!(i18n, legal_rules_fees_title)}</h2>
        <FeesRule />
        <h2 class=heading id="answer">{t!(i18n, legal_rules_answer_title)}</h2>
        <AnswerRule />
        <h2 class=heading id="changes">{t!(i18n, legal_rules_changes_title)}</h2>
        <ChangesRule />
        <h2 class=heading id="disputes">{t!(i18n, legal_rules_disputes_title)}</h2>
        <DisputesRule />
        <h2 class=heading id="credit">{t!(i18n, legal_rules_credit_title)}</h2>
        <CreditRule />
        <h2 class=heading id="limits">{t!(i18n, legal_rules_limits_title)}</h2>
        <LimitsRule />
        <h2 class=heading id="withdrawals">{t!(i18n, legal_rules_withdrawals_title)}</h2>
        <WithdrawalsRule />
        <p class=PARAGRAPH>{t!(i18n, legal_rules_offsite)}</p>
    }
}
