//! Method arguments in and out: each input read with its declared type or refused with
//! `BadTypeMismatch` (a missing one `BadArgumentsMissing`), outputs built from Rust values.

use ::ua::DataType as _;
use ::ua::ua;

/// `BadTypeMismatch`.
pub const BAD_TYPE_MISMATCH: u32 = 0x8074_0000;
/// `BadArgumentsMissing`.
pub const BAD_ARGUMENTS_MISSING: u32 = 0x80DC_0000;
/// `BadTooManyArguments`.
pub const BAD_TOO_MANY_ARGUMENTS: u32 = 0x80E5_0000;

/// The inputs of one call.
pub struct Inputs<'a>(pub &'a [ua::Variant]);

impl Inputs<'_> {
    /// Exactly `n` inputs (open62541 checks them against the declared arguments too).
    pub fn expect(&self, n: usize) -> Result<(), u32> {
        match self.0.len().cmp(&n) {
            std::cmp::Ordering::Less => Err(BAD_ARGUMENTS_MISSING),
            std::cmp::Ordering::Greater => Err(BAD_TOO_MANY_ARGUMENTS),
            std::cmp::Ordering::Equal => Ok(()),
        }
    }

    fn at(&self, i: usize) -> Result<&ua::Variant, u32> {
        self.0.get(i).ok_or(BAD_ARGUMENTS_MISSING)
    }

    /// A `ByteString` (a null one is empty).
    pub fn bytes(&self, i: usize) -> Result<Vec<u8>, u32> {
        let v = self.at(i)?;
        if v.is_empty() {
            return Ok(Vec::new());
        }
        let b = v.as_scalar::<ua::ByteString>().ok_or(BAD_TYPE_MISMATCH)?;
        Ok(b.as_bytes().map(<[u8]>::to_vec).unwrap_or_default())
    }

    /// A `ByteString[]` (a null array is empty).
    pub fn bytes_array(&self, i: usize) -> Result<Vec<Vec<u8>>, u32> {
        let v = self.at(i)?;
        if v.is_empty() {
            return Ok(Vec::new());
        }
        let array = v.to_array::<ua::ByteString>().ok_or(BAD_TYPE_MISMATCH)?;
        Ok(array
            .iter()
            .map(|b| b.as_bytes().map(<[u8]>::to_vec).unwrap_or_default())
            .collect())
    }

    /// A `String` (a null one is `None`).
    pub fn string(&self, i: usize) -> Result<Option<String>, u32> {
        let v = self.at(i)?;
        if v.is_empty() {
            return Ok(None);
        }
        let s = v.as_scalar::<ua::String>().ok_or(BAD_TYPE_MISMATCH)?;
        Ok(s.as_str().map(str::to_owned))
    }

    /// A `Boolean`.
    pub fn boolean(&self, i: usize) -> Result<bool, u32> {
        self.at(i)?
            .as_scalar::<ua::Boolean>()
            .map(ua::Boolean::value)
            .ok_or(BAD_TYPE_MISMATCH)
    }

    /// A `Byte`.
    pub fn byte(&self, i: usize) -> Result<u8, u32> {
        self.at(i)?
            .as_scalar::<ua::Byte>()
            .map(ua::Byte::value)
            .ok_or(BAD_TYPE_MISMATCH)
    }

    /// A `UInt32`.
    pub fn u32(&self, i: usize) -> Result<u32, u32> {
        self.at(i)?
            .as_scalar::<ua::UInt32>()
            .map(ua::UInt32::value)
            .ok_or(BAD_TYPE_MISMATCH)
    }

    /// An `Int32`.
    pub fn i32(&self, i: usize) -> Result<i32, u32> {
        self.at(i)?
            .as_scalar::<ua::Int32>()
            .map(ua::Int32::value)
            .ok_or(BAD_TYPE_MISMATCH)
    }

    /// A `UInt64`.
    pub fn u64(&self, i: usize) -> Result<u64, u32> {
        self.at(i)?
            .as_scalar::<ua::UInt64>()
            .map(ua::UInt64::value)
            .ok_or(BAD_TYPE_MISMATCH)
    }

    /// A `NodeId`; a null one (or an empty variant) is `None`.
    pub fn node_id(&self, i: usize) -> Result<Option<ua::NodeId>, u32> {
        let v = self.at(i)?;
        if v.is_empty() {
            return Ok(None);
        }
        let id = v.as_scalar::<ua::NodeId>().ok_or(BAD_TYPE_MISMATCH)?;
        Ok((!id.is_null()).then(|| id.clone()))
    }
}

/// A `ByteString` output.
#[must_use]
pub fn bytes(data: &[u8]) -> ua::Variant {
    ua::Variant::scalar(ua::ByteString::new(data))
}

/// A `ByteString[]` output.
#[must_use]
pub fn bytes_array(items: &[Vec<u8>]) -> ua::Variant {
    let items: Vec<ua::ByteString> = items.iter().map(|b| ua::ByteString::new(b)).collect();
    ua::Variant::array(ua::Array::from_slice(&items))
}

/// A `Boolean` output.
#[must_use]
pub fn boolean(value: bool) -> ua::Variant {
    ua::Variant::scalar(ua::Boolean::new(value))
}

/// A `UInt32` output.
#[must_use]
pub fn u32(value: u32) -> ua::Variant {
    ua::Variant::scalar(ua::UInt32::new(value))
}

/// A `UInt16` output.
#[must_use]
pub fn u16(value: u16) -> ua::Variant {
    ua::Variant::scalar(ua::UInt16::new(value))
}

/// A `UInt64` output.
#[must_use]
pub fn u64(value: u64) -> ua::Variant {
    ua::Variant::scalar(ua::UInt64::new(value))
}

/// A `Double` output.
#[must_use]
pub fn double(value: f64) -> ua::Variant {
    ua::Variant::scalar(ua::Double::new(value))
}

/// A `String[]` output.
#[must_use]
pub fn strings(items: &[&str]) -> ua::Variant {
    let items: Vec<ua::String> = items
        .iter()
        .map(|s| ua::String::new(s).unwrap_or_else(|_| ua::String::null()))
        .collect();
    ua::Variant::array(ua::Array::from_slice(&items))
}

/// A `NodeId[]` output.
#[must_use]
pub fn node_ids(items: &[u32]) -> ua::Variant {
    let items: Vec<ua::NodeId> = items.iter().map(|i| ua::NodeId::ns0(*i)).collect();
    ua::Variant::array(ua::Array::from_slice(&items))
}

/// A `DateTime` output (an empty value for a time OPC UA cannot hold).
#[must_use]
pub fn date_time(value: time::OffsetDateTime) -> ua::Variant {
    ua::DateTime::try_from_unix_timestamp_nanos(value.unix_timestamp_nanos())
        .map_or_else(|_| ua::Variant::init(), ua::Variant::scalar)
}

/// The empty value of a property of `data_type` on a type node (an instance declaration's
/// placeholder: the fields of an event carry the real values).
#[must_use]
pub fn empty(data_type: u32) -> ua::Variant {
    use super::nodes::data_type as t;
    match data_type {
        t::DATE_TIME => date_time(time::OffsetDateTime::UNIX_EPOCH),
        t::NODE_ID => ua::Variant::scalar(ua::NodeId::init()),
        t::BYTE_STRING => bytes(&[]),
        t::DOUBLE => double(0.0),
        _ => ua::Variant::init(),
    }
}
