//! The plain-language report of `check`: scores per page and language in the JSON, warnings
//! located at the long sentence or the page under the threshold, advice that `--strict`
//! leaves a warning, and languages without a formula said to be skipped.

use crate::check::run_check;
use crate::project::Project;

#[test]
fn check_scores_pages_and_warns_at_long_sentences_and_hard_pages() {
    let p = Project::fixture("rtl");
    // 40 words in one sentence, on line 6 of the file, after a one-word sentence on line 4.
    let long = vec!["parola"; 40].join(" ");
    p.write("content/chi-siamo.it.md", format!("---\ntitle: \"Chi siamo\"\n---\nBreve.\n\n{long}.\n"));
    p.write(
        "config.yaml",
        std::fs::read_to_string(p.root().join("config.yaml")).unwrap()
            + "plain_language: { gulpease_min: 60, max_sentence_words: 35 }\n",
    );
    let (_, stdout, _) = run_check(&p, &["--format", "json", "--strict"]);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let page = report["plain_language"]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "content/chi-siamo.it.md")
        .expect("the page is scored")
        .clone();
    // 41 words, 5 (Breve) + 40 × 6 = 245 letters, 2 sentences: 89 + (600 − 2450) / 41 = 43.88 → 43.9.
    assert_eq!(page["score"], 43.9);
    assert_eq!(page["formula"], "gulpease");
    assert_eq!((page["words"].as_u64(), page["sentences"].as_u64()), (Some(41), Some(2)));
    assert_eq!(page["longest"][0], serde_json::json!({ "line": 6, "words": 40 }));
    assert_eq!(report["plain_language"]["skipped_languages"], serde_json::json!(["ar"]));
    let ours: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["path"] == "content/chi-siamo.it.md"
                && matches!(d["kind"].as_str(), Some("hard_to_read" | "long_sentence"))
        })
        .collect();
    let shown: Vec<(String, String, u64)> = ours
        .iter()
        .map(|d| {
            (d["kind"].as_str().unwrap().into(), d["severity"].as_str().unwrap().into(), d["line"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(
        shown,
        [("hard_to_read".into(), "warning".into(), 4), ("long_sentence".into(), "warning".into(), 6)],
        "--strict leaves readability advice a warning"
    );
    assert_eq!(ours[1]["message"], "this sentence has 40 words, more than 35 (Gulpease of the page: 43.9)");
    let (_, _, stderr) = run_check(&p, &[]);
    assert!(stderr.contains("no readability formula for: ar"), "{stderr}");
}
