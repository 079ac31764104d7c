//! One module per resource of `/api/v1`.

pub mod accounts;
pub mod check;
pub mod checks;
pub mod consent;
pub mod health;
pub mod import;
pub mod me;
pub mod people;
pub mod privacy;
pub mod protocols;
pub mod school_protocol;
pub mod retention;
pub mod schools;
