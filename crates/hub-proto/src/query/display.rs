//! The canonical text of a query (`Display`), which parses back to the same query.

use std::fmt;

use super::{
    Collection, CompareOp, Condition, Literal, Operand, Query, Select, TextTest, TypeCheck,
};

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
