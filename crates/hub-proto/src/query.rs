//! IoT Hub twin queries (`POST /devices/query`), sans-io: the subset of the IoT Hub query
//! language that twin queries use, parsed into a [`Query`] and evaluated against twin JSON
//! documents (the service API's twin shape: `deviceId`, `moduleId`, `etag`, `version`,
//! `status`, `tags`, `properties.desired` / `properties.reported`).
//!
//! # The subset
//! - `SELECT * FROM devices` or `SELECT * FROM devices.modules`; `SELECT COUNT() AS name`.
//!   Other projections, `TOP`, `GROUP BY` and `FROM devices.jobs` are refused with an error
//!   naming them.
//! - `WHERE` conditions: comparisons `=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`; `AND`, `OR`,
//!   `NOT`, parentheses; `x IN [..]`, `x NIN [..]` (and `NOT IN`); the type checks
//!   `IS_DEFINED`, `IS_NULL`, `IS_BOOL`, `IS_NUMBER`, `IS_STRING`, `IS_OBJECT`, `IS_ARRAY`,
//!   `IS_PRIMITIVE`; the string tests `STARTSWITH(x, y)`, `ENDSWITH(x, y)`, `CONTAINS(x, y)`.
//! - Operands: dotted property paths (`properties.reported.pki.expiry.status`, `tags.site`,
//!   `deviceId`, `moduleId`, `status`), string literals in single (or double) quotes with `\`
//!   escapes, numbers, `true`, `false`, `null`. A path may start with the collection's name
//!   (`devices.tags.site`, `devices.modules.moduleId`); in a module query
//!   `devices.deviceId` is the module's device id, and other `devices.` paths (the device
//!   twin joined to its modules) are refused. `$`-prefixed metadata paths
//!   (`properties.reported.$metadata…`) are refused.
//! - Keywords and function names are case-insensitive; property names are not.
//! - At most [`MAX_TOKENS`] tokens and [`MAX_NESTING`] levels of parentheses and `NOT`, so
//!   parsing, evaluating and dropping a query of any text stays within a small stack.
//!
//! # Comparison semantics
//! As in the SQL dialect the language comes from, a condition is true, false or undefined,
//! and a twin matches only when the whole condition is true. A comparison involving a missing
//! property, or values of different types, is undefined: the twin does not match, and `NOT`
//! of it is undefined too (so `NOT (tags.site = 'a')` does not return twins without a site;
//! `NOT IS_DEFINED(tags.site)` does). Numbers compare numerically (`1 = 1.0`), strings by
//! their characters; booleans and `null` only compare for (in)equality; objects and arrays
//! compare with nothing. `AND` is false when either side is false, `OR` true when either side
//! is true, else undefined if a side is. The type checks are true or false (false for a
//! missing property); the string tests are undefined unless both arguments are strings.
//!
//! # Paging
//! The service API answers a page of at most `x-ms-max-item-count` items
//! ([`page_size`]: [`DEFAULT_PAGE_SIZE`] when absent, at most [`MAX_PAGE_SIZE`]) and names
//! the next page in the `x-ms-continuation` response header, which the caller sends back as
//! the same request header; `x-ms-item-type` says what the items are ([`ItemType`]).

use std::fmt;

use serde_json::Value;

/// Request header: the largest number of items per page.
pub const MAX_ITEM_COUNT_HEADER: &str = "x-ms-max-item-count";
/// Request and response header: the token naming the next page.
pub const CONTINUATION_HEADER: &str = "x-ms-continuation";
/// Response header: what the items are ([`ItemType`]).
pub const ITEM_TYPE_HEADER: &str = "x-ms-item-type";
/// The most tokens (names, literals, operators, punctuation) a query may have.
pub const MAX_TOKENS: usize = 1000;
/// The deepest nesting of parentheses and `NOT` a query may have.
pub const MAX_NESTING: usize = 64;

/// Items per page when the request names no `x-ms-max-item-count`.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// The most items per page; a larger `x-ms-max-item-count` is lowered to this.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// What a query's items are, as `x-ms-item-type` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemType {
    /// Whole twins (`SELECT *`).
    Twin,
    /// Other JSON values (`SELECT COUNT() AS n`: `[{"n": 3}]`).
    Raw,
}

impl ItemType {
    /// The header value: `twin` or `raw`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Twin => "twin",
            Self::Raw => "raw",
        }
    }
}

/// A parsed twin query.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// What each result is.
    pub select: Select,
    /// The twins searched.
    pub from: Collection,
    /// The `WHERE` condition; `None` matches every twin.
    pub filter: Option<Condition>,
}

/// The `SELECT` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Select {
    /// `SELECT *`: the matching twins.
    All,
    /// `SELECT COUNT() AS alias`: one item `{alias: n}`.
    Count {
        /// The member name of the count.
        alias: String,
    },
}

/// The `FROM` clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    /// `devices`: device twins.
    Devices,
    /// `devices.modules`: module twins.
    Modules,
}

/// A `WHERE` condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `left op right`.
    Compare {
        /// Left operand.
        left: Operand,
        /// The operator.
        op: CompareOp,
        /// Right operand.
        right: Operand,
    },
    /// `operand IN [..]` (or `NIN` / `NOT IN` when `negated`).
    In {
        /// The value looked up.
        operand: Operand,
        /// The literals it may equal.
        list: Vec<Literal>,
        /// `NIN`: true when the operand is defined and equals none of them.
        negated: bool,
    },
    /// `IS_DEFINED(x)`, `IS_STRING(x)`, ...
    Is(TypeCheck, Operand),
    /// `STARTSWITH(x, y)`, `ENDSWITH(x, y)`, `CONTAINS(x, y)`.
    Text(TextTest, Operand, Operand),
    /// `a AND b`.
    And(Box<Condition>, Box<Condition>),
    /// `a OR b`.
    Or(Box<Condition>, Box<Condition>),
    /// `NOT a`.
    Not(Box<Condition>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `=`.
    Eq,
    /// `!=` or `<>`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

/// A type-checking function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeCheck {
    /// `IS_DEFINED`: the property exists (with any value, `null` included).
    Defined,
    /// `IS_NULL`.
    Null,
    /// `IS_BOOL`.
    Bool,
    /// `IS_NUMBER`.
    Number,
    /// `IS_STRING`.
    String,
    /// `IS_OBJECT`.
    Object,
    /// `IS_ARRAY`.
    Array,
    /// `IS_PRIMITIVE`: a string, number, boolean or `null`.
    Primitive,
}

/// A string-testing function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextTest {
    /// `STARTSWITH(x, prefix)`.
    StartsWith,
    /// `ENDSWITH(x, suffix)`.
    EndsWith,
    /// `CONTAINS(x, part)`.
    Contains,
}

/// An operand: a property of the twin or a literal.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A dotted property path, relative to the twin (collection prefix removed).
    Path(Vec<String>),
    /// A constant.
    Literal(Literal),
}

/// A constant of the query.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `'text'`.
    String(String),
    /// `12`, `-1.5`, `2e3`.
    Number(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
}

impl Literal {
    fn to_value(&self) -> Value {
        match self {
            Self::String(s) => Value::String(s.clone()),
            Self::Number(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
            Self::Bool(b) => Value::Bool(*b),
            Self::Null => Value::Null,
        }
    }
}

/// Why a query was refused: what is wrong and where (1-based character column).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at column {column}")]
pub struct QueryError {
    /// The character column (1 for the first) where the problem starts.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// Why an `x-ms-max-item-count` header was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("x-ms-max-item-count {0:?} is not a positive whole number")]
pub struct PageSizeError(pub String);

/// Items per page for an `x-ms-max-item-count` header: [`DEFAULT_PAGE_SIZE`] when absent,
/// lowered to [`MAX_PAGE_SIZE`] when larger (the service "may use a different value").
pub fn page_size(header: Option<&str>) -> Result<u32, PageSizeError> {
    let Some(text) = header else {
        return Ok(DEFAULT_PAGE_SIZE);
    };
    let trimmed = text.trim();
    if trimmed.is_empty() || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PageSizeError(text.to_owned()));
    }
    // All digits: only overflow can fail, and that is above the maximum anyway.
    let n = trimmed.parse::<u64>().unwrap_or(u64::MAX);
    if n == 0 {
        return Err(PageSizeError(text.to_owned()));
    }
    Ok(u32::try_from(n.min(u64::from(MAX_PAGE_SIZE))).unwrap_or(MAX_PAGE_SIZE))
}

/// True, false or undefined (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Truth {
    True,
    False,
    Undefined,
}

impl From<bool> for Truth {
    fn from(b: bool) -> Self {
        if b { Self::True } else { Self::False }
    }
}

impl Query {
    /// Parses a query (see the module docs for the subset).
    pub fn parse(text: &str) -> Result<Self, QueryError> {
        Parser::new(text)?.query()
    }

    /// What the items of this query's answer are.
    #[must_use]
    pub fn item_type(&self) -> ItemType {
        match self.select {
            Select::All => ItemType::Twin,
            Select::Count { .. } => ItemType::Raw,
        }
    }

    /// Whether `twin` (a twin JSON document of the queried collection) satisfies the
    /// `WHERE` condition.
    #[must_use]
    pub fn matches(&self, twin: &Value) -> bool {
        self.filter
            .as_ref()
            .is_none_or(|c| evaluate(c, twin) == Truth::True)
    }
}

fn evaluate(condition: &Condition, twin: &Value) -> Truth {
    match condition {
        Condition::Compare { left, op, right } => compare(
            resolve(left, twin).as_ref(),
            *op,
            resolve(right, twin).as_ref(),
        ),
        Condition::In {
            operand,
            list,
            negated,
        } => {
            let Some(value) = resolve(operand, twin) else {
                return Truth::Undefined;
            };
            let found = list
                .iter()
                .any(|l| compare(Some(&value), CompareOp::Eq, Some(&l.to_value())) == Truth::True);
            Truth::from(found != *negated)
        }
        Condition::Is(check, operand) => {
            Truth::from(resolve(operand, twin).is_some_and(|v| match check {
                TypeCheck::Defined => true,
                TypeCheck::Null => v.is_null(),
                TypeCheck::Bool => v.is_boolean(),
                TypeCheck::Number => v.is_number(),
                TypeCheck::String => v.is_string(),
                TypeCheck::Object => v.is_object(),
                TypeCheck::Array => v.is_array(),
                TypeCheck::Primitive => !(v.is_object() || v.is_array()),
            }))
        }
        Condition::Text(test, subject, pattern) => {
            match (resolve(subject, twin), resolve(pattern, twin)) {
                (Some(Value::String(s)), Some(Value::String(p))) => Truth::from(match test {
                    TextTest::StartsWith => s.starts_with(p.as_str()),
                    TextTest::EndsWith => s.ends_with(p.as_str()),
                    TextTest::Contains => s.contains(p.as_str()),
                }),
                _ => Truth::Undefined,
            }
        }
        Condition::And(a, b) => match (evaluate(a, twin), evaluate(b, twin)) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::True, Truth::True) => Truth::True,
            _ => Truth::Undefined,
        },
        Condition::Or(a, b) => match (evaluate(a, twin), evaluate(b, twin)) {
            (Truth::True, _) | (_, Truth::True) => Truth::True,
            (Truth::False, Truth::False) => Truth::False,
            _ => Truth::Undefined,
        },
        Condition::Not(a) => match evaluate(a, twin) {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Undefined => Truth::Undefined,
        },
    }
}

/// The operand's value in `twin`; `None` for a missing property.
fn resolve(operand: &Operand, twin: &Value) -> Option<Value> {
    match operand {
        Operand::Literal(l) => Some(l.to_value()),
        Operand::Path(path) => path
            .iter()
            .try_fold(twin, |v, name| v.as_object()?.get(name))
            .cloned(),
    }
}

fn compare(left: Option<&Value>, op: CompareOp, right: Option<&Value>) -> Truth {
    use std::cmp::Ordering;
    let (Some(left), Some(right)) = (left, right) else {
        return Truth::Undefined;
    };
    let ordering: Option<Ordering> = match (left, right) {
        (Value::Number(a), Value::Number(b)) => match (a.as_f64(), b.as_f64()) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => None,
        },
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => {
            return equality(op, a == b);
        }
        (Value::Null, Value::Null) => return equality(op, true),
        _ => None,
    };
    let Some(ordering) = ordering else {
        return Truth::Undefined;
    };
    Truth::from(match op {
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Ne => ordering != Ordering::Equal,
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
    })
}

/// `=` / `!=` of values that only compare for equality; other operators are undefined.
fn equality(op: CompareOp, equal: bool) -> Truth {
    match op {
        CompareOp::Eq => Truth::from(equal),
        CompareOp::Ne => Truth::from(!equal),
        _ => Truth::Undefined,
    }
}

// ---- canonical text -------------------------------------------------------------------

impl fmt::Display for Query {
    /// The query in canonical form: keywords in capitals, `!=` for `<>`, `NIN` for `NOT IN`,
    /// single-quoted strings, only the parentheses the structure needs. It parses back to
    /// the same query.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.select {
            Select::All => f.write_str("SELECT *")?,
            Select::Count { alias } => write!(f, "SELECT COUNT() AS {alias}")?,
        }
        f.write_str(match self.from {
            Collection::Devices => " FROM devices",
            Collection::Modules => " FROM devices.modules",
        })?;
        if let Some(filter) = &self.filter {
            f.write_str(" WHERE ")?;
            write_condition(f, filter, self.from, Level::Or)?;
        }
        Ok(())
    }
}

/// How loosely a condition may bind where it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    /// Anywhere `OR` may stand.
    Or,
    /// An operand of `AND`.
    And,
    /// An operand of `NOT` or the right side of a chain: one primary.
    Primary,
}

fn write_condition(
    f: &mut fmt::Formatter<'_>,
    condition: &Condition,
    from: Collection,
    level: Level,
) -> fmt::Result {
    let own = match condition {
        Condition::Or(..) => Level::Or,
        Condition::And(..) => Level::And,
        _ => Level::Primary,
    };
    if own < level {
        f.write_str("(")?;
        write_condition(f, condition, from, Level::Or)?;
        return f.write_str(")");
    }
    match condition {
        Condition::Or(a, b) => {
            write_condition(f, a, from, Level::Or)?;
            f.write_str(" OR ")?;
            write_condition(f, b, from, Level::And)
        }
        Condition::And(a, b) => {
            write_condition(f, a, from, Level::And)?;
            f.write_str(" AND ")?;
            write_condition(f, b, from, Level::Primary)
        }
        Condition::Not(a) => {
            f.write_str("NOT ")?;
            write_condition(f, a, from, Level::Primary)
        }
        Condition::Compare { left, op, right } => {
            write_operand(f, left, from)?;
            f.write_str(match op {
                CompareOp::Eq => " = ",
                CompareOp::Ne => " != ",
                CompareOp::Lt => " < ",
                CompareOp::Le => " <= ",
                CompareOp::Gt => " > ",
                CompareOp::Ge => " >= ",
            })?;
            write_operand(f, right, from)
        }
        Condition::In {
            operand,
            list,
            negated,
        } => {
            write_operand(f, operand, from)?;
            f.write_str(if *negated { " NIN [" } else { " IN [" })?;
            for (i, literal) in list.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write_literal(f, literal)?;
            }
            f.write_str("]")
        }
        Condition::Is(check, operand) => {
            f.write_str(match check {
                TypeCheck::Defined => "IS_DEFINED(",
                TypeCheck::Null => "IS_NULL(",
                TypeCheck::Bool => "IS_BOOL(",
                TypeCheck::Number => "IS_NUMBER(",
                TypeCheck::String => "IS_STRING(",
                TypeCheck::Object => "IS_OBJECT(",
                TypeCheck::Array => "IS_ARRAY(",
                TypeCheck::Primitive => "IS_PRIMITIVE(",
            })?;
            write_operand(f, operand, from)?;
            f.write_str(")")
        }
        Condition::Text(test, a, b) => {
            f.write_str(match test {
                TextTest::StartsWith => "STARTSWITH(",
                TextTest::EndsWith => "ENDSWITH(",
                TextTest::Contains => "CONTAINS(",
            })?;
            write_operand(f, a, from)?;
            f.write_str(", ")?;
            write_operand(f, b, from)?;
            f.write_str(")")
        }
    }
}

fn write_operand(f: &mut fmt::Formatter<'_>, operand: &Operand, from: Collection) -> fmt::Result {
    match operand {
        Operand::Literal(literal) => write_literal(f, literal),
        Operand::Path(path) => {
            // A path whose first name is `devices` would lose it to the prefix rule when
            // parsed again: write it with the collection's prefix.
            if path.first().is_some_and(|p| p == "devices") {
                f.write_str(match from {
                    Collection::Devices => "devices.",
                    Collection::Modules => "devices.modules.",
                })?;
            }
            f.write_str(&path.join("."))
        }
    }
}

fn write_literal(f: &mut fmt::Formatter<'_>, literal: &Literal) -> fmt::Result {
    match literal {
        Literal::String(s) => {
            f.write_str("'")?;
            for c in s.chars() {
                if matches!(c, '\\' | '\'') {
                    f.write_str("\\")?;
                }
                write!(f, "{c}")?;
            }
            f.write_str("'")
        }
        Literal::Number(n) => write!(f, "{n}"),
        Literal::Bool(b) => write!(f, "{b}"),
        Literal::Null => f.write_str("null"),
    }
}

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

struct Parser {
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
    fn new(text: &str) -> Result<Self, QueryError> {
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

    fn query(mut self) -> Result<Query, QueryError> {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests fail loudly.

    use super::*;
    use serde_json::json;

    fn twin(module: &str, reported: &Value, tags: &Value) -> Value {
        json!({
            "deviceId": "edge-1",
            "moduleId": module,
            "etag": "AAAAAAAAAAE=",
            "status": "enabled",
            "version": 4,
            "tags": tags,
            "properties": {
                "desired": {"$version": 2, "$metadata": {}},
                "reported": reported,
            },
        })
    }

    fn fleet() -> Vec<Value> {
        vec![
            twin(
                "opcplc",
                &json!({"pki": {"expiry": {"status": "ok", "days": 200}}, "$version": 3}),
                &json!({"site": "lab", "line": 1}),
            ),
            twin(
                "opcclient",
                &json!({"pki": {"expiry": {"status": "expiring", "days": 9}}}),
                &json!({"site": "plant-a", "line": 2}),
            ),
            twin(
                "telemetry",
                &json!({"stores": ["own"], "flag": true, "nothing": null}),
                &json!({}),
            ),
        ]
    }

    /// The module ids of the fleet's twins that `query` matches.
    fn found(query: &str) -> Vec<String> {
        let q = Query::parse(query).unwrap();
        fleet()
            .iter()
            .filter(|t| q.matches(t))
            .map(|t| t["moduleId"].as_str().unwrap().to_owned())
            .collect()
    }

    fn refused(query: &str) -> QueryError {
        Query::parse(query).unwrap_err()
    }

    #[test]
    fn select_star_without_where_finds_every_module() {
        let q = Query::parse("SELECT * FROM devices.modules").unwrap();
        assert_eq!(q.from, Collection::Modules);
        assert_eq!(q.select, Select::All);
        assert_eq!(q.item_type(), ItemType::Twin);
        assert_eq!(found("select * from devices.modules").len(), 3);
        assert_eq!(
            Query::parse("SELECT * FROM devices").unwrap().from,
            Collection::Devices
        );
    }

    #[test]
    fn is_defined_finds_the_modules_that_have_the_section() {
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE is_defined(properties.reported.pki)"),
            ["opcplc", "opcclient"]
        );
        assert_eq!(
            found(
                "SELECT * FROM devices.modules WHERE IS_DEFINED(properties.reported.pki) \
                 OR IS_DEFINED(properties.reported.stores)"
            ),
            ["opcplc", "opcclient", "telemetry"]
        );
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE NOT is_defined(properties.reported.pki)"),
            ["telemetry"]
        );
    }

    #[test]
    fn comparisons_of_strings_and_numbers() {
        assert_eq!(
            found(
                "SELECT * FROM devices.modules WHERE properties.reported.pki.expiry.status = 'expiring'"
            ),
            ["opcclient"]
        );
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE properties.reported.pki.expiry.days < 30"),
            ["opcclient"]
        );
        assert_eq!(
            found(
                "SELECT * FROM devices.modules WHERE properties.reported.pki.expiry.days >= 200.0"
            ),
            ["opcplc"]
        );
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE tags.site <> 'lab'"),
            ["opcclient"]
        );
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE tags.site != 'lab' AND tags.line = 2"),
            ["opcclient"]
        );
        assert_eq!(
            found(
                "SELECT * FROM devices.modules WHERE moduleId > 'opcclient' AND moduleId <= 'telemetry'"
            ),
            ["opcplc", "telemetry"]
        );
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE version = 4 AND status = 'enabled'"),
            ["opcplc", "opcclient", "telemetry"]
        );
    }

    #[test]
    fn a_missing_property_or_another_type_matches_neither_way() {
        // telemetry has no site: neither = nor != is true, and NOT does not make it true.
        assert!(found("SELECT * FROM devices.modules WHERE tags.site = 'x'").is_empty());
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE NOT (tags.site = 'lab')"),
            ["opcclient"]
        );
        // A number compared with a string is neither equal nor different.
        assert!(found("SELECT * FROM devices.modules WHERE tags.line = '1'").is_empty());
        assert!(found("SELECT * FROM devices.modules WHERE tags.line != '1'").is_empty());
        // Objects compare with nothing; booleans and null only for (in)equality.
        assert!(
            found("SELECT * FROM devices.modules WHERE properties.reported.pki != null").is_empty()
        );
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE properties.reported.flag = true"),
            ["telemetry"]
        );
        assert!(
            found("SELECT * FROM devices.modules WHERE properties.reported.flag > false")
                .is_empty()
        );
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE properties.reported.nothing = null"),
            ["telemetry"]
        );
        // Undefined OR true is true; undefined AND false is false (so NOT of it is true).
        assert_eq!(
            found(
                "SELECT * FROM devices.modules WHERE tags.site = 'lab' OR moduleId = 'telemetry'"
            ),
            ["opcplc", "telemetry"]
        );
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE NOT (tags.site = 'lab' AND moduleId = 'x')"),
            ["opcplc", "opcclient", "telemetry"]
        );
    }

    #[test]
    fn in_and_nin_lists() {
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE moduleId IN ['opcplc', 'telemetry']"),
            ["opcplc", "telemetry"]
        );
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE moduleId NIN ['opcplc', 'telemetry']"),
            ["opcclient"]
        );
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE tags.site NOT IN ['lab']"),
            ["opcclient"]
        );
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE tags.line in [2, 3]"),
            ["opcclient"]
        );
        assert!(found("SELECT * FROM devices.modules WHERE moduleId IN []").is_empty());
    }

    #[test]
    fn type_checks_and_string_tests() {
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE IS_OBJECT(properties.reported.pki)"),
            ["opcplc", "opcclient"]
        );
        assert_eq!(
            found(
                "SELECT * FROM devices.modules WHERE is_array(properties.reported.stores) AND is_bool(properties.reported.flag) AND is_null(properties.reported.nothing)"
            ),
            ["telemetry"]
        );
        assert_eq!(
            found(
                "SELECT * FROM devices.modules WHERE IS_STRING(tags.site) AND IS_NUMBER(tags.line) AND IS_PRIMITIVE(tags.line)"
            ),
            ["opcplc", "opcclient"]
        );
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE STARTSWITH(moduleId, 'opc')"),
            ["opcplc", "opcclient"]
        );
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE endswith(tags.site, '-a')"),
            ["opcclient"]
        );
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE CONTAINS(moduleId, 'plc')"),
            ["opcplc"]
        );
        // A number is no string: the test is undefined, and so is its NOT.
        assert!(
            found("SELECT * FROM devices.modules WHERE NOT STARTSWITH(tags.line, '1')").is_empty()
        );
    }

    #[test]
    fn keywords_are_case_insensitive_and_parentheses_group() {
        assert_eq!(
            found(
                "sElEcT * FrOm DEVICES.MODULES wHeRe (moduleId = 'opcplc' Or moduleId = 'telemetry') AnD Is_Defined(tags.site)"
            ),
            ["opcplc"]
        );
        // AND binds tighter than OR.
        assert_eq!(
            found(
                "SELECT * FROM devices.modules WHERE moduleId = 'telemetry' OR moduleId = 'opcplc' AND tags.line = 2"
            ),
            ["telemetry"]
        );
    }

    #[test]
    fn collection_prefixes_name_the_twin_itself() {
        assert_eq!(
            found("SELECT * FROM devices.modules WHERE devices.modules.moduleId = 'opcplc'"),
            ["opcplc"]
        );
        assert_eq!(
            found(
                "SELECT * FROM devices.modules WHERE devices.deviceId = 'edge-1' AND devices.modules.tags.site = 'lab'"
            ),
            ["opcplc"]
        );
        let q = Query::parse("SELECT * FROM devices WHERE devices.tags.site = 'lab'").unwrap();
        assert!(q.matches(&json!({"deviceId": "d", "tags": {"site": "lab"}})));
    }

    #[test]
    fn strings_take_escapes_and_double_quotes() {
        let q = Query::parse(r"SELECT * FROM devices WHERE tags.name = 'it\'s'").unwrap();
        assert!(q.matches(&json!({"tags": {"name": "it's"}})));
        let q = Query::parse(r#"SELECT * FROM devices WHERE tags.name = "a b""#).unwrap();
        assert!(q.matches(&json!({"tags": {"name": "a b"}})));
        let q = Query::parse("SELECT * FROM devices WHERE tags.n = -1.5e1").unwrap();
        assert!(q.matches(&json!({"tags": {"n": -15}})));
    }

    #[test]
    fn count_has_an_alias_and_raw_items() {
        let q =
            Query::parse("SELECT COUNT() AS n FROM devices.modules WHERE is_defined(tags.site)")
                .unwrap();
        assert_eq!(q.select, Select::Count { alias: "n".into() });
        assert_eq!(q.item_type(), ItemType::Raw);
        let e = refused("SELECT COUNT() FROM devices");
        assert_eq!(e.column, 16);
        assert!(e.message.contains("AS"), "{e}");
    }

    #[test]
    fn bad_queries_name_the_problem_and_its_column() {
        let e = refused("SELECT * FORM devices");
        assert_eq!(e.to_string(), "expected FROM, found 'FORM' at column 10");
        let e = refused("SELECT deviceId FROM devices");
        assert_eq!(e.column, 8);
        assert!(e.message.contains("only SELECT *"), "{e}");
        let e = refused("SELECT * FROM devices.jobs");
        assert!(e.message.contains("devices.jobs"), "{e}");
        let e = refused("SELECT * FROM devices WHERE tags.site = 'lab");
        assert_eq!(e.column, 41);
        assert!(e.message.contains("unterminated"), "{e}");
        let e = refused("SELECT * FROM devices WHERE tags.site 'lab'");
        assert_eq!(e.column, 39);
        assert!(e.message.contains("comparison operator"), "{e}");
        let e = refused("SELECT * FROM devices WHERE (tags.a = 1");
        assert_eq!(e.message, "expected ')', found the end of the query");
        let e = refused("SELECT * FROM devices WHERE IS_FOO(tags.a)");
        assert_eq!(
            (e.column, e.message.as_str()),
            (29, "unknown function IS_FOO")
        );
        let e = refused("SELECT * FROM devices WHERE STARTSWITH(tags.a)");
        assert!(e.message.contains("second argument"), "{e}");
        let e = refused("SELECT * FROM devices WHERE properties.reported.$metadata.x = 1");
        assert!(e.message.contains("$ metadata"), "{e}");
        let e = refused("SELECT * FROM devices.modules WHERE devices.tags.site = 'a'");
        assert!(e.message.contains("devices.deviceId"), "{e}");
        let e = refused("SELECT * FROM devices WHERE a = 1 b = 2");
        assert!(e.message.contains("AND, OR"), "{e}");
        let e = refused("SELECT * FROM devices WHERE a IN [tags.b]");
        assert!(e.message.contains("literals"), "{e}");
        let e = refused("SELECT * FROM devices WHERE a = 1 GROUP BY a");
        assert!(e.message.contains("not supported"), "{e}");
        let e = refused("SELECT * FROM devices WHERE a = #");
        assert_eq!(
            (e.column, e.message.as_str()),
            (33, "unexpected character '#'")
        );
        assert!(refused("").message.contains("expected SELECT"));
        assert!(
            refused("SELECT * FROM devices WHERE")
                .message
                .contains("found the end")
        );
    }

    #[test]
    fn deep_nesting_and_huge_queries_are_refused_not_overflowing_the_stack() {
        let nested = format!(
            "SELECT * FROM devices WHERE {}a = 1{}",
            "(".repeat(MAX_NESTING + 1),
            ")".repeat(MAX_NESTING + 1)
        );
        let e = refused(&nested);
        assert_eq!(e.column, 29 + MAX_NESTING);
        assert!(e.message.contains("deeper than 64"), "{e}");
        let nots = format!("SELECT * FROM devices WHERE {} a = 1", "NOT ".repeat(100));
        assert!(refused(&nots).message.contains("deeper than 64"));
        let q = format!(
            "SELECT * FROM devices WHERE {}a = 1{}",
            "(".repeat(MAX_NESTING),
            ")".repeat(MAX_NESTING)
        );
        assert!(Query::parse(&q).unwrap().matches(&json!({"a": 1})));
        let long = format!(
            "SELECT * FROM devices WHERE a = 1{}",
            " OR a = 1".repeat(400)
        );
        let e = refused(&long);
        assert!(e.message.contains("more than 1000 tokens"), "{e}");
        // Just under the limit: a long OR chain parses and evaluates.
        let chain = format!(
            "SELECT * FROM devices WHERE a = 0{}",
            " OR a = 1".repeat(240)
        );
        assert!(Query::parse(&chain).unwrap().matches(&json!({"a": 1})));
    }

    #[test]
    fn every_cut_and_every_dropped_character_of_valid_queries_parses_or_is_refused() {
        let queries = [
            "SELECT * FROM devices.modules WHERE (is_defined(properties.reported.pki) OR \
             tags.site IN ['a', \"b\"]) AND NOT STARTSWITH(moduleId, 'x') AND version >= -1.5e2",
            "select count() as n from devices where tags.a nin [1, true, null] or tags.b <> 'it\\'s'",
        ];
        for query in queries {
            let chars: Vec<char> = query.chars().collect();
            for end in 0..=chars.len() {
                let cut: String = chars[..end].iter().collect();
                if let Err(e) = Query::parse(&cut) {
                    assert!(e.column >= 1 && e.column <= end + 1, "{cut:?}: {e}");
                }
            }
            for drop in 0..chars.len() {
                let mut changed = chars.clone();
                changed.remove(drop);
                let changed: String = changed.into_iter().collect();
                if let Ok(q) = Query::parse(&changed) {
                    let _ = q.matches(&json!({"tags": {"a": 1}}));
                }
            }
        }
    }

    #[test]
    fn the_canonical_text_parses_back_to_the_same_query() {
        for (text, canonical) in [
            (
                "select * from devices.modules where not (a = 1 or b <> 'x') and c not in [1, 'y'] or (d < 2 and e >= -1.5)",
                "SELECT * FROM devices.modules WHERE NOT (a = 1 OR b != 'x') AND c NIN [1, 'y'] OR d < 2 AND e >= -1.5",
            ),
            (
                "SELECT count() AS n FROM devices WHERE a = 1 OR (b = 2 OR c = 3) AND is_defined(devices.devices.x)",
                "SELECT COUNT() AS n FROM devices WHERE a = 1 OR (b = 2 OR c = 3) AND IS_DEFINED(devices.devices.x)",
            ),
            (
                r"SELECT * FROM devices.modules WHERE devices.deviceId = 'it\'s \\' AND startswith(tags.x, moduleId) AND NOT NOT flag = true AND n IN []",
                r"SELECT * FROM devices.modules WHERE deviceId = 'it\'s \\' AND STARTSWITH(tags.x, moduleId) AND NOT NOT flag = true AND n IN []",
            ),
        ] {
            let q = Query::parse(text).unwrap();
            assert_eq!(q.to_string(), canonical);
            assert_eq!(Query::parse(canonical).unwrap(), q, "{canonical}");
        }
    }

    #[test]
    fn page_sizes_default_cap_and_refuse_nonsense() {
        assert_eq!(page_size(None), Ok(DEFAULT_PAGE_SIZE));
        assert_eq!(page_size(Some("2")), Ok(2));
        assert_eq!(page_size(Some(" 1000 ")), Ok(1000));
        assert_eq!(page_size(Some("5000")), Ok(MAX_PAGE_SIZE));
        assert_eq!(
            page_size(Some("99999999999999999999999")),
            Ok(MAX_PAGE_SIZE)
        );
        assert!(page_size(Some("0")).is_err());
        assert!(page_size(Some("-1")).is_err());
        assert!(page_size(Some("ten")).is_err());
        assert!(page_size(Some("")).is_err());
    }
}
