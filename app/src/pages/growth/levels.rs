//! The levels written out: what each needs, what it lowers the commission by, and its colours.

use crate::{
    domain::growth::{stars_text, GrowthRules, Level},
    i18n::*,
};
use leptos::prelude::*;

/// The level rule written out: what each level needs and what it lowers the commission by.
#[component]
pub fn LevelRules(rules: GrowthRules) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="mt-3 space-y-1 text-sm text-slate-700" data-testid="level-rules">
            {[Level::B, Level::A, Level::S]
                .into_iter()
                .map(|level| {
                    let need = rules.requirement(level);
                    view! {
                        <li>
                            <span class=format!("mr-2 inline-flex h-6 w-6 items-center justify-center rounded-md text-xs font-bold {}", level_colors(level))>
                                {level.as_str()}
                            </span>
                            {move || t_string!(
                                i18n,
                                growth_rule_line,
                                tasks = need.finished_tasks,
                                rating = stars_text(need.average_rating_x100),
                                skills = need.skill_breadth,
                                discount = level.commission_discount_bps() / 100
                            )}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

pub fn level_colors(level: Level) -> &'static str {
    match level {
        Level::S => "bg-amber-100 text-amber-700",
        Level::A => "bg-violet-100 text-violet-700",
        Level::B => "bg-blue-100 text-blue-700",
        Level::C => "bg-slate-100 text-slate-600",
    }
}
