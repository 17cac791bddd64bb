pub mod errors;
pub mod form;
pub mod layout;
pub mod pager;
pub mod task_card;
