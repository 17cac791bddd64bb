//! Badges on the growth panel: earned ones in colour, the rest in grey with how far along they are.

use crate::{i18n::*, views::growth::BadgeView};
use leptos::prelude::*;

/// An earned badge in colour with its day; one still to earn in grey, with how far along it is.
#[component]
pub(super) fn BadgeCard(badge: BadgeView) -> impl IntoView {
    let i18n = use_i18n();
    let BadgeView { slug, name_zh, name_en, description_zh, description_en, growth_points, earned_at, progress } =
        badge;
    let earned = earned_at.is_some();
    let percent = if progress.need == 0 { 100 } else { (progress.have * 100 / progress.need).min(100) };
    let zh = move || i18n.get_locale() == Locale::zh_CN;
    view! {
        <li
            class=if earned {
                "flex gap-3 rounded-lg border border-amber-200 bg-amber-50 p-3"
            } else {
                "flex gap-3 rounded-lg border border-slate-200 bg-white p-3"
            }
            data-testid=format!("badge-{slug}")
            data-earned=earned.to_string()
        >
            <span
                class=if earned {
                    "flex h-10 w-10 shrink-0 items-center justify-center rounded-full bg-amber-400 text-lg text-white"
                } else {
                    "flex h-10 w-10 shrink-0 items-center justify-center rounded-full bg-slate-100 text-lg text-slate-500"
                }
                aria-hidden="true"
            >
                "★"
            </span>
            <div class="min-w-0 flex-1">
                <div class="flex items-baseline justify-between gap-2">
                    <span class="text-sm font-semibold text-slate-900">
                        {move || if zh() { name_zh.clone() } else { name_en.clone() }}
                    </span>
                    <span class="shrink-0 text-xs text-slate-500">{format!("+{growth_points}")}</span>
                </div>
                <p class="mt-0.5 text-xs text-slate-600">
                    {move || if zh() { description_zh.clone() } else { description_en.clone() }}
                </p>
                {match earned_at {
                    Some(day) => {
                        view! { <p class="mt-1 text-xs font-medium text-amber-700">{move || t_string!(i18n, growth_badge_earned, date = day.clone())}</p> }
                            .into_any()
                    }
                    None => {
                        view! {
                            <div class="mt-2 flex items-center gap-2">
                                <div class="h-1.5 flex-1 rounded-full bg-slate-100">
                                    <div class="h-1.5 rounded-full bg-blue-500" style=format!("width: {percent}%")></div>
                                </div>
                                <span class="text-xs tabular-nums text-slate-500">{format!("{}/{}", progress.have, progress.need)}</span>
                            </div>
                        }
                            .into_any()
                    }
                }}
            </div>
        </li>
    }
}
