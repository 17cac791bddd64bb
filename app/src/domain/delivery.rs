//! What a delivery may carry: a message, links and files, and the limits on each. The server checks
//! these while the upload streams in, so an oversized file is refused before it is read whole.

use super::validation::{check_length, Field, FieldError, Problem};

pub const MESSAGE_CHARS: (u32, u32) = (1, 5_000);
pub const MAX_LINKS: usize = 10;
const MAX_LINK_CHARS: usize = 500;
pub const MAX_FILES: usize = 5;
/// One file; large enough for a design export or a zipped repository, small enough to keep in the
/// database beside the delivery it belongs to.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// All files of one delivery together (the request body limit is 16 MiB).
pub const MAX_TOTAL_BYTES: usize = 15 * 1024 * 1024;
const MAX_NAME_CHARS: usize = 120;

pub fn check_message(message: &str) -> Result<&str, FieldError> {
    let message = message.trim();
    let (min, max) = MESSAGE_CHARS;
    check_length(Field::Message, message, min, max)?;
    Ok(message)
}

/// One URL per line, blank lines ignored; each must be http(s) (no `javascript:` links).
pub fn parse_links(text: &str) -> Result<Vec<String>, FieldError> {
    let links: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
    if links.len() > MAX_LINKS {
        return Err(FieldError::new(Field::Links, Problem::TooMany { max: MAX_LINKS as u32 }));
    }
    let is_web_link =
        |l: &String| (l.starts_with("https://") || l.starts_with("http://")) && l.chars().count() <= MAX_LINK_CHARS;
    if !links.iter().all(is_web_link) {
        return Err(FieldError::new(Field::Links, Problem::NotAllowed));
    }
    Ok(links)
}

/// Counts an upload's bytes as they arrive and refuses the chunk that crosses a limit.
#[derive(Debug, Default)]
pub struct UploadBudget {
    files: usize,
    total: usize,
}

impl UploadBudget {
    pub fn start_file(&mut self) -> Result<(), FieldError> {
        self.files += 1;
        if self.files > MAX_FILES {
            return Err(FieldError::new(Field::Files, Problem::TooMany { max: MAX_FILES as u32 }));
        }
        Ok(())
    }

    /// `file_so_far` is the current file's size including this chunk.
    pub fn add_chunk(&mut self, chunk: usize, file_so_far: usize) -> Result<(), FieldError> {
        self.total += chunk;
        if file_so_far > MAX_FILE_BYTES || self.total > MAX_TOTAL_BYTES {
            return Err(FieldError::new(
                Field::Files,
                Problem::FileTooLarge {
                    max_mb: (MAX_FILE_BYTES / (1024 * 1024)) as u32,
                    total_mb: (MAX_TOTAL_BYTES / (1024 * 1024)) as u32,
                },
            ));
        }
        Ok(())
    }
}

/// The name a file is stored and offered under: the last path segment of what the browser sent,
/// without control characters or quotes (it goes into a Content-Disposition header), at most 120
/// characters, keeping the extension.
pub fn clean_file_name(sent: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last.chars().filter(|c| !c.is_control() && !matches!(c, '"' | ';')).collect();
    let cleaned = cleaned.trim().trim_start_matches('.');
    if cleaned.is_empty() {
        return "file".into();
    }
    if cleaned.chars().count() <= MAX_NAME_CHARS {
        return cleaned.to_string();
    }
    let extension = cleaned.rsplit_once('.').map(|(_, e)| e).filter(|e| e.chars().count() <= 10);
    let keep = MAX_NAME_CHARS - extension.map_or(0, |e| e.chars().count() + 1);
    let stem: String = cleaned.chars().take(keep).collect();
    match extension {
        Some(extension) => format!("{stem}.{extension}"),
        None => stem,
    }
}

/// The Content-Disposition header that makes a browser save the file under its own name: an ASCII
/// fallback for old clients, and the exact UTF-8 name in RFC 5987 form ("设计稿.pdf" stays readable).
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'!'
            | b'#'
            | b'$'
            | b'&'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{}\"; filename*=UTF-8''{encoded}", fallback.replace('\\', "_"))
}

/// Human-readable size for file lists: bytes under 1 KB, then KB and MB with one decimal.
pub fn display_size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_one_per_line_and_web_only() {
        assert_eq!(parse_links("https://a.cn\n\n  http://b.cn  \n").unwrap(), ["https://a.cn", "http://b.cn"]);
        assert_eq!(parse_links("").unwrap(), Vec::<String>::new());
        assert_eq!(parse_links("javascript:alert(1)").unwrap_err().problem, Problem::NotAllowed);
        assert_eq!(parse_links(&format!("https://{}", "a".repeat(600))).unwrap_err().problem, Problem::NotAllowed);
        let eleven = "https://a.cn\n".repeat(11);
        assert_eq!(parse_links(&eleven).unwrap_err().problem, Problem::TooMany { max: 10 });
    }

    #[test]
    fn message_is_trimmed_and_required() {
        assert_eq!(check_message("  完成了  ").unwrap(), "完成了");
        assert_eq!(check_message("   ").unwrap_err().problem, Problem::Required);
    }

    #[test]
    fn budget_refuses_the_sixth_file_and_oversized_ones() {
        let mut budget = UploadBudget::default();
        for _ in 0..MAX_FILES {
            budget.start_file().unwrap();
        }
        assert_eq!(budget.start_file().unwrap_err().field, Field::Files);

        let mut budget = UploadBudget::default();
        budget.start_file().unwrap();
        budget.add_chunk(MAX_FILE_BYTES, MAX_FILE_BYTES).unwrap();
        assert!(matches!(budget.add_chunk(1, MAX_FILE_BYTES + 1).unwrap_err().problem, Problem::FileTooLarge { .. }));
    }

    #[test]
    fn budget_limits_the_total_across_files() {
        let mut budget = UploadBudget::default();
        budget.start_file().unwrap();
        budget.add_chunk(8 << 20, 8 << 20).unwrap();
        budget.start_file().unwrap();
        assert!(budget.add_chunk(8 << 20, 8 << 20).is_err(), "16 MiB in two files exceeds the 15 MiB total");
    }

    #[test]
    fn file_names_lose_paths_quotes_and_control_characters() {
        assert_eq!(clean_file_name("C:\\Users\\张三\\设计稿.pdf"), "设计稿.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b;\r\nc.txt"), "abc.txt");
        assert_eq!(clean_file_name("..."), "file");
        assert_eq!(clean_file_name(".env"), "env");
        let long = format!("{}.zip", "长".repeat(300));
        let cleaned = clean_file_name(&long);
        assert_eq!(cleaned.chars().count(), 120);
        assert!(cleaned.ends_with(".zip"));
    }

    #[test]
    fn downloads_keep_their_chinese_names() {
        assert_eq!(
            content_disposition("设计稿 v2.pdf"),
            "attachment; filename=\"___ v2.pdf\"; filename*=UTF-8''%E8%AE%BE%E8%AE%A1%E7%A8%BF%20v2.pdf"
        );
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(display_size(512), "512 B");
        assert_eq!(display_size(1536), "1.5 KB");
        assert_eq!(display_size(3 * 1024 * 1024), "3.0 MB");
    }
}
