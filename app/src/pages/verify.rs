//! Verification pages a reader of a resume card lands on: `/verify/task/{id}` and
//! `/verify/badge/{handle}/{slug}` confirm from CodeLink's own records who did what, for whom and
//! when (server-rendered, so they work with JS off), and `/verify` checks an Open Badges credential
//! someone shows you.

use crate::{
    api::{
        credentials::check_credential,
        resume::{verify_badge, verify_task},
    },
    components::{
        errors::{ErrorPanel, FormAlert},
        form::{label_text, send_upload, LabelOver},
        style::{CARD, INPUT, PRIMARY},
        task_card::TagChip,
    },
    i18n::*,
    pages::resume::stars,
    views::{
        credentials::CredentialVerdict,
        resume::{BadgeVerification, TaskVerification},
    },
};
use leptos::{prelude::*, server_fn::codec::MultipartData};
use leptos_router::{components::A, hooks::use_params_map};
use send_wrapper::SendWrapper;
use web_sys::FormData;

/// The green "confirmed by CodeLink" frame both verification pages share.
#[component]
fn Confirmed(heading: Signal<String>, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <article class="mx-auto max-w-2xl" data-testid="verified">
            <div class="rounded-t-xl bg-emerald-600 px-5 py-4 text-white">
                <p class="text-sm font-medium opacity-90">{t!(i18n, verify_confirmed)}</p>
                <h1 class="mt-1 text-xl font-bold">{heading}</h1>
            </div>
            <div class=format!("{CARD} rounded-t-none border-t-0")>
                <dl class="grid grid-cols-[7rem_1fr] gap-x-4 gap-y-3 text-sm">{children()}</dl>
                <p class="mt-5 border-t border-slate-100 pt-3 text-xs text-slate-500">{t!(i18n, verify_footer)}</p>
            </div>
        </article>
    }
}

#[component]
fn Row(label: Signal<String>, children: Children) -> impl IntoView {
    view! {
        <dt class="text-slate-500">{label}</dt>
        <dd class="min-w-0 text-slate-900">{children()}</dd>
    }
}

#[component]
pub fn VerifyTaskPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|id| uuid::Uuid::parse_str(&id).ok()));
    let record = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => verify_task(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <div class="mx-auto h-72 max-w-2xl animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(record) => view! { <TaskRecord record /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TaskRecord(record: TaskVerification) -> impl IntoView {
    let i18n = use_i18n();
    let TaskVerification {
        task_id: _,
        title,
        developer,
        handle,
        merchant,
        posted_on,
        accepted_on,
        stars: rated,
        comment,
        tags,
    } = record;
    let heading = Signal::derive(move || t_string!(i18n, verify_task_heading).to_string());
    view! {
        <Confirmed heading>
            <Row label=Signal::derive(move || t_string!(i18n, verify_task_title).to_string())>
                <span class="font-medium" data-testid="verified-title">{title}</span>
            </Row>
            <Row label=Signal::derive(move || t_string!(i18n, verify_developer).to_string())>
                <A href=format!("/u/{handle}") attr:class="text-blue-700 hover:underline" attr:data-testid="verified-developer">{developer}</A>
            </Row>
            <Row label=Signal::derive(move || t_string!(i18n, verify_merchant).to_string())>
                <span data-testid="verified-merchant">
                    {match merchant {
                        Some(name) => name.into_any(),
                        None => view! { <span class="text-slate-500">{t!(i18n, resume_merchant_private)}</span> }.into_any(),
                    }}
                </span>
            </Row>
            <Row label=Signal::derive(move || t_string!(i18n, verify_dates).to_string())>
                {move || t_string!(i18n, verify_dates_value, posted = posted_on.clone(), accepted = accepted_on.clone())}
            </Row>
            <Row label=Signal::derive(move || t_string!(i18n, verify_rating).to_string())>
                {match rated {
                    Some(n) => view! {
                        <span class="text-amber-500">{stars(n)}</span>
                        {(!comment.is_empty()).then(|| view! { <p class="mt-1 text-slate-600">"“" {comment.clone()} "”"</p> })}
                    }
                        .into_any(),
                    None => view! { <span class="text-slate-500">{t!(i18n, verify_not_rated)}</span> }.into_any(),
                }}
            </Row>
            <Row label=Signal::derive(move || t_string!(i18n, verify_skills).to_string())>
                <ul class="flex flex-wrap gap-1.5">{tags.into_iter().map(|tag| view! { <TagChip tag /> }).collect_view()}</ul>
            </Row>
        </Confirmed>
    }
}

#[component]
pub fn VerifyBadgePage() -> impl IntoView {
    let params = use_params_map();
    let key = Memo::new(move |_| {
        let params = params.read();
        (params.get("handle").unwrap_or_default(), params.get("slug").unwrap_or_default())
    });
    let record = Resource::new(move || key.get(), |(handle, slug)| verify_badge(handle, slug));
    view! {
        <Transition fallback=|| view! { <div class="mx-auto h-72 max-w-2xl animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(record) => view! { <BadgeRecord record /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BadgeRecord(record: BadgeVerification) -> impl IntoView {
    let i18n = use_i18n();
    let BadgeVerification { badge, developer, handle, evidence } = record;
    let english = move || i18n.get_locale() == Locale::en;
    let (name_zh, name_en) = (badge.name_zh.clone(), badge.name_en.clone());
    let heading = Signal::derive(move || {
        t_string!(i18n, verify_badge_heading, badge = if english() { name_en.clone() } else { name_zh.clone() })
            .to_string()
    });
    let credential = format!("/u/{handle}/credentials/badge/{}", badge.slug);
    let (description_zh, description_en) = (badge.description_zh, badge.description_en);
    view! {
        <Confirmed heading>
            <Row label=Signal::derive(move || t_string!(i18n, verify_developer).to_string())>
                <A href=format!("/u/{handle}") attr:class="text-blue-700 hover:underline" attr:data-testid="verified-developer">{developer}</A>
            </Row>
            <Row label=Signal::derive(move || t_string!(i18n, verify_badge_rule).to_string())>
                {move || if english() { description_en.clone() } else { description_zh.clone() }}
            </Row>
            <Row label=Signal::derive(move || t_string!(i18n, verify_earned_on).to_string())>{badge.earned_at}</Row>
            <Row label=Signal::derive(move || t_string!(i18n, verify_evidence).to_string())>
                {match evidence {
                    Some((task_id, title)) => view! {
                        <A href=format!("/verify/task/{task_id}") attr:class="text-blue-700 hover:underline" attr:data-testid="badge-evidence">{title}</A>
                    }
                        .into_any(),
                    None => view! { <span class="text-slate-500">{t!(i18n, verify_no_evidence)}</span> }.into_any(),
                }}
            </Row>
            <Row label=Signal::derive(move || t_string!(i18n, verify_credential).to_string())>
                <a href=credential class="text-blue-700 hover:underline" download="" data-testid="download-credential">
                    {t!(i18n, verify_download_credential)}
                </a>
                <p class="mt-1 text-xs text-slate-500">{t!(i18n, verify_credential_hint)}</p>
            </Row>
        </Confirmed>
    }
}

/// `/verify`: upload, paste or link an Open Badges credential; the answer says whether CodeLink
/// issued it, unedited, and whether it still stands.
#[island]
pub fn CredentialCheckPage() -> impl IntoView {
    let i18n = crate::island_i18n();
    let check = Action::new(|form: &SendWrapper<FormData>| check_credential(MultipartData::from((**form).clone())));
    let error = Signal::derive(move || check.value().get().and_then(Result::err));
    view! {
        <div class="mx-auto max-w-2xl space-y-5">
            <div>
                <h1 class="text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, check_title)}</h1>
                <p class="mt-1 text-sm text-slate-500">{t!(i18n, check_subtitle)}</p>
            </div>
            <form
                class=format!("{CARD} space-y-4")
                on:submit=send_upload(check)
            >
                <LabelOver label=label_text(|i| t_string!(i, check_file)) id="credential-file">
                    <input
                        id="credential-file"
                        type="file"
                        name="file"
                        accept=".json,application/json,application/ld+json"
                        data-testid="credential-file"
                        class="block w-full text-sm text-slate-600 file:mr-3 file:rounded-lg file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-200"
                    />
                </LabelOver>
                <LabelOver label=label_text(|i| t_string!(i, check_paste)) id="credential-json">
                    <textarea id="credential-json" name="document" rows="6" class=format!("{INPUT} font-mono text-xs") placeholder="{ \"@context\": … }" data-testid="credential-json"></textarea>
                </LabelOver>
                <LabelOver label=label_text(|i| t_string!(i, check_link)) id="credential-link">
                    <input id="credential-link" name="link" class=INPUT placeholder="https://…/credentials/…" data-testid="credential-link" />
                </LabelOver>
                <FormAlert error />
                <button type="submit" class=PRIMARY data-testid="check-credential" disabled=move || check.pending().get()>
                    {move || if check.pending().get() { t_string!(i18n, submitting) } else { t_string!(i18n, check_submit) }}
                </button>
            </form>
            {move || check.value().get().and_then(Result::ok).map(|verdict| view! { <Verdict verdict /> })}
        </div>
    }
}

#[component]
fn Verdict(verdict: CredentialVerdict) -> impl IntoView {
    let i18n = use_i18n();
    let (tone, headline, detail) = match verdict {
        CredentialVerdict::Genuine { subject, handle, achievement, issued_on } => (
            "border-emerald-300 bg-emerald-50 text-emerald-900",
            t_string!(i18n, check_genuine).to_string(),
            Some((
                t_string!(i18n, check_genuine_detail, subject = subject, achievement = achievement, date = issued_on)
                    .to_string(),
                handle,
            )),
        ),
        CredentialVerdict::Revoked { subject, handle, achievement, revoked_on, reason } => (
            "border-amber-300 bg-amber-50 text-amber-900",
            t_string!(i18n, check_revoked).to_string(),
            Some((
                t_string!(
                    i18n,
                    check_revoked_detail,
                    subject = subject,
                    achievement = achievement,
                    date = revoked_on,
                    reason = reason
                )
                .to_string(),
                handle,
            )),
        ),
        CredentialVerdict::Tampered => {
            ("border-red-300 bg-red-50 text-red-900", t_string!(i18n, check_tampered).to_string(), None)
        }
        CredentialVerdict::OtherIssuer => {
            ("border-red-300 bg-red-50 text-red-900", t_string!(i18n, check_other_issuer).to_string(), None)
        }
        CredentialVerdict::Unrecorded => {
            ("border-red-300 bg-red-50 text-red-900", t_string!(i18n, check_unrecorded).to_string(), None)
        }
        CredentialVerdict::Malformed => {
            ("border-red-300 bg-red-50 text-red-900", t_string!(i18n, check_malformed).to_string(), None)
        }
    };
    view! {
        <section class=format!("rounded-xl border p-4 {tone}") data-testid="credential-verdict" role="status">
            <p class="font-semibold">{headline}</p>
            {detail.map(|(text, handle)| view! {
                <p class="mt-1 text-sm">{text}</p>
                {handle.map(|handle| view! {
                    <a href=format!("/u/{handle}") class="mt-2 inline-block text-sm font-medium underline">{t!(i18n, check_open_card)}</a>
                })}
            })}
        </section>
    }
}
