//! Who may do what in a school. One table of rules, read by every handler through
//! [`SchoolAccess`]; the matrix test in `tests/authorization.rs` walks every endpoint with
//! every role and a foreign tenant.
//!
//! | may …                                   | admin | leidinggevende | employee | guardian        | pupil            |
//! |-----------------------------------------|-------|----------------|----------|-----------------|------------------|
//! | check an act                            | yes   | yes            | yes      | yes             | yes              |
//! | read the school's adopted protocol      | yes   | yes            | yes      | yes             | yes              |
//! | read the roster                         | all   | all            | all      | own children    | self             |
//! | change the roster, import, export       | yes   | –              | –        | –               | –                |
//! | read "mag in beeld: ja/nee/onbekend"    | all   | all            | all      | own children    | self             |
//! | read consent history and who decides    | all   | –              | –        | own children    | self             |
//! | give, refuse, withdraw consent          | all¹  | –              | –        | own child < 16  | self from 16     |
//! | purposes, protocol, retention, audit    | yes   | –              | –        | –               | –                |
//! | accounts and grants in the school       | yes²  | –              | –        | –               | –                |
//! | stored checks                           | all   | all            | own      | own             | own              |
//! | AVG export and erasure of a person      | yes   | –              | –        | –               | –                |
//! | own password, sessions and API tokens   | yes   | yes            | yes      | yes             | yes              |
//!
//! ¹ an admin records a decision made on paper by whoever may decide.
//! ² grants of this school only, never a board grant; an account's password and whether it is
//!   disabled only when the admin administers every school (and board) the account holds a
//!   grant in ([`administers_all`]), so one school cannot take over an account of another.
//! Admin = school admin (schoolleiding) of the school, or board admin of its board.
//! A school the account holds no grant in answers 404, as if it did not exist.

use magdit_store::{AccountId, BoardId, Grant, PersonId, SchoolId};

use crate::problem::Problem;

/// What an account may do in one school: the grants it holds there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolAccess {
    pub school: SchoolId,
    admin: bool,
    leidinggevende: bool,
    employee: bool,
    /// Their own roster row as a guardian.
    pub guardian: Option<PersonId>,
    /// Their own roster row as a pupil.
    pub pupil: Option<PersonId>,
}

impl SchoolAccess {
    /// The access `grants` give in `school` of `board`; `None` when they give none.
    pub fn of(grants: &[Grant], school: SchoolId, board: BoardId) -> Option<SchoolAccess> {
        let mut a = SchoolAccess { school, admin: false, leidinggevende: false, employee: false, guardian: None, pupil: None };
        let mut any = false;
        for g in grants {
            match *g {
                Grant::BoardAdmin { board: b } if b == board => a.admin = true,
                Grant::SchoolAdmin { school: s } if s == school => a.admin = true,
                Grant::Leidinggevende { school: s } if s == school => a.leidinggevende = true,
                Grant::Employee { school: s } if s == school => a.employee = true,
                Grant::Guardian { school: s, person } if s == school => a.guardian = Some(person),
                Grant::Pupil { school: s, person } if s == school => a.pupil = Some(person),
                _ => continue,
            }
            any = true;
        }
        any.then_some(a)
    }

    pub fn is_admin(&self) -> bool {
        self.admin
    }

    /// Admin, leidinggevende or employee: sees the whole roster and the consent status.
    pub fn is_staff(&self) -> bool {
        self.admin || self.leidinggevende || self.employee
    }

    /// Refuses anyone but an admin.
    pub fn require_admin(&self) -> Result<(), Problem> {
        if self.admin {
            Ok(())
        } else {
            Err(Problem::forbidden("only the school's administrators (schoolleiding) may do this"))
        }
    }

    /// May read all stored checks of the school, not only their own.
    pub fn reads_all_checks(&self) -> bool {
        self.admin || self.leidinggevende
    }

    /// Whose stored checks `account` may read here: everyone's (None) or only its own.
    pub fn checks_of(&self, account: AccountId) -> Option<AccountId> {
        (!self.reads_all_checks()).then_some(account)
    }

    /// The role a check by this account acts in, when the request does not say: the most
    /// specific grant.
    pub fn acting_role(&self) -> magdit_protocol::Role {
        use magdit_protocol::Role;
        if self.leidinggevende {
            Role::Manager
        } else if self.admin || self.employee {
            Role::Employee
        } else if self.pupil.is_some() {
            Role::Pupil
        } else {
            Role::Parent
        }
    }
}

/// Whether `admin`'s grants administer every scope of `target`'s grants: each board grant's
/// board, and each school grant's school (as its school admin or its board's admin).
/// `board_of` gives a school's board.
pub fn administers_all(admin: &[Grant], target: &[Grant], board_of: impl Fn(SchoolId) -> Option<BoardId>) -> bool {
    let board_admin = |b: BoardId| admin.contains(&Grant::BoardAdmin { board: b });
    target.iter().all(|g| match (g.board(), g.school()) {
        (Some(b), _) => board_admin(b),
        (_, Some(s)) => admin.contains(&Grant::SchoolAdmin { school: s }) || board_of(s).is_some_and(board_admin),
        (None, None) => false,
    })
}

/// How an account stands to one person of the roster; decided with the guardian links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Staff of the school: sees the roster and the consent status, nothing more.
    Staff,
    /// Admin: sees and records everything.
    Admin,
    /// The person is the account's own child.
    GuardianOf,
    /// The person is the account holder.
    Themself,
    None,
}

impl Relation {
    /// The roster row and the consent status are visible.
    pub fn sees_person(self) -> bool {
        !matches!(self, Relation::None)
    }

    /// History and who decides are visible.
    pub fn sees_consent_detail(self) -> bool {
        matches!(self, Relation::Admin | Relation::GuardianOf | Relation::Themself)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHOOL: SchoolId = SchoolId(1);
    const BOARD: BoardId = BoardId(10);

    #[test]
    fn board_admin_is_admin_of_its_boards_schools_only() {
        let g = [Grant::BoardAdmin { board: BOARD }];
        assert!(SchoolAccess::of(&g, SCHOOL, BOARD).unwrap().is_admin());
        assert_eq!(SchoolAccess::of(&g, SCHOOL, BoardId(11)), None);
    }

    #[test]
    fn grants_of_another_school_give_nothing() {
        let g = [Grant::SchoolAdmin { school: SchoolId(2) }, Grant::Guardian { school: SchoolId(2), person: PersonId(5) }];
        assert_eq!(SchoolAccess::of(&g, SCHOOL, BOARD), None);
    }

    #[test]
    fn employee_who_is_also_a_parent_keeps_both() {
        let g = [Grant::Employee { school: SCHOOL }, Grant::Guardian { school: SCHOOL, person: PersonId(7) }];
        let a = SchoolAccess::of(&g, SCHOOL, BOARD).unwrap();
        assert!(a.is_staff());
        assert!(!a.is_admin());
        assert_eq!(a.guardian, Some(PersonId(7)));
        assert!(a.require_admin().is_err());
        assert_eq!(a.acting_role(), magdit_protocol::Role::Employee);
    }

    #[test]
    fn guardian_and_pupil_are_not_staff() {
        let g = [Grant::Guardian { school: SCHOOL, person: PersonId(7) }];
        let a = SchoolAccess::of(&g, SCHOOL, BOARD).unwrap();
        assert!(!a.is_staff());
        assert!(!a.reads_all_checks());
        assert_eq!(a.acting_role(), magdit_protocol::Role::Parent);
        let p = SchoolAccess::of(&[Grant::Pupil { school: SCHOOL, person: PersonId(8) }], SCHOOL, BOARD).unwrap();
        assert_eq!(p.acting_role(), magdit_protocol::Role::Pupil);
    }

    #[test]
    fn an_admin_administers_an_account_only_in_all_its_schools() {
        let teacher_at_two = [Grant::Employee { school: SCHOOL }, Grant::Employee { school: SchoolId(2) }];
        let board_of = |s: SchoolId| Some(if s == SchoolId(3) { BoardId(11) } else { BOARD });
        assert!(!administers_all(&[Grant::SchoolAdmin { school: SCHOOL }], &teacher_at_two, board_of));
        assert!(administers_all(&[Grant::BoardAdmin { board: BOARD }], &teacher_at_two, board_of));
        assert!(!administers_all(&[Grant::BoardAdmin { board: BOARD }], &[Grant::Employee { school: SchoolId(3) }], board_of));
        let other_board_admin = [Grant::BoardAdmin { board: BoardId(11) }];
        assert!(!administers_all(&[Grant::SchoolAdmin { school: SCHOOL }], &other_board_admin, board_of));
        assert!(administers_all(&other_board_admin, &other_board_admin, board_of));
    }

    #[test]
    fn only_admins_and_leidinggevenden_read_every_check() {
        let me = AccountId(5);
        let lead = SchoolAccess::of(&[Grant::Leidinggevende { school: SCHOOL }], SCHOOL, BOARD).unwrap();
        assert_eq!(lead.checks_of(me), None);
        let teacher = SchoolAccess::of(&[Grant::Employee { school: SCHOOL }], SCHOOL, BOARD).unwrap();
        assert_eq!(teacher.checks_of(me), Some(me));
    }

    #[test]
    fn employees_never_see_consent_detail() {
        assert!(Relation::Staff.sees_person());
        assert!(!Relation::Staff.sees_consent_detail());
        assert!(Relation::GuardianOf.sees_consent_detail());
        assert!(!Relation::None.sees_person());
    }
}
