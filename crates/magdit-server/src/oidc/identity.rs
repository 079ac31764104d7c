//! Who a validated ID token says logged in, and whether the provider's `allowed_domains`
//! admit them.

use magdit_store::OidcLogin;

/// What a validated ID token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    /// `email_verified`, or Entra's `xms_edov` (the domain owner verified the address).
    /// Entra's `preferred_username` is not used: Microsoft documents it as mutable and not
    /// for authorization.
    pub email_verified: bool,
    /// Google Workspace's `hd`.
    pub hosted_domain: Option<String>,
}

impl Identity {
    /// With no `allowed` domains anyone the provider vouches for may try; otherwise the
    /// address must be verified and in an allowed domain, and a Google Workspace domain (`hd`)
    /// must be allowed too: an address alone does not show which organisation owns the
    /// account.
    pub fn admitted_by(&self, allowed: &[String]) -> bool {
        if allowed.is_empty() {
            return true;
        }
        let listed = |domain: &str| allowed.iter().any(|a| a.eq_ignore_ascii_case(domain));
        let domain = self.email.as_deref().filter(|_| self.email_verified).and_then(|e| e.rsplit_once('@')).map(|(_, d)| d);
        domain.is_some_and(listed) && self.hosted_domain.as_deref().is_none_or(listed)
    }

    pub fn login(self) -> OidcLogin {
        OidcLogin { issuer: self.issuer, subject: self.subject, email: self.email, email_verified: self.email_verified }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(email: &str, verified: bool, hd: Option<&str>) -> Identity {
        Identity {
            issuer: "https://accounts.google.com".into(),
            subject: "1".into(),
            email: Some(email.into()),
            email_verified: verified,
            hosted_domain: hd.map(Into::into),
        }
    }

    #[test]
    fn no_list_admits_everyone() {
        assert!(who("x@gmail.com", false, None).admitted_by(&[]));
    }

    #[test]
    fn a_list_wants_a_verified_address_in_it_and_an_allowed_workspace() {
        let allowed = vec!["Linde.nl".to_string()];
        assert!(who("juf@linde.nl", true, None).admitted_by(&allowed));
        assert!(who("juf@LINDE.NL", true, Some("linde.nl")).admitted_by(&allowed));
        assert!(!who("juf@linde.nl", false, None).admitted_by(&allowed), "unverified");
        assert!(!who("juf@baken.nl", true, None).admitted_by(&allowed));
        assert!(!who("juf@linde.nl", true, Some("baken.nl")).admitted_by(&allowed), "another workspace");
        assert!(!who("juf@evil.nl@linde", true, None).admitted_by(&allowed));
        let mut none = who("juf@linde.nl", true, None);
        none.email = None;
        assert!(!none.admitted_by(&allowed));
    }
}
