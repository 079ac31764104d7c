//! Abuse: insults, slurs, disease curses, threats, sexual coercion, incitement to bully,
//! and hatred of groups (see [`AbuseKind`]).
//!
//! The word lists are in `data/abuse/` (plain text, one entry a line, with the rules
//! they take part in described in each file's header). They are compiled once into a
//! single automaton ([`lexicon::LEX`]) that runs over the normalised text
//! ([`crate::normalize::Norm`]: lowercase, leetspeak, "k a n k e r", "k*t", "loooser").
//! The rules below then look at the hits per sentence and clause: negation, who is
//! spoken about, and whether the words are quoted to condemn them.

pub(crate) mod lexicon;
pub(crate) mod text;

use std::cell::RefCell;

use lexicon::{cat, LEX};
use text::{Hit, Scratch};

use crate::{Abuse, AbuseKind, Analysis, Span};

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` on the prepared text: normalised, tokenised and matched against all word
/// lists once. The preparation is kept per thread for the last text, so the abuse,
/// confidential and statements analysers of one [`crate::Analyzer::analyze`] call share
/// one pass.
pub(crate) fn with_prepared<R>(text: &str, f: impl FnOnce(&Scratch) -> R) -> R {
    let lex = &*LEX;
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut sc) => {
            if !sc.is_for(text) {
                sc.prepare(text, lex);
            }
            f(&sc)
        }
        Err(_) => {
            let mut sc = Scratch::default();
            sc.prepare(text, lex);
            f(&sc)
        }
    })
}

/// Keyword matches of kinds `bit0 .. bit0 + n` of the confidential/statements lists:
/// `(kind index, original span, folded entry)`, sorted by start; matches of one kind that
/// overlap are merged. An entry written in capitals must be in capitals in the text.
pub(crate) fn keyword_matches(text: &str, bit0: u32, n: u32, mut f: impl FnMut(usize, Span, &'static str)) {
    if text.is_empty() {
        return;
    }
    let lex: &'static lexicon::Lex = &LEX;
    let mask = ((1u32 << n) - 1) << bit0;
    with_prepared(text, |sc| {
        let mut cur: Vec<(Span, usize, u32)> = Vec::new();
        for h in &sc.kw_hits {
            let kinds = h.kinds & mask;
            if kinds == 0 {
                continue;
            }
            let pat = &lex.pats[h.pat as usize];
            let span = sc.norm.span(h.s as usize, h.e as usize);
            for k in 0..n {
                let bit = 1u32 << (bit0 + k);
                if kinds & bit == 0 {
                    continue;
                }
                if pat.kw_caps & bit != 0 {
                    let entry = lex.strings[h.pat as usize].as_bytes();
                    let orig = &text.as_bytes()[span.start..span.end];
                    if orig.len() != entry.len() || orig.iter().zip(entry).any(|(&o, &p)| o != p.to_ascii_uppercase()) {
                        continue;
                    }
                }
                cur.push((span, k as usize, h.pat));
            }
        }
        cur.sort_by_key(|(s, k, _)| (s.start, std::cmp::Reverse(s.end), *k));
        // sorted by start, so only the last kept match of a kind can overlap the next
        let mut last = [usize::MAX; 32];
        let mut w = 0;
        for i in 0..cur.len() {
            let (s, k, p) = cur[i];
            if let Some(prev) = cur.get_mut(last[k]).filter(|(ps, _, _)| s.start < ps.end) {
                prev.0.end = prev.0.end.max(s.end);
                continue;
            }
            cur[w] = (s, k, p);
            last[k] = w;
            w += 1;
        }
        for &(s, k, p) in &cur[..w] {
            f(k, s, lex.strings[p as usize].as_str());
        }
    });
}

pub(crate) fn find(text: &str, out: &mut Analysis) {
    if text.is_empty() {
        return;
    }
    let first = out.abuse.len();
    with_prepared(text, |sc| run(sc, &mut out.abuse));
    let new = &mut out.abuse[first..];
    new.sort_by_key(|a| (a.span.start, a.span.end, a.kind as u8));
    let mut w = first;
    for i in first..out.abuse.len() {
        if w > first && out.abuse[w - 1] == out.abuse[i] {
            continue;
        }
        out.abuse.swap(w, i);
        w += 1;
    }
    out.abuse.truncate(w);
}

fn run(sc: &Scratch, out: &mut Vec<Abuse>) {
    if sc.hits.is_empty() {
        return;
    }
    let r = Rules::new(sc);
    r.insults_and_slurs(out);
    r.compounds(out);
    r.threats(out);
    r.hate(out);
    r.sexual(out);
    r.bullying(out);
}

const FIRST_SUBJ: &[&str] = &["ik", "k", "ikke", "we", "wij"];
const FIRST_ANY: &[&str] =
    &["ik", "k", "ikke", "we", "wij", "me", "mij", "mijn", "m'n", "mn", "ons", "onze", "mezelf", "onszelf", "mijzelf"];
const SECOND: &[&str] = &["je", "jij", "jou", "jouw", "jullie", "u", "uw", "jezelf", "jullie"];
const THIRD: &[&str] = &["hij", "hem", "zij", "ze", "haar", "hen", "hun", "die", "zijn"];
const OBJECT_TARGET: &[&str] = &["je", "jou", "jij", "jullie", "u", "hem", "haar", "hen", "ze"];
const NEGATORS: &[&str] = &["geen", "niet", "nooit", "niemand", "niets", "niks"];
const FILLERS: &[&str] = &[
    "echt", "helemaal", "zo'n", "zon", "een", "zo", "wel", "eens", "ook", "toch", "gewoon", "zeker", "absoluut",
    "totaal", "nou", "eigenlijk", "meer", "dus",
];
/// Words after which an adjective-like insult ("idioot") is still a noun.
const FOLLOW_OK: &[&str] = &[
    "en", "of", "die", "dat", "zoals", "ben", "bent", "is", "was", "hoor", "joh", "man", "zeg", "ofzo", "lol", "haha",
    "jij", "je", "toch", "van", "met", "als", "want", "maar", "omdat", "ook", "nou", "een", "de", "het", "daar",
    "hier", "zijn", "word", "wordt", "werd", "bleek", "blijft", "heeft", "had", "doet", "deed", "gaat", "ging", "kan",
    "moet", "zou", "zal", "in", "op", "uit", "aan", "bij", "voor", "naar", "niet", "nooit", "weer", "al", "nog",
    "gewoon", "echt", "hè", "he", "xd", "wat", "dan", "ze", "zij", "hij", "we", "wij", "ik", "jullie", "snapt",
    "zie", "ziet",
];
/// Words right before a context word ("eikel", "pot") that show it is about a person.
const CTX_PREV: &[&str] = &[
    "jij", "zo'n", "zon", "stomme", "vuile", "vieze", "domme", "stelletje", "stel", "kut", "echte", "enorme",
    "irritante", "grote", "totale", "vette", "gore", "lelijke", "dikke", "zulke", "smerige", "achterlijke",
    "kleine", "vuil", "jullie", "die", "rot", "lamme",
];
const COPULA: &[&str] = &["ben", "bent", "is", "was", "zijn", "waren", "blijft", "bleek", "word", "wordt", "werd", "wat", "als", "lijkt", "lijk"];
const INTENSIFIERS: &[&str] = &[
    "echt", "zo", "heel", "erg", "gewoon", "zo'n", "zon", "ontzettend", "super", "mega", "enorm", "vreselijk",
    "verschrikkelijk", "best", "behoorlijk", "wel", "toch", "nou", "altijd", "ook", "ook", "nog", "steeds", "helemaal",
    "totaal", "compleet", "zwaar", "kei", "kk", "kanker", "tering", "tyfus", "dus", "alleen", "maar",
];

struct Rules<'a> {
    sc: &'a Scratch,
    /// Per sentence: what the counter-speech and context checks need, gathered once.
    sinfo: Vec<SentInfo>,
}

#[derive(Clone, Copy)]
struct SentInfo {
    condemn: bool,
    any_speech: bool,
    /// Smallest end token of a reporting word ("zeggen dat", "uitspraken als").
    first_speech_end: u32,
    /// Smallest end token of a reporting word with "je/jij/jullie" as its subject and a
    /// complement ("als je zegt dat …", "je zei: …").
    first_second_speech_end: u32,
    /// Largest start token of a word that reports what precedes it ("… noemen").
    last_back_start: Option<u32>,
    pressure: bool,
    media: bool,
    anti_hate: bool,
}

impl<'a> Rules<'a> {
    fn new(sc: &'a Scratch) -> Self {
        let blank = SentInfo {
            condemn: false,
            any_speech: false,
            first_speech_end: u32::MAX,
            first_second_speech_end: u32::MAX,
            last_back_start: None,
            pressure: false,
            media: false,
            anti_hate: false,
        };
        let mut r = Rules { sc, sinfo: vec![blank; sc.sents.len()] };
        for h in sc.hits.iter().filter(|h| !h.part) {
            let sent = sc.toks[h.t0 as usize].sent as usize;
            let (s0, s1) = (sc.sents[sent].t0 as usize, sc.sents[sent].t1 as usize);
            let c = h.cats;
            let mut si = r.sinfo[sent];
            si.condemn |= c & cat::CONDEMN != 0;
            si.pressure |= c & cat::PRESSURE != 0;
            si.media |= c & (cat::MEDIA | cat::BODY) != 0;
            si.anti_hate |= c & cat::ANTIHATE != 0;
            if c & cat::SPEECH != 0 {
                si.any_speech = true;
                si.first_speech_end = si.first_speech_end.min(h.t1);
                let t = h.t0 as usize;
                let subj2 = (t.saturating_sub(2).max(s0)..t).any(|k| matches!(r.tok(k), "je" | "jij" | "jullie"));
                let next = h.t1 as usize;
                let complement = next >= s1
                    || r.tok(next) == "dat"
                    || sc.toks[next].quoted
                    || r.sep_has(h.e, sc.toks[next].s, b':');
                if subj2 && complement {
                    si.first_second_speech_end = si.first_second_speech_end.min(h.t1);
                }
            }
            if c & cat::SPEECH_BACK != 0 {
                si.any_speech = true;
                si.last_back_start = Some(si.last_back_start.map_or(h.t0, |x| x.max(h.t0)));
            }
            r.sinfo[sent] = si;
        }
        r
    }
}

impl Rules<'_> {
    fn tok(&self, t: usize) -> &str {
        self.sc.tok_str(t)
    }
    fn ntoks(&self) -> usize {
        self.sc.toks.len()
    }
    fn clause_of(&self, t: usize) -> (usize, usize) {
        let c = self.sc.clauses[self.sc.toks[t].clause as usize];
        (c.t0 as usize, c.t1 as usize)
    }
    fn sent_of(&self, t: usize) -> (usize, usize) {
        let s = self.sc.sents[self.sc.toks[t].sent as usize];
        (s.t0 as usize, s.t1 as usize)
    }
    fn span(&self, h: &Hit) -> Span {
        self.sc.norm.span(h.s as usize, h.e as usize)
    }
    fn span2(&self, s: u32, e: u32) -> Span {
        self.sc.norm.span(s as usize, e as usize)
    }
    fn tok_span(&self, t0: usize, t1: usize) -> (u32, u32) {
        (self.sc.toks[t0].s, self.sc.toks[t1 - 1].e)
    }
    /// Whole-word hits (not parts of a compound) starting in tokens `[t0, t1)`.
    fn hits_in(&self, t0: usize, t1: usize) -> impl Iterator<Item = &Hit> {
        let start = self.sc.hits.partition_point(|h| h.t0 < t0 as u32);
        self.sc.hits[start..].iter().take_while(move |h| h.t0 < t1 as u32).filter(|h| !h.part)
    }
    /// The clauses (indices) that contain a whole-word hit of category `c`, each once.
    fn clauses_with(&self, c: u64) -> impl Iterator<Item = usize> + '_ {
        let mut last = usize::MAX;
        self.sc.hits.iter().filter(move |h| h.cats & c != 0 && !h.part).filter_map(move |h| {
            let k = self.sc.toks[h.t0 as usize].clause as usize;
            (k != last).then(|| {
                last = k;
                k
            })
        })
    }
    fn toks_any(&self, t0: usize, t1: usize, words: &[&str]) -> bool {
        (t0..t1).any(|t| words.contains(&self.tok(t)))
    }

    /// Negated within a few words before `t` ("geen sukkel", "helemaal geen loser").
    fn negated_before(&self, t: usize) -> bool {
        let (c0, _) = self.clause_of(t);
        let mut k = t;
        let mut steps = 0;
        while k > c0 && steps < 4 {
            k -= 1;
            let w = self.tok(k);
            if NEGATORS.contains(&w) {
                return true;
            }
            if !FILLERS.contains(&w) && !COPULA.contains(&w) {
                return false;
            }
            steps += 1;
        }
        false
    }

    /// The nearest pronoun before `t` in its clause is the writer ("sorry dat ik zo'n eikel ben").
    fn about_self(&self, t: usize) -> bool {
        let (c0, _) = self.clause_of(t);
        let (s0, _) = self.sent_of(t);
        let lo = c0.min(t).max(s0).max(t.saturating_sub(12));
        let mut k = t;
        while k > lo {
            k -= 1;
            let w = self.tok(k);
            if FIRST_ANY.contains(&w) {
                return true;
            }
            if SECOND.contains(&w) || THIRD.contains(&w) || self.sc.toks[k].cap && k > s0 {
                return false;
            }
        }
        false
    }

    /// Counter-speech: the words at tokens `[a, b)` are quoted or reported to be condemned.
    fn countered(&self, a: usize, b: usize) -> bool {
        let si = &self.sinfo[self.sc.toks[a].sent as usize];
        let speech_before_hit = si.first_speech_end as usize <= a;
        let second_speech = si.first_second_speech_end as usize <= a;
        let speech_after_hit = si.last_back_start.is_some_and(|t| t as usize >= b);
        let quoted = self.sc.toks[a].quoted;
        (quoted && (si.any_speech || si.condemn))
            || ((speech_before_hit || speech_after_hit) && (si.condemn || second_speech))
    }

    fn sep_has(&self, from: u32, to: u32, b: u8) -> bool {
        from < to && self.sc.norm.text[from as usize..to as usize].contains(&b)
    }

    fn push(&self, out: &mut Vec<Abuse>, kind: AbuseKind, span: Span) {
        out.push(Abuse { kind, span });
    }

    // ---- Insult and Slur --------------------------------------------------------------

    fn insults_and_slurs(&self, out: &mut Vec<Abuse>) {
        for h in &self.sc.hits {
            let c = h.cats;
            let t = h.t0 as usize;
            let te = h.t1 as usize;
            let insult = c & cat::INSULT != 0
                || c & cat::INSULT_ADJ != 0 && self.noun_use(te)
                || c & cat::INSULT_CTX != 0 && self.person_context(t, te);
            let slur = c & cat::SLUR != 0
                || c & cat::SLUR_ADJ != 0 && self.noun_use(te)
                || c & cat::SLUR_CTX != 0 && self.person_context(t, te);
            let pred = c & cat::INSULT_PRED != 0 && self.predicated_of_person(t);
            if !(insult || slur || pred) {
                continue;
            }
            if h.part {
                // part of a compound: only when the compound is a person word, handled in compounds()
                continue;
            }
            if self.negated_before(t) || self.about_self(t) || self.countered(t, te) {
                continue;
            }
            if insult || pred {
                self.push(out, AbuseKind::Insult, self.span(h));
            }
            if slur {
                self.push(out, AbuseKind::Slur, self.span(h));
            }
        }
    }

    /// An adjective-like word used as a noun: nothing or a function word follows.
    fn noun_use(&self, next: usize) -> bool {
        if next >= self.ntoks() || self.sc.toks[next].clause != self.sc.toks[next - 1].clause {
            return true;
        }
        FOLLOW_OK.contains(&self.tok(next))
    }

    /// A context word ("eikel", "pot") is about a person.
    fn person_context(&self, t: usize, te: usize) -> bool {
        let (c0, c1) = self.clause_of(t);
        if c1 - c0 <= 2 {
            return true; // "Eikel!", "Hé eikel"
        }
        if t == c0 {
            return false;
        }
        let p = self.tok(t - 1);
        if CTX_PREV.contains(&p) {
            return p != "die" || self.noun_use(te);
        }
        if p == "een" {
            let mut k = t - 1;
            while k > c0 {
                k -= 1;
                let w = self.tok(k);
                if COPULA.contains(&w) || w == "noemt" || w == "noemde" {
                    return true;
                }
                if !INTENSIFIERS.contains(&w) && !matches!(w, "je" | "jij" | "hij" | "ze" | "zij" | "u") {
                    return false;
                }
            }
        }
        false
    }

    /// "je bent (zo) lelijk", "hij is echt achterlijk", "wat ben je dom".
    fn predicated_of_person(&self, t: usize) -> bool {
        let (c0, _) = self.clause_of(t);
        let mut k = t;
        let mut cop = false;
        let mut subj = false;
        let mut steps = 0;
        while k > c0 && steps < 5 {
            k -= 1;
            steps += 1;
            let w = self.tok(k);
            if matches!(w, "ben" | "bent" | "is" | "zijn" | "was" | "waren" | "blijf" | "blijft") {
                cop = true;
                continue;
            }
            if matches!(w, "je" | "jij" | "u" | "hij" | "zij" | "ze" | "jullie") || self.sc.toks[k].cap && k > c0 {
                subj = true;
                continue;
            }
            if INTENSIFIERS.contains(&w) || w == "wat" {
                continue;
            }
            break;
        }
        cop && subj
    }

    // ---- Disease curses and kut-compounds -------------------------------------------

    fn compounds(&self, out: &mut Vec<Abuse>) {
        let hits = &self.sc.hits;
        for (i, h) in hits.iter().enumerate() {
            let t = h.t0 as usize;
            if h.cats & cat::CURSE != 0 {
                // "kanker op!" but not "sponsorloop tegen kanker op zaterdag"
                let (c0, _) = self.clause_of(t);
                let lead_ok = t == c0
                    || matches!(
                        self.tok(t - 1),
                        "jij" | "ga" | "nou" | "en" | "dus" | "gewoon" | "toch" | "maar" | "he" | "hey" | "joh" | "man"
                            | "kk" | "vuile" | "oh" | "o" | "ach" | "zeg" | "jullie" | "allemaal" | "lekker"
                    )
                    || !matches!(self.tok(h.t1 as usize - 1), "op");
                if lead_ok && !self.countered(t, h.t1 as usize) && !self.negated_before(t) {
                    self.push(out, AbuseKind::DiseaseCurse, self.span(h));
                }
                continue;
            }
            if h.cats & cat::CURSE_WISH != 0 {
                // aimed at "je/jij/jullie/u": the nearest pronoun before the disease word
                let (c0, _) = self.clause_of(t);
                let disease = (t..h.t1 as usize)
                    .find(|&k| {
                        matches!(
                            self.tok(k),
                            "kanker" | "tering" | "tyfus" | "tiefus" | "klere" | "kolere" | "pest" | "pleuris" | "pokken" | "takke"
                        )
                    })
                    .unwrap_or(t);
                let mut to_you = false;
                let mut k = disease;
                while k > c0 && k + 6 > disease {
                    k -= 1;
                    let w = self.tok(k);
                    if SECOND.contains(&w) {
                        to_you = true;
                        break;
                    }
                    if FIRST_ANY.contains(&w) || THIRD.contains(&w) {
                        break;
                    }
                }
                if to_you && !self.countered(t, h.t1 as usize) {
                    self.push(out, AbuseKind::DiseaseCurse, self.span(h));
                }
                continue;
            }
            if h.cats & (cat::DPREFIX | cat::KUTPREFIX) == 0 {
                continue;
            }
            // the next hit must follow directly: same word, or next word after " " or "-"
            let Some(n) = hits[i + 1..].iter().find(|n| n.s >= h.e) else { continue };
            let glued = n.s == h.e && n.t0 == h.t0;
            let next_word = n.t0 == h.t1
                && n.t0 as usize == h.t1 as usize
                && n.s == self.sc.toks[n.t0 as usize].s
                && self.sc.norm.text[h.e as usize..n.s as usize].iter().all(|&b| b == b' ' || b == b'-');
            if !(glued || next_word) {
                continue;
            }
            let person = cat::PERSON | cat::INSULT | cat::INSULT_ADJ | cat::INSULT_CTX | cat::SLUR | cat::SLUR_ADJ | cat::SLUR_CTX | cat::GROUP;
            if n.cats & person == 0 {
                continue;
            }
            // as a separate word only the common swear words count, and not before a neutral
            // word for people: "tering mongool", but not "kanker kinderen" (a charity poster)
            if next_word && !glued {
                let w = self.tok(h.t0 as usize);
                if !matches!(w, "kanker" | "kk" | "kkr" | "tyfus" | "tering" | "klere" | "kolere" | "kut" | "pleuris" | "tiefus") {
                    continue;
                }
                let neutral = matches!(
                    self.tok(n.t0 as usize),
                    "kind" | "kinderen" | "kid" | "kids" | "jongen" | "jongens" | "meid" | "meiden" | "man" | "mannen" | "vrouw"
                        | "vrouwen" | "leraar" | "leraren" | "lerares" | "docent" | "docenten" | "juf" | "meester" | "mentor"
                        | "directeur" | "patient" | "patienten"
                );
                if neutral && n.cats & (cat::INSULT | cat::SLUR | cat::SLUR_CTX | cat::INSULT_CTX) == 0 {
                    continue;
                }
            }
            let t1 = n.t1 as usize;
            if self.countered(t, t1) || self.negated_before(t) || self.about_self(t) {
                continue;
            }
            let span = self.span2(h.s, n.e);
            let groupish = n.cats & (cat::GROUP | cat::SLUR | cat::SLUR_ADJ | cat::SLUR_CTX) != 0;
            if h.cats & cat::DPREFIX != 0 && !(h.cats & cat::KUTPREFIX != 0 && self.tok(t) == "kut") {
                self.push(out, AbuseKind::DiseaseCurse, span);
                if groupish {
                    self.push(out, AbuseKind::Slur, span);
                }
            } else if groupish {
                self.push(out, AbuseKind::Slur, span);
            } else {
                self.push(out, AbuseKind::Insult, span);
            }
        }
    }

    // ---- Threats ---------------------------------------------------------------------

    fn threats(&self, out: &mut Vec<Abuse>) {
        let n = self.ntoks();
        for h in &self.sc.hits {
            let t = h.t0 as usize;
            let te = h.t1 as usize;
            let (c0, c1) = self.clause_of(t);
            if h.cats & cat::THREAT != 0 {
                let last = self.tok(te - 1);
                let benign = matches!(last, "op" | "uit")
                    && te < c1
                    && matches!(self.tok(te), "met" | "voor" | "bij" | "dat" | "wat" | "als");
                if !benign && !self.countered(t, te) {
                    self.push(out, AbuseKind::Threat, self.span(h));
                }
            } else if h.cats & cat::THREAT_END != 0 {
                let ends = te >= c1
                    || self.sc.toks[te].cap
                    || self.tok_is_any(te, &["nog", "wel", "straks", "morgen", "na", "later", "hoor", "he", "hè", "echt", "ooit"]);
                if ends && !self.countered(t, te) {
                    self.push(out, AbuseKind::Threat, self.span(h));
                }
            } else if h.cats & cat::DEATHWISH != 0 {
                let w0 = self.tok(t);
                let prev_me = t > c0 && FIRST_SUBJ.contains(&self.tok(t - 1));
                let after_van = te < c1 && self.tok(te) == "van";
                if (w0 == "ga" || w0 == "val") && (prev_me || after_van || t > c0 && self.tok(t - 1) == "ik") {
                    continue;
                }
                if !self.countered(t, te) {
                    self.push(out, AbuseKind::Threat, self.span(h));
                }
            }
        }
        // writer + target + violence, per clause
        for ci in self.clauses_with(cat::TVERB | cat::TSTEM) {
            let c = &self.sc.clauses[ci];
            let (c0, c1) = (c.t0 as usize, c.t1 as usize);
            if c1 - c0 < 3 {
                continue;
            }
            let Some(subj) = (c0..c1).find(|&k| FIRST_SUBJ.contains(&self.tok(k))) else { continue };
            if self.toks_any(c0, c1, NEGATORS) {
                continue;
            }
            let mut verb: Option<&Hit> = None;
            let mut stem: Option<&Hit> = None;
            let mut part: Option<&Hit> = None;
            let mut group = false;
            for h in self.hits_in(c0, c1) {
                if h.cats & cat::TVERB != 0 && verb.is_none() {
                    verb = Some(h);
                }
                if h.cats & cat::TSTEM != 0 && stem.is_none() {
                    stem = Some(h);
                }
                if h.cats & cat::TPART != 0 && part.is_none() {
                    part = Some(h);
                }
                if h.cats & cat::TPART_ADJ != 0 && part.is_none() {
                    let k = h.t0 as usize;
                    if k > c0 && OBJECT_TARGET.contains(&self.tok(k - 1)) && stem.is_some() {
                        part = Some(h);
                    }
                }
                if h.cats & cat::GROUP != 0 {
                    group = true;
                }
            }
            let harm: Option<(u32, u32)> = match (verb, stem, part) {
                (Some(v), _, _) => Some((v.s, v.e)),
                (None, Some(s), Some(p)) => Some((s.s.min(p.s), s.e.max(p.e))),
                _ => None,
            };
            let Some((hs, he)) = harm else { continue };
            if group {
                continue; // a threat against a group is Hate
            }
            // a target other than the writer
            let (s0, _) = self.sent_of(c0);
            let target = (c0..c1).find(|&k| {
                k != subj
                    && (OBJECT_TARGET.contains(&self.tok(k))
                        || (self.sc.toks[k].cap && k > s0 && !FIRST_ANY.contains(&self.tok(k))))
            });
            let target_hit = self.hits_in(c0, c1).find(|h| h.cats & cat::TARGET != 0).map(|h| (h.s, h.e));
            let (ts, te) = match (target, target_hit) {
                (Some(k), _) => (self.sc.toks[k].s, self.sc.toks[k].e),
                (None, Some(x)) => x,
                _ => continue,
            };
            if self.countered(c0, c1.min(n)) {
                continue;
            }
            let s = self.sc.toks[subj].s.min(hs).min(ts);
            let e = self.sc.toks[subj].e.max(he).max(te);
            self.push(out, AbuseKind::Threat, self.span2(s, e));
        }
    }

    fn tok_is_any(&self, t: usize, words: &[&str]) -> bool {
        t < self.ntoks() && words.contains(&self.tok(t))
    }

    // ---- Hate against groups -----------------------------------------------------------

    fn hate(&self, out: &mut Vec<Abuse>) {
        let hits = &self.sc.hits;
        if !hits.iter().any(|h| h.cats & cat::GROUP != 0) {
            return;
        }
        let neg_cats = cat::EMOTE
            | cat::ATTR
            | cat::HARM
            | cat::PROFANE
            | cat::INSULT
            | cat::SLUR
            | cat::CURSE_WISH
            | cat::TVERB;
        // per sentence, computed once: (sentence, writer speaks, first content word, first group)
        let mut per_sent: Option<(u32, bool, usize, Option<&Hit>)> = None;
        for ci in self.clauses_with(neg_cats | cat::POS) {
            let c = &self.sc.clauses[ci];
            let (c0, c1) = (c.t0 as usize, c.t1 as usize);
            let sent = self.sc.sents[c.sent as usize];
            let (s0, s1) = (sent.t0 as usize, sent.t1 as usize);
            if per_sent.is_none_or(|p| p.0 != c.sent) {
                let first_person = self.toks_any(s0, s1, FIRST_ANY)
                    || (s0..s1).any(|k| self.tok(k).starts_with("ik") && self.hits_in(k, k + 1).any(|h| h.s > self.sc.toks[k].s));
                // the first group or polar word: rhetorical negators come before it
                let first_content = self
                    .hits_in(s0, s1)
                    .find(|h| h.cats & (cat::GROUP | neg_cats | cat::POS) != 0)
                    .map(|h| h.t0 as usize)
                    .unwrap_or(s1);
                let group = self.hits_in(s0, s1).find(|h| h.cats & cat::GROUP != 0);
                per_sent = Some((c.sent, first_person, first_content, group));
            }
            let (_, first_person, first_content, group_in_sent) = per_sent.unwrap_or((0, false, s1, None));
            // "waarom doen we dat niet gewoon?": a suggestion, not a negation
            let why_not = sent.question && self.tok(s0) == "waarom";
            let mut negators = 0;
            let mut neg: Option<&Hit> = None;
            let mut pos = 0;
            let mut group_here: Option<&Hit> = None;
            for h in self.hits_in(c0, c1) {
                if h.cats & cat::GROUP != 0 && group_here.is_none() {
                    group_here = Some(h);
                    // a group word that is also a slur/insult still counts as the group
                }
                if h.cats & cat::NEGATOR != 0 && h.cats & cat::NEUTRAL == 0 {
                    if !why_not && (!sent.question || (h.t0 as usize) >= first_content) {
                        negators += 1;
                    }
                    continue;
                }
                if h.cats & neg_cats != 0 && h.cats & cat::GROUP == 0 {
                    let emote_only = h.cats & neg_cats == cat::EMOTE;
                    if emote_only && !first_person {
                        continue;
                    }
                    if neg.is_none() {
                        neg = Some(h);
                    }
                } else if h.cats & cat::POS != 0 {
                    pos += 1;
                }
            }
            let hateful = if negators % 2 == 0 { neg.is_some() } else { pos > 0 && neg.is_none() };
            if !hateful {
                continue;
            }
            // the group: in this clause, in this sentence, or referred to by a pronoun
            let group_sent = group_here.or(group_in_sent);
            let pronoun = self.toks_any(c0, c1, &["ze", "zij", "hen", "hun", "jullie", "die"]);
            if group_sent.is_none() && !pronoun {
                continue;
            }
            if self.sinfo[c.sent as usize].anti_hate {
                continue;
            }
            // the key word: the negative word, or the first polar word
            let key = neg
                .or_else(|| self.hits_in(c0, c1).find(|h| h.cats & (cat::POS | cat::NEGATOR) != 0))
                .copied();
            let Some(key) = key else { continue };
            if self.countered(key.t0 as usize, key.t1 as usize) {
                continue;
            }
            // the group is only named inside a quotation that is reported or condemned
            if let Some(g) = group_sent {
                if self.sc.toks[g.t0 as usize].quoted && self.countered(g.t0 as usize, g.t1 as usize) {
                    continue;
                }
            }
            let (gs, ge) = match group_sent {
                Some(g) => (g.s, g.e),
                None => (key.s, key.e),
            };
            let (s, e) = (gs.min(key.s), ge.max(key.e));
            self.push(out, AbuseKind::Hate, self.span2(s, e));
        }
    }

    // ---- Sexual ------------------------------------------------------------------------

    fn sexual(&self, out: &mut Vec<Abuse>) {
        for h in &self.sc.hits {
            if h.cats & cat::SEXUAL != 0 && !self.countered(h.t0 as usize, h.t1 as usize) {
                self.push(out, AbuseKind::Sexual, self.span(h));
            }
        }
        for ci in self.clauses_with(cat::SEXREQ | cat::SHARE) {
            let c = &self.sc.clauses[ci];
            let (c0, c1) = (c.t0 as usize, c.t1 as usize);
            let mut req: Option<&Hit> = None;
            let mut imp = false;
            let mut body: Option<&Hit> = None;
            let mut share: Option<&Hit> = None;
            let mut pressure = false;
            let mut media = false;
            for h in self.hits_in(c0, c1) {
                if h.cats & cat::SEXREQ != 0 && req.is_none() {
                    req = Some(h);
                }
                if h.cats & cat::SEXIMP != 0 && (h.t0 as usize == c0 || self.tok_is_any(h.t0 as usize - 1, &["en", "nou", "dan", "maar", "even"])) {
                    imp = true;
                }
                if h.cats & cat::BODY != 0 && body.is_none() {
                    body = Some(h);
                }
                if h.cats & cat::SHARE != 0 && share.is_none() {
                    share = Some(h);
                }
                if h.cats & cat::PRESSURE != 0 {
                    pressure = true;
                }
                if h.cats & (cat::MEDIA | cat::BODY) != 0 {
                    media = true;
                }
            }
            let negated = self.toks_any(c0, c1, NEGATORS);
            let to_you = self.toks_any(c0, c1, SECOND);
            if let (Some(r), Some(b)) = (req, body) {
                if (imp || to_you) && !negated && !self.countered(c0, c1) {
                    self.push(out, AbuseKind::Sexual, self.span2(r.s.min(b.s), r.e.max(b.e)));
                    continue;
                }
            }
            if let Some(sh) = share {
                // sextortion: pressure and an image, in this clause or the sentence
                let si = &self.sinfo[c.sent as usize];
                let pressure = pressure || si.pressure;
                let media = media || si.media;
                if pressure && media && !self.countered(c0, c1) {
                    let (a, _) = self.tok_span(c0, c1);
                    self.push(out, AbuseKind::Sexual, self.span2(a.min(sh.s), sh.e));
                }
            }
        }
    }

    // ---- Bullying ----------------------------------------------------------------------

    fn bullying(&self, out: &mut Vec<Abuse>) {
        for h in &self.sc.hits {
            if h.cats & cat::BULLY != 0 && !self.countered(h.t0 as usize, h.t1 as usize) {
                self.push(out, AbuseKind::Bullying, self.span(h));
            }
        }
        for ci in self.clauses_with(cat::INCITE | cat::INCITE_NEG) {
            let c = &self.sc.clauses[ci];
            let (c0, c1) = (c.t0 as usize, c.t1 as usize);
            let mut incite: Option<&Hit> = None;
            let mut incite_neg: Option<&Hit> = None;
            let mut exclude: Option<&Hit> = None;
            let mut social: Option<&Hit> = None;
            let mut counter = false;
            let mut negators = 0;
            for h in self.hits_in(c0, c1) {
                if h.cats & cat::INCITE_NEG != 0 {
                    incite_neg.get_or_insert(h);
                } else if h.cats & cat::INCITE != 0 {
                    incite.get_or_insert(h);
                }
                if h.cats & cat::EXCLUDE != 0 {
                    exclude.get_or_insert(h);
                }
                if h.cats & cat::SOCIAL != 0 {
                    social.get_or_insert(h);
                }
                if h.cats & cat::COUNTER != 0 {
                    counter = true;
                }
                if h.cats & cat::NEGATOR != 0 && h.cats & (cat::INCITE_NEG | cat::NEUTRAL) == 0 {
                    negators += 1;
                }
            }
            if counter {
                continue;
            }
            // "praat niet met hem" is an imperative; "ik praat niet met je" is not
            if let Some(i) = incite_neg {
                let k = i.t0 as usize;
                if k > c0 && matches!(self.tok(k), "praat" | "speel" | "ga") && FIRST_SUBJ.iter().chain(SECOND).chain(&["hij", "zij", "ze"]).any(|w| *w == self.tok(k - 1)) {
                    incite_neg = None;
                }
            }
            // someone to exclude: him, her, you, a name
            let (s0, _) = self.sent_of(c0);
            let target = (c0..c1).any(|k| {
                matches!(self.tok(k), "hem" | "haar" | "hen" | "ze" | "je" | "jou" | "jullie" | "die" | "deze")
                    || self.sc.toks[k].cap && k > s0 && !FIRST_ANY.contains(&self.tok(k))
            });
            if !target {
                continue;
            }
            let span = match (incite, incite_neg, exclude, social) {
                // "laten we haar buitensluiten", "gooi hem uit de groep"
                (Some(i), None, Some(x), _) if negators == 0 => Some((i.s.min(x.s), i.e.max(x.e))),
                // "niemand mag met hem praten"
                (_, Some(i), _, Some(s)) if negators == 0 => Some((i.s.min(s.s), i.e.max(s.e))),
                // "laten we niet meer met haar praten"
                (Some(i), None, None, Some(s)) if negators % 2 == 1 => Some((i.s.min(s.s), i.e.max(s.e))),
                _ => None,
            };
            if let Some((s, e)) = span {
                if !self.countered(c0, c1) {
                    self.push(out, AbuseKind::Bullying, self.span2(s, e));
                }
            }
        }
    }
}
