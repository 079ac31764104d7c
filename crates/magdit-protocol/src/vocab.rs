//! The closed vocabulary that protocol files and situations speak: roles, actions,
//! channels, outcomes, and the facts rule conditions may test.

use serde::{Deserialize, Serialize};

/// Declares a unit enum with its snake_case names, kept in one place so the loader, the
/// situation parser and the diagnostics' "did you mean" all see the same list.
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// Who acts. A `Manager` (leidinggevende) is also an `Employee` (medewerker).
    Role {
        Employee => "employee",
        Manager => "manager",
        Pupil => "pupil",
        Parent => "parent",
        Volunteer => "volunteer",
        Other => "other",
    }
);

impl Role {
    /// Whether an article addressed to `self` binds someone acting as `actor`.
    pub fn includes(self, actor: Role) -> bool {
        self == actor || (self == Role::Employee && actor == Role::Manager)
    }
}

vocabulary!(
    /// What the actor is about to do.
    Action {
        Post => "post",
        Share => "share",
        Message => "message",
        Befriend => "befriend",
        JoinGroup => "join_group",
        UseSocialMedia => "use_social_media",
        UseDevice => "use_device",
    }
);

vocabulary!(
    ChannelKind {
        SocialMedia => "social_media",
        Messaging => "messaging",
        Email => "email",
        SchoolApp => "school_app",
        Phone => "phone",
        Blog => "blog",
    }
);

vocabulary!(
    Audience {
        Public => "public",
        Group => "group",
        Private => "private",
    }
);

vocabulary!(
    Permission {
        Teacher => "teacher",
        SchoolManagement => "school_management",
    }
);

vocabulary!(
    Relation {
        None => "none",
        PreExisting => "pre_existing",
        FormerPupil => "former_pupil",
    }
);

vocabulary!(
    DeviceKind {
        Phone => "phone",
        Smartwatch => "smartwatch",
        Tablet => "tablet",
        Laptop => "laptop",
        Other => "other",
    }
);

vocabulary!(
    DeviceReason {
        Medical => "medical",
        Assignment => "assignment",
    }
);

vocabulary!(
    MediaKind {
        Photo => "photo",
        Video => "video",
        Audio => "audio",
        Sticker => "sticker",
        Work => "work",
    }
);

vocabulary!(
    MediaMaker {
        SelfMade => "self",
        Other => "other",
    }
);

vocabulary!(
    Consent {
        Given => "given",
        Refused => "refused",
        Unknown => "unknown",
    }
);

vocabulary!(
    /// An article's outcome for an act, and (without `Advice`) the verdict.
    Outcome {
        Forbidden => "forbidden",
        Conditional => "conditional",
        Discouraged => "discouraged",
        Allowed => "allowed",
        Advice => "advice",
    }
);

impl Outcome {
    /// Severity for the verdict: advice never raises it.
    pub fn severity(self) -> u8 {
        match self {
            Outcome::Forbidden => 3,
            Outcome::Conditional => 2,
            Outcome::Discouraged => 1,
            Outcome::Allowed | Outcome::Advice => 0,
        }
    }

    pub fn label_nl(self) -> &'static str {
        match self {
            Outcome::Forbidden => "niet toegestaan",
            Outcome::Conditional => "toegestaan onder voorwaarden",
            Outcome::Discouraged => "afgeraden",
            Outcome::Allowed => "toegestaan",
            Outcome::Advice => "advies",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Outcome::Forbidden => "forbidden",
            Outcome::Conditional => "conditional",
            Outcome::Discouraged => "discouraged",
            Outcome::Allowed => "allowed",
            Outcome::Advice => "advice",
        }
    }
}

vocabulary!(
    /// Whether a protocol rules every act of its addressees or only school-related ones.
    Scope {
        SchoolRelated => "school_related",
        All => "all",
    }
);
