// Links libturso_platform as pkg-config describes the installed package
// (PKG_CONFIG_PATH=<prefix>/lib/pkgconfig when it is not installed system-wide).
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    println!("cargo:rerun-if-changed=build.rs");
    let out = Command::new("pkg-config")
        .args(["--libs", "turso_platform"])
        .output()
        .expect("running pkg-config");
    if !out.status.success() {
        panic!(
            "pkg-config cannot find turso_platform: {}\nset PKG_CONFIG_PATH to <prefix>/lib/pkgconfig",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for flag in String::from_utf8(out.stdout).unwrap().split_whitespace() {
        if let Some(dir) = flag.strip_prefix("-L") {
            println!("cargo:rustc-link-search=native={dir}");
        } else if let Some(lib) = flag.strip_prefix("-l") {
            println!("cargo:rustc-link-lib={lib}");
        }
    }
    // Where the installed header is, for the checker test (tests/header.rs).
    let inc = Command::new("pkg-config")
        .args(["--variable=includedir", "turso_platform"])
        .output()
        .expect("running pkg-config");
    println!(
        "cargo:rustc-env=TP_INSTALLED_INCLUDEDIR={}",
        String::from_utf8_lossy(&inc.stdout).trim()
    );
}
