//! open62541's log output for the clients we build on the C API ([`super::client`]), as
//! `tracing` events with target `open62541_sys`: the target the `open62541` crate's own bridge
//! uses for the server, so one filter directive (`open62541_sys=warn`) covers both.

use std::ffi::{c_char, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;

use open62541_sys::{
    UA_LogCategory, UA_LogLevel, UA_Logger, UA_STATUSCODE_BADENCODINGLIMITSEXCEEDED,
    UA_STATUSCODE_GOOD, UA_String, UA_String_vformat, va_list_,
};

/// Longest message kept (the limit of open62541's own stdout logger); longer ones end in `...`.
const MESSAGE_LIMIT: usize = 512;

/// A new logger; ownership passes to the config it is stored in, which frees it with its
/// `clear` (`UA_ClientConfig_clear`).
pub(crate) fn new() -> *mut UA_Logger {
    Box::into_raw(Box::new(UA_Logger {
        log: Some(log_c),
        context: ptr::null_mut(),
        clear: Some(clear_c),
    }))
}

fn category(category: &UA_LogCategory) -> &'static str {
    match *category {
        UA_LogCategory::UA_LOGCATEGORY_NETWORK => "network",
        UA_LogCategory::UA_LOGCATEGORY_SECURECHANNEL => "channel",
        UA_LogCategory::UA_LOGCATEGORY_SESSION => "session",
        UA_LogCategory::UA_LOGCATEGORY_SERVER => "server",
        UA_LogCategory::UA_LOGCATEGORY_CLIENT => "client",
        UA_LogCategory::UA_LOGCATEGORY_APPLICATION => "application",
        UA_LogCategory::UA_LOGCATEGORY_SECURITY => "security",
        UA_LogCategory::UA_LOGCATEGORY_EVENTLOOP => "eventloop",
        UA_LogCategory::UA_LOGCATEGORY_DISCOVERY => "discovery",
        _ => "other",
    }
}

/// The formatted message (truncated to [`MESSAGE_LIMIT`] bytes).
///
/// # Safety
/// `msg` and `args` must be the format string and arguments open62541 passed to the logger.
unsafe fn format(msg: *const c_char, args: va_list_) -> String {
    let mut buffer = [0u8; MESSAGE_LIMIT];
    let mut out = UA_String {
        length: buffer.len(),
        data: buffer.as_mut_ptr(),
    };
    // SAFETY: `out` points to our buffer with its length, so open62541 formats into it and
    // allocates nothing; `msg`/`args` are the caller's (contract).
    let status = unsafe { UA_String_vformat(&raw mut out, msg, args) };
    if status == UA_STATUSCODE_GOOD {
        String::from_utf8_lossy(&buffer[..out.length.min(MESSAGE_LIMIT)]).into_owned()
    } else if status == UA_STATUSCODE_BADENCODINGLIMITSEXCEEDED {
        // The buffer holds the first MESSAGE_LIMIT - 1 bytes and a NUL.
        let mut text = String::from_utf8_lossy(&buffer[..MESSAGE_LIMIT - 4]).into_owned();
        text.push_str("...");
        text
    } else {
        "(unformattable log message)".to_owned()
    }
}

unsafe extern "C" fn log_c(
    _context: *mut c_void,
    level: UA_LogLevel,
    category_id: UA_LogCategory,
    msg: *const c_char,
    args: va_list_,
) {
    macro_rules! emit {
        ($level:expr) => {
            if tracing::enabled!(target: "open62541_sys", $level) {
                // SAFETY: open62541's own arguments, passed through.
                let text = unsafe { format(msg, args) };
                tracing::event!(target: "open62541_sys", $level, "({}) {}", category(&category_id), text);
            }
        };
    }
    // A panicking subscriber must not unwind into C.
    let _ = catch_unwind(AssertUnwindSafe(|| match level {
        UA_LogLevel::UA_LOGLEVEL_TRACE => emit!(tracing::Level::TRACE),
        UA_LogLevel::UA_LOGLEVEL_DEBUG => emit!(tracing::Level::DEBUG),
        UA_LogLevel::UA_LOGLEVEL_INFO => emit!(tracing::Level::INFO),
        UA_LogLevel::UA_LOGLEVEL_WARNING => emit!(tracing::Level::WARN),
        _ => emit!(tracing::Level::ERROR),
    }));
}

unsafe extern "C" fn clear_c(logger: *mut UA_Logger) {
    if !logger.is_null() {
        // SAFETY: `logger` came from `Box::into_raw` in `new`; open62541 clears it once
        // (`UA_ClientConfig_clear` nulls `config->logging` after calling this).
        drop(unsafe { Box::from_raw(logger) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logger_is_created_and_cleared_once() {
        let logger = new();
        // SAFETY: a logger from `new`, cleared exactly once, as open62541 does.
        unsafe {
            let clear = (*logger).clear.unwrap();
            clear(logger);
        }
    }
}
