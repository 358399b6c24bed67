//! Orchestra text compiled into a running performance: what `orchestra(text)`,
//! `instr(n, body)` and a reload of the CSD (by hand or on save) change. The
//! playing orchestra's syntax tree is kept; new text is merged into it
//! (instruments with the same number or name replace the old definitions,
//! new ones are added, the rest stay) and the instruments whose definition
//! changed are named, so that only they are redefined.

use std::collections::HashSet;
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, Pos, SourceFile};
use crate::orc::ast::{InstrDef, InstrId, Orchestra, UdoDef};

/// A merged orchestra and which instruments it redefines.
pub(super) struct Merged {
    pub(super) ast: Orchestra,
    /// The instruments (by number or name) whose definition is new.
    pub(super) redefined: HashSet<InstrId>,
    /// A user-defined opcode changed: every instrument is recompiled.
    pub(super) all: bool,
}

/// `new` compiled into `playing`: each instrument of `new` replaces the
/// definition of the same id (taken out of a multi-id `instr 1, 2` too),
/// `new`'s opcodes replace those of the same name, and its global code
/// follows the playing one (it declares variables; the header's rates stay).
/// With `only_changed`, the instruments and opcodes whose text is the same
/// as before are left as they are (a reload of the whole file).
pub(super) fn merge(playing: &Orchestra, new: &Orchestra, only_changed: bool) -> Merged {
    let mut ast = playing.clone();
    let mut redefined = HashSet::new();
    let mut all = false;
    for udo in &new.udos {
        let old = ast.udos.iter().position(|u| u.name == udo.name);
        if only_changed && old.is_some_and(|i| udo_text(&ast.udos[i]) == udo_text(udo)) {
            continue;
        }
        all = true;
        match old {
            Some(i) => ast.udos[i] = udo.clone(),
            None => ast.udos.push(udo.clone()),
        }
    }
    for def in &new.instruments {
        if only_changed && same_as_playing(&ast, def) {
            continue;
        }
        for def_old in ast.instruments.iter_mut() {
            def_old.ids.retain(|id| !def.ids.contains(id));
        }
        ast.instruments.retain(|d| !d.ids.is_empty());
        ast.instruments.push(def.clone());
        redefined.extend(def.ids.iter().cloned());
    }
    if only_changed {
        // The file's global code is the whole of it again.
        ast.global = new.global.clone();
    } else {
        ast.global.extend(new.global.iter().cloned());
    }
    Merged {
        ast,
        redefined,
        all,
    }
}

/// Whether `def` is, word for word, a definition playing now (same ids).
fn same_as_playing(playing: &Orchestra, def: &InstrDef) -> bool {
    playing
        .instruments
        .iter()
        .any(|d| d.ids == def.ids && instr_text(d) == instr_text(def))
}

/// The source text of an instrument, from its `instr` line to its `endin`.
pub(super) fn instr_text(def: &InstrDef) -> String {
    block_text(&def.pos, "endin")
}

fn udo_text(udo: &UdoDef) -> String {
    block_text(&udo.pos, "endop")
}

/// The lines from `pos` to the first that starts with `end` (included).
fn block_text(pos: &Pos, end: &str) -> String {
    let mut text = String::new();
    for line in pos
        .file
        .text
        .lines()
        .skip(pos.line.saturating_sub(1) as usize)
    {
        text.push_str(line.trim_end());
        text.push('\n');
        if line.split_whitespace().next() == Some(end) {
            break;
        }
    }
    text
}

/// The orchestra text of `instr(id, body)`: the body inside `instr`/`endin`.
pub(super) fn instr_source(id: &str, body: &str) -> String {
    format!("instr {id}\n{body}\nendin\n")
}

/// Diagnostics about [`instr_source`]'s text, pointed at the body as the
/// script gave it (one line up, in a file of the body alone).
pub(super) fn in_body(diags: Diagnostics, wrapped: &Arc<SourceFile>, body: &str) -> Diagnostics {
    let file = Arc::new(SourceFile {
        name: wrapped.name.clone(),
        text: body.to_string(),
    });
    let lines = body.lines().count().max(1) as u32;
    Diagnostics(
        diags
            .0
            .into_iter()
            .map(|d| {
                let pos = d.pos.map(|p| {
                    if Arc::ptr_eq(&p.file, wrapped) {
                        // The `instr` line is line 0 of the body; `endin`
                        // after its last line.
                        Pos::new(&file, p.line.saturating_sub(1).clamp(1, lines), p.col)
                    } else {
                        p
                    }
                });
                Diagnostic { pos, ..d }
            })
            .collect(),
    )
}

/// An instrument's id as `instr(n_or_name, ...)` gives it.
pub(super) fn instr_id(text: &str) -> InstrId {
    match text.parse::<i64>() {
        Ok(n) => InstrId::Number(n),
        Err(_) => InstrId::Name {
            name: text.to_string(),
            plus: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str, text: &str) -> Orchestra {
        let file = Arc::new(SourceFile {
            name: name.into(),
            text: text.into(),
        });
        crate::orc::parse(&file).expect("parses")
    }

    const PLAYING: &str = "sr = 44100\nksmps = 10\ninstr 1, 2\na1 oscils 0.1, 440, 0\nout a1\nendin\ninstr 3\nout 0\nendin\n";

    #[test]
    fn new_text_replaces_the_instruments_it_names_and_keeps_the_others() {
        let playing = parse("a", PLAYING);
        let new = parse("b", "instr 2\nout 0.5\nendin\ninstr 4\nout 0\nendin\n");
        let m = merge(&playing, &new, false);
        let ids: Vec<Vec<InstrId>> = m.ast.instruments.iter().map(|d| d.ids.clone()).collect();
        use InstrId::Number as N;
        assert_eq!(ids, vec![vec![N(1)], vec![N(3)], vec![N(2)], vec![N(4)]]);
        assert_eq!(m.redefined, [N(2), N(4)].into_iter().collect());
        assert!(!m.all);
    }

    #[test]
    fn a_reload_redefines_only_the_instruments_whose_text_changed() {
        let playing = parse("a", PLAYING);
        let edited = PLAYING.replace("out 0\n", "out 0.25\n");
        let m = merge(&playing, &parse("a", &edited), true);
        assert_eq!(m.redefined, [InstrId::Number(3)].into_iter().collect());
        let same = merge(&playing, &parse("a", PLAYING), true);
        assert!(same.redefined.is_empty());
    }

    #[test]
    fn errors_in_an_instr_body_point_at_the_body() {
        let body = "a1 oscils 0.1, 440, 0\na2 nosuch 1\nout a1";
        let file = Arc::new(SourceFile {
            name: "instr 1".into(),
            text: instr_source("1", body),
        });
        let ast = crate::orc::parse(&file).unwrap();
        let Err(err) = crate::orc::compiler::compile(&ast, Default::default()) else {
            panic!("compiled");
        };
        let text = in_body(err, &file, body).to_string();
        assert!(text.contains("instr 1:2:"), "{text}");
        assert!(text.contains("a2 nosuch 1"), "{text}");
    }
}
