//! The task page's reviews: both sides' double-blind reviews of a completed task, the viewer's own
//! form while it may be written, and the subject's reply. The merchant page lists reviews with
//! `ReviewItem` too.

use crate::{
    api::reviews::{ReplyReviewFn, WriteReviewFn},
    components::{
        errors::FormAlert,
        style::{CARD, INPUT, PRIMARY, SECONDARY},
        user_link::UserLink,
    },
    domain::reviews::{Dimension, Subject},
    html_text::textarea_text,
    i18n::*,
    views::{
        reviews::{ReviewView, TaskReviews},
        tasks::Viewer,
    },
};
use leptos::prelude::*;
use uuid::Uuid;

fn dimension_label(i18n: leptos_i18n::I18nContext<Locale>, dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Quality => t_string!(i18n, review_quality),
        Dimension::Communication => t_string!(i18n, review_communication),
        Dimension::Timeliness => t_string!(i18n, review_timeliness),
        Dimension::Clarity => t_string!(i18n, review_clarity),
        Dimension::Responsiveness => t_string!(i18n, review_responsiveness),
        Dimension::PaymentSpeed => t_string!(i18n, review_payment_speed),
    }
}

/// Both sides' reviews of a completed task, and the viewer's own form while it may be written.
#[component]
pub fn ReviewSection(
    task: Uuid,
    viewer: Viewer,
    reviews: TaskReviews,
    write: ServerAction<WriteReviewFn>,
    reply: ServerAction<ReplyReviewFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let subject = match viewer {
        Viewer::Owner => Some(Subject::Developer),
        Viewer::Developer => Some(Subject::Merchant),
        _ => None,
    };
    let mine = reviews.visible.iter().find(|r| r.mine).cloned();
    let others: Vec<ReviewView> = reviews.visible.iter().filter(|r| !r.mine || r.revealed).cloned().collect();
    let days_left = reviews.days_left;
    let status_line = match (&mine, reviews.awaiting_mine, reviews.can_write) {
        (Some(review), _, true) if !review.revealed => {
            Some(t_string!(i18n, review_hidden_until, days = days_left).to_string())
        }
        (None, true, true) => Some(t_string!(i18n, review_waiting_for_you, days = days_left).to_string()),
        _ => None,
    };
    let form = subject.filter(|_| reviews.can_write).map(|subject| {
        let write_error = Signal::derive(move || write.value().get().and_then(Result::err));
        let previous = mine.clone().filter(|r| !r.revealed);
        view! {
            <ActionForm action=write attr:class="space-y-3 border-t border-slate-100 pt-3" attr:data-testid="review-form">
                <input type="hidden" name="task" value=task.to_string() />
                {subject
                    .dimensions()
                    .into_iter()
                    .zip(["first", "second", "third"])
                    .enumerate()
                    .map(|(index, (dimension, name))| {
                        let given = previous.as_ref().map(|r| r.scores.0[index]);
                        view! {
                            <fieldset class="flex flex-wrap items-center justify-between gap-2">
                                <legend class="float-left text-sm text-slate-700">{move || dimension_label(i18n, dimension)}</legend>
                                <div class="flex gap-1">
                                    {(1..=5u8)
                                        .map(|n| view! {
                                            <label class="cursor-pointer">
                                                <input type="radio" name=name value=n.to_string() class="peer sr-only" required checked=given == Some(n) />
                                                <span
                                                    class="block rounded-md border border-slate-200 px-2 py-1 text-sm text-slate-600 peer-checked:border-amber-400 peer-checked:bg-amber-50 peer-checked:text-amber-700 peer-focus-visible:ring-2 peer-focus-visible:ring-blue-200"
                                                    data-testid=format!("{}-{n}", dimension.field_name())
                                                >
                                                    {format!("{n}★")}
                                                </span>
                                            </label>
                                        })
                                        .collect_view()}
                                </div>
                            </fieldset>
                        }
                    })
                    .collect_view()}
                <textarea
                    name="body"
                    rows="2"
                    class=INPUT
                    placeholder=move || t_string!(i18n, review_body_placeholder)
                >
                    {textarea_text(previous.as_ref().map(|r| r.body.clone()).unwrap_or_default())}
                </textarea>
                <button type="submit" class=format!("{PRIMARY} w-full") data-testid="review-submit">
                    {t!(i18n, review_submit)}
                </button>
                <FormAlert error=write_error />
            </ActionForm>
        }
    });
    let empty = others.is_empty() && form.is_none() && status_line.is_none();
    (!empty).then(|| view! {
        <section class=CARD data-testid="reviews">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, reviews_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, reviews_blind_rule)}</p>
            {status_line.map(|line| view! { <p class="mt-2 rounded-lg bg-blue-50 px-3 py-2 text-sm text-blue-800" data-testid="review-status">{line}</p> })}
            <ul class="mt-3 space-y-3">
                {others.into_iter().map(|review| view! { <ReviewItem review reply task /> }).collect_view()}
            </ul>
            {form}
        </section>
    })
}

/// One review, its scores per dimension and the subject's reply; on the task's own page (`task`
/// given) its subject may answer it there.
#[component]
pub fn ReviewItem(
    review: ReviewView,
    #[prop(optional)] reply: Option<ServerAction<ReplyReviewFn>>,
    #[prop(optional)] task: Option<Uuid>,
) -> impl IntoView {
    let i18n = use_i18n();
    let subject = review.subject;
    let scores = review.scores.0;
    let stars = review.overall as usize;
    let heading = move || match subject {
        Subject::Developer => t_string!(i18n, review_of_developer),
        Subject::Merchant => t_string!(i18n, review_of_merchant),
    };
    let reply_form = reply.zip(task).filter(|_| review.can_reply);
    view! {
        <li class="rounded-lg border border-slate-100 p-3" data-testid="review">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <span class="text-sm font-medium text-slate-800">
                    {heading} " · " <UserLink name=review.author_name.clone() page=review.author_page.clone() />
                </span>
                <span class="text-sm" aria-label=format!("{stars}/5")>
                    <span class="text-amber-500">{"★".repeat(stars)}</span>
                    <span class="text-slate-300">{"★".repeat(5 - stars)}</span>
                </span>
            </div>
            <dl class="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-500">
                {subject
                    .dimensions()
                    .into_iter()
                    .zip(scores)
                    .map(|(dimension, score)| view! {
                        <div class="flex gap-1">
                            <dt>{move || dimension_label(i18n, dimension)}</dt>
                            <dd class="tabular-nums text-slate-700">{score}</dd>
                        </div>
                    })
                    .collect_view()}
            </dl>
            {(!review.body.is_empty()).then(|| view! { <p class="mt-2 text-sm text-slate-700">{review.body.clone()}</p> })}
            {(!review.revealed).then(|| view! { <p class="mt-1 text-xs text-slate-500">{t!(i18n, review_only_you)}</p> })}
            {review.reply.clone().map(|text| view! {
                <p class="mt-2 border-l-2 border-slate-200 pl-2 text-sm text-slate-600" data-testid="review-reply">
                    <span class="text-xs text-slate-500">{t!(i18n, review_reply_label)} " "</span>
                    {text}
                </p>
            })}
            {reply_form.map(|(reply, task)| view! {
                <ActionForm action=reply attr:class="mt-2 flex gap-2">
                    <input type="hidden" name="task" value=task.to_string() />
                    <input
                        name="reply"
                        required
                        class=INPUT
                        placeholder=move || t_string!(i18n, review_reply_placeholder)
                    />
                    <button type="submit" class=SECONDARY>{t!(i18n, review_reply_submit)}</button>
                </ActionForm>
                <FormAlert error=Signal::derive(move || reply.value().get().and_then(Result::err)) />
            })}
        </li>
    }
}
