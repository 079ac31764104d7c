//! Reading a school's whole roster from the store, a page at a time.

use magdit_store::roster::MAX_PAGE;
use magdit_store::{PeopleFilter, Person, SchoolId, Store};

/// Everyone on `school`'s roster, by name.
pub(crate) async fn everyone(store: &Store, school: SchoolId) -> magdit_store::Result<Vec<Person>> {
    let mut people = Vec::new();
    let mut after = None;
    loop {
        let page = store.people(school, &PeopleFilter::default(), MAX_PAGE, after.as_ref()).await?;
        people.extend(page.items);
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(people),
        }
    }
}
