//! The site's shared Tailwind class lists: form fields, buttons and cards. Written as literal strings
//! so Tailwind's scanner sees every class.

pub const INPUT: &str = "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-blue-500 focus:ring-2 focus:ring-blue-100";
pub const PRIMARY: &str = "inline-flex items-center justify-center rounded-lg bg-blue-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-blue-700 disabled:opacity-60";
pub const SECONDARY: &str = "inline-flex items-center justify-center rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60";
pub const DANGER: &str = "inline-flex items-center justify-center rounded-lg border border-red-200 bg-white px-4 py-2 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-60";
pub const CARD: &str = "rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5";
