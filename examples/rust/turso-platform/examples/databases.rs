//! Creates a database, mints a token for it, lists the databases and deletes it, with settings
//! from TURSO_API_TOKEN, TURSO_API_BASEURL and TURSO_ORG.
//!     cargo run --example databases -- [NAME]
//! A failure is printed as one line ("databases: databases.create: TP_E_UNAUTHORIZED (HTTP 401):
//! ...") and the exit status is 1.
use std::process::ExitCode;

use turso_platform::{Client, Status};

fn main() -> ExitCode {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "example-rust".to_string());
    // Returning the error from main would print its Debug form; say it as Display does.
    match run(&name) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("databases: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(name: &str) -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    println!(
        "libturso_platform {}, base URL {}, organization {}",
        turso_platform::version(),
        client.base_url(),
        client.org().unwrap_or("(none)")
    );

    let db = client.create_database(name, Some("default"))?;
    println!("created: {} (hostname {})", db.name, db.hostname);

    let jwt = client.create_database_token(name, Some("1d"), true)?;
    println!("database token: {} characters", jwt.len());

    let names = client.list_databases()?;
    println!("databases: {}", names.len());
    for n in &names {
        println!("  - {n}");
    }

    client.delete_database(name)?;
    println!("deleted: {name}");

    match client.delete_database(name) {
        Err(e) if e.status == Status::NOT_FOUND => {
            println!("deleting again: {} (HTTP {})", e.status, e.http_status);
            Ok(())
        }
        Err(e) => Err(e.into()),
        Ok(()) => Err("deleting twice succeeded (expected TP_E_NOT_FOUND)".into()),
    }
}
