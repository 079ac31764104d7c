//! Names of people who are not in the given list: first names from the name list, and
//! name patterns ("mevrouw Jansen", "dr. Visser", "J.C. de Vries", "van der Sluis").

use super::listed::Found;
use super::lists::{
    hash_flags, AMBIGUOUS, FIRST_NAME, PARTICLE, PRONOUN, STRONG_PARTICLE, SURNAME, TITLE,
    WEAK_PARTICLE,
};
use super::text::{
    joins_name, only_spaces, strip_possessive_s, Token, DOT_AFTER, SENTENCE_START, TITLECASE,
};
use crate::Span;

/// A candidate name: byte span and the index of the first token after it.
struct Hit {
    start: usize,
    end: usize,
    next: usize,
}

/// Pushes onto `out`, in order, the names not inside `covered` (the listed people's
/// mentions, the actor's included).
pub(crate) fn find(text: &str, tokens: &[Token], covered: &[Found], out: &mut Vec<Span>) {
    let mut i = 0;
    while i < tokens.len() {
        let hit = titled(text, tokens, i)
            .or_else(|| initials(text, tokens, i))
            .or_else(|| particles(text, tokens, i))
            .or_else(|| first_name(text, tokens, i));
        match hit {
            Some(h) => {
                let span = Span::new(h.start, h.end);
                let listed = covered
                    .iter()
                    .any(|c| span.overlaps(&Span::new(c.start, c.end)));
                if !listed && !in_web_address(text, h.start) {
                    out.push(span);
                }
                i = h.next.max(i + 1);
            }
            None => i += 1,
        }
    }
}

/// "a.b.naam@school.nl", "www.sanne.nl": the address is reported as such, not its parts.
fn in_web_address(text: &str, at: usize) -> bool {
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| at + i);
    let chunk = &text[start..end];
    chunk.contains('@') || chunk.contains("://") || chunk.contains("www.")
}

/// The gap before token `i` can join it to the previous token within a name.
fn joined(text: &str, tokens: &[Token], i: usize) -> bool {
    i > 0 && i < tokens.len() && joins_name(&text[tokens[i - 1].end..tokens[i].start])
}

fn hyphen_before(text: &str, tokens: &[Token], i: usize) -> bool {
    i > 0 && i < tokens.len() && &text[tokens[i - 1].end..tokens[i].start] == "-"
}

/// An initial: one or two letters with a capital and a full stop ("J.", "Th.").
fn is_initial(t: &Token, text: &str) -> bool {
    t.capitalised()
        && t.is(DOT_AFTER)
        && t.str(text).chars().count() <= 2
        && t.str(text).chars().all(char::is_alphabetic)
}

/// A surname from token `j`: tussenvoegsels, then a word with a capital, then any parts
/// joined by hyphens ("Visser-de Jong"). Returns the hit and the number of particles.
fn surname_at(text: &str, tokens: &[Token], j: usize) -> Option<(Hit, usize)> {
    let start = tokens.get(j)?.start;
    let mut k = j;
    while k < tokens.len() && tokens[k].has(PARTICLE) && joined(text, tokens, k + 1) {
        // "in", "op", "uit" are particles only in pairs ("in 't Veld", "op den Akker"),
        // else "Sanne in Amsterdam" would be a name.
        if tokens[k].has(WEAK_PARTICLE) && !tokens[k + 1].has(PARTICLE) {
            break;
        }
        k += 1;
    }
    let particles = k - j;
    let w = tokens.get(k)?;
    if !w.is(TITLECASE) {
        return None;
    }
    let mut end = k;
    loop {
        if hyphen_before(text, tokens, end + 1) && tokens[end + 1].is(TITLECASE) {
            end += 1;
        } else if hyphen_before(text, tokens, end + 1)
            && tokens[end + 1].has(PARTICLE)
            && joined(text, tokens, end + 2)
            && tokens[end + 2].is(TITLECASE)
        {
            end += 2;
        } else {
            break;
        }
    }
    Some((
        Hit {
            start,
            end: tokens[end].end,
            next: end + 1,
        },
        particles,
    ))
}

/// "mevrouw Jansen", "dhr. De Groot", "Prof. Dr. A.B. de Vries", "juf Sanne".
fn titled(text: &str, tokens: &[Token], i: usize) -> Option<Hit> {
    if !tokens[i].has(TITLE) {
        return None;
    }
    let mut j = i + 1;
    while j < tokens.len() && tokens[j].has(TITLE) && joined(text, tokens, j) {
        j += 1;
    }
    if !joined(text, tokens, j) {
        return None;
    }
    let name = initials_then_surname(text, tokens, j)
        .or_else(|| surname_at(text, tokens, j).map(|(h, _)| h))?;
    Some(Hit {
        start: tokens[i].start,
        ..name
    })
}

/// One or more initials and a surname ("J. Jansen", "J.C. de Vries").
fn initials_then_surname(text: &str, tokens: &[Token], j: usize) -> Option<Hit> {
    let mut k = j;
    while k < tokens.len() && is_initial(&tokens[k], text) && (k == j || joined(text, tokens, k)) {
        k += 1;
    }
    if k == j || !joined(text, tokens, k) {
        return None;
    }
    let (hit, _) = surname_at(text, tokens, k)?;
    Some(Hit {
        start: tokens[j].start,
        ..hit
    })
}

/// Initials without a title. A single initial and a capitalised word is too weak ("klas
/// B. Morgen"), so it needs two initials, a tussenvoegsel or a surname from the list.
fn initials(text: &str, tokens: &[Token], i: usize) -> Option<Hit> {
    let t = &tokens[i];
    if !t.capitalised() || t.str(text).chars().count() > 2 {
        return None;
    }
    if is_initial(t, text) {
        let hit = initials_then_surname(text, tokens, i)?;
        let initials = tokens[i..]
            .iter()
            .take_while(|t| is_initial(t, text))
            .count();
        let (_, particles) = surname_at(text, tokens, i + initials)?;
        let last = &tokens[hit.next - 1];
        return (initials >= 2 || particles > 0 || last.list_flags() & SURNAME != 0).then_some(hit);
    }
    // "A van der Damhuis": a bare capital letter needs a tussenvoegsel after it.
    if t.str(text).chars().count() == 1 && only_spaces(&text[t.end..tokens.get(i + 1)?.start]) {
        let (hit, particles) = surname_at(text, tokens, i + 1)?;
        return (particles > 0).then_some(Hit {
            start: t.start,
            ..hit
        });
    }
    None
}

/// "van der Sluis", "de Vries", "ter Horst": tussenvoegsels and a capitalised surname.
/// "van de" and "de" occur before any proper noun ("van de Jumbo"), so then the surname
/// must be in the list; "der", "den", "ter" and "'t" are almost only found in names,
/// except capitalised in place names ("Den Haag", "Ter Apel").
fn particles(text: &str, tokens: &[Token], i: usize) -> Option<Hit> {
    if !tokens[i].has(PARTICLE) {
        return None;
    }
    let (hit, particles) = surname_at(text, tokens, i)?;
    if particles == 0 {
        return None;
    }
    let surname = &tokens[i + particles];
    // A capitalised "Den" or "Ter" alone starts a place ("Den Haag", "Ter Apel"); before a
    // surname it is capitalised only after a title, which `titled` handles.
    if particles == 1 && tokens[i].capitalised() && tokens[i].has(STRONG_PARTICLE) {
        return None;
    }
    let strong = (i..i + particles)
        .any(|k| tokens[k].has(STRONG_PARTICLE) && (k > i || !tokens[k].capitalised()));
    (strong || surname.list_flags() & SURNAME != 0).then_some(hit)
}

/// A first name from the list, capitalised, with whatever surname follows it.
fn first_name(text: &str, tokens: &[Token], i: usize) -> Option<Hit> {
    let t = &tokens[i];
    if !t.is(TITLECASE) {
        return None;
    }
    let w = t.str(text);
    let (flags, end) = match t.list_flags() {
        0 => {
            let stem = strip_possessive_s(w)?;
            (t.stem.map_or(0, hash_flags), t.start + stem.len())
        }
        f => (f, t.end),
    };
    if flags & FIRST_NAME == 0 || w.chars().count() < 2 {
        return None;
    }
    let mut start = t.start;
    // "Onbekendenaam-Willem": a capitalised part joined by a hyphen belongs to the name.
    if hyphen_before(text, tokens, i) && tokens[i - 1].is(TITLECASE) {
        start = tokens[i - 1].start;
    }
    let mut hit = Hit {
        start,
        end,
        next: i + 1,
    };
    if end == t.end {
        extend_with_surname(text, tokens, &mut hit);
    }
    let has_surname = hit.next > i + 1;
    if flags & AMBIGUOUS != 0 && !has_surname {
        // "Roos" at the start of a sentence may be the flower; "Roos de Vries" is not.
        // "Ben je", "Mag ik": a verb put before its subject.
        let before_pronoun = tokens
            .get(i + 1)
            .is_some_and(|n| only_spaces(&text[t.end..n.start]) && n.has(PRONOUN));
        if t.is(SENTENCE_START) || before_pronoun {
            return None;
        }
    }
    Some(hit)
}

/// Takes into `hit` a second given name joined by a hyphen ("Jan-Willem") and a surname
/// after a space ("Marieke Visser", "Pieter Oude Nijhuis", "Mark de Boer").
fn extend_with_surname(text: &str, tokens: &[Token], hit: &mut Hit) {
    let mut k = hit.next;
    while hyphen_before(text, tokens, k) && tokens[k].is(TITLECASE) {
        k += 1;
    }
    hit.end = tokens[k - 1].end;
    hit.next = k;
    for _ in 0..2 {
        let Some(next) = tokens.get(k) else { return };
        if !only_spaces(&text[tokens[k - 1].end..next.start]) {
            return;
        }
        // "Sanne Daan en Noor": a following first name is a second person.
        let flags = next.list_flags();
        if next.is(TITLECASE) && flags & FIRST_NAME != 0 && flags & SURNAME == 0 {
            return;
        }
        let Some((s, _)) = surname_at(text, tokens, k) else {
            return;
        };
        hit.end = s.end;
        hit.next = s.next;
        k = s.next;
    }
}
