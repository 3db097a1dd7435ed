use super::*;

#[test]
fn the_scaffold_ships_every_template_theme_and_static_file_of_this_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shipped: Vec<&str> = SHARED.iter().map(|(path, _)| *path).collect();
    for folder in ["templates", "theme", "static"] {
        for entry in walkdir::WalkDir::new(root.join(folder)) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let path = entry.path().strip_prefix(root).unwrap();
                let path = path.to_str().unwrap().replace('\\', "/");
                assert!(
                    shipped.contains(&path.as_str()),
                    "`{path}` is missing from init's SHARED list"
                );
            }
        }
    }
}

#[test]
fn placeholders_are_all_filled() {
    for (path, bytes) in files("my-report") {
        if let Ok(text) = String::from_utf8(bytes) {
            assert!(!text.contains("@STATEOF_"), "{path}");
            assert!(!text.contains("@BASE_URL@"), "{path}");
            assert!(!text.contains("@EDITION@"), "{path}");
        }
    }
    let config = files("my-report")
        .into_iter()
        .find(|(path, _)| path == "stateof.toml")
        .unwrap();
    let text = String::from_utf8(config.1).unwrap();
    assert!(text.contains("base-url = \"https://your-org.github.io/my-report/\""));
}

#[test]
fn a_folder_name_that_is_no_repository_name_gives_a_generic_base_url() {
    assert_eq!(base_url("Q3 report"), "https://your-org.github.io/report/");
    assert_eq!(base_url(".hidden"), "https://your-org.github.io/report/");
    assert_eq!(base_url("hub_2026"), "https://your-org.github.io/hub_2026/");
}

#[test]
fn refuses_a_folder_that_holds_anything_but_git() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    refuse_non_empty(tmp.path()).unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "keep me").unwrap();
    let err = refuse_non_empty(tmp.path()).unwrap_err().to_string();
    assert!(err.contains("is not empty (it holds `notes.txt`)"), "{err}");
    let err = create(tmp.path()).unwrap_err().to_string();
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "keep me"
    );
    assert!(!tmp.path().join("stateof.toml").exists());
}

#[test]
fn refuses_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("report");
    std::fs::write(&file, "").unwrap();
    let err = create(&file).unwrap_err().to_string();
    assert!(err.contains("is a file"), "{err}");
}
