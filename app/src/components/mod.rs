pub mod errors;
pub mod form;
pub mod layout;
pub mod live;
pub mod money;
pub mod pager;
pub mod status;
pub mod task_card;
