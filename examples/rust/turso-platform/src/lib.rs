//! A safe client for the Turso Platform API, over libturso_platform's C ABI.
//!
//! ```no_run
//! let client = turso_platform::Client::from_env()?; // TURSO_API_TOKEN, TURSO_API_BASEURL, TURSO_ORG
//! let db = client.create_database("my-db", Some("default"))?;
//! println!("{} at {}", db.name, db.hostname);
//! match client.delete_database("no-such-db") {
//!     Err(e) if e.status == turso_platform::Status::NOT_FOUND => println!("gone already"),
//!     other => { other?; }
//! }
//! # Ok::<(), turso_platform::Error>(())
//! ```
//!
//! A [`Client`] is `Send + Sync`: share it between threads (e.g. in an `Arc`). A [`Response`]
//! owns the C result and frees it on drop; [`Value`]s borrow from it.
use std::ffi::{CStr, CString};
use std::fmt;
use std::marker::PhantomData;
use std::ptr::{self, NonNull};
use std::time::Duration;

use turso_platform_sys as sys;

/// A status code of the library (`tp_status`). Unknown codes are kept as they are.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Status(pub i32);

impl Status {
    pub const OK: Status = Status(sys::TP_OK);
    pub const INVALID_ARGUMENT: Status = Status(sys::TP_E_INVALID_ARGUMENT);
    pub const NOMEM: Status = Status(sys::TP_E_NOMEM);
    pub const INTERNAL: Status = Status(sys::TP_E_INTERNAL);
    pub const NETWORK: Status = Status(sys::TP_E_NETWORK);
    pub const TIMEOUT: Status = Status(sys::TP_E_TIMEOUT);
    pub const TLS: Status = Status(sys::TP_E_TLS);
    pub const CANCELLED: Status = Status(sys::TP_E_CANCELLED);
    pub const BAD_RESPONSE: Status = Status(sys::TP_E_BAD_RESPONSE);
    pub const RESPONSE_TOO_LARGE: Status = Status(sys::TP_E_RESPONSE_TOO_LARGE);
    pub const BAD_REQUEST: Status = Status(sys::TP_E_BAD_REQUEST);
    pub const UNAUTHORIZED: Status = Status(sys::TP_E_UNAUTHORIZED);
    pub const PAYMENT_REQUIRED: Status = Status(sys::TP_E_PAYMENT_REQUIRED);
    pub const FORBIDDEN: Status = Status(sys::TP_E_FORBIDDEN);
    pub const NOT_FOUND: Status = Status(sys::TP_E_NOT_FOUND);
    pub const CONFLICT: Status = Status(sys::TP_E_CONFLICT);
    pub const UNPROCESSABLE: Status = Status(sys::TP_E_UNPROCESSABLE);
    pub const RATE_LIMITED: Status = Status(sys::TP_E_RATE_LIMITED);
    pub const SERVER: Status = Status(sys::TP_E_SERVER);
    pub const HTTP: Status = Status(sys::TP_E_HTTP);

    /// The constant's name, e.g. "TP_E_NOT_FOUND".
    pub fn name(self) -> &'static str {
        unsafe { static_str(sys::tp_status_name(self.0)) }
    }
    /// A short English sentence for the code.
    pub fn message(self) -> &'static str {
        unsafe { static_str(sys::tp_status_message(self.0)) }
    }
}

impl fmt::Debug for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name(), self.0)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

unsafe fn static_str(p: *const sys::c_char) -> &'static str {
    if p.is_null() {
        ""
    } else {
        CStr::from_ptr(p).to_str().unwrap_or("")
    }
}

unsafe fn owned_str(p: *const sys::c_char) -> Option<String> {
    (!p.is_null()).then(|| CStr::from_ptr(p).to_string_lossy().into_owned())
}

/// A failed call: the status, the HTTP code of the answer (0 when none came), the service's or
/// the transport's message and the operation id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub status: Status,
    pub http_status: i32,
    pub message: String,
    pub op: Option<String>,
}

impl Error {
    fn local(status: i32, message: impl Into<String>) -> Error {
        Error {
            status: Status(status),
            http_status: 0,
            message: message.into(),
            op: None,
        }
    }
}

/// "OP: STATUS (HTTP n): MESSAGE", "turso-platform" standing for OP when no call failed.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = self.op.as_deref().unwrap_or("turso-platform");
        write!(f, "{op}: {}", self.status)?;
        if self.http_status != 0 {
            write!(f, " (HTTP {})", self.http_status)?;
        }
        // The library's argument checks name the operation already: say it once.
        let message = self
            .op
            .as_deref()
            .and_then(|op| self.message.strip_prefix(op)?.strip_prefix(": "))
            .unwrap_or(&self.message);
        write!(f, ": {message}")
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

fn check(status: i32, what: &str) -> Result<()> {
    if status == sys::TP_OK {
        Ok(())
    } else {
        Err(Error::local(
            status,
            format!("{what}: {}", Status(status).message()),
        ))
    }
}

/// A duration as the library's int32 milliseconds, or an error: capping it would quietly
/// shorten what was asked for.
fn millis(d: Duration, what: &str) -> Result<i32> {
    i32::try_from(d.as_millis()).map_err(|_| {
        Error::local(
            sys::TP_E_INVALID_ARGUMENT,
            format!("{what} is longer than {} ms", i32::MAX),
        )
    })
}

fn cstring(s: &str, what: &str) -> Result<CString> {
    CString::new(s).map_err(|_| {
        Error::local(
            sys::TP_E_INVALID_ARGUMENT,
            format!("{what} contains a NUL byte"),
        )
    })
}

/// The loaded library's version, e.g. "0.1.0".
pub fn version() -> &'static str {
    unsafe { static_str(sys::tp_version()) }
}

/// The operation ids the library knows ("databases.create", ...).
pub fn operations() -> Vec<&'static str> {
    let n = unsafe { sys::tp_op_count() };
    (0..n)
        .map(|i| unsafe { static_str(sys::tp_op_id(i)) })
        .collect()
}

/// A client's settings; `None` keeps the library's default.
#[derive(Clone, Default)]
pub struct Options {
    pub token: Option<String>,
    pub base_url: Option<String>,
    pub org: Option<String>,
    pub timeout: Option<Duration>,
    /// (attempts in all, base delay before the first retry)
    pub retry: Option<(u32, Duration)>,
    pub user_agent: Option<String>,
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("token", &self.token.as_ref().map(|_| "<hidden>"))
            .field("base_url", &self.base_url)
            .field("org", &self.org)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

struct RawOptions(*mut sys::tp_options);

impl Drop for RawOptions {
    fn drop(&mut self) {
        unsafe { sys::tp_options_free(self.0) }
    }
}

impl RawOptions {
    /// `status` of a tp_options_* call on these options as a Result; the error's message is the
    /// library's reason (tp_options_error: the setting or environment variable and why, never
    /// the value), or the status' sentence when it gave none (memory ran out).
    fn check(&self, status: i32, what: &str) -> Result<()> {
        if status == sys::TP_OK {
            return Ok(());
        }
        let why = unsafe { owned_str(sys::tp_options_error(self.0)) }.unwrap_or_default();
        Err(Error::local(
            status,
            if why.is_empty() {
                format!("{what}: {}", Status(status).message())
            } else {
                why
            },
        ))
    }

    fn apply(&self, o: &Options) -> Result<()> {
        type Setter = unsafe extern "C" fn(*mut sys::tp_options, *const sys::c_char) -> i32;
        let strings: [(&Option<String>, Setter, &str); 4] = [
            (&o.token, sys::tp_options_set_token, "token"),
            (&o.base_url, sys::tp_options_set_base_url, "base_url"),
            (&o.org, sys::tp_options_set_org, "org"),
            (&o.user_agent, sys::tp_options_set_user_agent, "user_agent"),
        ];
        for (value, set, what) in strings {
            if let Some(v) = value {
                let v = cstring(v, what)?;
                self.check(unsafe { set(self.0, v.as_ptr()) }, what)?;
            }
        }
        if let Some(t) = o.timeout {
            let ms = millis(t, "timeout")?;
            self.check(
                unsafe { sys::tp_options_set_timeout_ms(self.0, ms) },
                "timeout",
            )?;
        }
        if let Some((attempts, delay)) = o.retry {
            let ms = millis(delay, "retry delay")?;
            let attempts = i32::try_from(attempts).unwrap_or(i32::MAX);
            self.check(
                unsafe { sys::tp_options_set_retry(self.0, attempts, ms) },
                "retry",
            )?;
        }
        Ok(())
    }
}

/// One argument of a call: see [`Client::call`].
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// JSON text, for arrays and objects.
    Json(String),
    /// A multipart file field.
    Bytes(Vec<u8>),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Str(v.to_string())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Arg {
        Arg::Str(v)
    }
}
impl From<i64> for Arg {
    fn from(v: i64) -> Arg {
        Arg::Int(v)
    }
}
impl From<i32> for Arg {
    fn from(v: i32) -> Arg {
        Arg::Int(v.into())
    }
}
impl From<f64> for Arg {
    fn from(v: f64) -> Arg {
        Arg::Float(v)
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Arg {
        Arg::Bool(v)
    }
}

/// Cancels calls in flight from any thread: pass it to [`Client::call_cancellable`] and
/// [`Cancel::trigger`] it from elsewhere. Sticky until [`Cancel::reset`].
pub struct Cancel(NonNull<sys::tp_cancel>);

// tp_cancel_trigger, _reset and _is_triggered may be called from any thread.
unsafe impl Send for Cancel {}
unsafe impl Sync for Cancel {}

impl Cancel {
    pub fn new() -> Result<Cancel> {
        let mut raw = ptr::null_mut();
        check(unsafe { sys::tp_cancel_new(&mut raw) }, "cancel")?;
        Ok(Cancel(NonNull::new(raw).expect("tp_cancel_new gave NULL")))
    }
    pub fn trigger(&self) {
        unsafe { sys::tp_cancel_trigger(self.0.as_ptr()) }
    }
    pub fn reset(&self) {
        unsafe { sys::tp_cancel_reset(self.0.as_ptr()) }
    }
    pub fn is_triggered(&self) -> bool {
        unsafe { sys::tp_cancel_is_triggered(self.0.as_ptr()) != 0 }
    }
}

impl Drop for Cancel {
    fn drop(&mut self) {
        unsafe { sys::tp_cancel_free(self.0.as_ptr()) }
    }
}

struct Params(*mut sys::tp_params);

impl Drop for Params {
    fn drop(&mut self) {
        unsafe { sys::tp_params_free(self.0) }
    }
}

impl Params {
    fn new(args: &[(&str, Arg)]) -> Result<Params> {
        let mut raw = ptr::null_mut();
        check(unsafe { sys::tp_params_new(&mut raw) }, "params")?;
        let params = Params(raw);
        for (name, value) in args {
            let n = cstring(name, "parameter name")?;
            if let Arg::Float(f) = value {
                // JSON has no NaN or infinity; the library would refuse it without saying why.
                if !f.is_finite() {
                    return Err(Error::local(
                        sys::TP_E_INVALID_ARGUMENT,
                        format!("{name} is not a finite number ({f})"),
                    ));
                }
            }
            let st = unsafe {
                match value {
                    Arg::Str(s) => {
                        let s = cstring(s, name)?;
                        sys::tp_params_set_string(raw, n.as_ptr(), s.as_ptr())
                    }
                    Arg::Int(i) => sys::tp_params_set_int64(raw, n.as_ptr(), *i),
                    Arg::Float(f) => sys::tp_params_set_double(raw, n.as_ptr(), *f),
                    Arg::Bool(b) => sys::tp_params_set_bool(raw, n.as_ptr(), i32::from(*b)),
                    Arg::Null => sys::tp_params_set_null(raw, n.as_ptr()),
                    Arg::Json(j) => {
                        let j = cstring(j, name)?;
                        sys::tp_params_set_json(raw, n.as_ptr(), j.as_ptr())
                    }
                    Arg::Bytes(b) => {
                        sys::tp_params_set_bytes(raw, n.as_ptr(), b.as_ptr().cast(), b.len())
                    }
                }
            };
            check(st, &format!("argument {name}"))?;
        }
        Ok(params)
    }
}

/// A database as the API describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Database {
    pub name: String,
    pub hostname: String,
    pub id: String,
}

/// A client: settings and a connection pool. Immutable and safe to share between threads.
pub struct Client(NonNull<sys::tp_client>);

// The header: "a tp_client is immutable once created and safe for concurrent calls from any
// number of threads".
unsafe impl Send for Client {}
unsafe impl Sync for Client {}

impl Drop for Client {
    fn drop(&mut self) {
        // No call can be running: they all borrow the client.
        unsafe { sys::tp_client_free(self.0.as_ptr()) }
    }
}

impl Client {
    fn make(options: RawOptions, o: &Options) -> Result<Client> {
        options.apply(o)?;
        let mut client = ptr::null_mut();
        check(
            unsafe { sys::tp_client_new(options.0, &mut client) },
            "client",
        )?;
        Ok(Client(
            NonNull::new(client).expect("tp_client_new gave NULL"),
        ))
    }

    /// A client from `options` alone.
    pub fn new(options: &Options) -> Result<Client> {
        let mut raw = ptr::null_mut();
        let status = unsafe { sys::tp_options_new(&mut raw) };
        let raw = RawOptions(raw);
        raw.check(status, "options")?;
        Client::make(raw, options)
    }

    /// A client from the environment (TURSO_API_TOKEN, TURSO_API_BASEURL, TURSO_ORG, the
    /// official CLI's settings.json), with `overrides` on top. A value there that the library
    /// refuses is an error naming the variable, e.g. "TURSO_API_BASEURL: the URL must start
    /// with http:// or https:// and a host".
    pub fn from_env_with(overrides: &Options) -> Result<Client> {
        let mut raw = ptr::null_mut();
        let status = unsafe { sys::tp_options_from_env(&mut raw) };
        // Set on that refusal too: the options carry its reason, and are freed on drop.
        let raw = RawOptions(raw);
        raw.check(status, "options")?;
        Client::make(raw, overrides)
    }

    /// A client from the environment alone.
    pub fn from_env() -> Result<Client> {
        Client::from_env_with(&Options::default())
    }

    pub fn base_url(&self) -> &str {
        unsafe { static_str(sys::tp_client_base_url(self.0.as_ptr())) }
    }

    pub fn org(&self) -> Option<&str> {
        let p = unsafe { sys::tp_client_org(self.0.as_ptr()) };
        (!p.is_null()).then(|| unsafe { static_str(p) })
    }

    /// Calls the operation `op` ("databases.create", see [`operations`]) with named arguments:
    /// path parameters ("org", "db", ...), query parameters and body fields.
    pub fn call(&self, op: &str, args: &[(&str, Arg)]) -> Result<Response> {
        self.call_inner(op, args, None)
    }

    /// As [`Client::call`], ended early with [`Status::CANCELLED`] when `cancel` is triggered.
    pub fn call_cancellable(
        &self,
        op: &str,
        args: &[(&str, Arg)],
        cancel: &Cancel,
    ) -> Result<Response> {
        self.call_inner(op, args, Some(cancel))
    }

    fn call_inner(
        &self,
        op: &str,
        args: &[(&str, Arg)],
        cancel: Option<&Cancel>,
    ) -> Result<Response> {
        let params = Params::new(args)?;
        if let Some(c) = cancel {
            check(
                unsafe { sys::tp_params_set_cancel(params.0, c.0.as_ptr()) },
                "cancel",
            )?;
        }
        let op_c = cstring(op, "operation id")?;
        let mut raw = ptr::null_mut();
        let st = unsafe { sys::tp_call(self.0.as_ptr(), op_c.as_ptr(), params.0, &mut raw) };
        let Some(raw) = NonNull::new(raw) else {
            return Err(Error::local(st, "no result (out of memory)"));
        };
        let response = Response(raw);
        if st == sys::TP_OK {
            Ok(response)
        } else {
            Err(Error {
                status: Status(st),
                http_status: response.http_status(),
                message: unsafe { owned_str(sys::tp_result_message(raw.as_ptr())) }
                    .unwrap_or_default(),
                op: Some(op.to_string()),
            })
        }
    }

    /// Creates the database `name` in `group` (None = the service's default).
    pub fn create_database(&self, name: &str, group: Option<&str>) -> Result<Database> {
        let mut args = vec![("name", Arg::from(name))];
        if let Some(g) = group {
            args.push(("group", g.into()));
        }
        let r = self.call("databases.create", &args)?;
        let db = r.value().get("database");
        // A field missing from a 2xx answer is an error, not an empty name to store.
        let field = |key: &str| {
            db.get(key).as_str().map(str::to_string).ok_or_else(|| {
                Error::local(sys::TP_E_BAD_RESPONSE, format!("no database.{key} in the answer"))
            })
        };
        Ok(Database {
            name: field("Name")?,
            hostname: field("Hostname")?,
            id: field("DbId")?,
        })
    }

    /// Mints a token (a JWT) for the database `db`: `expiration` like "1w2d" (None = never).
    pub fn create_database_token(
        &self,
        db: &str,
        expiration: Option<&str>,
        read_only: bool,
    ) -> Result<String> {
        let mut args = vec![("db", Arg::from(db))];
        if let Some(e) = expiration {
            args.push(("expiration", e.into()));
        }
        if read_only {
            args.push(("authorization", "read-only".into()));
        }
        let r = self.call("databases.create_token", &args)?;
        let jwt = r.value().get("jwt").as_str().map(str::to_string);
        jwt.ok_or_else(|| Error::local(sys::TP_E_BAD_RESPONSE, "no jwt in the answer"))
    }

    /// The names of the databases of the client's organization.
    pub fn list_databases(&self) -> Result<Vec<String>> {
        let r = self.call("databases.list", &[])?;
        let names = r
            .value()
            .get("databases")
            .iter()
            .filter_map(|d| d.get("Name").as_str())
            .map(str::to_string);
        Ok(names.collect())
    }

    /// Deletes the database `name`.
    pub fn delete_database(&self, name: &str) -> Result<()> {
        self.call("databases.delete", &[("db", name.into())])
            .map(|_| ())
    }
}

/// A successful answer: owns the C result (freed on drop).
pub struct Response(NonNull<sys::tp_result>);

// A result is used by one thread at a time: it may move between threads, not be shared.
unsafe impl Send for Response {}

impl Drop for Response {
    fn drop(&mut self) {
        unsafe { sys::tp_result_free(self.0.as_ptr()) }
    }
}

impl Response {
    pub fn http_status(&self) -> i32 {
        unsafe { sys::tp_result_http_status(self.0.as_ptr()) }
    }
    /// The raw body ("" for operations that answer nothing).
    pub fn body(&self) -> &[u8] {
        let mut len = 0usize;
        let p = unsafe { sys::tp_result_body(self.0.as_ptr(), &mut len) };
        if p.is_null() || len == 0 {
            &[]
        } else {
            unsafe { std::slice::from_raw_parts(p.cast(), len) }
        }
    }
    /// The parsed body (a "none" value when it is empty).
    pub fn value(&self) -> Value<'_> {
        Value {
            raw: unsafe { sys::tp_result_value(self.0.as_ptr()) },
            _owner: PhantomData,
        }
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("http_status", &self.http_status())
            .field("body", &String::from_utf8_lossy(self.body()))
            .finish()
    }
}

/// What kind of JSON a [`Value`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    None,
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

/// A node of a response's JSON, borrowed from it. Lookups on a missing node give a "none"
/// value, so they chain: `r.value().get("database").get("Name").as_str()`.
#[derive(Clone, Copy)]
pub struct Value<'r> {
    raw: *const sys::tp_value,
    _owner: PhantomData<&'r Response>,
}

impl<'r> Value<'r> {
    fn wrap(&self, raw: *const sys::tp_value) -> Value<'r> {
        Value {
            raw,
            _owner: PhantomData,
        }
    }
    pub fn kind(&self) -> Kind {
        match unsafe { sys::tp_value_type_of(self.raw) } {
            sys::TP_VALUE_NULL => Kind::Null,
            sys::TP_VALUE_BOOL => Kind::Bool,
            sys::TP_VALUE_NUMBER => Kind::Number,
            sys::TP_VALUE_STRING => Kind::String,
            sys::TP_VALUE_ARRAY => Kind::Array,
            sys::TP_VALUE_OBJECT => Kind::Object,
            _ => Kind::None,
        }
    }
    pub fn get(&self, key: &str) -> Value<'r> {
        match CString::new(key) {
            Ok(k) => self.wrap(unsafe { sys::tp_value_get(self.raw, k.as_ptr()) }),
            Err(_) => self.wrap(ptr::null()),
        }
    }
    /// A dotted path: "database.Name", "databases.0.Name".
    pub fn path(&self, path: &str) -> Value<'r> {
        match CString::new(path) {
            Ok(p) => self.wrap(unsafe { sys::tp_value_path(self.raw, p.as_ptr()) }),
            Err(_) => self.wrap(ptr::null()),
        }
    }
    pub fn at(&self, index: usize) -> Value<'r> {
        self.wrap(unsafe { sys::tp_value_at(self.raw, index) })
    }
    pub fn len(&self) -> usize {
        unsafe { sys::tp_value_length(self.raw) }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The key of an object member reached by iteration.
    pub fn key(&self) -> Option<&'r str> {
        let p = unsafe { sys::tp_value_key(self.raw) };
        (!p.is_null())
            .then(|| unsafe { CStr::from_ptr(p) }.to_str().ok())
            .flatten()
    }
    pub fn as_str(&self) -> Option<&'r str> {
        let p = unsafe { sys::tp_value_string(self.raw) };
        (!p.is_null())
            .then(|| unsafe { CStr::from_ptr(p) }.to_str().ok())
            .flatten()
    }
    pub fn as_i64(&self) -> Option<i64> {
        (self.kind() == Kind::Number).then(|| unsafe { sys::tp_value_int64(self.raw) })
    }
    pub fn as_f64(&self) -> Option<f64> {
        (self.kind() == Kind::Number).then(|| unsafe { sys::tp_value_number(self.raw) })
    }
    pub fn as_bool(&self) -> Option<bool> {
        (self.kind() == Kind::Bool).then(|| unsafe { sys::tp_value_bool(self.raw) != 0 })
    }
    pub fn is_null(&self) -> bool {
        unsafe { sys::tp_value_is_null(self.raw) != 0 }
    }
    /// Children of an array or object, in order.
    pub fn iter(&self) -> impl Iterator<Item = Value<'r>> + 'r {
        let first = self.wrap(unsafe { sys::tp_value_first(self.raw) });
        std::iter::successors(Some(first).filter(|v| !v.raw.is_null()), |v| {
            let next = unsafe { sys::tp_value_next(v.raw) };
            (!next.is_null()).then(|| v.wrap(next))
        })
    }
    /// The value as JSON text.
    pub fn to_json(&self) -> Option<String> {
        let mut out = ptr::null_mut();
        if unsafe { sys::tp_value_to_json(self.raw, 0, &mut out) } != sys::TP_OK {
            return None;
        }
        let text = unsafe { owned_str(out) };
        unsafe { sys::tp_string_free(out) };
        text
    }
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_json() {
            Some(j) => f.write_str(&j),
            None => f.write_str("<none>"),
        }
    }
}
