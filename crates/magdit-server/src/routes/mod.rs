//! One module per resource of `/api/v1`.

pub mod check;
pub mod consent;
pub mod health;
pub mod import;
pub mod people;
pub mod protocols;
pub mod school_protocol;
pub mod schools;
