//! Checks the hand-kept declarations (src/decls.rs) against turso_platform.h: every function of
//! the header is declared with the same return and parameter types, nothing else is declared,
//! and every TP_* integer constant has the header's value. The header is the installed one
//! (pkg-config's includedir), or $TP_HEADER.
use std::collections::BTreeMap;

type Signature = (String, Vec<String>); // return type, parameter types (as Rust spells them)

fn header_text() -> (String, String) {
    let path = std::env::var("TP_HEADER")
        .unwrap_or_else(|_| format!("{}/turso_platform.h", env!("TP_INSTALLED_INCLUDEDIR")));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    (path, text)
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("unterminated comment") + start + 2;
        out.push(' ');
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A C type of this header as the Rust declaration must spell it.
fn rust_type(c: &str) -> String {
    let stars = c.matches('*').count();
    let words: Vec<&str> = c
        .split(|ch: char| ch == '*' || ch.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let is_const = words.first() == Some(&"const");
    let base: Vec<&str> = words.into_iter().filter(|w| *w != "const").collect();
    assert_eq!(base.len(), 1, "unexpected C type {c:?}");
    let scalar = |name: &str| -> String {
        match name {
            "void" => "()".into(),
            "int32_t" => "i32".into(),
            "int64_t" => "i64".into(),
            "size_t" => "usize".into(),
            "double" => "f64".into(),
            "char" => "c_char".into(),
            other if other.starts_with("tp_") => other.into(),
            other => panic!("unexpected C type {other:?} in {c:?}"),
        }
    };
    if stars == 0 {
        return scalar(base[0]);
    }
    let inner = if base[0] == "void" {
        "c_void".to_string()
    } else {
        scalar(base[0])
    };
    let mut out = format!("{}{}", if is_const { "*const " } else { "*mut " }, inner);
    for _ in 1..stars {
        out = format!("*mut {out}");
    }
    out
}

fn split_top_level(s: &str) -> Vec<String> {
    let (mut depth, mut cur, mut out) = (0i32, String::new(), Vec::new());
    for ch in s.chars() {
        match ch {
            '(' | '<' => depth += 1,
            ')' | '>' => depth -= 1,
            ',' if depth == 0 => {
                out.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(ch);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn header_functions(text: &str) -> BTreeMap<String, Signature> {
    let body = strip_comments(text);
    let mut out = BTreeMap::new();
    for (pos, _) in body.match_indices("TP_API") {
        let decl = &body[pos + "TP_API".len()..];
        let decl = &decl[..decl.find(';').unwrap()];
        if decl.contains('#') || !decl.trim_end().ends_with(')') {
            continue; // the macro's own definition
        }
        let decl = decl.split_whitespace().collect::<Vec<_>>().join(" ");
        let open = decl.find('(').unwrap();
        let head = decl[..open].trim_end();
        let name_start = head
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let (ret, name) = (&head[..name_start], &head[name_start..]);
        let params = &decl[open + 1..decl.rfind(')').unwrap()];
        let mut types = Vec::new();
        if params.trim() != "void" {
            for p in params.split(',') {
                let p = p.trim();
                let n = p
                    .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap();
                types.push(rust_type(&p[..=n]));
            }
        }
        let ret = rust_type(ret);
        assert!(
            out.insert(name.to_string(), (ret, types)).is_none(),
            "{name} twice in the header"
        );
    }
    out
}

fn rust_functions(src: &str) -> BTreeMap<String, Signature> {
    let mut out = BTreeMap::new();
    for line in src
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("pub fn "))
    {
        let line = line.strip_prefix("pub fn ").unwrap().trim_end_matches(';');
        let open = line.find('(').unwrap();
        let close = line.rfind(')').unwrap();
        let name = &line[..open];
        let types = split_top_level(&line[open + 1..close])
            .into_iter()
            .map(|p| p.split_once(':').expect("name: type").1.trim().to_string())
            .collect();
        let ret = line[close + 1..]
            .trim()
            .strip_prefix("->")
            .map_or("()".to_string(), |r| r.trim().to_string());
        out.insert(name.to_string(), (ret, types));
    }
    out
}

#[test]
fn functions_match_the_header() {
    let (path, text) = header_text();
    let c = header_functions(&text);
    let rust = rust_functions(include_str!("../src/decls.rs"));
    assert!(c.len() > 100, "only {} functions found in {path}", c.len());
    let mut problems = Vec::new();
    for (name, sig) in &c {
        match rust.get(name) {
            None => problems.push(format!(
                "{name}: in the header, not declared (run gen_decls.py)"
            )),
            Some(r) if r != sig => problems.push(format!("{name}: header {sig:?}, Rust {r:?}")),
            _ => {}
        }
    }
    for name in rust.keys().filter(|n| !c.contains_key(*n)) {
        problems.push(format!("{name}: declared, not in the header"));
    }
    assert!(
        problems.is_empty(),
        "declarations differ from {path}:\n{}",
        problems.join("\n")
    );
}

#[test]
fn constants_match_the_header() {
    let (path, text) = header_text();
    let mut header = BTreeMap::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("#define") {
            continue;
        }
        let (Some(name), Some(value)) = (words.next(), words.next()) else {
            continue;
        };
        if let Ok(v) = value.trim_matches(|c| c == '(' || c == ')').parse::<i64>() {
            if name.starts_with("TP_") {
                header.insert(name.to_string(), v);
            }
        }
    }
    let mut rust = BTreeMap::new();
    for line in include_str!("../src/decls.rs")
        .lines()
        .filter(|l| l.starts_with("pub const "))
    {
        let (name, rest) = line["pub const ".len()..].split_once(':').unwrap();
        let value = rest.split_once('=').unwrap().1.trim().trim_end_matches(';');
        rust.insert(name.to_string(), value.parse::<i64>().unwrap());
    }
    assert!(
        header.len() >= 30,
        "only {} constants in {path}",
        header.len()
    );
    assert_eq!(header, rust, "constants differ from {path}");
    // The compiled constants are those values.
    assert_eq!(
        turso_platform_sys::TP_E_NOT_FOUND,
        header["TP_E_NOT_FOUND"] as i32
    );
    assert_eq!(
        turso_platform_sys::TP_VALUE_NONE,
        header["TP_VALUE_NONE"] as i32
    );
}

#[test]
fn callback_types_match_the_header() {
    let (path, text) = header_text();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "typedef void (*tp_log_fn)(void *userdata, int32_t level, const char *message);",
        "typedef void (*tp_progress_fn)(void *userdata, int32_t done, int32_t total);",
        "typedef int32_t tp_status;",
        "typedef int32_t tp_value_type;",
    ] {
        assert!(
            flat.contains(expected),
            "{path} no longer has `{expected}`: update src/lib.rs"
        );
    }
}

#[test]
fn the_library_links_and_answers() {
    use std::ffi::CStr;
    let v = unsafe { CStr::from_ptr(turso_platform_sys::tp_version()) }
        .to_str()
        .unwrap()
        .to_string();
    let n = unsafe { turso_platform_sys::tp_version_number() };
    let parts: Vec<i32> = v.split('.').map(|p| p.parse().unwrap()).collect();
    assert_eq!(n, parts[0] * 10000 + parts[1] * 100 + parts[2]);
    let name = unsafe {
        CStr::from_ptr(turso_platform_sys::tp_status_name(
            turso_platform_sys::TP_E_CONFLICT,
        ))
    };
    assert_eq!(name.to_str().unwrap(), "TP_E_CONFLICT");
}
