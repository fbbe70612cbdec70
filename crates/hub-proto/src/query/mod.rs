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

use serde_json::Value;

mod display;
mod eval;
mod parse;
#[cfg(test)]
mod tests;

use eval::{Truth, evaluate};
use parse::Parser;

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
