//! The site's shared Tailwind class lists: form fields, buttons, badges and cards. Written as literal
//! strings so Tailwind's scanner sees every class.
//!
//! The layout rule (with `style/main.css`): a button, a badge, an amount or a date is one unit that
//! never breaks inside a word or number. Chinese may break between any two characters, so a button
//! squeezed in a row on a phone read "婉/拒"; `whitespace-nowrap` keeps it whole and also makes its
//! whole text its minimum width, so a crowded row wraps whole buttons onto the next line instead.

pub const INPUT: &str = "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-blue-500 focus:ring-2 focus:ring-blue-100";
pub const PRIMARY: &str = "inline-flex items-center justify-center whitespace-nowrap rounded-lg bg-blue-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-blue-700 disabled:opacity-60";
pub const SECONDARY: &str = "inline-flex items-center justify-center whitespace-nowrap rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60";
pub const DANGER: &str = "inline-flex items-center justify-center whitespace-nowrap rounded-lg border border-red-200 bg-white px-4 py-2 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-60";
pub const CARD: &str = "rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5";
/// A small label: a status, a level, a tag, a title earned.
pub const BADGE: &str = "inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium";
/// An amount, a date or a count: never broken inside ("−/¥198.00"); a row too narrow for it moves
/// it whole to the next line.
pub const FIGURE: &str = "whitespace-nowrap tabular-nums";
