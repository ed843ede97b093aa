//! Benchmark of the requirement filters in the browser: 1,000 site cards on one page,
//! timed in headless Chromium for each filter change (script work, DOM update and reorder).
//!
//! cargo run --release --example filter-bench -- [--sites 1000] [--chromium /usr/bin/chromium]
//!
//! Writes a generated project into a temporary folder, serves it with `brochure serve`
//! in-process, opens the all-sites page and times 40 changes of the filters.

use std::path::PathBuf;
use std::sync::{mpsc, Arc};
use std::time::Duration;

use brochure::serve::{serve, ServeEvent, ServeOptions};
use brochure::BuildOptions;

mod support;

const REQUIREMENTS: &[&str] = &["english", "it-skills", "diploma", "social-media", "teamwork", "driving-licence"];
const OBLIGATIONS: &[&str] = &["evenings", "travel", "weekends", "fixed-hours"];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let sites: usize = arg("--sites").and_then(|n| n.parse().ok()).unwrap_or(1000);
    let chromium = PathBuf::from(arg("--chromium").unwrap_or_else(|| "/usr/bin/chromium".into()));
    let root = std::env::temp_dir().join(format!("brochure-filter-bench-{}", std::process::id()));
    write_project(&root, sites);

    let (tx, rx) = mpsc::channel::<ServeEvent>();
    let report: Arc<dyn Fn(ServeEvent) + Send + Sync> = Arc::new(move |event: ServeEvent| {
        let _ = tx.send(event);
    });
    let opts = ServeOptions {
        build: BuildOptions { root: root.clone(), ..Default::default() },
        bind: "127.0.0.1".into(),
        port: 0,
    };
    std::thread::spawn(move || serve(opts, report));
    let url = loop {
        if let ServeEvent::Listening { url } = rx.recv_timeout(Duration::from_secs(300)).expect("serve started") {
            break url;
        }
    };
    let browser = support::chromium(chromium, (1280, 900));
    let tab = browser.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(120));
    support::open_list(&tab, &format!("{url}sedi/"));
    // Each step ticks or unticks a box through a real change event; the handler filters,
    // counts every facet, reorders the cards and updates the page synchronously.
    let script = r#"(() => {
      const boxes = Array.from(document.querySelectorAll('#filters input[type=checkbox]'));
      const times = [];
      for (let i = 0; i < 40; i++) {
        const box = boxes[i % boxes.length];
        const t0 = performance.now();
        box.checked = !box.checked;
        box.dispatchEvent(new Event('change', { bubbles: true }));
        document.body.offsetHeight; // force style and layout, as the browser would before painting
        times.push(performance.now() - t0);
      }
      const cards = document.querySelectorAll('[data-site-list] [data-site]').length;
      times.sort((a, b) => a - b);
      return JSON.stringify({ cards, median: times[20], p95: times[37], max: times[39] });
    })()"#;
    if std::env::var_os("PROFILE_PARTS").is_some() {
        let parts = r#"(() => {
          const f = window.brochureFilters; const st = f.readQuery('?offer=english,it-skills&cannot=travel');
          let t0 = performance.now(); for (let i = 0; i < 20; i++) f.apply(st); const apply = (performance.now() - t0) / 20;
          t0 = performance.now(); document.querySelectorAll('[data-site-list] [data-site]').forEach(c => { c.hidden = !c.hidden; }); document.body.offsetHeight; const toggle = performance.now() - t0;
          t0 = performance.now(); const l = document.querySelector('[data-site-list]'); const fr = document.createDocumentFragment(); Array.from(l.children).reverse().forEach(c => fr.appendChild(c)); l.appendChild(fr); document.body.offsetHeight; const reorder = performance.now() - t0;
          return JSON.stringify({ apply, toggle, reorder });
        })()"#;
        println!("{:?}", tab.evaluate(parts, false).expect("parts").value);
    }
    let result = tab.evaluate(script, false).expect("run").value.expect("a result");
    let r: serde_json::Value = serde_json::from_str(result.as_str().unwrap_or("{}")).expect("JSON");
    println!(
        "{} cards: one filter change (filter + facet counts + reorder + layout): median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        r["cards"], r["median"].as_f64().unwrap_or(0.0), r["p95"].as_f64().unwrap_or(0.0), r["max"].as_f64().unwrap_or(0.0)
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// A project with `n` sites spread over programmes of 50, using every requirement and obligation.
fn write_project(root: &std::path::Path, n: usize) {
    let _ = std::fs::remove_dir_all(root);
    let copy_theme = |from: &std::path::Path, to: &std::path::Path| copy_dir(from, to);
    copy_theme(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("themes/default"), &root.join("themes/default"));
    let vocab =
        |keys: &[&str]| keys.iter().map(|k| format!("  {k}: {{ it: \"{k}\", en: \"{k}\" }}\n")).collect::<String>();
    let config = format!(
        "title: {{ it: \"Bench\", en: \"Bench\" }}\nbase_url: \"https://example.org/\"\ndefault_language: it\nlanguages:\n  - {{ code: it, name: \"Italiano\" }}\n  - {{ code: en, name: \"English\" }}\nrequirements:\n{}obligations:\n{}",
        vocab(REQUIREMENTS),
        vocab(OBLIGATIONS)
    );
    write(root, "config.yaml", &config);
    write(root, "content/_index.it.md", "---\ntitle: \"Bench\"\n---\n");
    for i in 0..n {
        let prog = i / 50;
        if i % 50 == 0 {
            write(
                root,
                &format!("content/p{prog:03}/_index.it.md"),
                &format!("---\ntype: programme\ntitle: \"Programma {prog}\"\n---\n"),
            );
        }
        let pick = |keys: &[&str], salt: usize, max: usize| -> Vec<String> {
            (0..(i * 7 + salt) % (max + 1)).map(|k| keys[(i + k * 3 + salt) % keys.len()].to_string()).collect()
        };
        let mut required = pick(REQUIREMENTS, 1, 1);
        let preferred: Vec<String> = pick(REQUIREMENTS, 2, 3).into_iter().filter(|k| !required.contains(k)).collect();
        required.dedup();
        let mut obligations = pick(OBLIGATIONS, 3, 2);
        obligations.sort();
        obligations.dedup();
        let mut preferred = preferred;
        preferred.sort();
        preferred.dedup();
        write(
            root,
            &format!("content/p{prog:03}/s{i:04}.it.md"),
            &format!(
                "---\ntitle: \"Sede {i}\"\ncode: \"{}\"\naddress: \"Via Numero, {i}\"\ncity: \"{}\"\nvolunteers: {}\nrequirements: {{ required: [{}], preferred: [{}] }}\nobligations: [{}]\n---\nTesto.\n",
                10000 + i,
                ["Milano", "Monza", "Lodi"][i % 3],
                1 + i % 4,
                required.join(", "),
                preferred.join(", "),
                obligations.join(", ")
            ),
        );
    }
}

fn write(root: &std::path::Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read").flatten() {
        let dest = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).expect("copy");
        }
    }
}
