//! Settings the library refuses: the error is the library's reason (tp_options_error), naming
//! the setting or environment variable and never quoting the value. No server needed. This file
//! is a process of its own, so the one test that changes the environment affects no other file.
use std::time::Duration;

use turso_platform::{Client, Options, Status};

fn refused(o: Options) -> String {
    let e = Client::new(&o).err().expect("accepted");
    assert_eq!(e.status, Status::INVALID_ARGUMENT, "{e}");
    assert!(!e.message.contains("s3cret"), "the value is quoted: {e}");
    e.message
}

#[test]
fn refused_options_name_the_setting() {
    assert_eq!(
        refused(Options {
            base_url: Some("http://user:s3cret@127.0.0.1:1".into()),
            ..Default::default()
        }),
        "base_url: the URL must not contain a user name or password (user@host)"
    );
    assert_eq!(
        refused(Options {
            token: Some("s3cret\r\nX-Injected: 1".into()),
            ..Default::default()
        }),
        "token contains a control character (such as CR or LF)"
    );
    assert_eq!(
        refused(Options {
            timeout: Some(Duration::ZERO),
            ..Default::default()
        }),
        "timeout_ms must be greater than 0"
    );
    // Too long for the library's milliseconds: refused, not capped at ~24.8 days.
    assert_eq!(
        refused(Options {
            timeout: Some(Duration::from_secs(30 * 24 * 3600)),
            ..Default::default()
        }),
        "timeout is longer than 2147483647 ms"
    );
    assert_eq!(
        refused(Options {
            retry: Some((3, Duration::from_secs(30 * 24 * 3600))),
            ..Default::default()
        }),
        "retry delay is longer than 2147483647 ms"
    );
    assert_eq!(
        refused(Options {
            retry: Some((21, Duration::ZERO)),
            ..Default::default()
        }),
        "max_attempts must be from 1 to 20"
    );
}

#[test]
fn a_refused_environment_value_names_the_variable() {
    // The only test here that reads or changes the environment.
    std::env::set_var("TURSO_API_TOKEN", "t");
    std::env::set_var("TURSO_API_BASEURL", "localhost:8080");
    let e = Client::from_env().err().expect("accepted");
    assert_eq!(e.status, Status::INVALID_ARGUMENT, "{e}");
    assert_eq!(
        e.message,
        "TURSO_API_BASEURL: the URL must start with http:// or https:// and a host"
    );
    std::env::set_var("TURSO_API_BASEURL", "http://127.0.0.1:1");
    std::env::set_var("TURSO_API_TOKEN", "s3cret\nX-Injected: 1");
    let e = Client::from_env().err().expect("accepted");
    assert_eq!(
        e.message,
        "TURSO_API_TOKEN contains a control character (such as CR or LF)"
    );
    std::env::set_var("TURSO_API_TOKEN", "t");
    let c = Client::from_env().unwrap();
    assert_eq!(c.base_url(), "http://127.0.0.1:1");
}
