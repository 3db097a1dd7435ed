//! The condition language of guarded claims: comparisons (`< <= > >= == !=`) between
//! figure references and numbers, combined with `and`, `or`, `not` and parentheses. A
//! reference is `name` (the page's edition) or `name@2025-spring` (another edition); a
//! number is plain (`1000`, `0.5`, `1_000`) or a percentage (`40%` is 0.4).
//!
//! `parse` turns a condition into an `Expr`; `Expr::evaluate` compares raw values that
//! the caller looks up. This module knows nothing of figures or documents (`claim`
//! does).

use std::fmt;

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Expr {
    Compare(Operand, Op, Operand),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Operand {
    Figure(Reference),
    Number(f64),
}

/// `name` or `name@edition`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Reference {
    pub name: String,
    pub edition: Option<String>,
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.edition {
            Some(edition) => write!(f, "{}@{edition}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Op {
    fn apply(self, a: f64, b: f64) -> bool {
        match self {
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Eq => a == b,
            Op::Ne => a != b,
        }
    }
}

impl Expr {
    /// Whether the condition holds, with each reference's value from `value`.
    pub fn evaluate(&self, value: &dyn Fn(&Reference) -> f64) -> bool {
        let operand = |o: &Operand| match o {
            Operand::Figure(r) => value(r),
            Operand::Number(x) => *x,
        };
        match self {
            Expr::Compare(a, op, b) => op.apply(operand(a), operand(b)),
            Expr::Not(e) => !e.evaluate(value),
            Expr::And(a, b) => a.evaluate(value) && b.evaluate(value),
            Expr::Or(a, b) => a.evaluate(value) || b.evaluate(value),
        }
    }

    /// Every figure reference, in the order written.
    pub fn references(&self) -> Vec<&Reference> {
        match self {
            Expr::Compare(a, _, b) => [a, b]
                .into_iter()
                .filter_map(|o| match o {
                    Operand::Figure(r) => Some(r),
                    Operand::Number(_) => None,
                })
                .collect(),
            Expr::Not(e) => e.references(),
            Expr::And(a, b) | Expr::Or(a, b) => {
                let mut refs = a.references();
                refs.extend(b.references());
                refs
            }
        }
    }
}

/// One token and the 1-based character column it starts at.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ref(Reference),
    Number(f64),
    Op(Op),
    Open,
    Close,
    And,
    Or,
    Not,
}

fn tokens(text: &str) -> Result<Vec<(Token, usize)>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        let take = |i: &mut usize, ok: &dyn Fn(char) -> bool| {
            let start = *i;
            while *i < chars.len() && ok(chars[*i]) {
                *i += 1;
            }
            chars[start..*i].iter().collect::<String>()
        };
        let token = if c.is_whitespace() {
            i += 1;
            continue;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let word = take(&mut i, &|c| {
                c.is_ascii_alphanumeric() || c == '_' || c == '-'
            });
            match word.as_str() {
                "and" => Token::And,
                "or" => Token::Or,
                "not" => Token::Not,
                _ => Token::Ref(reference(word, &mut i, &chars, &take)?),
            }
        } else if c.is_ascii_digit()
            || c == '.'
            || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            i += 1;
            let digits = take(&mut i, &|c| c.is_ascii_digit() || c == '.' || c == '_');
            number(&format!("{c}{digits}"), &mut i, &chars)?
        } else {
            let (token, width) = symbol(c, chars.get(i + 1).copied())
                .ok_or_else(|| format!("unexpected `{c}` at column {column}"))?;
            i += width;
            token
        };
        out.push((token, column));
    }
    Ok(out)
}

type Take<'a> = dyn Fn(&mut usize, &dyn Fn(char) -> bool) -> String + 'a;

fn reference(
    name: String,
    i: &mut usize,
    chars: &[char],
    take: &Take,
) -> Result<Reference, String> {
    if chars.get(*i) != Some(&'@') {
        return Ok(Reference {
            name,
            edition: None,
        });
    }
    *i += 1;
    let edition = take(i, &|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if edition.is_empty() {
        return Err(format!(
            "`{name}@` needs an edition, e.g. {name}@2025-spring"
        ));
    }
    Ok(Reference {
        name,
        edition: Some(edition),
    })
}

fn number(text: &str, i: &mut usize, chars: &[char]) -> Result<Token, String> {
    let x: f64 = text
        .replace('_', "")
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if chars.get(*i) == Some(&'%') {
        *i += 1;
        return Ok(Token::Number(x / 100.0));
    }
    Ok(Token::Number(x))
}

/// An operator or parenthesis starting with `c` (then `next`), and its width.
fn symbol(c: char, next: Option<char>) -> Option<(Token, usize)> {
    let two = match (c, next) {
        ('<', Some('=')) => Some(Op::Le),
        ('>', Some('=')) => Some(Op::Ge),
        ('=', Some('=')) => Some(Op::Eq),
        ('!', Some('=')) => Some(Op::Ne),
        _ => None,
    };
    if let Some(op) = two {
        return Some((Token::Op(op), 2));
    }
    let token = match c {
        '<' => Token::Op(Op::Lt),
        '>' => Token::Op(Op::Gt),
        '(' => Token::Open,
        ')' => Token::Close,
        _ => return None,
    };
    Some((token, 1))
}

/// Parses a whole condition.
pub(super) fn parse(text: &str) -> Result<Expr, String> {
    let tokens = tokens(text)?;
    if tokens.is_empty() {
        return Err("the condition is empty; write one like `cn_share > us_share`".to_owned());
    }
    let mut parser = Parser { tokens, at: 0 };
    let expr = parser.or()?;
    match parser.tokens.get(parser.at) {
        None => Ok(expr),
        Some((_, column)) => Err(format!(
            "unexpected {} at column {column}; combine comparisons with `and` or `or`",
            parser.describe()
        )),
    }
}

/// A recursive-descent parser: `or := and ("or" and)*`, `and := not ("and" not)*`,
/// `not := "not" not | "(" or ")" | operand op operand`.
struct Parser {
    tokens: Vec<(Token, usize)>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(t, _)| t)
    }

    fn eat(&mut self, token: &Token) -> bool {
        let found = self.peek() == Some(token);
        self.at += usize::from(found);
        found
    }

    /// The current token for messages, or "the end".
    fn describe(&self) -> String {
        match self.peek() {
            None => "the end of the condition".to_owned(),
            Some(Token::Ref(r)) => format!("`{r}`"),
            Some(Token::Number(x)) => format!("`{x}`"),
            Some(Token::Op(_)) => "a comparison operator".to_owned(),
            Some(Token::Open) => "`(`".to_owned(),
            Some(Token::Close) => "`)`".to_owned(),
            Some(Token::And) => "`and`".to_owned(),
            Some(Token::Or) => "`or`".to_owned(),
            Some(Token::Not) => "`not`".to_owned(),
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.eat(&Token::Or) {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.not()?;
        while self.eat(&Token::And) {
            left = Expr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, String> {
        if self.eat(&Token::Not) {
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        if self.eat(&Token::Open) {
            let inner = self.or()?;
            if !self.eat(&Token::Close) {
                return Err(format!("expected `)`, found {}", self.describe()));
            }
            return Ok(inner);
        }
        let left = self.operand()?;
        let Some(Token::Op(op)) = self.peek().cloned() else {
            return Err(format!(
                "expected a comparison (< <= > >= == !=) after `{}`, found {}",
                show(&left),
                self.describe()
            ));
        };
        self.at += 1;
        let right = self.operand()?;
        if let Some(Token::Op(_)) = self.peek() {
            return Err("comparisons do not chain; write `a < b and b < c`".to_owned());
        }
        Ok(Expr::Compare(left, op, right))
    }

    fn operand(&mut self) -> Result<Operand, String> {
        let operand = match self.peek() {
            Some(Token::Ref(r)) => Operand::Figure(r.clone()),
            Some(Token::Number(x)) => Operand::Number(*x),
            _ => {
                return Err(format!(
                    "expected a figure name or a number, found {}",
                    self.describe()
                ))
            }
        };
        self.at += 1;
        Ok(operand)
    }
}

fn show(operand: &Operand) -> String {
    match operand {
        Operand::Figure(r) => r.to_string(),
        Operand::Number(x) => x.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(text: &str, values: &[(&str, f64)]) -> bool {
        let expr = parse(text).unwrap();
        expr.evaluate(&|r: &Reference| {
            let key = r.to_string();
            values.iter().find(|(k, _)| *k == key).unwrap().1
        })
    }

    #[test]
    fn compares_figures_and_numbers() {
        let v = [("a", 0.35), ("b", 0.41), ("a@2025-spring", 0.2)];
        assert!(!holds("a > b", &v));
        assert!(holds("a < b", &v));
        assert!(holds("a <= 35%", &v));
        assert!(holds("a >= 0.35 and a == 35%", &v));
        assert!(holds("a != b", &v));
        assert!(holds("a > a@2025-spring", &v));
        assert!(holds("1_000 > 999", &v));
        assert!(holds("-1 < a", &v));
    }

    #[test]
    fn and_binds_tighter_than_or_and_not_tightest() {
        let v = [("a", 1.0), ("b", 2.0)];
        assert!(holds("a > b or a < b and b > a", &v));
        assert!(!holds("(a > b or a < b) and b < a", &v));
        assert!(holds("not a > b", &v));
        assert!(!holds("not (a < b or a > b)", &v));
        assert!(holds("not not a < b", &v));
    }

    #[test]
    fn lists_references_in_order() {
        let expr = parse("(x > y@2025-spring) or not z < 3%").unwrap();
        let refs: Vec<String> = expr.references().iter().map(|r| r.to_string()).collect();
        assert_eq!(refs, ["x", "y@2025-spring", "z"]);
    }

    #[test]
    fn bad_conditions_say_what_was_expected() {
        let cases = [
            ("", "the condition is empty"),
            (
                "a",
                "expected a comparison (< <= > >= == !=) after `a`, found the end",
            ),
            ("a = b", "unexpected `=` at column 3"),
            ("a > ", "expected a figure name or a number, found the end"),
            ("a < b < c", "comparisons do not chain"),
            ("(a > b", "expected `)`, found the end"),
            ("a > b c > d", "unexpected `c` at column 7"),
            ("a@ > b", "`a@` needs an edition"),
            ("a > 1.2.3", "`1.2.3` is not a number"),
            ("a > b and", "expected a figure name or a number"),
        ];
        for (text, expected) in cases {
            let err = parse(text).unwrap_err();
            assert!(err.contains(expected), "{text}: {err}");
        }
    }
}
