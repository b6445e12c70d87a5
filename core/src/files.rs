//! Database files readable by their owner only: a journal holds a
//! person's records and the server's database everyone's accounts, so
//! neither is created readable by other users of the machine. (SQLite
//! gives its `-wal` and `-shm` files the mode of the database file.)

use std::path::Path;

/// Create `path` empty with mode 0600 when it does not exist; `true` when
/// it was created here. An existing file is left as it is.
pub fn create_private(path: &Path) -> std::io::Result<bool> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_the_owners_only_and_an_old_one_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        assert!(create_private(&path).unwrap());
        assert!(!create_private(&path).unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
