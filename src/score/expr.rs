//! Score expressions: the text between `[` and `]` in a p-field.
//!
//! Precedence, checked against csound 6.18: unary `-`/`+` binds tightest
//! (`[-2^2]` is 4), then right-associative `^` (`[2^3^2]` is 512), then
//! `* / %` and then `+ -`, both left-associative. `@x` is the next power of
//! two at or above x, `@@x` that power of two plus one.

/// One character of score text with its 1-based line and column.
#[derive(Clone, Copy, Debug)]
pub(super) struct PChar {
    pub c: char,
    pub line: u32,
    pub col: u32,
}

/// An expression error: where (line, column) and what.
pub(super) type ExprError = (u32, u32, String);

/// Evaluate the characters between the brackets. `end` is the position of the
/// closing bracket, used when the expression stops too early.
pub(super) fn eval(chars: &[PChar], end: (u32, u32)) -> Result<f64, ExprError> {
    let mut p = ExprParser {
        chars,
        i: 0,
        end,
        depth: 0,
    };
    let v = p.sum()?;
    p.skip_ws();
    if let Some(c) = p.peek() {
        return Err(p.err_here(format!("unexpected '{c}' in expression")));
    }
    Ok(v)
}

/// Deepest nesting of brackets, signs and powers in one expression: every
/// level is a few frames of recursion, so a limit keeps `[((((...))))]`
/// thirty thousand deep from overflowing the stack.
const MAX_DEPTH: usize = 256;

struct ExprParser<'a> {
    chars: &'a [PChar],
    i: usize,
    end: (u32, u32),
    /// Current nesting (see [`MAX_DEPTH`]).
    depth: usize,
}

impl ExprParser<'_> {
    fn skip_ws(&mut self) {
        while self.chars.get(self.i).is_some_and(|p| p.c.is_whitespace()) {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).map(|p| p.c)
    }

    fn err_here(&self, msg: String) -> ExprError {
        match self.chars.get(self.i) {
            Some(p) => (p.line, p.col, msg),
            None => (self.end.0, self.end.1, msg),
        }
    }

    fn sum(&mut self) -> Result<f64, ExprError> {
        let mut v = self.product()?;
        loop {
            self.skip_ws();
            match self.peek() {
                Some('+') => {
                    self.i += 1;
                    v += self.product()?;
                }
                Some('-') => {
                    self.i += 1;
                    v -= self.product()?;
                }
                _ => return Ok(v),
            }
        }
    }

    fn product(&mut self) -> Result<f64, ExprError> {
        let mut v = self.power()?;
        loop {
            self.skip_ws();
            match self.peek() {
                Some('*') => {
                    self.i += 1;
                    v *= self.power()?;
                }
                Some('/') => {
                    self.i += 1;
                    v /= self.power()?;
                }
                Some('%') => {
                    self.i += 1;
                    // C fmod semantics: the sign follows the dividend.
                    v %= self.power()?;
                }
                _ => return Ok(v),
            }
        }
    }

    fn power(&mut self) -> Result<f64, ExprError> {
        let base = self.unary()?;
        self.skip_ws();
        if self.peek() == Some('^') {
            self.i += 1;
            // `2^2^2...` recurses to the right: a level each.
            self.depth += 1;
            let exp = if self.depth > MAX_DEPTH {
                Err(self.err_here(format!(
                    "expression nested too deeply (more than {MAX_DEPTH} levels)"
                )))
            } else {
                self.power()
            };
            self.depth -= 1;
            return Ok(base.powf(exp?));
        }
        Ok(base)
    }

    /// Every recursion but the right side of `^` (brackets, signs, `@`)
    /// passes here: the depth is counted once per level.
    fn unary(&mut self) -> Result<f64, ExprError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.err_here(format!(
                "expression nested too deeply (more than {MAX_DEPTH} levels)"
            )));
        }
        self.depth += 1;
        let v = self.unary_inner();
        self.depth -= 1;
        v
    }

    fn unary_inner(&mut self) -> Result<f64, ExprError> {
        self.skip_ws();
        match self.peek() {
            Some('-') => {
                self.i += 1;
                Ok(-self.unary()?)
            }
            Some('+') => {
                self.i += 1;
                self.unary()
            }
            Some('@') => {
                self.i += 1;
                let plus_one = self.peek() == Some('@');
                if plus_one {
                    self.i += 1;
                }
                let x = self.unary()?;
                Ok(next_pow2(x, plus_one))
            }
            _ => self.atom(),
        }
    }

    fn atom(&mut self) -> Result<f64, ExprError> {
        self.skip_ws();
        match self.peek() {
            Some('(') => {
                let open = self.i;
                self.i += 1;
                let v = self.sum()?;
                self.skip_ws();
                if self.peek() == Some(')') {
                    self.i += 1;
                    Ok(v)
                } else {
                    let p = self.chars[open];
                    Err((p.line, p.col, "unclosed '(' in expression".into()))
                }
            }
            Some(c) if c.is_ascii_digit() || c == '.' => {
                let start = self.i;
                let text = scan_number(self.chars, &mut self.i);
                text.parse::<f64>().map_err(|_| {
                    let p = self.chars[start];
                    (p.line, p.col, format!("bad number '{text}' in expression"))
                })
            }
            Some(c) => Err(self.err_here(format!("unexpected '{c}' in expression"))),
            None => Err(self.err_here("expression ends too early".into())),
        }
    }
}

/// Read a decimal number (digits, one point, optional exponent) at `*i`.
pub(super) fn scan_number(chars: &[PChar], i: &mut usize) -> String {
    let mut s = String::new();
    let at = |i: usize| chars.get(i).map(|p| p.c);
    while let Some(c) = at(*i) {
        if c.is_ascii_digit() || c == '.' {
            s.push(c);
            *i += 1;
        } else if (c == 'e' || c == 'E')
            && at(*i + 1).is_some_and(|d| {
                d.is_ascii_digit()
                    || ((d == '-' || d == '+') && at(*i + 2).is_some_and(|e| e.is_ascii_digit()))
            })
        {
            s.push(c);
            *i += 1;
            if let Some(d @ ('-' | '+')) = at(*i) {
                s.push(d);
                *i += 1;
            }
        } else {
            break;
        }
    }
    s
}

/// `@x`: the smallest power of two >= x; `@@x`: that plus one (csound 6.18
/// gives `@@4` = 5 and `@@5` = 9).
fn next_pow2(x: f64, plus_one: bool) -> f64 {
    let target = x;
    let mut p = 1.0_f64;
    // Bounded so that huge or NaN inputs cannot loop for ever.
    for _ in 0..1100 {
        if p >= target {
            break;
        }
        p *= 2.0;
    }
    if plus_one { p + 1.0 } else { p }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<PChar> {
        s.chars()
            .enumerate()
            .map(|(i, c)| PChar {
                c,
                line: 1,
                col: i as u32 + 1,
            })
            .collect()
    }

    fn ev(s: &str) -> Result<f64, ExprError> {
        eval(&chars(s), (1, s.len() as u32 + 1))
    }

    // Expected values from csound 6.18.
    #[test]
    fn precedence_matches_csound() {
        assert_eq!(ev("2+3*4").unwrap(), 14.0);
        assert_eq!(ev("2^3^2").unwrap(), 512.0);
        assert_eq!(ev("-2^2").unwrap(), 4.0);
        assert_eq!(ev("10-4-3").unwrap(), 3.0);
        assert_eq!(ev("7 % 3 * 2").unwrap(), 2.0);
        assert_eq!(ev("2*-3").unwrap(), -6.0);
        assert_eq!(ev("(1+2)*3").unwrap(), 9.0);
        assert_eq!(ev("-2*(3+1)%5").unwrap(), -3.0);
    }

    #[test]
    fn power_of_two_operators() {
        assert_eq!(ev("@5").unwrap(), 8.0);
        assert_eq!(ev("@@4").unwrap(), 5.0);
        assert_eq!(ev("1/4+@@5").unwrap(), 9.25);
        assert_eq!(ev("@8").unwrap(), 8.0);
        assert_eq!(ev("@@5").unwrap(), 9.0);
    }

    #[test]
    fn deep_brackets_are_refused_by_depth_not_by_the_stack() {
        let deep = format!("{}1{}", "(".repeat(30_000), ")".repeat(30_000));
        let e = ev(&deep).unwrap_err();
        assert!(e.2.contains("nested too deeply"), "{}", e.2);
        let signs = format!("{}1", "-".repeat(30_000));
        assert!(ev(&signs).is_err());
        let powers = vec!["2"; 30_000].join("^");
        assert!(ev(&powers).is_err());
        // A long flat sum is a loop, not a nesting: fine.
        let sum = vec!["1"; 10_000].join("+");
        assert_eq!(ev(&sum).unwrap(), 10_000.0);
        let ok = format!("{}1{}", "(".repeat(200), ")".repeat(200));
        assert_eq!(ev(&ok).unwrap(), 1.0);
    }

    #[test]
    fn expression_errors_point_at_the_problem() {
        let e = ev("1 + * 2").unwrap_err();
        assert_eq!((e.0, e.1), (1, 5));
        let e = ev("(1 + 2").unwrap_err();
        assert_eq!((e.0, e.1), (1, 1));
        let e = ev("1 +").unwrap_err();
        assert_eq!((e.0, e.1), (1, 4));
    }
}
