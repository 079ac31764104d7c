//! One text prepared for the abuse rules: normalised view, tokens with sentence and
//! clause numbers, and the word-list hits on whole words (or on the parts of a compound
//! or of words written together).

use super::lexicon::{cat, Lex};
use crate::normalize::{is_word_byte, Norm, WILD};

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub s: u32,
    pub e: u32,
    pub sent: u32,
    pub clause: u32,
    pub quoted: bool,
    /// The original word starts with a capital letter.
    pub cap: bool,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Sent {
    pub t0: u32,
    pub t1: u32,
    /// Ends with a question mark or starts with a question word.
    pub question: bool,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Clause {
    pub t0: u32,
    pub t1: u32,
    pub sent: u32,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    /// Normalised byte range.
    pub s: u32,
    pub e: u32,
    /// Token range `[t0, t1)`.
    pub t0: u32,
    pub t1: u32,
    pub cats: u64,
    /// Part of a token (compound or words written together).
    pub part: bool,
}

/// A keyword of the confidential or statements lists, on word boundaries (normalised
/// byte range, widened to the whole word for open entries).
#[derive(Debug, Clone, Copy)]
pub(crate) struct KwHit {
    pub s: u32,
    pub e: u32,
    pub pat: u32,
    pub kinds: u32,
}

#[derive(Default)]
pub(crate) struct Scratch {
    prepared: bool,
    pub kw_hits: Vec<KwHit>,
    pub norm: Norm,
    pub toks: Vec<Tok>,
    pub sents: Vec<Sent>,
    pub clauses: Vec<Clause>,
    pub hits: Vec<Hit>,
    raw: Vec<(u32, u32, u32)>,
    parts: Vec<(u32, u32, u64)>,
    pending: Vec<(usize, usize, bool)>,
    sq_marks: Vec<(usize, usize)>,
    tok_has_full: Vec<bool>,
    keep: Vec<bool>,
}

const QUESTION_START: &[&str] = &["waarom", "hoe", "wanneer", "wat", "wie", "welke", "is", "zijn", "kan", "kunnen", "mag", "moeten", "beseffen", "snappen", "zien", "maakt", "heb", "hebben", "ben"];

impl Scratch {
    pub fn tok_bytes(&self, t: usize) -> &[u8] {
        let k = &self.toks[t];
        &self.norm.text[k.s as usize..k.e as usize]
    }

    pub fn tok_str(&self, t: usize) -> &str {
        let k = &self.toks[t];
        std::str::from_utf8(&self.norm.text[k.s as usize..k.e as usize]).unwrap_or("")
    }

    /// Prepared for exactly this text already?
    pub fn is_for(&self, text: &str) -> bool {
        self.prepared && self.norm.source() == text.as_bytes()
    }

    pub fn prepare(&mut self, text: &str, lex: &Lex) {
        self.prepared = true;
        self.norm.build(text);
        self.tokenize(text);
        self.match_words(lex);
    }

    fn tokenize(&mut self, text: &str) {
        self.toks.clear();
        self.sents.clear();
        self.clauses.clear();
        let t = &self.norm.text;
        let n = t.len();
        let src = text.as_bytes();
        let mut sent = 0u32;
        let mut clause = 0u32;
        let mut sent_has = false;
        let mut clause_has = false;
        let mut in_dq = false;
        let mut sq_open: Option<usize> = None; // token index where a single quote opened
        let mut i = 0;
        let mut sq_marks = std::mem::take(&mut self.sq_marks); // (first token, end token) quoted by '…'
        sq_marks.clear();
        let mut question_end = false;
        let mut sent_start_tok = 0usize;
        let mut pending = std::mem::take(&mut self.pending);
        pending.clear();
        while i < n {
            let b = t[i];
            if is_word_byte(b) {
                let s = i;
                while i < n
                    && (is_word_byte(t[i])
                        || (t[i] == b'\'' && i + 1 < n && is_word_byte(t[i + 1]) && i > s))
                {
                    i += 1;
                }
                let o = self.norm.orig_start(s);
                let cap = match src[o] {
                    b'A'..=b'Z' => true,
                    0..=0x7f => false,
                    _ => text[o..].chars().next().is_some_and(char::is_uppercase),
                };
                self.toks.push(Tok { s: s as u32, e: i as u32, sent, clause, quoted: in_dq, cap });
                sent_has = true;
                clause_has = true;
                continue;
            }
            match b {
                b'.' | b'!' | b'?' | b'\n' | b';' => {
                    if b == b'?' {
                        question_end = true;
                    }
                    if sent_has {
                        let t1 = self.toks.len();
                        pending.push((sent_start_tok, t1, question_end));
                        sent_start_tok = t1;
                        sent += 1;
                        clause += 1;
                        sent_has = false;
                        clause_has = false;
                        question_end = false;
                        if b == b'\n' {
                            in_dq = false;
                        }
                    }
                }
                b',' | b':' | b'(' | b')' if clause_has => {
                    clause += 1;
                    clause_has = false;
                }
                b'"' => in_dq = !in_dq,
                b'\'' => {
                    let prev_word = i > 0 && is_word_byte(t[i - 1]);
                    let next_word = i + 1 < n && is_word_byte(t[i + 1]);
                    if !prev_word && next_word {
                        sq_open = Some(self.toks.len());
                    } else if prev_word && !next_word {
                        if let Some(o) = sq_open.take() {
                            if self.toks.get(o).is_some_and(|k| k.sent == sent) {
                                sq_marks.push((o, self.toks.len()));
                            }
                        }
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if sent_start_tok < self.toks.len() {
            pending.push((sent_start_tok, self.toks.len(), question_end));
        }
        for &(a, b, q) in &pending {
            self.close_sentence(a, b, q);
        }
        self.pending = pending;
        for &(a, b) in &sq_marks {
            for k in &mut self.toks[a..b] {
                k.quoted = true;
            }
        }
        self.sq_marks = sq_marks;
        // clause breaks before "maar", "want", "omdat"
        let mut bump = 0u32;
        let mut last_sent = u32::MAX;
        for k in 0..self.toks.len() {
            if self.toks[k].sent != last_sent {
                last_sent = self.toks[k].sent;
            } else {
                let w = self.tok_bytes(k);
                if !matches!(w.len(), 3..=7) || !matches!(w[0], b'm' | b'w' | b'o' | b'd' | b'a' | b'z') {
                    self.toks[k].clause += bump;
                    continue;
                }
                let w = self.tok_str(k);
                let next = if k + 1 < self.toks.len() { self.tok_str(k + 1) } else { "" };
                let conj = match w {
                    "want" | "omdat" | "daarom" => true,
                    // "… als ik ze neerschiet": a clause of its own with the writer as subject
                    "als" | "wanneer" | "zodra" => matches!(next, "ik" | "we" | "wij"),
                    // "maar" as a conjunction, not "ook maar", "pas maar op", "ga maar"
                    "maar" => !matches!(
                        self.tok_str(k - 1),
                        "ook" | "alleen" | "slechts" | "pas" | "wacht" | "ga" | "kijk" | "doe" | "zeg" | "kom"
                            | "laat" | "nou" | "toch" | "even" | "gewoon" | "eens" | "zo" | "dat" | "wat" | "kan"
                            | "kun" | "moet" | "mag" | "blijf" | "blijft" | "blijven" | "val" | "spring" | "krijg"
                    ),
                    _ => false,
                };
                if conj {
                    bump += 1;
                }
            }
            self.toks[k].clause += bump;
        }
        // clause table
        let mut k = 0;
        while k < self.toks.len() {
            let c = self.toks[k].clause;
            let s = k;
            while k < self.toks.len() && self.toks[k].clause == c {
                k += 1;
            }
            self.clauses.push(Clause { t0: s as u32, t1: k as u32, sent: self.toks[s].sent });
        }
        // renumber clauses densely
        for (ci, c) in self.clauses.iter().enumerate() {
            for tk in &mut self.toks[c.t0 as usize..c.t1 as usize] {
                tk.clause = ci as u32;
            }
        }
    }

    fn close_sentence(&mut self, t0: usize, t1: usize, question_end: bool) {
        let question = question_end || (t0 < t1 && QUESTION_START[..4].contains(&self.tok_str(t0)));
        self.sents.push(Sent { t0: t0 as u32, t1: t1 as u32, question });
    }

    /// Token index containing normalised byte `p`.
    fn tok_at(&self, p: u32) -> Option<usize> {
        let i = self.toks.partition_point(|k| k.e <= p);
        (i < self.toks.len() && self.toks[i].s <= p).then_some(i)
    }

    #[allow(clippy::needless_range_loop)]
    fn match_words(&mut self, lex: &Lex) {
        self.hits.clear();
        self.raw.clear();
        self.kw_hits.clear();
        let t = &self.norm.text;
        let n = t.len();
        for m in lex.automaton().find_overlapping_iter(&t[..]) {
            let p = m.pattern().as_u32();
            let pat = &lex.pats[p as usize];
            if pat.exact | pat.fuzzy | pat.collapse | pat.nospace != 0 {
                self.raw.push((m.start() as u32, m.end() as u32, p));
            }
            if pat.kw != 0 {
                // keyword: on word boundaries, or widened for open entries
                let (mut s, mut e) = (m.start(), m.end());
                let open_s = s > 0 && is_word_byte(t[s - 1]);
                let open_e = e < n && is_word_byte(t[e]);
                let mut kinds = pat.kw;
                if open_s {
                    kinds &= pat.kw_open_start;
                }
                if open_e {
                    kinds &= pat.kw_open_end;
                }
                if kinds == 0 {
                    continue;
                }
                while s > 0 && is_word_byte(t[s - 1]) {
                    s -= 1;
                }
                while e < n && is_word_byte(t[e]) {
                    e += 1;
                }
                self.kw_hits.push(KwHit { s: s as u32, e: e as u32, pat: p, kinds });
            }
        }
        self.raw.sort_unstable_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
        // whole-word matches first; parts collected per token
        let mut tok_has_full = std::mem::take(&mut self.tok_has_full);
        tok_has_full.clear();
        let mut r = 0;
        while r < self.raw.len() {
            let (s, e, p) = self.raw[r];
            r += 1;
            let (Some(ts), Some(te)) = (self.tok_at(s), self.tok_at(e - 1)) else { continue };
            let pat = lex.pats[p as usize];
            let full = self.toks[ts].s == s && self.toks[te].e == e;
            if full {
                let mut c = pat.exact | pat.fuzzy;
                if ts == te {
                    c |= pat.nospace;
                }
                if pat.collapse != 0 && self.norm.has_collapsed(s as usize, e as usize) {
                    c |= pat.collapse;
                }
                if c != 0 {
                    if ts == te {
                        if tok_has_full.is_empty() {
                            tok_has_full.resize(self.toks.len(), false);
                        }
                        tok_has_full[ts] = true;
                    }
                    self.hits.push(Hit { s, e, t0: ts as u32, t1: te as u32 + 1, cats: c, part: false });
                }
            }
        }
        // compounds and words written together
        let mut r = 0;
        while r < self.raw.len() {
            let (s, _, _) = self.raw[r];
            let Some(ts) = self.tok_at(s) else {
                r += 1;
                continue;
            };
            // gather all raw matches inside token ts
            let tk = self.toks[ts];
            self.parts.clear();
            while r < self.raw.len() && self.raw[r].0 < tk.e {
                let (ps, pe, p) = self.raw[r];
                r += 1;
                let pat = lex.pats[p as usize];
                let inside = pe <= tk.e && !(ps == tk.s && pe == tk.e);
                let c = pat.exact & cat::SEGMENTABLE;
                let long_enough = pe - ps >= 4 || c & (cat::KUTPREFIX | cat::INSULT | cat::SLUR) != 0;
                if inside && c != 0 && long_enough && !lex.strings[p as usize].contains(' ') {
                    self.parts.push((ps, pe, c));
                }
            }
            if self.parts.is_empty() || tok_has_full.get(ts).copied().unwrap_or(false) {
                continue;
            }
            self.segment(ts, lex);
        }
        self.tok_has_full = tok_has_full;
        // masked words ("k*t", "k*nkerlijer")
        if self.norm.text.contains(&WILD) {
            for ts in 0..self.toks.len() {
                let tk = self.toks[ts];
                let w = &self.norm.text[tk.s as usize..tk.e as usize];
                if w.contains(&WILD) {
                    self.masked(ts, lex);
                }
            }
        }
        self.hits.sort_unstable_by_key(|h| (h.s, std::cmp::Reverse(h.e)));
        // drop hits inside a longer hit; merge equal spans
        let mut keep = std::mem::take(&mut self.keep);
        keep.clear();
        keep.resize(self.hits.len(), true);
        for i in 0..self.hits.len() {
            if !keep[i] {
                continue;
            }
            let a = self.hits[i];
            for j in i + 1..self.hits.len() {
                let b = self.hits[j];
                if b.s >= a.e {
                    break;
                }
                if b.e <= a.e {
                    // a phrase takes over the categories of the words inside it, except
                    // the negation and polarity words it was written to absorb
                    // ("niets anders dan", "niet illegaal", "niets waard")
                    let absorbed = cat::NEGATOR | cat::POS | cat::NEUTRAL;
                    self.hits[i].cats |= if b.s == a.s && b.e == a.e { b.cats } else { b.cats & !absorbed };
                    keep[j] = false;
                }
            }
        }
        let mut k = 0;
        self.hits.retain(|_| {
            k += 1;
            keep[k - 1]
        });
        self.keep = keep;
    }

    /// Splits token `ts` into word-list parts and glue words, if it can be done fully.
    fn segment(&mut self, ts: usize, lex: &Lex) {
        let tk = self.toks[ts];
        let w = &self.norm.text[tk.s as usize..tk.e as usize];
        if w.len() > 64 || lex.is_split_exception(w) {
            return;
        }
        let n = w.len();
        // quick exits: the word must start and end with a list word or a glue word
        let starts = self.parts.iter().any(|&(ps, _, _)| ps == tk.s) || lex.glue.iter().any(|g| w.starts_with(g.as_bytes()));
        let ends = self.parts.iter().any(|&(_, pe, _)| pe == tk.e) || lex.glue.iter().any(|g| g.len() >= 3 && w.ends_with(g.as_bytes()));
        if !starts || !ends {
            return;
        }
        // best[i] = (came from, was lexicon part, cats); reach from 0 to n
        let mut from: [i16; 65] = [-1; 65];
        let mut via: [u64; 65] = [0; 65];
        let mut reach = [false; 65];
        reach[0] = true;
        for i in 0..n {
            if !reach[i] {
                continue;
            }
            // lexicon parts starting at i
            for &(ps, pe, c) in &self.parts {
                if (ps - tk.s) as usize == i {
                    let j = (pe - tk.s) as usize;
                    if !reach[j] || via[j] == 0 {
                        reach[j] = true;
                        from[j] = i as i16;
                        via[j] = c;
                    }
                }
            }
            // glue words starting at i; after a list word only longer ones ("doodaan" is
            // not split, nor "potje" or "aapte")
            let mut after_word = false;
            let mut k = i;
            while k > 0 {
                if via[k] != 0 {
                    after_word = true;
                    break;
                }
                if from[k] < 0 {
                    break;
                }
                k = from[k] as usize;
            }
            for g in &lex.glue {
                let gb = g.as_bytes();
                if after_word && gb.len() < 3 {
                    continue;
                }
                if w[i..].starts_with(gb) && !reach[i + gb.len()] {
                    reach[i + gb.len()] = true;
                    from[i + gb.len()] = i as i16;
                    via[i + gb.len()] = 0;
                }
            }
        }
        if !reach[n] {
            return;
        }
        let mut j = n;
        let mut segs: [(u32, u32, u64); 16] = [(0, 0, 0); 16];
        let mut k = 0;
        let mut lexical = 0;
        while j > 0 && k < 16 {
            let i = from[j] as usize;
            segs[k] = (i as u32, j as u32, via[j]);
            if via[j] != 0 {
                lexical += 1;
            }
            k += 1;
            j = i;
        }
        if j != 0 || lexical == 0 {
            return;
        }
        // two list words glued together are a compound ("kankerlijer"); one list word
        // with only function words around it stands for itself ("eenteef", "ikhaat")
        let compound = lexical >= 2;
        for &(a, b, c) in segs[..k].iter().rev() {
            if c != 0 {
                self.hits.push(Hit {
                    s: tk.s + a,
                    e: tk.s + b,
                    t0: ts as u32,
                    t1: ts as u32 + 1,
                    cats: c,
                    part: compound,
                });
            }
        }
    }

    /// Matches a token with masked letters against the single-word entries.
    fn masked(&mut self, ts: usize, lex: &Lex) {
        let tk = self.toks[ts];
        let w = &self.norm.text[tk.s as usize..tk.e as usize];
        let wild = w.iter().filter(|&&b| b == WILD).count();
        if w.len() < 3 || wild * 2 > w.len() || w[0] == WILD {
            return;
        }
        let eq = |t: &[u8], p: &[u8]| t.len() == p.len() && t.iter().zip(p).all(|(&a, &b)| a == b || a == WILD);
        let of_len = |n: usize| lex.maskable.get(n).map_or(&[][..], Vec::as_slice);
        for (p, c) in of_len(w.len()) {
            if eq(w, p) {
                self.hits.push(Hit { s: tk.s, e: tk.e, t0: ts as u32, t1: ts as u32 + 1, cats: *c, part: false });
                return;
            }
        }
        for (p, c) in &lex.mask_prefixes {
            if p.len() >= w.len() || !eq(&w[..p.len()], p) {
                continue;
            }
            let rest = &w[p.len()..];
            for (q, c2) in of_len(rest.len()) {
                if eq(rest, q) {
                    let m = tk.s + p.len() as u32;
                    self.hits.push(Hit { s: tk.s, e: m, t0: ts as u32, t1: ts as u32 + 1, cats: *c, part: true });
                    self.hits.push(Hit { s: m, e: tk.e, t0: ts as u32, t1: ts as u32 + 1, cats: *c2, part: true });
                    return;
                }
            }
        }
    }
}
