//! Reporting the task to the moderators.

use crate::{
    components::{
        errors::field_message,
        style::{INPUT, SECONDARY},
    },
    domain::validation::Field,
    i18n::*,
};
use leptos::prelude::*;

/// Reports the task to the admins' moderation queue, with a reason.
#[component]
pub(super) fn ReportTask(id: uuid::Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let report = ServerAction::<crate::api::moderation::ReportFn>::new();
    let error = Signal::derive(move || report.value().get().and_then(Result::err));
    view! {
        <details class="mt-4 border-t border-slate-100 pt-3 text-sm">
            <summary class="cursor-pointer text-xs text-slate-500 hover:text-slate-600">{t!(i18n, action_report_task)}</summary>
            {move || if matches!(report.value().get(), Some(Ok(()))) {
                view! { <p class="mt-2 text-xs text-emerald-700" role="status">{t!(i18n, report_sent)}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=report attr:class="mt-2 space-y-2">
                        <input type="hidden" name="task" value=id.to_string() />
                        <textarea name="reason" rows="2" class=INPUT data-testid="report-reason"
                            placeholder=move || t_string!(i18n, field_report_reason)></textarea>
                        <p class="text-xs text-red-600">{move || field_message(i18n, error.get().as_ref(), Field::Reason)}</p>
                        <button type="submit" class=SECONDARY data-testid="report-task">{t!(i18n, action_report_task)}</button>
                    </ActionForm>
                }.into_any()
            }}
        </details>
    }
}
