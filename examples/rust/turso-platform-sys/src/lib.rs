//! Raw declarations of libturso_platform's C ABI, `turso_platform.h`.
//!
//! Everything here is `unsafe` and follows the header's rules; the safe API is the
//! `turso-platform` crate. The declarations in `decls.rs` are written out from the header by
//! `gen_decls.py`, and `tests/header.rs` checks them against the installed header.
#![allow(non_camel_case_types)]

pub use std::ffi::{c_char, c_void};

/// A status code: `int32_t` in C, not an enum, so an unknown value is never undefined behaviour.
pub type tp_status = i32;
pub type tp_value_type = i32;

macro_rules! opaque {
    ($($name:ident),*) => {$(
        /// An opaque handle of the C library.
        #[repr(C)]
        pub struct $name {
            _private: [u8; 0],
            _not_send_sync: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>,
        }
    )*};
}
opaque!(tp_options, tp_client, tp_params, tp_result, tp_value, tp_batch, tp_cancel);

/// `void (*)(void *userdata, int32_t level, const char *message)`
pub type tp_log_fn =
    Option<unsafe extern "C" fn(userdata: *mut c_void, level: i32, message: *const c_char)>;
/// `void (*)(void *userdata, int32_t done, int32_t total)`
pub type tp_progress_fn =
    Option<unsafe extern "C" fn(userdata: *mut c_void, done: i32, total: i32)>;

include!("decls.rs");
