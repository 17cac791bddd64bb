//! What happened to the task, in order, for its parties.

use crate::{
    components::{status, style::CARD},
    i18n::*,
    views::tasks::EventView,
};
use leptos::prelude::*;

#[component]
pub(super) fn Timeline(events: Vec<EventView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class=CARD data-testid="timeline">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, timeline_title)}</h2>
            <ol class="mt-3 space-y-3 border-l-2 border-slate-100 pl-4">
                {events
                    .into_iter()
                    .map(|event| {
                        let kind = event.kind.clone();
                        let actor = event.actor_name.clone();
                        view! {
                            <li class="relative text-sm">
                                <span class="absolute -left-[1.3rem] top-1.5 h-2 w-2 rounded-full bg-blue-500"></span>
                                <div class="text-slate-800">
                                    <span class="font-medium">
                                        {move || actor.clone().unwrap_or_else(|| t_string!(i18n, actor_platform).to_string())}
                                    </span>
                                    " "
                                    {move || status::event_kind(i18n, &kind)}
                                    {event.milestone_position.map(|p| format!(" #{p}"))}
                                </div>
                                {(!event.note.is_empty() && event.kind != "published")
                                    .then(|| {
                                        let (kind, note) = (event.kind.clone(), event.note.clone());
                                        view! {
                                            <p class="mt-0.5 whitespace-pre-wrap text-xs text-slate-600">
                                                {move || super::quote::event_note(i18n, &kind, &note)}
                                            </p>
                                        }
                                    })}
                                <div class="text-xs text-slate-500">{event.created_at.clone()}</div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
