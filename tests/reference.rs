//! The independent reference: `tests/reference/model.py` recomputes, from the
//! documented model, the plan and the projection of every shipped profile,
//! the closed-form cases and 50 seeded random profiles, and must agree with
//! the binary to the cent (money) and to 1e-9 (rates).

use std::path::Path;
use std::process::Command;

#[test]
fn the_python_reference_agrees_with_plan_and_project() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if Command::new("python3").arg("--version").output().is_err() {
        println!("note: python3 is missing; the reference comparison was skipped");
        return;
    }
    let mut profiles: Vec<String> = std::fs::read_dir(root.join("profiles"))
        .expect("profiles/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.display().to_string())
        .collect();
    profiles.sort();
    let out = Command::new("python3")
        .arg(root.join("tests/reference/model.py"))
        .arg("--bin")
        .arg(env!("CARGO_BIN_EXE_yieldplan"))
        .arg("--profiles")
        .args(&profiles)
        .args([
            "--random",
            "50",
            "--seed",
            "1",
            "--strict",
            "--screened-pools",
        ])
        .current_dir(root)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "the reference disagrees with the binary (exit {:?}):\n{stdout}",
        out.status.code()
    );
}
