//! The names of the build's script, WebAssembly and stylesheet files under `/pkg/`.
//!
//! With `hash-files` on (Cargo.toml's leptos metadata), cargo-leptos names them
//! `codelink.<hash>.js` and so on and writes the hashes to `hash.txt` beside the server binary. A
//! name that changes with its content can be cached by browsers for a year, and a deployment never
//! leaves a visitor on old code. Without that file (tests, a build without hashing) the plain names
//! are used and nothing may be cached for long.

use std::sync::OnceLock;

/// The build's file names (no directory), and whether they carry their content's hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildFiles {
    pub js: String,
    pub wasm: String,
    pub css: String,
    pub hashed: bool,
}

impl BuildFiles {
    /// The names for `output_name` given the text of the hash file, if there is one. The file
    /// has one `kind: hash` line per file (`js`, `wasm`, `css`); a file without a line keeps its
    /// plain name, and the names count as hashed only when all three have one.
    pub fn from_hash_file(output_name: &str, hash_file: Option<&str>) -> Self {
        let hash_of = |kind: &str| {
            hash_file?.lines().find_map(|line| {
                let (file, hash) = line.split_once(':')?;
                let hash = hash.trim();
                (file.trim() == kind && !hash.is_empty()).then(|| hash.to_string())
            })
        };
        let name = |kind: &str| match hash_of(kind) {
            Some(hash) => format!("{output_name}.{hash}.{kind}"),
            None => format!("{output_name}.{kind}"),
        };
        BuildFiles {
            js: name("js"),
            wasm: name("wasm"),
            css: name("css"),
            hashed: ["js", "wasm", "css"].into_iter().all(|kind| hash_of(kind).is_some()),
        }
    }

    /// The running build's names: read once from `hash_file` beside the executable.
    pub fn current(output_name: &str, hash_file: &str) -> &'static BuildFiles {
        static CURRENT: OnceLock<BuildFiles> = OnceLock::new();
        CURRENT.get_or_init(|| {
            let text = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join(hash_file)))
                .and_then(|path| std::fs::read_to_string(path).ok());
            BuildFiles::from_hash_file(output_name, text.as_deref())
        })
    }

    /// The files a first visit loads, as paths under `/pkg_dir/`.
    pub fn paths(&self, pkg_dir: &str) -> [String; 3] {
        let pkg = pkg_dir.trim_matches('/');
        [&self.js, &self.wasm, &self.css].map(|file| format!("/{pkg}/{file}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_file_names_each_file_by_its_hash() {
        let files = BuildFiles::from_hash_file("codelink", Some("js: AbC-1_\nwasm: dEf2\ncss: gh3\n"));
        assert_eq!(files.js, "codelink.AbC-1_.js");
        assert_eq!(files.wasm, "codelink.dEf2.wasm");
        assert_eq!(files.css, "codelink.gh3.css");
        assert!(files.hashed);
        assert_eq!(files.paths("/pkg")[2], "/pkg/codelink.gh3.css");
    }

    #[test]
    fn without_a_hash_file_the_plain_names_and_not_hashed() {
        let files = BuildFiles::from_hash_file("codelink", None);
        assert_eq!(
            (files.js.as_str(), files.wasm.as_str(), files.css.as_str()),
            ("codelink.js", "codelink.wasm", "codelink.css")
        );
        assert!(!files.hashed);
    }

    #[test]
    fn a_partial_or_empty_hash_file_is_not_hashed() {
        let files = BuildFiles::from_hash_file("codelink", Some("js: abc\ncss:\nmanifest: x\n"));
        assert_eq!(files.js, "codelink.abc.js");
        assert_eq!(files.css, "codelink.css");
        assert!(!files.hashed);
    }
}
