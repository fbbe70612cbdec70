//! From query text to a [`Query`]: tokens, then a recursive-descent parser with column-precise
//! errors and the token and nesting limits.

use std::fmt;

use super::{
    Collection, CompareOp, Condition, Literal, MAX_NESTING, MAX_TOKENS, Operand, Query, QueryError,
    Select, TextTest, TypeCheck,
};

// ---- tokens ----------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A name: keyword, function or property (keywords are recognised by the parser).
    Word(String),
    Str(String),
    Number(f64),
    Star,
    Dot,
    Comma,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Op(CompareOp),
    End,
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Word(w) => write!(f, "'{w}'"),
            Self::Str(s) => write!(f, "string '{s}'"),
            Self::Number(n) => write!(f, "number {n}"),
            Self::Star => f.write_str("'*'"),
            Self::Dot => f.write_str("'.'"),
            Self::Comma => f.write_str("','"),
            Self::LParen => f.write_str("'('"),
            Self::RParen => f.write_str("')'"),
            Self::LBracket => f.write_str("'['"),
            Self::RBracket => f.write_str("']'"),
            Self::Op(op) => f.write_str(match op {
                CompareOp::Eq => "'='",
                CompareOp::Ne => "'!='",
                CompareOp::Lt => "'<'",
                CompareOp::Le => "'<='",
                CompareOp::Gt => "'>'",
                CompareOp::Ge => "'>='",
            }),
            Self::End => f.write_str("the end of the query"),
        }
    }
}

fn error(column: usize, message: impl Into<String>) -> QueryError {
    QueryError {
        column,
        message: message.into(),
    }
}

/// Splits `text` into tokens with their 1-based character columns.
fn tokenize(text: &str) -> Result<Vec<(Token, usize)>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let single = match c {
            '*' => Some(Token::Star),
            '.' if !chars.get(i + 1).is_some_and(char::is_ascii_digit) => Some(Token::Dot),
            ',' => Some(Token::Comma),
            '(' => Some(Token::LParen),
            ')' => Some(Token::RParen),
            '[' => Some(Token::LBracket),
            ']' => Some(Token::RBracket),
            '=' => Some(Token::Op(CompareOp::Eq)),
            _ => None,
        };
        if let Some(token) = single {
            tokens.push((token, column));
            i += 1;
            continue;
        }
        let next = chars.get(i + 1).copied();
        let two = match (c, next) {
            ('!', Some('=')) | ('<', Some('>')) => Some(CompareOp::Ne),
            ('<', Some('=')) => Some(CompareOp::Le),
            ('>', Some('=')) => Some(CompareOp::Ge),
            _ => None,
        };
        if let Some(op) = two {
            tokens.push((Token::Op(op), column));
            i += 2;
            continue;
        }
        match c {
            '<' => {
                tokens.push((Token::Op(CompareOp::Lt), column));
                i += 1;
            }
            '>' => {
                tokens.push((Token::Op(CompareOp::Gt), column));
                i += 1;
            }
            '\'' | '"' => {
                let (s, end) = string_literal(&chars, i)?;
                tokens.push((Token::Str(s), column));
                i = end;
            }
            c if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => {
                let start = i;
                i += 1;
                while i < chars.len()
                    && (chars[i].is_ascii_digit()
                        || matches!(chars[i], '.' | 'e' | 'E')
                        || (matches!(chars[i], '+' | '-') && matches!(chars[i - 1], 'e' | 'E')))
                {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let n = text
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .ok_or_else(|| error(column, format!("invalid number '{text}'")))?;
                tokens.push((Token::Number(n), column));
            }
            c if c.is_alphabetic() || c == '_' || c == '$' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '$' | '-'))
                {
                    i += 1;
                }
                tokens.push((Token::Word(chars[start..i].iter().collect()), column));
            }
            other => return Err(error(column, format!("unexpected character '{other}'"))),
        }
    }
    tokens.push((Token::End, chars.len() + 1));
    Ok(tokens)
}

/// The string literal opening at `chars[start]`; returns it and the index after its quote.
fn string_literal(chars: &[char], start: usize) -> Result<(String, usize), QueryError> {
    let quote = chars[start];
    let mut s = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            c if c == quote => return Ok((s, i + 1)),
            '\\' => {
                let escaped = chars.get(i + 1).ok_or_else(|| {
                    error(start + 1, "unterminated string literal (it ends with '\\')")
                })?;
                s.push(match escaped {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    other => *other,
                });
                i += 2;
            }
            c => {
                s.push(c);
                i += 1;
            }
        }
    }
    Err(error(
        start + 1,
        format!("unterminated string literal: no closing {quote}"),
    ))
}

// ---- parser ----------------------------------------------------------------------------

pub(super) struct Parser {
    tokens: Vec<(Token, usize)>,
    at: usize,
    from: Collection,
    /// Parentheses and `NOT`s open at this point.
    depth: usize,
}

/// Words that cannot be property names.
const RESERVED: &[&str] = &[
    "select", "from", "where", "and", "or", "not", "in", "nin", "as", "true", "false", "null",
    "group", "by", "top", "order",
];

fn is_keyword(token: &Token, keyword: &str) -> bool {
    matches!(token, Token::Word(w) if w.eq_ignore_ascii_case(keyword))
}

impl Parser {
    pub(super) fn new(text: &str) -> Result<Self, QueryError> {
        let tokens = tokenize(text)?;
        // The last token is the end marker.
        if tokens.len() > MAX_TOKENS + 1 {
            return Err(error(
                tokens[MAX_TOKENS].1,
                format!("the query has more than {MAX_TOKENS} tokens"),
            ));
        }
        Ok(Self {
            tokens,
            at: 0,
            from: Collection::Devices,
            depth: 0,
        })
    }

    fn peek(&self) -> &Token {
        &self.tokens[self.at].0
    }

    fn column(&self) -> usize {
        self.tokens[self.at].1
    }

    fn bump(&mut self) -> (Token, usize) {
        let token = self.tokens[self.at].clone();
        if self.at + 1 < self.tokens.len() {
            self.at += 1;
        }
        token
    }

    fn unexpected(&self, expected: &str) -> QueryError {
        error(
            self.column(),
            format!("expected {expected}, found {}", self.peek()),
        )
    }

    fn eat_keyword(&mut self, keyword: &str) -> bool {
        if is_keyword(self.peek(), keyword) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect_keyword(&mut self, keyword: &str) -> Result<(), QueryError> {
        if self.eat_keyword(keyword) {
            Ok(())
        } else {
            Err(self.unexpected(&keyword.to_ascii_uppercase()))
        }
    }

    fn expect(&mut self, token: &Token, what: &str) -> Result<(), QueryError> {
        if self.peek() == token {
            self.bump();
            Ok(())
        } else {
            Err(self.unexpected(what))
        }
    }

    pub(super) fn query(mut self) -> Result<Query, QueryError> {
        self.expect_keyword("select")?;
        let select = self.select()?;
        self.expect_keyword("from")?;
        self.from = self.collection()?;
        let filter = if self.eat_keyword("where") {
            Some(self.or()?)
        } else {
            None
        };
        if is_keyword(self.peek(), "group") || is_keyword(self.peek(), "order") {
            return Err(error(
                self.column(),
                format!("{} is not supported", self.peek()),
            ));
        }
        if *self.peek() != Token::End {
            return Err(self.unexpected(if filter.is_some() {
                "AND, OR or the end of the query"
            } else {
                "WHERE or the end of the query"
            }));
        }
        Ok(Query {
            select,
            from: self.from,
            filter,
        })
    }

    fn select(&mut self) -> Result<Select, QueryError> {
        if *self.peek() == Token::Star {
            self.bump();
            return Ok(Select::All);
        }
        let column = self.column();
        if is_keyword(self.peek(), "count") {
            self.bump();
            self.expect(&Token::LParen, "'(' after COUNT")?;
            self.expect(&Token::RParen, "')': COUNT takes no argument")?;
            if !self.eat_keyword("as") {
                return Err(self.unexpected("AS and a name for the count"));
            }
            let alias_column = self.column();
            return match self.bump().0 {
                Token::Word(w) if !RESERVED.iter().any(|r| w.eq_ignore_ascii_case(r)) => {
                    Ok(Select::Count { alias: w })
                }
                other => Err(error(
                    alias_column,
                    format!("expected a name for the count, found {other}"),
                )),
            };
        }
        if is_keyword(self.peek(), "top") {
            return Err(error(column, "SELECT TOP is not supported"));
        }
        Err(error(
            column,
            format!(
                "only SELECT * and SELECT COUNT() AS name are supported, found {}",
                self.peek()
            ),
        ))
    }

    fn collection(&mut self) -> Result<Collection, QueryError> {
        let column = self.column();
        if !self.eat_keyword("devices") {
            return Err(self.unexpected("devices or devices.modules"));
        }
        if *self.peek() != Token::Dot {
            return Ok(Collection::Devices);
        }
        self.bump();
        if self.eat_keyword("modules") {
            Ok(Collection::Modules)
        } else {
            let found = match self.peek() {
                Token::Word(w) => format!("devices.{w}"),
                other => format!("devices. followed by {other}"),
            };
            Err(error(
                column,
                format!("only devices and devices.modules can be queried, found {found}"),
            ))
        }
    }

    fn or(&mut self) -> Result<Condition, QueryError> {
        let mut left = self.and()?;
        while self.eat_keyword("or") {
            let right = self.and()?;
            left = Condition::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Condition, QueryError> {
        let mut left = self.not()?;
        while self.eat_keyword("and") {
            let right = self.not()?;
            left = Condition::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// Enters a parenthesis or `NOT`, refusing nesting deeper than [`MAX_NESTING`].
    fn enter(&mut self) -> Result<(), QueryError> {
        if self.depth == MAX_NESTING {
            return Err(error(
                self.column(),
                format!("the query nests parentheses and NOT deeper than {MAX_NESTING}"),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    fn not(&mut self) -> Result<Condition, QueryError> {
        if is_keyword(self.peek(), "not") {
            self.enter()?;
            self.bump();
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Condition::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Condition, QueryError> {
        if *self.peek() == Token::LParen {
            self.enter()?;
            self.bump();
            let inner = self.or()?;
            self.expect(&Token::RParen, "')'")?;
            self.depth -= 1;
            return Ok(inner);
        }
        if let Token::Word(name) = self.peek().clone()
            && self.tokens[self.at + 1].0 == Token::LParen
        {
            return self.function(&name);
        }
        let left = self.operand()?;
        if self.eat_keyword("in") {
            return self.in_list(left, false);
        }
        if self.eat_keyword("nin") {
            return self.in_list(left, true);
        }
        if is_keyword(self.peek(), "not") && is_keyword(&self.tokens[self.at + 1].0, "in") {
            self.bump();
            self.bump();
            return self.in_list(left, true);
        }
        let Token::Op(op) = *self.peek() else {
            return Err(self.unexpected("a comparison operator, IN or NIN"));
        };
        self.bump();
        let right = self.operand()?;
        Ok(Condition::Compare { left, op, right })
    }

    fn in_list(&mut self, operand: Operand, negated: bool) -> Result<Condition, QueryError> {
        self.expect(&Token::LBracket, "'[' opening the list")?;
        let mut list = Vec::new();
        if *self.peek() != Token::RBracket {
            loop {
                let column = self.column();
                match self.operand()? {
                    Operand::Literal(l) => list.push(l),
                    Operand::Path(_) => {
                        return Err(error(column, "a list may only hold literals"));
                    }
                }
                if *self.peek() == Token::Comma {
                    self.bump();
                } else {
                    break;
                }
            }
        }
        self.expect(&Token::RBracket, "',' or ']' closing the list")?;
        Ok(Condition::In {
            operand,
            list,
            negated,
        })
    }

    fn function(&mut self, name: &str) -> Result<Condition, QueryError> {
        let column = self.column();
        let upper = name.to_ascii_uppercase();
        let check = match upper.as_str() {
            "IS_DEFINED" => Some(TypeCheck::Defined),
            "IS_NULL" => Some(TypeCheck::Null),
            "IS_BOOL" => Some(TypeCheck::Bool),
            "IS_NUMBER" => Some(TypeCheck::Number),
            "IS_STRING" => Some(TypeCheck::String),
            "IS_OBJECT" => Some(TypeCheck::Object),
            "IS_ARRAY" => Some(TypeCheck::Array),
            "IS_PRIMITIVE" => Some(TypeCheck::Primitive),
            _ => None,
        };
        let text = match upper.as_str() {
            "STARTSWITH" => Some(TextTest::StartsWith),
            "ENDSWITH" => Some(TextTest::EndsWith),
            "CONTAINS" => Some(TextTest::Contains),
            _ => None,
        };
        if check.is_none() && text.is_none() {
            return Err(error(column, format!("unknown function {name}")));
        }
        self.bump();
        self.bump(); // '('
        let first = self.operand()?;
        let condition = if let Some(check) = check {
            Condition::Is(check, first)
        } else {
            self.expect(
                &Token::Comma,
                &format!("',' and a second argument of {upper}"),
            )?;
            let second = self.operand()?;
            Condition::Text(text.unwrap_or(TextTest::Contains), first, second)
        };
        self.expect(&Token::RParen, &format!("')' closing {upper}"))?;
        Ok(condition)
    }

    fn operand(&mut self) -> Result<Operand, QueryError> {
        let column = self.column();
        match self.peek().clone() {
            Token::Str(s) => {
                self.bump();
                Ok(Operand::Literal(Literal::String(s)))
            }
            Token::Number(n) => {
                self.bump();
                Ok(Operand::Literal(Literal::Number(n)))
            }
            Token::Word(w) if w.eq_ignore_ascii_case("true") => {
                self.bump();
                Ok(Operand::Literal(Literal::Bool(true)))
            }
            Token::Word(w) if w.eq_ignore_ascii_case("false") => {
                self.bump();
                Ok(Operand::Literal(Literal::Bool(false)))
            }
            Token::Word(w) if w.eq_ignore_ascii_case("null") => {
                self.bump();
                Ok(Operand::Literal(Literal::Null))
            }
            Token::Word(w) if !RESERVED.iter().any(|r| w.eq_ignore_ascii_case(r)) => {
                let mut path = vec![w];
                self.bump();
                while *self.peek() == Token::Dot {
                    self.bump();
                    match self.bump() {
                        (Token::Word(w), _) => path.push(w),
                        (other, c) => {
                            return Err(error(
                                c,
                                format!("expected a property name after '.', found {other}"),
                            ));
                        }
                    }
                }
                self.property(path, column)
            }
            _ => Err(self.unexpected("a property path or a literal")),
        }
    }

    /// A path relative to the twin, with the collection prefix removed.
    fn property(&self, mut path: Vec<String>, column: usize) -> Result<Operand, QueryError> {
        let shown = path.join(".");
        match self.from {
            Collection::Devices => {
                if path.len() > 1 && path[0] == "devices" {
                    path.remove(0);
                }
            }
            Collection::Modules => {
                if path.len() > 2 && path[0] == "devices" && path[1] == "modules" {
                    path.drain(..2);
                } else if path.len() > 1 && path[0] == "devices" {
                    if path.len() == 2 && path[1] == "deviceId" {
                        path.remove(0);
                    } else {
                        return Err(error(
                            column,
                            format!(
                                "{shown}: a module query names its device only by \
                                 devices.deviceId; device twin properties are not supported"
                            ),
                        ));
                    }
                }
            }
        }
        if path.iter().any(|p| p.starts_with('$')) {
            return Err(error(
                column,
                format!("{shown}: $ metadata paths are not supported"),
            ));
        }
        Ok(Operand::Path(path))
    }
}
