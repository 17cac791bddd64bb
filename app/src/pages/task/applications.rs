//! The owner's list of applications, each accepted or declined here, each with the applicant's
//! evidence (`applicant_card.rs`), in the order and with the comparison the URL asks for
//! (`compare.rs`).

use super::{
    applicant_card::EvidenceCard,
    compare::{CompareTable, CompareToggle, SortBar},
    error_of, Actions,
};
use crate::{
    components::{
        errors::FormAlert,
        money::StatusBadge,
        status,
        style::{CARD, INPUT, PRIMARY, SECONDARY},
        user_link::UserLink,
    },
    domain::{
        applicants::{sort_applicants, ApplicantSort, Comparison},
        lifecycle::{may_answer_application, TaskStatus},
    },
    i18n::*,
    views::tasks::{ApplicationView, Viewer},
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

/// The applications with their outcome; `may_answer_application` decides which ones `viewer` may
/// accept or decline here.
#[component]
pub(super) fn Applications(applications: Vec<ApplicationView>, status: TaskStatus, viewer: Viewer) -> impl IntoView {
    let i18n = use_i18n();
    let actions = expect_context::<Actions>();
    let accept_error = error_of(actions.accept_application);
    let decline_error = error_of(actions.decline_application);
    // The order and the comparison are the URL's (`?sort=fit&compare=id1,id2`), read as the page renders.
    let task = use_params_map().with_untracked(|p| p.get("id").and_then(|id| Uuid::parse_str(&id).ok()));
    let (sort, comparison) = use_query_map().with_untracked(|q| {
        (ApplicantSort::parse(q.get("sort").as_deref()), Comparison::parse(q.get("compare").as_deref()))
    });
    let ids: Vec<Uuid> = applications.iter().map(|application| application.id).collect();
    let comparison = comparison.among(&ids);
    let mut applications = applications;
    sort_applicants(&mut applications, sort, |a| a.evidence.as_ref().map(|e| e.sort_facts()).unwrap_or_default());
    // Only the owner's and admins' lists carry evidence; the tools come with it.
    let tools = task.filter(|_| applications.iter().any(|application| application.evidence.is_some()));
    let compared: Vec<_> = comparison
        .ids
        .iter()
        .filter_map(|id| applications.iter().find(|application| application.id == *id))
        .filter_map(|application| Some((application.clone(), application.evidence.clone()?)))
        .collect();
    view! {
        <section class=CARD id="applications" data-testid="applications">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, applications_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, applications_hint)}</p>
            <FormAlert error=accept_error />
            <super::quote::ShortfallTopUp error=accept_error />
            <FormAlert error=decline_error />
            {tools.map(|task| {
                let shown = !compared.is_empty() || comparison.refused;
                view! {
                    <SortBar task sort compare=comparison.ids.clone() />
                    {shown.then(|| view! { <CompareTable task sort refused=comparison.refused compared=compared.clone() /> })}
                }
            })}
            <ul class="mt-3 divide-y divide-slate-100">
                {applications
                    .into_iter()
                    .map(|application| {
                        let (_, tone) = status::application_status(i18n, application.status);
                        let app_status = application.status;
                        let (accept_id, decline_id) = (application.id.to_string(), application.id.to_string());
                        let answerable = may_answer_application(viewer, status, app_status);
                        let respond_by = application.respond_by.clone();
                        view! {
                            <li class="py-3" data-testid="application">
                                <div class="flex flex-wrap items-center justify-between gap-2">
                                    <span class="font-medium text-slate-900">
                                        <UserLink
                                            name=application.developer_name.clone()
                                            page=application.evidence.as_ref().and_then(|e| e.page.clone())
                                        />
                                        {application.highlighted.then(|| view! {
                                            <span class="ml-1.5 rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-800" data-testid="premium-applicant">
                                                {t!(i18n, plan_premium)}
                                            </span>
                                        })}
                                    </span>
                                    <StatusBadge
                                        label=Signal::derive(move || status::application_status(i18n, app_status).0.to_string())
                                        tone
                                    />
                                </div>
                                {application.evidence.clone().map(|evidence| view! { <EvidenceCard evidence /> })}
                                {(!application.pitch.is_empty())
                                    .then(|| view! { <p class="mt-1 whitespace-pre-wrap text-sm text-slate-700">{application.pitch.clone()}</p> })}
                                {application.quote.clone().map(|quote| view! { <super::quote::QuoteSummary quote status=app_status show_escrow=true /> })}
                                <div class="mt-1 flex flex-wrap items-center gap-x-2 text-xs text-slate-500">
                                    {tools.map(|task| view! {
                                        <CompareToggle task sort comparison=comparison.clone() application=application.id />
                                    })}
                                    {application.created_at.clone()}
                                    {answerable
                                        .then(|| {
                                            let respond_by = respond_by.clone();
                                            view! { " · " {move || t_string!(i18n, application_respond_by, time = respond_by.clone())} }
                                        })}
                                </div>
                                {answerable
                                    .then(|| {
                                        view! {
                                            <div class="mt-2 flex flex-wrap items-start gap-2">
                                                <ActionForm action=actions.accept_application>
                                                    <input type="hidden" name="application" value=accept_id />
                                                    <button type="submit" class=PRIMARY data-testid="accept-application">
                                                        {t!(i18n, action_accept_application)}
                                                    </button>
                                                </ActionForm>
                                                <ActionForm action=actions.decline_application attr:class="flex flex-1 gap-2">
                                                    <input type="hidden" name="application" value=decline_id />
                                                    <input
                                                        name="reason"
                                                        class=INPUT
                                                        placeholder=move || t_string!(i18n, field_decline_reason)
                                                    />
                                                    <button type="submit" class=SECONDARY>{t!(i18n, action_decline)}</button>
                                                </ActionForm>
                                            </div>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
