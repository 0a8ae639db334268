//! Runs against a turso-local: TURSO_API_BASEURL and TURSO_API_TOKEN must point at one (with
//! its bootstrap organization "local"); tests/ffi/with_server.py starts one and sets them.
use std::io::Read;
use std::net::TcpListener;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use turso_platform::{Arg, Cancel, Client, Error, Kind, Options, Status};

fn server() -> (String, String) {
    let url = std::env::var("TURSO_API_BASEURL")
        .expect("set TURSO_API_BASEURL to a turso-local (see tests/ffi)");
    let token = std::env::var("TURSO_API_TOKEN").expect("set TURSO_API_TOKEN");
    (url, token)
}

fn client() -> Client {
    let (url, token) = server();
    Client::new(&Options {
        token: Some(token),
        base_url: Some(url),
        org: Some("local".into()),
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn client_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<Cancel>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error>();
}

#[test]
fn database_lifecycle() {
    let c = client();
    let db = c.create_database("rs-lifecycle", Some("default")).unwrap();
    assert_eq!(db.name, "rs-lifecycle");
    assert!(!db.hostname.is_empty() && !db.id.is_empty(), "{db:?}");

    let e = c
        .create_database("rs-lifecycle", Some("default"))
        .unwrap_err();
    assert_eq!((e.status, e.http_status), (Status::CONFLICT, 409), "{e}");
    assert_eq!(e.op.as_deref(), Some("databases.create"));
    assert!(!e.message.is_empty());

    let jwt = c
        .create_database_token("rs-lifecycle", Some("1d"), true)
        .unwrap();
    assert_eq!(
        jwt.matches('.').count(),
        2,
        "not a JWT ({} characters)",
        jwt.len()
    );

    assert!(c
        .list_databases()
        .unwrap()
        .iter()
        .any(|n| n == "rs-lifecycle"));

    c.delete_database("rs-lifecycle").unwrap();
    let e = c.delete_database("rs-lifecycle").unwrap_err();
    assert_eq!((e.status, e.http_status), (Status::NOT_FOUND, 404));
    let text = e.to_string();
    assert!(
        text.contains("TP_E_NOT_FOUND") && text.contains("404"),
        "{text}"
    );
}

#[test]
fn generic_call_and_values() {
    let c = client();
    c.call(
        "databases.create",
        &[("name", "rs-generic".into()), ("group", "default".into())],
    )
    .unwrap();
    let r = c
        .call(
            "databases.get",
            &[("db", "rs-generic".into()), ("org", "local".into())],
        )
        .unwrap();
    assert_eq!(r.http_status(), 200);
    let v = r.value();
    assert_eq!(v.kind(), Kind::Object);
    assert_eq!(v.path("database.Name").as_str(), Some("rs-generic"));
    assert_eq!(v.get("database").get("no-such-key").kind(), Kind::None);
    assert!(std::str::from_utf8(r.body())
        .unwrap()
        .contains("rs-generic"));
    let keys: Vec<_> = v.get("database").iter().filter_map(|m| m.key()).collect();
    assert!(
        keys.contains(&"Name") && keys.contains(&"Hostname"),
        "{keys:?}"
    );

    let r = c.call("databases.list", &[]).unwrap();
    let dbs = r.value().get("databases");
    assert_eq!(dbs.kind(), Kind::Array);
    assert_eq!(dbs.len(), dbs.iter().count());

    let r = c.call("tokens.validate", &[]).unwrap();
    assert!(r.value().get("exp").as_i64().is_some(), "{:?}", r.value());

    c.call("databases.delete", &[("db", Arg::Str("rs-generic".into()))])
        .unwrap();
}

#[test]
fn argument_errors() {
    let c = client();
    let e = c.call("databases.no_such_operation", &[]).unwrap_err();
    assert_eq!((e.status, e.http_status), (Status::INVALID_ARGUMENT, 0));
    assert!(!e.message.is_empty());
    let e = c
        .call(
            "databases.get",
            &[("db", "x".into()), ("no_such_param", 1.into())],
        )
        .unwrap_err();
    assert_eq!(e.status, Status::INVALID_ARGUMENT);
    let e = c
        .call("databases.get", &[("nul", "a\0b".into())])
        .unwrap_err();
    assert_eq!(e.status, Status::INVALID_ARGUMENT);
}

#[test]
fn unauthorized() {
    let (url, token) = server();
    let c = Client::new(&Options {
        token: Some("not-the-token".into()),
        base_url: Some(url),
        org: Some("local".into()),
        ..Default::default()
    })
    .unwrap();
    let e = c.list_databases().unwrap_err();
    assert_eq!((e.status, e.http_status), (Status::UNAUTHORIZED, 401));
    assert!(!e.to_string().contains(&token));
    let debug = format!(
        "{:?}",
        Options {
            token: Some(token.clone()),
            ..Default::default()
        }
    );
    assert!(!debug.contains(&token), "Options' Debug shows the token");
}

#[test]
fn from_env() {
    // with_server.py set TURSO_API_TOKEN, TURSO_API_BASEURL and TURSO_ORG.
    let c = Client::from_env().unwrap();
    assert_eq!(c.org(), Some("local"));
    assert!(c.base_url().starts_with(server().0.trim_end_matches('/')));
    c.list_databases().unwrap();
}

#[test]
fn threads_share_one_client() {
    let c = Arc::new(client());
    let handles: Vec<_> = (0..16)
        .map(|i| {
            let c = Arc::clone(&c);
            thread::spawn(move || {
                let name = format!("rs-thread-{i}");
                for _ in 0..3 {
                    assert_eq!(
                        c.create_database(&name, Some("default")).unwrap().name,
                        name
                    );
                    let r = c
                        .call("databases.get", &[("db", name.as_str().into())])
                        .unwrap();
                    assert_eq!(
                        r.value().path("database.Name").as_str(),
                        Some(name.as_str())
                    );
                    c.delete_database(&name).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert!(!c
        .list_databases()
        .unwrap()
        .iter()
        .any(|n| n.starts_with("rs-thread-")));
}

#[test]
fn cancel_from_another_thread() {
    // A server that accepts connections and never answers: only the cancel ends the call.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        let mut held = Vec::new();
        for mut conn in listener.incoming().flatten() {
            let mut buf = [0u8; 1024];
            let _ = conn.set_read_timeout(Some(Duration::from_millis(50)));
            let _ = conn.read(&mut buf);
            held.push(conn);
        }
    });
    let c = Client::new(&Options {
        token: Some("t".into()),
        base_url: Some(url),
        org: Some("local".into()),
        retry: Some((1, Duration::from_millis(10))),
        ..Default::default()
    })
    .unwrap();
    let cancel = Arc::new(Cancel::new().unwrap());
    let trigger = Arc::clone(&cancel);
    let t = thread::spawn(move || {
        thread::sleep(Duration::from_millis(200));
        trigger.trigger();
    });
    let e = c
        .call_cancellable("databases.list", &[], &cancel)
        .unwrap_err();
    t.join().unwrap();
    assert_eq!(e.status, Status::CANCELLED, "{e}");
    assert!(cancel.is_triggered());
    cancel.reset();
    assert!(!cancel.is_triggered());
}

#[test]
fn status_names() {
    assert_eq!(Status::NOT_FOUND.name(), "TP_E_NOT_FOUND");
    assert_eq!(Status(9999).name(), "TP_E_UNKNOWN");
    assert!(turso_platform::operations().contains(&"databases.create_token"));
    assert!(!turso_platform::version().is_empty());
}

#[test]
fn error_names_the_operation_once() {
    let (url, token) = server();
    let c = Client::new(&Options {
        token: Some(token),
        base_url: Some(url),
        ..Default::default()
    })
    .unwrap(); // no default organization
    let e = c.list_databases().unwrap_err();
    // The library's message names the operation itself; Display does not repeat it.
    assert!(
        e.message
            .starts_with("databases.list: missing parameter 'org'"),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(
        text.starts_with("databases.list: TP_E_INVALID_ARGUMENT: missing parameter 'org'"),
        "{text}"
    );
    assert_eq!(text.matches("databases.list").count(), 1, "{text}");
    // A message that does not start with the operation is left whole.
    let e = c.call(
        "databases.get",
        &[
            ("db", "x".into()),
            ("org", "local".into()),
            ("nul", "a\0b".into()),
        ],
    );
    let text = e.unwrap_err().to_string();
    assert_eq!(
        text,
        "turso-platform: TP_E_INVALID_ARGUMENT: nul contains a NUL byte"
    );
    // A float JSON cannot hold says which argument and why.
    for (f, shown) in [(f64::NAN, "NaN"), (f64::INFINITY, "inf")] {
        let e = c.call(
            "databases.list",
            &[("org", "local".into()), ("limit", f.into())],
        );
        assert_eq!(
            e.unwrap_err().to_string(),
            format!(
                "turso-platform: TP_E_INVALID_ARGUMENT: limit is not a finite number ({shown})"
            )
        );
    }
}

#[test]
fn helpers_refuse_answers_without_their_fields() {
    // A server that answers every request 200 {} and closes the connection.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while let Ok(n) = conn.read(&mut buf) {
                request.extend_from_slice(&buf[..n]);
                if n == 0 || request.windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
            let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
            let _ = std::io::Write::write_all(&mut conn, answer.as_bytes());
        }
    });
    let c = Client::new(&Options {
        token: Some("t".into()),
        base_url: Some(url),
        org: Some("o".into()),
        retry: Some((1, Duration::from_millis(10))),
        ..Default::default()
    })
    .unwrap();
    let e = c.create_database("d", None).unwrap_err();
    assert_eq!(e.status, Status::BAD_RESPONSE, "{e}");
    let e = c.create_database_token("d", None, false).unwrap_err();
    assert_eq!(e.status, Status::BAD_RESPONSE, "{e}");
}
