//! The `TrustList` object's file handles (OPC 10000-5 Annex C.2 `FileType`, OPC 10000-12
//! §7.8.2): who may open the trust list how, and the bytes behind each handle.
//!
//! Rules kept here, whatever the server stack:
//! - `mode` bits are `Read` 1, `Write` 2, `EraseExisting` 4, `Append` 8. A trust list is only
//!   written whole: `Write` needs `EraseExisting`, `Append` is refused, `Read` and `Write`
//!   together are refused, `EraseExisting` without `Write` is refused (`BadInvalidArgument`).
//! - A handle belongs to the session that opened it; another session's handle (or an unknown
//!   one) is `BadInvalidArgument`. Handles are never reused within the object's life.
//! - One writer at a time: nothing opens while a writer holds the file, and no writer opens
//!   while readers hold it (`BadInvalidState`).
//! - `Read` on a write handle and `Write` on a read handle are `BadInvalidState`; a negative
//!   read length is `BadInvalidArgument`; a write beyond `max_size` bytes is
//!   `BadEncodingLimitsExceeded`; `CloseAndUpdate` only closes a write handle.
//! - A session holds at most [`MAX_HANDLES_PER_SESSION`] handles (`BadTooManyOperations`).
//!
//! A read handle serves the snapshot taken when it was opened (the caller's closure encodes
//! the store's trust list then), so a reader sees one consistent trust list.

use super::trust_list::Masks;
use super::{PushError, PushStatus};

/// The most handles one session may hold open at once.
pub const MAX_HANDLES_PER_SESSION: usize = 10;

/// `OpenFileMode` bits (OPC 10000-5 §C.3.1).
pub mod mode {
    /// `Read`.
    pub const READ: u8 = 1;
    /// `Write`.
    pub const WRITE: u8 = 2;
    /// `EraseExisting`.
    pub const ERASE_EXISTING: u8 = 4;
    /// `Append`.
    pub const APPEND: u8 = 8;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Read,
    Write,
}

#[derive(Debug)]
struct Open<S> {
    handle: u32,
    session: S,
    access: Access,
    data: Vec<u8>,
    position: usize,
}

/// The open handles of one `TrustList` object.
#[derive(Debug)]
pub struct TrustListFile<S> {
    max_size: usize,
    last_handle: u32,
    open: Vec<Open<S>>,
}

impl<S: Eq + Clone> TrustListFile<S> {
    /// A closed trust list file that accepts writes of up to `max_size` bytes (the
    /// `MaxTrustListSize` the server announces).
    #[must_use]
    pub fn new(max_size: usize) -> Self {
        Self {
            max_size,
            last_handle: 0,
            open: Vec::new(),
        }
    }

    /// `Open(mode)`: a read handle on `snapshot()` (called only when the open succeeds) or a
    /// write handle on an empty file. See the module docs for the rules.
    pub fn open(
        &mut self,
        session: S,
        mode: u8,
        snapshot: impl FnOnce() -> Vec<u8>,
    ) -> Result<u32, PushError> {
        let access = check_mode(mode)?;
        self.check_can_open(&session, access)?;
        let data = match access {
            Access::Read => snapshot(),
            Access::Write => Vec::new(),
        };
        self.add(session, access, data)
    }

    /// `OpenWithMasks(masks)`: a read handle on `snapshot(masks)`, the trust list with only
    /// the lists `masks` names. Bits outside `All` are `BadInvalidArgument`.
    pub fn open_with_masks(
        &mut self,
        session: S,
        masks: u32,
        snapshot: impl FnOnce(Masks) -> Vec<u8>,
    ) -> Result<u32, PushError> {
        let masks = Masks::from_bits(masks).ok_or_else(|| {
            PushError::new(
                PushStatus::BadInvalidArgument,
                format!("masks 0x{masks:X} has bits outside TrustListMasks.All (0xF)"),
            )
        })?;
        self.check_can_open(&session, Access::Read)?;
        let data = snapshot(masks);
        self.add(session, Access::Read, data)
    }

    /// `Read(handle, length)`: up to `length` bytes from the position, which advances; empty
    /// at the end of the file.
    pub fn read(&mut self, session: &S, handle: u32, length: i32) -> Result<Vec<u8>, PushError> {
        let open = self.find(session, handle)?;
        if open.access != Access::Read {
            return Err(invalid_state(format!(
                "handle {handle} is open for writing and cannot be read"
            )));
        }
        let Ok(length) = usize::try_from(length) else {
            return Err(PushError::new(
                PushStatus::BadInvalidArgument,
                format!("the read length {length} is negative"),
            ));
        };
        let start = open.position.min(open.data.len());
        let end = start.saturating_add(length).min(open.data.len());
        open.position = end;
        Ok(open.data[start..end].to_vec())
    }

    /// `Write(handle, data)`: writes at the position, which advances.
    pub fn write(&mut self, session: &S, handle: u32, data: &[u8]) -> Result<(), PushError> {
        let max_size = self.max_size;
        let open = self.find(session, handle)?;
        if open.access != Access::Write {
            return Err(invalid_state(format!(
                "handle {handle} is open for reading and cannot be written"
            )));
        }
        let end = open.position.saturating_add(data.len());
        if end > max_size {
            return Err(PushError::new(
                PushStatus::BadEncodingLimitsExceeded,
                format!("the trust list would exceed the {max_size} bytes the server accepts"),
            ));
        }
        if open.data.len() < end {
            open.data.resize(end, 0);
        }
        open.data[open.position..end].copy_from_slice(data);
        open.position = end;
        Ok(())
    }

    /// `GetPosition(handle)`.
    pub fn get_position(&mut self, session: &S, handle: u32) -> Result<u64, PushError> {
        let open = self.find(session, handle)?;
        Ok(u64::try_from(open.position).unwrap_or(u64::MAX))
    }

    /// `SetPosition(handle, position)`: a position past the end moves to the end.
    pub fn set_position(
        &mut self,
        session: &S,
        handle: u32,
        position: u64,
    ) -> Result<(), PushError> {
        let open = self.find(session, handle)?;
        let len = open.data.len();
        open.position = usize::try_from(position).map_or(len, |p| p.min(len));
        Ok(())
    }

    /// `Close(handle)`: a write handle's bytes are discarded.
    pub fn close(&mut self, session: &S, handle: u32) -> Result<(), PushError> {
        self.find(session, handle)?;
        self.open.retain(|o| o.handle != handle);
        Ok(())
    }

    /// `CloseAndUpdate(handle)`: closes a write handle and returns the bytes written, for the
    /// caller to decode ([`super::TrustList::decode`]) and stage. A read handle is
    /// `BadInvalidState` and stays open.
    pub fn close_and_update(&mut self, session: &S, handle: u32) -> Result<Vec<u8>, PushError> {
        let open = self.find(session, handle)?;
        if open.access != Access::Write {
            return Err(invalid_state(format!(
                "handle {handle} is open for reading: CloseAndUpdate needs a write handle"
            )));
        }
        let data = std::mem::take(&mut open.data);
        self.open.retain(|o| o.handle != handle);
        Ok(data)
    }

    /// The `OpenCount` property: handles open now, all sessions.
    #[must_use]
    pub fn open_count(&self) -> u16 {
        u16::try_from(self.open.len()).unwrap_or(u16::MAX)
    }

    /// Closes every handle of a session that ended.
    pub fn forget_session(&mut self, session: &S) {
        self.open.retain(|o| o.session != *session);
    }

    /// Closes every handle of the sessions not in `live` (those that ended).
    pub fn forget_sessions_except(&mut self, live: &[S]) {
        self.open.retain(|o| live.contains(&o.session));
    }

    /// True while a writer holds the file (`AddCertificate`/`RemoveCertificate` must wait).
    #[must_use]
    pub fn has_writer(&self) -> bool {
        self.open.iter().any(|o| o.access == Access::Write)
    }

    fn check_can_open(&self, session: &S, access: Access) -> Result<(), PushError> {
        if self.open.iter().any(|o| o.access == Access::Write) {
            return Err(invalid_state(
                "the trust list is open for writing; it cannot be opened until that handle is closed",
            ));
        }
        if access == Access::Write && !self.open.is_empty() {
            return Err(invalid_state(
                "the trust list is open for reading; it cannot be opened for writing until every handle is closed",
            ));
        }
        if self.open.iter().filter(|o| o.session == *session).count() >= MAX_HANDLES_PER_SESSION {
            return Err(PushError::new(
                PushStatus::BadTooManyOperations,
                format!(
                    "the session already holds {MAX_HANDLES_PER_SESSION} handles on the trust list; close one first"
                ),
            ));
        }
        Ok(())
    }

    fn add(&mut self, session: S, access: Access, data: Vec<u8>) -> Result<u32, PushError> {
        let handle = self
            .last_handle
            .checked_add(1)
            .ok_or_else(|| invalid_state("the trust list has used up its file handles"))?;
        self.last_handle = handle;
        self.open.push(Open {
            handle,
            session,
            access,
            data,
            position: 0,
        });
        Ok(handle)
    }

    fn find(&mut self, session: &S, handle: u32) -> Result<&mut Open<S>, PushError> {
        self.open
            .iter_mut()
            .find(|o| o.handle == handle && o.session == *session)
            .ok_or_else(|| {
                PushError::new(
                    PushStatus::BadInvalidArgument,
                    format!("{handle} is not a file handle this session has open"),
                )
            })
    }
}

fn invalid_state(message: impl Into<String>) -> PushError {
    PushError::new(PushStatus::BadInvalidState, message)
}

fn check_mode(bits: u8) -> Result<Access, PushError> {
    let refuse = |why: &str| {
        Err(PushError::new(
            PushStatus::BadInvalidArgument,
            format!("mode {bits}: {why}"),
        ))
    };
    let has = |bit: u8| bits & bit != 0;
    if bits & !(mode::READ | mode::WRITE | mode::ERASE_EXISTING | mode::APPEND) != 0 {
        return refuse("bits outside Read, Write, EraseExisting and Append");
    }
    if has(mode::APPEND) {
        return refuse("a trust list is written whole; Append is not supported");
    }
    match (has(mode::READ), has(mode::WRITE)) {
        (true, true) => refuse("a trust list is opened for reading or for writing, not both"),
        (false, false) => refuse("neither Read nor Write"),
        (true, false) if has(mode::ERASE_EXISTING) => refuse("EraseExisting needs Write"),
        (true, false) => Ok(Access::Read),
        (false, true) if !has(mode::ERASE_EXISTING) => {
            refuse("a trust list is written whole; Write needs EraseExisting (mode 6)")
        }
        (false, true) => Ok(Access::Write),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const READ: u8 = mode::READ;
    const WRITE: u8 = mode::WRITE | mode::ERASE_EXISTING;

    fn file() -> TrustListFile<&'static str> {
        TrustListFile::new(64)
    }

    fn snapshot() -> Vec<u8> {
        b"0123456789".to_vec()
    }

    fn code<T: std::fmt::Debug>(result: Result<T, PushError>) -> PushStatus {
        result.unwrap_err().code
    }

    #[test]
    fn a_reader_reads_its_snapshot_in_pieces() {
        let mut f = file();
        let h = f.open("a", READ, snapshot).unwrap();
        assert_eq!(f.read(&"a", h, 4).unwrap(), b"0123");
        assert_eq!(f.get_position(&"a", h).unwrap(), 4);
        assert_eq!(f.read(&"a", h, 100).unwrap(), b"456789");
        assert_eq!(f.read(&"a", h, 100).unwrap(), b"");
        f.set_position(&"a", h, 2).unwrap();
        assert_eq!(f.read(&"a", h, 2).unwrap(), b"23");
        f.set_position(&"a", h, u64::MAX).unwrap();
        assert_eq!(f.get_position(&"a", h).unwrap(), 10);
        f.close(&"a", h).unwrap();
        assert_eq!(f.open_count(), 0);
    }

    #[test]
    fn open_with_masks_hands_the_masks_to_the_snapshot() {
        let mut f = file();
        let h = f
            .open_with_masks("a", 5, |m| vec![u8::try_from(m.bits()).unwrap()])
            .unwrap();
        assert_eq!(f.read(&"a", h, 10).unwrap(), [5]);
        assert_eq!(
            code(f.open_with_masks("a", 16, |_| Vec::new())),
            PushStatus::BadInvalidArgument
        );
    }

    #[test]
    fn a_writer_writes_the_whole_list_and_close_and_update_returns_it() {
        let mut f = file();
        let mut called = false;
        let h = f
            .open("a", WRITE, || {
                called = true;
                Vec::new()
            })
            .unwrap();
        assert!(!called, "a write handle starts empty");
        f.write(&"a", h, b"abc").unwrap();
        f.write(&"a", h, b"def").unwrap();
        f.set_position(&"a", h, 1).unwrap();
        f.write(&"a", h, b"B").unwrap();
        assert_eq!(f.close_and_update(&"a", h).unwrap(), b"aBcdef");
        assert_eq!(f.open_count(), 0);
    }

    #[test]
    fn modes_a_trust_list_does_not_support_are_invalid_arguments() {
        let mut f = file();
        for bad in [
            0,
            mode::WRITE,                // without EraseExisting
            mode::WRITE | mode::APPEND, // append
            mode::WRITE | mode::ERASE_EXISTING | mode::APPEND,
            mode::READ | mode::WRITE | mode::ERASE_EXISTING, // both
            mode::READ | mode::ERASE_EXISTING,
            mode::ERASE_EXISTING,
            16,
        ] {
            assert_eq!(
                code(f.open("a", bad, snapshot)),
                PushStatus::BadInvalidArgument,
                "mode {bad}"
            );
        }
        assert_eq!(f.open_count(), 0);
    }

    #[test]
    fn a_handle_belongs_to_its_session() {
        let mut f = file();
        let h = f.open("a", READ, snapshot).unwrap();
        assert_eq!(code(f.read(&"b", h, 1)), PushStatus::BadInvalidArgument);
        assert_eq!(code(f.close(&"b", h)), PushStatus::BadInvalidArgument);
        assert_eq!(
            code(f.get_position(&"b", h)),
            PushStatus::BadInvalidArgument
        );
        assert_eq!(code(f.read(&"a", h + 1, 1)), PushStatus::BadInvalidArgument);
        assert_eq!(f.open_count(), 1);
    }

    #[test]
    fn one_writer_at_a_time_and_no_writer_beside_readers() {
        let mut f = file();
        let w = f.open("a", WRITE, Vec::new).unwrap();
        assert_eq!(
            code(f.open("a", WRITE, Vec::new)),
            PushStatus::BadInvalidState
        );
        assert_eq!(
            code(f.open("b", READ, snapshot)),
            PushStatus::BadInvalidState
        );
        assert_eq!(
            code(f.open_with_masks("b", 15, |_| Vec::new())),
            PushStatus::BadInvalidState
        );
        f.close(&"a", w).unwrap();

        let r = f.open("b", READ, snapshot).unwrap();
        f.open("c", READ, snapshot).unwrap();
        assert_eq!(
            code(f.open("a", WRITE, Vec::new)),
            PushStatus::BadInvalidState
        );
        f.close(&"b", r).unwrap();
        f.forget_session(&"c");
        assert_eq!(f.open_count(), 0);
        f.open("a", WRITE, Vec::new).unwrap();
    }

    #[test]
    fn reads_and_writes_need_the_right_handle() {
        let mut f = file();
        let r = f.open("a", READ, snapshot).unwrap();
        assert_eq!(code(f.write(&"a", r, b"x")), PushStatus::BadInvalidState);
        assert_eq!(
            code(f.close_and_update(&"a", r)),
            PushStatus::BadInvalidState
        );
        assert_eq!(
            f.open_count(),
            1,
            "a refused CloseAndUpdate leaves the handle open"
        );
        assert_eq!(code(f.read(&"a", r, -1)), PushStatus::BadInvalidArgument);
        f.close(&"a", r).unwrap();

        let w = f.open("a", WRITE, Vec::new).unwrap();
        assert_eq!(code(f.read(&"a", w, 1)), PushStatus::BadInvalidState);
    }

    #[test]
    fn writes_are_bounded_by_the_maximum_size() {
        let mut f = file();
        let w = f.open("a", WRITE, Vec::new).unwrap();
        f.write(&"a", w, &[0; 60]).unwrap();
        assert_eq!(
            code(f.write(&"a", w, &[0; 5])),
            PushStatus::BadEncodingLimitsExceeded
        );
        f.write(&"a", w, &[0; 4]).unwrap();
        assert_eq!(f.close_and_update(&"a", w).unwrap().len(), 64);
    }

    #[test]
    fn handles_are_never_reused() {
        let mut f = file();
        let first = f.open("a", READ, snapshot).unwrap();
        f.close(&"a", first).unwrap();
        let second = f.open("a", READ, snapshot).unwrap();
        assert_ne!(first, second);
        assert_eq!(code(f.read(&"a", first, 1)), PushStatus::BadInvalidArgument);
    }

    #[test]
    fn a_session_holds_a_bounded_number_of_handles() {
        let mut f = file();
        for _ in 0..MAX_HANDLES_PER_SESSION {
            f.open("a", READ, snapshot).unwrap();
        }
        assert_eq!(
            code(f.open("a", READ, snapshot)),
            PushStatus::BadTooManyOperations
        );
        f.open("b", READ, snapshot).unwrap();
        f.forget_session(&"a");
        assert_eq!(f.open_count(), 1);
    }
}
