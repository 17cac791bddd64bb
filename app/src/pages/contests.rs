//! Mentor challenges: the list (with real-name registration and, for mentors, the form to post one)
//! and each challenge with joining, submitting, and the mentor's award.

use crate::{
    api::contests::{
        contest, contests_page, AwardContestFn, CancelContestFn, CreateContestFn, JoinContestFn, SubmitEntryFn,
        VerifyIdentityFn,
    },
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        form::{label_text, ErrorLine, LabelAround},
        layout::use_session,
        style::{CARD, DANGER, INPUT, PRIMARY},
    },
    domain::{account::Role, validation::Field},
    html_text::textarea_text,
    i18n::*,
    views::contests::{ContestDetail, ContestStatus, ContestSummary, ContestsPage as PageData},
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use uuid::Uuid;

fn status_label(i18n: leptos_i18n::I18nContext<Locale>, status: ContestStatus) -> &'static str {
    match status {
        ContestStatus::Open => t_string!(i18n, contest_open),
        ContestStatus::Awarded => t_string!(i18n, contest_awarded),
        ContestStatus::Cancelled => t_string!(i18n, contest_cancelled),
    }
}

#[component]
pub fn ContestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let verify = ServerAction::<VerifyIdentityFn>::new();
    let create = ServerAction::<CreateContestFn>::new();
    let page = Resource::new(|| (), |_| contests_page());
    let session = use_session();
    view! {
        <section class="mb-5">
            <h1 class="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">{t!(i18n, contests_title)}</h1>
            <p class="mt-1 text-sm text-slate-500">{t!(i18n, contests_subtitle)}</p>
        </section>
        <Transition fallback=|| view! { <div class="h-48 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                let is_developer = matches!(session.user.await, Ok(Some(user)) if user.role == Role::Developer);
                match page.await {
                    Ok(data) => view! { <ContestList data is_developer verify create /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ContestList(
    data: PageData,
    is_developer: bool,
    verify: ServerAction<VerifyIdentityFn>,
    create: ServerAction<CreateContestFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let PageData { contests, can_create, verified_as } = data;
    view! {
        <div class="grid gap-5 lg:grid-cols-[1fr_20rem]">
            <div class="min-w-0">
                {if contests.is_empty() {
                    view! {
                        <p class="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-sm text-slate-500">
                            {t!(i18n, contests_empty)}
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <ul class="space-y-3" data-testid="contest-list">
                            {contests.into_iter().map(|c| view! { <ContestCard contest=c /> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </div>
            <aside class="space-y-4">
                {match (is_developer, verified_as) {
                    (true, Some(name)) => view! {
                        <p class=format!("{CARD} text-sm text-emerald-700") data-testid="identity-verified">
                            {move || t_string!(i18n, identity_verified_as, name = name.clone())}
                        </p>
                    }
                    .into_any(),
                    (true, None) => view! { <IdentityForm verify /> }.into_any(),
                    _ => ().into_any(),
                }}
                {can_create.then(|| view! { <NewContestForm create /> })}
                <div class=format!("{CARD} text-xs text-slate-500")>{t!(i18n, contests_rules)}</div>
            </aside>
        </div>
    }
}

#[component]
fn ContestCard(contest: ContestSummary) -> impl IntoView {
    let i18n = use_i18n();
    let ContestSummary { id, title, mentor_name, prize, advanced, status, submit_by, entries } = contest;
    view! {
        <li class="relative rounded-xl border border-slate-200 bg-white p-4 shadow-sm hover:border-blue-200 hover:shadow-md" data-testid="contest-card">
            <div class="flex items-start justify-between gap-3">
                <h2 class="text-base font-semibold text-slate-900">
                    <A href=format!("/contests/{id}") attr:class="after:absolute after:inset-0 hover:text-blue-700">{title}</A>
                </h2>
                <span class="shrink-0 text-lg font-bold tabular-nums text-orange-700">{prize.display_yuan()}</span>
            </div>
            <div class="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
                <span class="rounded bg-slate-100 px-1.5 py-0.5 text-slate-700">{move || status_label(i18n, status)}</span>
                {advanced.then(|| view! { <span class="rounded bg-violet-100 px-1.5 py-0.5 font-medium text-violet-700">{t!(i18n, challenge_advanced)}</span> })}
                <span>{t!(i18n, contest_mentor)} ": " {mentor_name}</span>
                <span>{move || t_string!(i18n, contest_submit_by, date = submit_by.clone())}</span>
                <span>{move || t_string!(i18n, contest_entries, n = entries)}</span>
            </div>
        </li>
    }
}

#[component]
fn IdentityForm(verify: ServerAction<VerifyIdentityFn>) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || verify.value().get().and_then(Result::err));
    let message = move |field| Memo::new(move |_| field_message(i18n, error.get().as_ref(), field));
    view! {
        <ActionForm action=verify attr:class=format!("{CARD} space-y-2") attr:novalidate=true attr:data-testid="identity-form">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, identity_title)}</h2>
            <p class="text-xs text-slate-500">{t!(i18n, identity_hint)}</p>
            <LabelAround label=label_text(|i| t_string!(i, identity_real_name)) message=message(Field::RealName)>
                <input name="real_name" class=format!("{INPUT} mt-1") autocomplete="name" />
            </LabelAround>
            <LabelAround label=label_text(|i| t_string!(i, identity_id_number)) message=message(Field::IdNumber)>
                <input name="id_number" class=format!("{INPUT} mt-1") autocomplete="off" />
            </LabelAround>
            <button type="submit" class=format!("{PRIMARY} w-full") data-testid="verify-identity">{t!(i18n, identity_submit)}</button>
        </ActionForm>
    }
}

#[component]
fn NewContestForm(create: ServerAction<CreateContestFn>) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let message = move |field| Memo::new(move |_| field_message(i18n, error.get().as_ref(), field));
    view! {
        <ActionForm action=create attr:class=format!("{CARD} space-y-2") attr:novalidate=true attr:data-testid="new-contest">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, contest_new)}</h2>
            <LabelAround label=label_text(|i| t_string!(i, contest_field_title)) message=message(Field::Title)>
                <input name="form[title]" class=format!("{INPUT} mt-1") />
            </LabelAround>
            <LabelAround label=label_text(|i| t_string!(i, contest_field_brief)) message=message(Field::Description)>
                <textarea name="form[brief]" rows="5" class=format!("{INPUT} mt-1")></textarea>
            </LabelAround>
            <LabelAround label=label_text(|i| t_string!(i, contest_field_prize)) message=message(Field::Reward)>
                <input name="form[prize]" inputmode="decimal" class=format!("{INPUT} mt-1") placeholder="¥" />
            </LabelAround>
            <LabelAround label=label_text(|i| t_string!(i, contest_field_submit_by)) message=message(Field::Deadline)>
                <input type="date" name="form[submit_by]" class=format!("{INPUT} mt-1") />
            </LabelAround>
            <label class="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" name="form[advanced]" value="true" class="h-4 w-4 rounded border-slate-300" />
                {t!(i18n, contest_field_advanced)}
            </label>
            <button type="submit" class=format!("{PRIMARY} w-full") data-testid="create-contest">{t!(i18n, contest_create)}</button>
            <FormAlert error />
        </ActionForm>
    }
}

#[component]
pub fn ContestPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let join = ServerAction::<JoinContestFn>::new();
    let submit = ServerAction::<SubmitEntryFn>::new();
    let award = ServerAction::<AwardContestFn>::new();
    let cancel = ServerAction::<CancelContestFn>::new();
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => contest(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <A href="/contests" attr:class="text-sm text-blue-700 hover:underline">{t!(i18n, contests_back)}</A>
        <Transition fallback=|| view! { <div class="mt-4 h-64 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <ContestView detail join submit award cancel /> }.into_any(),
                    Err(error) => view! { <div class="mt-4"><ErrorPanel error /></div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ContestView(
    detail: ContestDetail,
    join: ServerAction<JoinContestFn>,
    submit: ServerAction<SubmitEntryFn>,
    award: ServerAction<AwardContestFn>,
    cancel: ServerAction<CancelContestFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let join_error = Signal::derive(move || join.value().get().and_then(Result::err));
    let submit_error = Signal::derive(move || submit.value().get().and_then(Result::err));
    let award_error = Signal::derive(move || award.value().get().and_then(Result::err));
    let cancel_error = Signal::derive(move || cancel.value().get().and_then(Result::err));
    let ContestDetail {
        summary,
        brief_html,
        winner_name,
        review,
        recommendation,
        entries,
        is_mentor,
        joined,
        needs_identity,
        needs_growth_pass,
        accepting,
    } = detail;
    let id = summary.id.to_string();
    let status = summary.status;
    let submissions: Vec<_> = entries.iter().filter(|e| e.submission.is_some()).cloned().collect();
    let my_entry = entries.first().cloned().filter(|_| !is_mentor);
    view! {
        <article class=format!("{CARD} mt-4") data-testid="contest">
            <div class="flex flex-wrap items-start justify-between gap-3">
                <h1 class="text-xl font-bold text-slate-900 sm:text-2xl">{summary.title.clone()}</h1>
                <span class="text-2xl font-bold tabular-nums text-orange-700">{summary.prize.display_yuan()}</span>
            </div>
            <div class="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-500">
                <span class="rounded bg-slate-100 px-1.5 py-0.5 text-slate-700" data-testid="contest-status">{move || status_label(i18n, status)}</span>
                {summary.advanced.then(|| view! { <span class="rounded bg-violet-100 px-1.5 py-0.5 font-medium text-violet-700">{t!(i18n, challenge_advanced)}</span> })}
                <span>{t!(i18n, contest_mentor)} ": " {summary.mentor_name.clone()}</span>
                <span>{t_string!(i18n, contest_submit_by, date = summary.submit_by.clone())}</span>
                <span>{t_string!(i18n, contest_entries, n = summary.entries)}</span>
            </div>
            <div class="prose-task mt-4 border-t border-slate-100 pt-4 text-sm leading-relaxed text-slate-700" inner_html=brief_html></div>
            <p class="mt-3 text-xs text-slate-500">{t!(i18n, contest_prize_note)}</p>
        </article>
        {winner_name.map(|winner| view! {
            <section class=format!("{CARD} mt-4 border-amber-200 bg-amber-50/50") data-testid="contest-winner">
                <h2 class="text-base font-semibold text-slate-900">{move || t_string!(i18n, contest_winner, name = winner.clone())}</h2>
                <h3 class="mt-3 text-xs font-medium text-slate-500">{t!(i18n, contest_review)}</h3>
                <p class="mt-1 whitespace-pre-wrap text-sm text-slate-800">{review.clone().unwrap_or_default()}</p>
                <h3 class="mt-3 text-xs font-medium text-slate-500">{t!(i18n, resume_recommendations)}</h3>
                <p class="mt-1 whitespace-pre-wrap text-sm text-slate-800">{recommendation.clone().unwrap_or_default()}</p>
            </section>
        })}
        // A developer's next step: verify, get the pass, join, or submit.
        {(!is_mentor && accepting).then(|| {
            let id = id.clone();
            if needs_identity {
                view! {
                    <p class=format!("{CARD} mt-4 text-sm text-slate-700")>
                        <A href="/contests" attr:class="font-medium text-blue-700 underline">{t!(i18n, contest_verify_first)}</A>
                    </p>
                }.into_any()
            } else if needs_growth_pass && !joined {
                view! {
                    <p class=format!("{CARD} mt-4 text-sm text-violet-700") data-testid="contest-needs-pass">
                        {t!(i18n, challenge_locked)} " · "
                        <A href="/membership" attr:class="font-medium underline">{t!(i18n, challenge_unlock)}</A>
                    </p>
                }.into_any()
            } else if !joined {
                view! {
                    <ActionForm action=join attr:class=format!("{CARD} mt-4")>
                        <input type="hidden" name="contest" value=id />
                        <button type="submit" class=PRIMARY data-testid="join-contest">{t!(i18n, contest_join)}</button>
                        <FormAlert error=join_error />
                    </ActionForm>
                }.into_any()
            } else {
                let mine = my_entry.clone();
                view! {
                    <ActionForm action=submit attr:class=format!("{CARD} mt-4 space-y-2") attr:novalidate=true attr:data-testid="submit-entry">
                        <h2 class="text-base font-semibold text-slate-900">{t!(i18n, contest_your_entry)}</h2>
                        <input type="hidden" name="contest" value=id />
                        <textarea name="submission" rows="5" class=INPUT placeholder=move || t_string!(i18n, contest_submission_placeholder)>
                            {textarea_text(mine.as_ref().and_then(|e| e.submission.clone()).unwrap_or_default())}
                        </textarea>
                        <ErrorLine message=Signal::derive(move || field_message(i18n, submit_error.get().as_ref(), Field::Message)) />
                        <input name="link" class=INPUT placeholder="https://" value=mine.as_ref().map(|e| e.link.clone()).unwrap_or_default() />
                        <ErrorLine message=Signal::derive(move || field_message(i18n, submit_error.get().as_ref(), Field::Link)) />
                        {mine.and_then(|e| e.submitted_at).map(|at| view! {
                            <p class="text-xs text-emerald-700" data-testid="entry-submitted">{move || t_string!(i18n, contest_submitted_at, at = at.clone())}</p>
                        })}
                        <button type="submit" class=PRIMARY data-testid="send-entry">{t!(i18n, contest_submit)}</button>
                        <FormAlert error=submit_error />
                    </ActionForm>
                }.into_any()
            }
        })}
        // The mentor's view: every submission, the award form, and calling it off while nobody has submitted.
        {(is_mentor && status == ContestStatus::Open).then(|| {
            let (award_id, cancel_id) = (id.clone(), id.clone());
            let none_yet = submissions.is_empty();
            view! {
                <section class=format!("{CARD} mt-4") data-testid="contest-entries">
                    <h2 class="text-base font-semibold text-slate-900">{t!(i18n, contest_submissions)}</h2>
                    {if none_yet {
                        view! { <p class="mt-2 text-sm text-slate-500">{t!(i18n, contest_no_submissions)}</p> }.into_any()
                    } else {
                        view! {
                            <ActionForm action=award attr:class="mt-3 space-y-3" attr:novalidate=true>
                                <input type="hidden" name="contest" value=award_id />
                                <ul class="space-y-2">
                                    {submissions.clone().into_iter().enumerate().map(|(n, entry)| view! {
                                        <li class="rounded-lg border border-slate-200 p-3" data-testid="contest-entry">
                                            <label class="flex items-center gap-2 text-sm font-medium text-slate-900">
                                                <input type="radio" name="winner" value=entry.developer_id.to_string() checked=n == 0 />
                                                {entry.developer_name.clone()}
                                            </label>
                                            <p class="mt-1 whitespace-pre-wrap text-sm text-slate-700">{entry.submission.clone().unwrap_or_default()}</p>
                                            {(!entry.link.is_empty()).then(|| view! {
                                                <a href=entry.link.clone() rel="noopener noreferrer nofollow" target="_blank" class="text-xs text-blue-700 hover:underline">{entry.link.clone()}</a>
                                            })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <textarea name="review" rows="3" class=INPUT placeholder=move || t_string!(i18n, contest_review_placeholder) data-testid="award-review"></textarea>
                                <ErrorLine message=Signal::derive(move || field_message(i18n, award_error.get().as_ref(), Field::Reason)) />
                                <textarea name="recommendation" rows="3" class=INPUT placeholder=move || t_string!(i18n, contest_recommendation_placeholder) data-testid="award-recommendation"></textarea>
                                <ErrorLine message=Signal::derive(move || field_message(i18n, award_error.get().as_ref(), Field::Message)) />
                                <button type="submit" class=PRIMARY data-testid="award-contest">{t!(i18n, contest_award)}</button>
                                <FormAlert error=award_error />
                            </ActionForm>
                        }.into_any()
                    }}
                    {none_yet.then(|| view! {
                        <ActionForm action=cancel attr:class="mt-3">
                            <input type="hidden" name="contest" value=cancel_id />
                            <button type="submit" class=DANGER data-testid="cancel-contest">{t!(i18n, contest_cancel)}</button>
                            <FormAlert error=cancel_error />
                        </ActionForm>
                    })}
                </section>
            }
        })}
    }
}
