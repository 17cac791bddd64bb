//! Quotes (报价) on the task page: the apply form's optional "propose terms" section, a quote
//! itemised for the merchant choosing (and the developer who sent it), the top-up a higher quote may
//! need, and the agreed terms in the timeline. Every figure comes from the view (`QuoteView`, built
//! with the task's own fee rules) or from `domain::quotes`; none is worked out here.

use super::{error_of, Actions};
use crate::{
    components::{
        errors::field_message,
        form::ErrorLine,
        style::{INPUT, SECONDARY},
    },
    domain::{
        lifecycle::ApplicationStatus,
        money::Money,
        quotes::{amount_bounds, latest_delivery, AgreedTerms, NOTE_MAX_CHARS},
        validation::Field,
    },
    error::AppError,
    i18n::*,
    views::{quotes::QuoteView, tasks::MilestoneView},
};
use leptos::prelude::*;
use leptos_router::components::A;

/// The apply form's "报价 / Propose terms" section: an amount per milestone, a delivery date and a
/// note, each with its bounds as a hint and the server's message under it. Open when the last
/// answer found a problem in it.
#[component]
pub(super) fn QuoteFields(milestones: Vec<MilestoneView>, deadline: String) -> impl IntoView {
    let i18n = use_i18n();
    let error = error_of(expect_context::<Actions>().apply);
    let message = move |field: Field| Signal::derive(move || field_message(i18n, error.get().as_ref(), field));
    let count = milestones.len();
    let has_problem = move || {
        error.get().is_some_and(|e| {
            e.field_errors()
                .iter()
                .any(|f| matches!(f.field, Field::QuoteAmount(_) | Field::QuoteDeliverBy | Field::QuoteNote))
        })
    };
    let latest = latest_delivery(&deadline).unwrap_or_default();
    let amounts = milestones
        .into_iter()
        .enumerate()
        .map(|(i, milestone)| {
            let before = milestone.split.reward;
            let (min, max) = amount_bounds(before);
            let position = i as u8 + 1;
            let title = milestone.title.clone();
            let label = move || match count {
                1 => t_string!(i18n, field_quote_amount).to_string(),
                _ => t_string!(i18n, field_quote_milestone, position = position, title = title.clone()).to_string(),
            };
            let hint = move || {
                t_string!(
                    i18n,
                    quote_amount_hint,
                    amount = before.display_yuan(),
                    min = min.display_yuan(),
                    max = max.display_yuan()
                )
                .to_string()
            };
            let id = format!("field-quote-amount-{position}");
            view! {
                <div class="space-y-1">
                    <label for=id.clone() class="block text-xs font-medium text-slate-700">{label}</label>
                    <input
                        id=id
                        name=format!("quote[amounts][{i}]")
                        inputmode="decimal"
                        class=INPUT
                        placeholder=before.plain_yuan()
                        data-testid="quote-amount"
                    />
                    <p class="text-xs text-slate-500">{hint}</p>
                    <ErrorLine message=message(Field::QuoteAmount(position)) testid="quote-amount-error" />
                </div>
            }
        })
        .collect_view();
    let date_hint = {
        let (deadline, latest) = (deadline.clone(), latest.clone());
        move || t_string!(i18n, quote_deliver_by_hint, deadline = deadline.clone(), latest = latest.clone()).to_string()
    };
    view! {
        <details class="rounded-lg border border-slate-200 p-3" open=has_problem data-testid="quote-fields">
            <summary class="cursor-pointer text-sm font-medium text-slate-700">{t!(i18n, quote_section)}</summary>
            <div class="mt-2 space-y-3">
                <p class="text-xs text-slate-500">{t!(i18n, quote_section_hint)}</p>
                {amounts}
                <div class="space-y-1">
                    <label for="field-quote-deliver-by" class="block text-xs font-medium text-slate-700">
                        {t!(i18n, field_quote_deliver_by)}
                    </label>
                    <input
                        id="field-quote-deliver-by"
                        name="quote[deliver_by]"
                        type="date"
                        max=latest
                        class=INPUT
                        data-testid="quote-deliver-by"
                    />
                    <p class="text-xs text-slate-500">{date_hint}</p>
                    <ErrorLine message=message(Field::QuoteDeliverBy) testid="quote-deliver-by-error" />
                </div>
                <div class="space-y-1">
                    <label for="field-quote-note" class="block text-xs font-medium text-slate-700">
                        {t!(i18n, field_quote_note)}
                    </label>
                    <textarea
                        id="field-quote-note"
                        name="quote[note]"
                        rows="2"
                        maxlength=NOTE_MAX_CHARS.to_string()
                        class=INPUT
                        placeholder=move || t_string!(i18n, field_quote_note_placeholder)
                        data-testid="quote-note"
                    ></textarea>
                    <ErrorLine message=message(Field::QuoteNote) testid="quote-note-error" />
                </div>
            </div>
        </details>
    }
}

/// One application's quote, itemised: what the merchant pays in all, the commission at the rate the
/// applicant would be paid at, what the applicant receives, each milestone's amount, the delivery
/// date and the note. `show_escrow`: the escrow's change on choosing (for the merchant's list).
#[component]
pub(super) fn QuoteSummary(
    quote: QuoteView,
    status: ApplicationStatus,
    #[prop(default = false)] show_escrow: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let row = "flex items-center justify-between gap-4 py-1";
    let before = quote.reward_before;
    let change = quote.escrow_change;
    let split = quote.split.map(|split| {
        view! {
            <dl class="divide-y divide-amber-100 text-sm">
                <div class=row>
                    <dt class="text-slate-600">{t!(i18n, quote_merchant_pays)}</dt>
                    <dd class="font-semibold tabular-nums text-slate-900">
                        <span data-testid="quote-total">{split.reward.display_yuan()}</span>
                        <span class="ml-1 text-xs font-normal text-slate-500">
                            {move || t_string!(i18n, quote_was, amount = before.display_yuan())}
                        </span>
                    </dd>
                </div>
                <div class=row>
                    <dt class="text-slate-600">
                        {move || t_string!(i18n, split_commission, rate = split.rate.percent_label())}
                    </dt>
                    <dd class="tabular-nums text-slate-700" data-testid="quote-commission">
                        {format!("−{}", split.commission.display_yuan())}
                    </dd>
                </div>
                <div class=row>
                    <dt class="font-medium text-slate-700">{t!(i18n, split_developer_receives)}</dt>
                    <dd class="font-semibold tabular-nums text-emerald-700" data-testid="quote-developer">
                        {split.developer_receives.display_yuan()}
                    </dd>
                </div>
            </dl>
        }
    });
    let milestones = (quote.milestones.len() > 1).then(|| {
        quote
            .milestones
            .iter()
            .map(|m| {
                let (before, amount) = (m.before, m.split.reward);
                view! {
                    <li class="flex justify-between gap-3" data-testid="quote-milestone">
                        <span class="truncate">{format!("#{} {}", m.position, m.title)}</span>
                        <span class="tabular-nums">
                            {amount.display_yuan()}
                            <span class="ml-1 text-slate-500">
                                {move || t_string!(i18n, quote_was, amount = before.display_yuan())}
                            </span>
                        </span>
                    </li>
                }
            })
            .collect_view()
    });
    let escrow = (show_escrow && change != Money::default()).then(|| {
        let amount = Money::from_fen(change.fen().abs()).display_yuan();
        let text = move || match (status, change.fen() > 0) {
            (ApplicationStatus::Accepted, true) => t_string!(i18n, quote_topped_up, amount = amount.clone()),
            (ApplicationStatus::Accepted, false) => t_string!(i18n, quote_refunded, amount = amount.clone()),
            (_, true) => t_string!(i18n, quote_top_up, amount = amount.clone()),
            (_, false) => t_string!(i18n, quote_refund, amount = amount.clone()),
        };
        let shown = matches!(status, ApplicationStatus::Pending | ApplicationStatus::Accepted);
        shown.then(|| view! { <p class="text-xs text-amber-800" data-testid="quote-escrow-change">{text}</p> })
    });
    let deliver_by = quote.deliver_by.clone().map(|date| {
        view! {
            <p class="text-xs text-slate-700" data-testid="quote-deliver-by-shown">
                {move || t_string!(i18n, quote_deliver_by, date = date.clone())}
            </p>
        }
    });
    view! {
        <div class="mt-2 space-y-1.5 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2" data-testid="quote">
            <div class="text-xs font-semibold text-amber-900">{t!(i18n, quote_title)}</div>
            {split}
            {milestones.map(|items| view! { <ul class="space-y-0.5 text-xs text-slate-600">{items}</ul> })}
            {escrow}
            {deliver_by}
            {(!quote.note.is_empty())
                .then(|| view! { <p class="whitespace-pre-wrap text-sm text-slate-700" data-testid="quote-note-shown">{quote.note.clone()}</p> })}
        </div>
    }
}

/// Under the choose button: a merchant whose balance cannot cover a higher quote is offered the
/// top-up of exactly the shortfall (the refusal itself says how much is missing), and the wallet.
#[component]
pub(super) fn ShortfallTopUp(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let actions = expect_context::<Actions>();
    move || match error.get() {
        Some(AppError::InsufficientFunds { shortfall }) => Some(view! {
            <div class="mt-2 flex flex-wrap gap-2" data-testid="quote-shortfall">
                <ActionForm action=actions.deposit>
                    <input type="hidden" name="amount" value=shortfall.plain_yuan() />
                    <button type="submit" class=SECONDARY data-testid="top-up-shortfall">
                        {move || t_string!(i18n, action_top_up_amount, amount = shortfall.display_yuan())}
                    </button>
                </ActionForm>
                <A href="/wallet" attr:class=SECONDARY>{t!(i18n, action_top_up)}</A>
            </div>
        }),
        _ => None,
    }
}

/// A timeline note in the reader's language: the agreed terms are stored as data
/// (`AgreedTerms::note`) and worded here; any other note is shown as written.
pub(super) fn event_note(i18n: leptos_i18n::I18nContext<Locale>, kind: &str, note: &str) -> String {
    let Some(terms) = (kind == "terms_agreed").then(|| AgreedTerms::parse(note)).flatten() else {
        return note.to_string();
    };
    let mut parts = Vec::new();
    if let Some((from, to)) = terms.reward {
        parts
            .push(t_string!(i18n, terms_agreed_reward, from = from.display_yuan(), to = to.display_yuan()).to_string());
    }
    if let Some((from, to)) = terms.deadline {
        parts.push(t_string!(i18n, terms_agreed_deadline, from = from, to = to).to_string());
    }
    parts.join(" · ")
}
