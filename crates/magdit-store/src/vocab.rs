//! The closed sets of words the store keeps in text columns. The SQL CHECK constraints in the
//! migrations list the same words; a test checks each value round-trips through both stores.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant,)+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The word stored in the database and used in JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "`{s}` is not a {}; expected one of: {}",
                        stringify!($name),
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

text_enum!(
    /// A person's role on the roster; the same words as the protocol's roles
    /// (`magdit_protocol::Role`), without `other`, which a roster has no use for.
    Role {
        Pupil => "pupil",
        Employee => "employee",
        /// Leidinggevende; also an employee.
        Manager => "manager",
        /// Ouder/verzorger.
        Parent => "parent",
        Volunteer => "volunteer",
    }
);

text_enum!(
    /// How a consent decision reached the registry.
    Channel {
        Web => "web",
        Paper => "paper",
        Api => "api",
        Import => "import",
    }
);

text_enum!(
    /// What a consent decision does.
    ConsentAction {
        Give => "give",
        Refuse => "refuse",
        /// Takes back consent that was given; the state becomes refused at once.
        Withdraw => "withdraw",
    }
);

text_enum!(
    /// A recorded consent state. Unknown is never recorded: it is the absence of a record.
    ConsentState {
        Given => "given",
        Refused => "refused",
    }
);

text_enum!(
    /// The state a check uses: a recorded state, or unknown when nothing is recorded or the
    /// consent has expired. The words match the check contract's `people[].consent`.
    EffectiveState {
        Given => "given",
        Refused => "refused",
        Unknown => "unknown",
    }
);

text_enum!(
    /// The role a grant gives an account; see [`crate::Grant`] for the scope of each.
    GrantRole {
        /// Bestuurder/beheerder of a board: every school of the board.
        BoardAdmin => "board_admin",
        /// Schoolleiding: administers one school (roster, consent, accounts, protocol).
        SchoolAdmin => "school_admin",
        /// Leidinggevende of one school.
        Leidinggevende => "leidinggevende",
        Employee => "employee",
        /// Ouder/verzorger: a parent on the school's roster.
        Guardian => "guardian",
        /// A pupil on the school's roster.
        Pupil => "pupil",
    }
);

text_enum!(
    /// What a session is.
    SessionKind {
        /// A browser session (cookie), with a CSRF token.
        Browser => "browser",
        /// A named bearer token for the API.
        ApiToken => "api_token",
    }
);

impl ConsentAction {
    /// The state a decision of this kind leaves.
    pub fn resulting_state(self) -> ConsentState {
        match self {
            ConsentAction::Give => ConsentState::Given,
            ConsentAction::Refuse | ConsentAction::Withdraw => ConsentState::Refused,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(*r));
            assert_eq!(serde_json::to_string(r).unwrap(), format!("\"{r}\""));
        }
        for s in EffectiveState::ALL {
            assert_eq!(s.as_str().parse::<EffectiveState>(), Ok(*s));
        }
        assert!("teacher".parse::<Role>().unwrap_err().contains("pupil, employee"));
    }
}
