//! The protocols magdit ships, compiled into the binary from `protocols/`.

use crate::{load, Protocol};

/// (file name, text) of each shipped protocol file.
pub const FILES: &[(&str, &str)] = &[
    ("vmbo-maastricht.toml", include_str!("../../../protocols/vmbo-maastricht.toml")),
    ("kc-de-marel.toml", include_str!("../../../protocols/kc-de-marel.toml")),
    ("st-jozefschool-de-pontonnier.toml", include_str!("../../../protocols/st-jozefschool-de-pontonnier.toml")),
    ("school-matthijsje.toml", include_str!("../../../protocols/school-matthijsje.toml")),
    ("cvo-nwf.toml", include_str!("../../../protocols/cvo-nwf.toml")),
];

/// The shipped protocols. They are validated by the test suite, so a failure here is a
/// build defect, not a user error.
pub fn protocols() -> Vec<Protocol> {
    FILES
        .iter()
        .map(|(name, text)| load(name, text).unwrap_or_else(|e| panic!("shipped protocol {name} does not load: {e:?}")))
        .collect()
}
