//! Evaluating a `WHERE` condition against a twin document: true, false or undefined.

use serde_json::Value;

use super::{CompareOp, Condition, Operand, TextTest, TypeCheck};

/// True, false or undefined (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Truth {
    True,
    False,
    Undefined,
}

impl From<bool> for Truth {
    fn from(b: bool) -> Self {
        if b { Self::True } else { Self::False }
    }
}

pub(super) fn evaluate(condition: &Condition, twin: &Value) -> Truth {
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
