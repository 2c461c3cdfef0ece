//! The locker's key storage for real: the OS keyring (Secret Service via gnome-keyring in a private
//! D-Bus session) and the passphrase path when no keyring answers; and a process killed mid-import.

use std::process::Command;
use std::time::Duration;

use casefile_test_support::{TEST_PASSPHRASE, TempHome, cli_binary};

/// Runs the CLI with the given environment changes.
fn casefile_env(home: &TempHome, env: &[(&str, &str)], args: &[&str]) -> casefile_test_support::CliRun {
    let mut command = Command::new(cli_binary());
    command.arg("--home").arg(home.path()).args(args).env_remove("CASEFILE_PASSPHRASE");
    for (name, value) in env {
        command.env(name, value);
    }
    command.stdin(std::process::Stdio::null()).output().expect("casefile runs").into()
}

const NO_BUS: (&str, &str) = ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/casefile-test-bus");

#[test]
fn without_a_keyring_setup_says_so_and_the_passphrase_path_works() {
    let home = TempHome::bare();
    let no_vault = casefile_env(&home, &[NO_BUS], &["demo"]);
    assert_eq!(no_vault.status, 2, "{}", no_vault.stderr);
    assert!(no_vault.stderr.contains("casefile vault init --passphrase"), "{}", no_vault.stderr);
    assert!(!home.database().exists(), "nothing is written before the folder is protected");
    let refused = casefile_env(&home, &[NO_BUS], &["vault", "init"]);
    assert_ne!(refused.status, 0);
    assert!(refused.stderr.contains("keyring could not be used"), "{}", refused.stderr);
    assert!(refused.stderr.contains("passphrase"), "{}", refused.stderr);
    assert!(
        casefile_env(&home, &[], &["vault", "status"]).stdout.contains("not set up"),
        "no silent plaintext fallback"
    );

    let pass = ("CASEFILE_PASSPHRASE", "a sentence only I know");
    casefile_env(&home, &[NO_BUS, pass], &["vault", "init", "--passphrase"]).ok();
    casefile_env(&home, &[NO_BUS, pass], &["demo"]).ok();
    let marker = "MARKER-passport-X99887766";
    let file = home.path().join("chat.txt");
    std::fs::write(&file, format!("[10:00] Agent: we need your passport {marker}\n")).unwrap();
    let added = casefile_env(&home, &[NO_BUS, pass], &["evidence", "add", "1", file.to_str().unwrap()]);
    assert!(added.ok().contains("added"), "{}", added.stdout);
    std::fs::remove_file(&file).unwrap();
    for entry in walk(home.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
            "plaintext marker in {}",
            entry.display()
        );
    }
    let wrong = casefile_env(&home, &[("CASEFILE_PASSPHRASE", "not the sentence")], &["verify", "1"]);
    assert!(wrong.stderr.contains("passphrase does not open"), "{}", wrong.stderr);
    let missing = casefile_env(&home, &[], &["verify", "1"]);
    assert!(missing.stderr.contains("CASEFILE_PASSPHRASE"), "{}", missing.stderr);
    casefile_env(&home, &[pass], &["verify", "1"]).ok();
}

#[test]
#[ignore = "needs a Secret Service (gnome-keyring) in a D-Bus session: run scripts/test"]
fn the_keyring_keeps_the_key_and_the_data_folder_does_not() {
    let home = TempHome::bare();
    // A fresh folder: `demo` (what scripts/launch runs) protects it with the keyring by itself.
    let demo = home.casefile(&["demo", "--if-empty"]);
    assert_eq!(demo.status, 0, "keyring vault not created: {}", demo.stderr);
    assert!(
        demo.stderr.contains("system keyring") && demo.stderr.contains("recovery key"),
        "{}",
        demo.stderr
    );
    assert_eq!(demo.stdout.trim(), "1");
    assert!(home.casefile(&["vault", "status"]).ok().contains("system keyring"));
    let file = home.path().join("statement.txt");
    std::fs::write(&file, "Bank statement line: deposit 500 EUR").unwrap();
    assert!(home.casefile(&["evidence", "add", "1", file.to_str().unwrap()]).ok().contains("added"));
    let report = home.casefile(&["verify", "1", "--json"]).json();
    assert_eq!(report["problems"].as_array().unwrap().len(), 0);
    let vault: serde_json::Value =
        serde_json::from_slice(&std::fs::read(home.path().join("vault.json")).unwrap()).unwrap();
    assert_eq!(vault["mode"], "keyring");
    assert_eq!(vault["wrapped_key"], "", "with a keyring, no copy of the key is kept in the data folder");
    assert!(!std::fs::read(home.database()).unwrap().starts_with(b"SQLite format 3"), "plaintext database");
    assert_eq!(home.casefile(&["vault", "init"]).status, 1, "a second vault is refused");
}

#[test]
fn a_process_killed_mid_import_leaves_a_locker_that_verify_accepts() {
    let home = TempHome::new();
    home.casefile(&["demo"]).ok();
    let pass = ("CASEFILE_PASSPHRASE", TEST_PASSPHRASE);
    let big = home.path().join("screen-recording.bin");
    std::fs::write(&big, vec![0x5a_u8; 400 * 1024 * 1024]).unwrap();
    let mut child = Command::new(cli_binary())
        .arg("--home")
        .arg(home.path())
        .args(["evidence", "add", "1", big.to_str().unwrap()])
        .env(pass.0, pass.1)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    child.kill().unwrap(); // SIGKILL: no destructor, no cleanup
    child.wait().unwrap();
    std::fs::remove_file(&big).unwrap();
    let report = casefile_env(&home, &[pass], &["verify", "1", "--json"]).json();
    assert_eq!(report["problems"].as_array().unwrap().len(), 0, "{report}");
    // The next import sweeps what the killed one left half-written.
    let small = home.path().join("note.txt");
    std::fs::write(&small, "after the crash").unwrap();
    casefile_env(&home, &[pass], &["evidence", "add", "1", small.to_str().unwrap()]).ok();
    let leftovers: Vec<_> = walk(&home.path().join("evidence"))
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".incoming-")))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}
