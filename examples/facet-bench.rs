//! Benchmark of filtering a list on several pages (the files of `render/facets.rs`) in
//! headless Chromium with 4x CPU throttling at 375 px, as a phone would: the bytes of the
//! first view, the facet index fetched on the first touch of the filters, then the median of
//! 20 filter changes, each timed from the change to the next frame after the counts and the
//! first page of results are in; then a search, which fetches the search text first.
//!
//! cargo run --example facet-bench -- --url http://127.0.0.1:8000/sedi/ [--chromium /usr/bin/chromium]
//!
//! The page must be served already (any static server over a built site); only the browser
//! is timed, so a debug build of this example measures the same.

use std::path::PathBuf;
use std::time::Duration;

use headless_chrome::protocol::cdp::Emulation;
use headless_chrome::Tab;

mod support;

fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    let value = tab.evaluate(js, true).unwrap_or_else(|e| panic!("evaluate: {e}")).value;
    match value {
        Some(serde_json::Value::String(s)) => serde_json::from_str(&s).unwrap_or(serde_json::Value::String(s)),
        Some(v) => v,
        None => serde_json::Value::Null,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let url = arg("--url").expect("--url of a list on several pages");
    let chromium = PathBuf::from(arg("--chromium").unwrap_or_else(|| "/usr/bin/chromium".into()));
    let browser = support::chromium(chromium, (375, 812));
    let tab = browser.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(300));
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width: 375,
        height: 812,
        device_scale_factor: 2.0,
        mobile: true,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .expect("375 px");
    tab.call_method(Emulation::SetCPUThrottlingRate { rate: 4.0 }).expect("4x CPU throttling");
    support::open_list(&tab, &url);
    std::thread::sleep(Duration::from_millis(500));
    // The browser keeps 250 resource entries unless told otherwise; a run fetches more files.
    eval(&tab, "performance.setResourceTimingBufferSize(100000); 0");
    let bytes = |js_filter: &str| {
        eval(
            &tab,
            &format!(
                "JSON.stringify([performance.getEntriesByType('navigation')[0]].concat(performance.getEntriesByType('resource')){js_filter}.map(e => [e.name, e.decodedBodySize]))"
            ),
        )
    };
    let first = bytes("");
    let total: u64 = first.as_array().into_iter().flatten().map(|e| e[1].as_u64().unwrap_or(0)).sum();
    println!("first view: {total} bytes uncompressed");
    for e in first.as_array().into_iter().flatten() {
        println!("  {:>8} {}", e[1], e[0].as_str().unwrap_or(""));
    }
    // The first touch of the filters fetches the facet index.
    let index = eval(
        &tab,
        r#"new Promise(done => {
          const t0 = performance.now();
          document.getElementById('filters').dispatchEvent(new Event('focusin'));
          (function wait() {
            const e = performance.getEntriesByType('resource').find(r => r.name.endsWith('/filters.json'));
            if (e && e.responseEnd > 0) setTimeout(() => done(JSON.stringify({ ms: performance.now() - t0, bytes: e.decodedBodySize })), 200);
            else setTimeout(wait, 5);
          })();
        })"#,
    );
    println!(
        "facet index: {} bytes, fetched and read in {:.0} ms",
        index["bytes"],
        index["ms"].as_f64().unwrap_or(0.0)
    );
    // One change: through a real change event, to the frame after the whole page of results
    // is in; `first`: when the first cards were in the list (the script shows them first).
    let change = r#"(selector) => new Promise(done => {
      const list = document.querySelector('[data-site-list]');
      const box = document.querySelector(selector);
      let first = 0;
      const watch = new MutationObserver(records => {
        if (!first && records.some(r => r.addedNodes.length)) first = performance.now() - t0;
      });
      watch.observe(list, { childList: true });
      const t0 = performance.now();
      box.checked = !box.checked || box.type === 'radio';
      box.dispatchEvent(new Event('change', { bubbles: true }));
      (function wait() {
        if (list.hasAttribute('aria-busy')) return void setTimeout(wait, 1);
        requestAnimationFrame(() => setTimeout(() => {
          watch.disconnect();
          const all = performance.now() - t0;
          done(JSON.stringify({ all: all, first: first || all }));
        }, 0));
      })();
    })"#;
    let steps = eval(
        &tab,
        r#"JSON.stringify((() => {
          const inputs = Array.from(document.querySelectorAll('#filters input[type=checkbox], #filters input[type=radio]'));
          const boxes = inputs.filter(i => i.type === 'checkbox' && i.value !== 'none');
          const radios = inputs.filter(i => i.type === 'radio');
          const pick = l => l.map(i => `#filters input[name="${i.name}"][value="${CSS.escape(i.value)}"]`);
          const b = pick(boxes), r = pick(radios.filter(i => i.value)), any = pick(radios.filter(i => !i.value));
          const steps = [];
          for (let i = 0; steps.length < 20; i++) {
            steps.push(b[i % b.length]);
            if (i % 3 === 2 && r.length) steps.push(r[(i * 7) % r.length]);
            if (i % 5 === 4 && any.length) steps.push(any[i % any.length]);
          }
          return steps.slice(0, 20);
        })())"#,
    );
    if std::env::var_os("PROFILE_PARTS").is_some() {
        // Where a change's time goes: the rules over every site, and the counts.
        let parts = r#"JSON.stringify((() => {
          const f = window.brochureFilters, st = f.readQuery('?offer=english,it-skills&cannot=travel&area=Monza');
          const time = g => { const t0 = performance.now(); for (let i = 0; i < 5; i++) g(); return (performance.now() - t0) / 5; };
          return { apply: time(() => f.apply(st)), hidden: time(() => f.hiddenByRule(st)), counts: time(() => f.updateCounts(st)) };
        })())"#;
        println!("parts (ms, 4x throttled): {}", eval(&tab, parts));
    }
    let (mut times, mut firsts) = (Vec::new(), Vec::new());
    for selector in steps.as_array().expect("steps") {
        let selector = selector.as_str().expect("a selector");
        let ms = eval(&tab, &format!("({change})({})", serde_json::to_string(selector).expect("JSON")));
        let (all, first) = (ms["all"].as_f64().unwrap_or(f64::NAN), ms["first"].as_f64().unwrap_or(f64::NAN));
        let shown = eval(&tab, "document.getElementById('f-status').textContent");
        times.push(all);
        firsts.push(first);
        println!("  {all:>6.1} ms (first cards {first:>6.1} ms)  {selector}  -> {shown}");
    }
    let summary = |times: &mut Vec<f64>| {
        times.sort_by(f64::total_cmp);
        format!("median {:.1} ms, min {:.1}, max {:.1} ms", (times[9] + times[10]) / 2.0, times[0], times[19])
    };
    println!("filter change (counts + first page of results, to the next frame): {} (20 changes)", summary(&mut times));
    println!("filter change (counts + its first cards in the list): {} (20 changes)", summary(&mut firsts));
    // A search: the first word fetches the search text; the next ones filter at once.
    let search = r#"(text) => new Promise(done => {
      const list = document.querySelector('[data-site-list]');
      const q = document.getElementById('f-q');
      const t0 = performance.now();
      q.value = text;
      q.dispatchEvent(new Event('input', { bubbles: true }));
      (function wait() {
        if (list.hasAttribute('aria-busy')) return void setTimeout(wait, 1);
        requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));
      })();
    })"#;
    for text in ["via", "via r", "via ro", "via rom", "milano"] {
        let ms = eval(&tab, &format!("({search})({})", serde_json::to_string(text).expect("JSON")));
        let shown = eval(&tab, "document.getElementById('f-status').textContent");
        println!("search {text:?}: {:.1} ms -> {shown}", ms.as_f64().unwrap_or(f64::NAN));
    }
    let fetched = bytes(".filter(e => e.name.endsWith('.json'))");
    let json: u64 = fetched.as_array().into_iter().flatten().map(|e| e[1].as_u64().unwrap_or(0)).sum();
    println!("data fetched in all: {json} bytes in {} files", fetched.as_array().map_or(0, Vec::len));
}
