//! Turns error codes from the server into sentences in the reader's language.

use crate::{
    domain::{
        lifecycle::Refusal,
        money::Money,
        validation::{Field, FieldError, InvitationProblem, Problem},
    },
    error::AppError,
    i18n::*,
};
use leptos::prelude::*;

pub fn problem_text(i18n: leptos_i18n::I18nContext<Locale>, problem: Problem) -> String {
    match problem {
        Problem::Required => t_string!(i18n, error_required).to_string(),
        Problem::TooShort { min } => t_string!(i18n, error_too_short, min = min).to_string(),
        Problem::TooLong { max } => t_string!(i18n, error_too_long, max = max).to_string(),
        Problem::InvalidEmail => t_string!(i18n, error_invalid_email).to_string(),
        Problem::EmailTaken => t_string!(i18n, error_email_taken).to_string(),
        Problem::Taken => t_string!(i18n, error_taken).to_string(),
        Problem::InvalidHandle => t_string!(i18n, error_invalid_handle).to_string(),
        Problem::MonthNotOver => t_string!(i18n, error_month_not_over).to_string(),
        Problem::NotAllowed => t_string!(i18n, error_not_allowed).to_string(),
        Problem::InvalidAmount => t_string!(i18n, error_invalid_amount).to_string(),
        Problem::AmountOutOfRange { min_fen, max_fen } => t_string!(
            i18n,
            error_amount_range,
            min = Money::from_fen(min_fen).display_yuan(),
            max = Money::from_fen(max_fen).display_yuan()
        )
        .to_string(),
        Problem::InvalidDate => t_string!(i18n, error_invalid_date).to_string(),
        Problem::DateInPast => t_string!(i18n, error_date_in_past).to_string(),
        Problem::TooMany { max } => t_string!(i18n, error_too_many, max = max).to_string(),
        Problem::MilestonesDontAddUp => t_string!(i18n, error_milestones_sum).to_string(),
        Problem::PercentOutOfRange { min_bps, max_bps } => {
            t_string!(i18n, error_percent_range, min = min_bps / 100, max = max_bps / 100).to_string()
        }
        Problem::FileTooLarge { max_mb, total_mb } => {
            t_string!(i18n, error_file_too_large, max = max_mb, total = total_mb).to_string()
        }
        Problem::NotAnImage => t_string!(i18n, error_not_an_image).to_string(),
        Problem::NotYourFinishedTask => t_string!(i18n, error_not_your_finished_task).to_string(),
        Problem::AlreadyPinned => t_string!(i18n, error_already_pinned).to_string(),
        Problem::NumberOutOfRange { min, max } => t_string!(i18n, error_number_range, min = min, max = max).to_string(),
        Problem::LevelsOutOfOrder => t_string!(i18n, error_levels_out_of_order).to_string(),
        Problem::WrongAnswer => t_string!(i18n, error_wrong_answer).to_string(),
        Problem::InvalidPhone => t_string!(i18n, error_invalid_phone).to_string(),
        Problem::PhoneTaken => t_string!(i18n, error_phone_taken).to_string(),
        Problem::InvalidCode => t_string!(i18n, error_invalid_code).to_string(),
        Problem::WrongCode { attempts_left } => t_string!(i18n, error_wrong_code, left = attempts_left).to_string(),
        Problem::CodeExpired => t_string!(i18n, error_code_expired).to_string(),
        Problem::ResendTooSoon { seconds } => t_string!(i18n, error_resend_too_soon, seconds = seconds).to_string(),
        Problem::NotEnoughPoints { short } => t_string!(i18n, error_not_enough_points, short = short).to_string(),
        Problem::AlreadyOwned => t_string!(i18n, error_already_owned).to_string(),
        Problem::WrongPassword => t_string!(i18n, error_wrong_password).to_string(),
        Problem::ResetLinkInvalid => t_string!(i18n, error_reset_link_invalid).to_string(),
        Problem::InvalidSecondFactorCode => t_string!(i18n, error_invalid_second_factor_code).to_string(),
        Problem::WrongSecondFactorCode => t_string!(i18n, error_wrong_second_factor_code).to_string(),
        Problem::SecondStepExpired => t_string!(i18n, error_second_step_expired).to_string(),
        Problem::HiddenCharacters => t_string!(i18n, error_hidden_characters).to_string(),
        Problem::Reserved => t_string!(i18n, error_reserved).to_string(),
        Problem::Invitation { reason } => invitation_problem_text(i18n, reason),
        Problem::DateTooLate { latest_day } => {
            t_string!(i18n, error_date_too_late, date = crate::domain::quotes::date_of(latest_day)).to_string()
        }
        Problem::QuoteWithoutTerms => t_string!(i18n, error_quote_without_terms).to_string(),
        Problem::DateTooFar { max_days } => t_string!(i18n, error_date_too_far, days = max_days).to_string(),
    }
}

pub fn error_text(i18n: leptos_i18n::I18nContext<Locale>, error: &AppError) -> String {
    match error {
        // Field problems are shown under their fields; this is the summary for anything else.
        AppError::Invalid { fields } => fields
            .first()
            .map(|f| problem_text(i18n, f.problem))
            .unwrap_or_else(|| t_string!(i18n, error_request).to_string()),
        AppError::Unauthorized => t_string!(i18n, error_unauthorized).to_string(),
        AppError::Forbidden => t_string!(i18n, error_forbidden).to_string(),
        AppError::SecondFactorRequired => t_string!(i18n, error_second_factor_required).to_string(),
        AppError::CrossOrigin => t_string!(i18n, error_cross_origin).to_string(),
        AppError::RateLimited => t_string!(i18n, error_rate_limited).to_string(),
        AppError::WrongCredentials => t_string!(i18n, error_wrong_credentials).to_string(),
        AppError::NotFound => t_string!(i18n, error_not_found).to_string(),
        AppError::Refused { reason } => refusal_text(i18n, *reason),
        AppError::Restricted { reason, until } => restriction_text(i18n, *reason, until),
        AppError::InsufficientFunds { shortfall } => {
            t_string!(i18n, error_insufficient_funds, shortfall = shortfall.display_yuan()).to_string()
        }
        AppError::Internal => t_string!(i18n, error_internal).to_string(),
        AppError::Request { .. } => t_string!(i18n, error_request).to_string(),
        AppError::TooLarge => t_string!(i18n, error_too_large).to_string(),
    }
}

/// Why the user is restricted, and until when.
pub fn restriction_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    reason: crate::domain::credit::RestrictionReason,
    until: &str,
) -> String {
    use crate::domain::credit::RestrictionReason;
    match reason {
        RestrictionReason::BadReviews { count } => {
            t_string!(i18n, restricted_bad_reviews, count = count, until = until.to_string()).to_string()
        }
        RestrictionReason::DisputesLost { count } => {
            t_string!(i18n, restricted_disputes_lost, count = count, until = until.to_string()).to_string()
        }
        RestrictionReason::Suspended { days } => {
            t_string!(i18n, restricted_suspended, days = days, until = until.to_string()).to_string()
        }
    }
}

pub fn refusal_text(i18n: leptos_i18n::I18nContext<Locale>, reason: Refusal) -> String {
    match reason {
        Refusal::NotYourTurn => t_string!(i18n, refusal_not_your_turn).to_string(),
        Refusal::WrongState => t_string!(i18n, refusal_wrong_state).to_string(),
        Refusal::NoChangeRoundsLeft => t_string!(i18n, refusal_no_rounds_left).to_string(),
        Refusal::NeedsDeveloperConsent => t_string!(i18n, refusal_needs_consent).to_string(),
        Refusal::RewardLowered => t_string!(i18n, refusal_reward_lowered).to_string(),
        Refusal::AlreadyApplied => t_string!(i18n, refusal_already_applied).to_string(),
        Refusal::OwnTask => t_string!(i18n, refusal_own_task).to_string(),
        Refusal::LevelTooLow => t_string!(i18n, refusal_level_too_low).to_string(),
        Refusal::TooManyOpenApplications => t_string!(i18n, refusal_too_many_applications).to_string(),
        Refusal::DailyApplicationLimit => t_string!(i18n, refusal_daily_application_limit).to_string(),
        Refusal::TooManyOpenTasks => t_string!(i18n, refusal_too_many_open_tasks).to_string(),
        Refusal::NeedsGrowthPass => t_string!(i18n, refusal_needs_growth_pass).to_string(),
        Refusal::NotWithdrawable => t_string!(i18n, refusal_not_withdrawable).to_string(),
    }
}

/// The message for one field, if the last submission reported a problem with it.
pub fn field_message(i18n: leptos_i18n::I18nContext<Locale>, error: Option<&AppError>, field: Field) -> Option<String> {
    error?.field_errors().iter().find(|e: &&FieldError| e.field == field).map(|e| problem_text(i18n, e.problem))
}

/// A red notice for errors that belong to no single field (wrong password, rate limit, ...).
#[component]
pub fn FormAlert(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().filter(|e| e.field_errors().is_empty()).map(|e| {
            view! {
                <p
                    role="alert"
                    class="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
                >
                    {error_text(i18n, &e)}
                </p>
            }
        })
    }
}

/// Makes the page's response carry `error`'s status (4xx for bad input or a refusal). A page that
/// shows the error only in part (field errors under a form, the rest of the page intact) calls it
/// too, so the answer to bad input is never a 200.
pub fn answer_status_of(error: &AppError) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            axum::http::StatusCode::from_u16(error.status()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}

/// A whole-page error state (for example a list that failed to load).
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    // A page that cannot show what was asked answers with the error's status (403 for someone
    // else's admin page, 404 for a task that does not exist), not a 200 with an apology: crawlers,
    // caches and monitors read the status. Pages render whole before sending (SsrMode::Async), so
    // the status is still free to set here.
    answer_status_of(&error);
    if error == AppError::SecondFactorRequired {
        return view! { <SecondFactorNotice /> }.into_any();
    }
    view! {
        <div
            role="alert"
            class="rounded-xl border border-red-200 bg-red-50 p-6 text-center text-sm text-red-700"
        >
            {move || error_text(i18n, &error)}
        </div>
    }
    .into_any()
}

/// What an admin page shows an admin who has no second factor yet: why, and where to enrol.
#[component]
pub fn SecondFactorNotice() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="alert" class="rounded-xl border border-amber-200 bg-amber-50 p-6 text-sm text-amber-900" data-testid="second-factor-required">
            <p class="font-semibold">{t!(i18n, error_second_factor_required)}</p>
            <p class="mt-1">{t!(i18n, second_factor_required_hint)}</p>
            <a href="/security#totp" class="mt-3 inline-block rounded-lg bg-amber-600 px-4 py-2 font-medium text-white hover:bg-amber-700">
                {t!(i18n, second_factor_enrol_link)}
            </a>
        </div>
    }
}

/// Why an invitation may not be sent, in the reader's language.
pub fn invitation_problem_text(i18n: leptos_i18n::I18nContext<Locale>, problem: InvitationProblem) -> String {
    match problem {
        InvitationProblem::NotYourTask => t_string!(i18n, task_invite_problem_not_your_task).to_string(),
        InvitationProblem::TaskNotOpen => t_string!(i18n, task_invite_problem_task_not_open).to_string(),
        InvitationProblem::CannotInviteYourself => t_string!(i18n, task_invite_problem_yourself).to_string(),
        InvitationProblem::NotADeveloper => t_string!(i18n, task_invite_problem_not_developer).to_string(),
        InvitationProblem::AlreadyInvited => t_string!(i18n, task_invite_problem_already_invited).to_string(),
        InvitationProblem::AlreadyApplied => t_string!(i18n, task_invite_problem_already_applied).to_string(),
        InvitationProblem::NotTakingInvitations => t_string!(i18n, task_invite_problem_paused).to_string(),
        InvitationProblem::TaskFull => {
            t_string!(i18n, task_invite_problem_task_full, max = crate::domain::invitations::PER_TASK_CAP).to_string()
        }
    }
}
