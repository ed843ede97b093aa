//! Writes a large, realistic brochure project for benchmarks: programmes of 10–50 sites,
//! every front-matter field, long Markdown bodies with links, lists and tables, and ~5% of
//! sites without an English translation. The same arguments always give the same bytes.
//!
//! `cargo run --release --example gen-corpus -- --sites 5000 --languages it,en --out /tmp/corpus`

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use clap::Parser;

#[derive(Debug, Parser)]
#[command(about = "Generates a benchmark corpus (a complete brochure project)")]
struct Args {
    /// Number of sites; each has one file per language (a few lack a translation).
    #[arg(long, default_value_t = 5000)]
    sites: usize,
    /// Language codes, the default language first.
    #[arg(long, value_delimiter = ',', default_value = "it,en")]
    languages: Vec<String>,
    /// Project folder to write (created; must be empty or an earlier corpus).
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

/// Written into every corpus so that a later run may replace it, and nothing else.
const MARKER: &str = ".gen-corpus";

/// splitmix64: tiny, seeded, and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    /// One item of a `|`-separated list.
    fn pick(&mut self, list: &'static str) -> &'static str {
        let i = self.range(0, items(list) - 1);
        nth(list, i)
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.range(0, 99) < percent
    }
    /// `lo..=hi` distinct indices below `len` (`must` among them), in increasing order.
    fn distinct(&mut self, lo: usize, hi: usize, len: usize, must: Option<usize>) -> Vec<usize> {
        let n = self.range(lo, hi).min(len);
        let mut chosen: Vec<usize> = must.into_iter().collect();
        while chosen.len() < n {
            let i = self.range(0, len - 1);
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen
    }
}

/// Text pools for one language: Italian, or English (used for every other language too).
struct Words {
    subjects: &'static str,
    verbs: &'static str,
    objects: &'static str,
    tails: &'static str,
    headings: &'static str,
    purposes: &'static str,
    table: [&'static str; 3],
    see: &'static str,
}

const IT: Words = Words {
    subjects: "Il volontario|L'OLP|Lo sportello|Il servizio|La sede|L'ufficio|Il personale|Il progetto|La città",
    verbs: "accoglie|supporta|organizza|aggiorna|promuove|coordina|raccoglie|orienta|segue|prepara|verifica",
    objects: "gli utenti|le pratiche|i dati del servizio|il materiale informativo|gli appuntamenti|le attività di quartiere|le famiglie|i cittadini stranieri|gli eventi culturali|le domande di contributo|l'archivio digitale",
    tails: "ogni giorno|insieme al personale|nei quartieri della città|in modo attivo e autonomo|durante l'apertura al pubblico|secondo le indicazioni dell'OLP|con attenzione e cura|in collaborazione con le associazioni|per ridurre i tempi di attesa|nel rispetto della privacy",
    headings: "Il contesto|Obiettivi|Cosa farai|Allo sportello|In back office|Comunicazione|Formazione|Orari e giorni|Chi incontrerai|Risultati attesi",
    purposes: "Ridurre i tempi di attesa dell'utenza|Migliorare l'informazione ai cittadini|Aggiornare banche dati e archivi|Promuovere i servizi sul territorio|Sostenere le persone fragili",
    table: ["Attività", "Ore", "Periodo"],
    see: "Vedi anche",
};

const EN: Words = Words {
    subjects: "The volunteer|Your OLP|The front desk|The service|The site|The office|The staff|The programme|The city",
    verbs: "welcomes|supports|organises|updates|promotes|coordinates|collects|guides|follows|prepares|checks",
    objects: "service users|the case files|the service's data|the information materials|the appointments|neighbourhood activities|families|foreign residents|cultural events|grant applications|the digital archive",
    tails: "every day|together with the staff|across the city's neighbourhoods|actively and independently|while the office is open|as the OLP directs|with care and attention|working with local associations|to cut waiting times|respecting everyone's privacy",
    headings: "Background|Goals|What you will do|At the front desk|In the back office|Communication|Training|Hours and days|Who you will meet|Expected results",
    purposes: "Cut waiting times for the public|Better information for residents|Update databases and archives|Promote services across the area|Support vulnerable people",
    table: ["Activity", "Hours", "Period"],
    see: "See also",
};

const CITIES: &str = "Milano|Monza|Sesto San Giovanni|Rho|Legnano|Cinisello Balsamo|Paderno Dugnano|Rozzano|San Donato Milanese|Abbiategrasso";
const STREETS: &str = "Via Dante|Corso Buenos Aires|Viale Monza|Via Torino|Piazza Duomo|Via Padova|Corso Lodi|Via Ripamonti|Viale Fulvio Testi|Via Novara";
const NAMES: &str =
    "Giulia Rossi|Marco Bianchi|Sara Ferrari|Luca Esposito|Chiara Romano|Davide Colombo|Elena Ricci|Paolo Marino";
const OFFICES: &str = "Direzione Casa|Direzione Welfare|Direzione Cultura|Servizi Civici|Politiche Sociali|Area Giovani|Biblioteche|Servizi Demografici";

/// Requirement vocabulary: key, Italian label, English label.
const REQUIREMENTS: &[(&str, &str, &str)] = &[
    ("english", "Conoscenza della lingua inglese", "English language skills"),
    ("french", "Conoscenza della lingua francese", "French language skills"),
    ("it-skills", "Competenze informatiche (PC, pacchetto Office)", "Computer skills (PC, Office suite)"),
    ("social-media", "Uso dei social network", "Social media skills"),
    ("graphics-software", "Uso di programmi di grafica", "Graphics software skills"),
    ("diploma", "Diploma di scuola superiore", "Upper-secondary school diploma"),
    ("degree", "Laurea triennale", "Bachelor's degree"),
    ("driving-licence", "Patente di guida B", "Driving licence (B)"),
    ("relational-skills", "Capacità relazionali, di ascolto ed empatia", "Interpersonal, listening and empathy skills"),
    ("teamwork", "Attitudine al lavoro di gruppo", "Teamwork"),
    ("social-sector-experience", "Esperienze pregresse in ambito sociale", "Previous experience in the social sector"),
    ("humanities-law", "Interesse per materie umanistiche e giuridiche", "Interest in the humanities and law"),
];

const OBLIGATIONS: &[(&str, &str, &str)] = &[
    ("flexible-hours", "Flessibilità oraria", "Flexible hours"),
    ("evenings-holidays", "Servizio serale e/o nei giorni festivi", "Evening and/or public-holiday service"),
    ("travel", "Missioni e spostamenti sul territorio", "Travel around the area on assignments"),
    ("fixed-schedule", "Orario giornaliero indicativo 8:30–16:30", "Daily hours roughly 8:30 am–4:30 pm"),
    ("weekdays-only", "Servizio dal lunedì al venerdì", "Service Monday to Friday"),
    ("meetings-training", "Incontri di monitoraggio e formazione", "Monitoring and training meetings"),
    ("service-hours", "Rispetto degli orari di servizio", "Keeping to the service timetable"),
];

fn main() {
    if let Err(e) = run(&Args::parse()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Result<(), String> {
    if args.languages.is_empty() || args.sites == 0 {
        return Err("need at least one language and one site".into());
    }
    prepare_out(&args.out)?;
    let langs: Vec<&str> = args.languages.iter().map(String::as_str).collect();
    let mut files: Vec<(String, String)> = vec![("config.yaml".into(), config_yaml(&langs))];
    let mut rng = Rng(args.seed);
    let programmes = split_programmes(&mut rng, args.sites);
    content_files(&mut rng, &langs, &programmes, &mut files);
    for (path, text) in &files {
        let full = args.out.join(path);
        fs::create_dir_all(full.parent().expect("file paths have a parent")).map_err(|e| format!("{path}: {e}"))?;
        fs::write(&full, text).map_err(|e| format!("{}: {e}", full.display()))?;
    }
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    copy_tree(&theme, &args.out.join("themes/default")).map_err(|e| format!("copying the theme: {e}"))?;
    eprintln!("{} sites in {} programmes, {} files: {}", args.sites, programmes.len(), files.len(), args.out.display());
    Ok(())
}

/// Creates `out`, or clears what an earlier run wrote there; refuses any other folder.
fn prepare_out(out: &Path) -> Result<(), String> {
    let occupied = fs::read_dir(out).map(|mut d| d.next().is_some()).unwrap_or(false);
    if occupied && !out.join(MARKER).exists() {
        return Err(format!("{} is not empty and was not made by gen-corpus; choose another --out", out.display()));
    }
    for sub in ["content", "themes"] {
        if out.join(sub).exists() {
            fs::remove_dir_all(out.join(sub)).map_err(|e| format!("clearing {sub}/: {e}"))?;
        }
    }
    fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    fs::write(out.join(MARKER), "made by examples/gen-corpus.rs\n").map_err(|e| e.to_string())
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    let mut entries: Vec<_> = fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        if e.file_type()?.is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()))?;
        } else {
            fs::copy(e.path(), to.join(e.file_name()))?;
        }
    }
    Ok(())
}

fn words(lang: &str) -> &'static Words {
    [&IT, &EN][usize::from(lang != "it")]
}

/// A label in every language: Italian for `it`, English otherwise.
fn label(langs: &[&str], it: &str, en: &str) -> String {
    let parts: Vec<String> = langs.iter().map(|l| format!("{l}: \"{}\"", if *l == "it" { it } else { en })).collect();
    format!("{{ {} }}", parts.join(", "))
}

fn config_yaml(langs: &[&str]) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "title: {}", label(langs, "Servizio Civile in Lombardia", "Civil Service in Lombardy"));
    let _ =
        writeln!(y, "description: {}", label(langs, "Progetti, sedi, requisiti.", "Programmes, sites, requirements."));
    y.push_str("base_url: \"https://www.example.org/servizio-civile/\"\n");
    let _ = writeln!(y, "default_language: {}\nlanguages:", langs[0]);
    for l in langs {
        let names = [("it", "Italiano"), ("en", "English"), ("fr", "Français"), ("de", "Deutsch"), ("es", "Español")];
        let name = names.iter().find(|(code, _)| code == l).map_or(*l, |(_, name)| name);
        let _ = writeln!(y, "  - {{ code: {l}, name: \"{name}\" }}");
    }
    y.push_str("theme: default\n");
    let _ = writeln!(y, "owner: {}", label(langs, "Regione Lombardia", "Lombardy Region"));
    y.push_str("markdown:\n  unsafe_html: false\n");
    for (name, vocab) in [("requirements", REQUIREMENTS), ("obligations", OBLIGATIONS)] {
        let _ = writeln!(y, "{name}:");
        for (key, it, en) in vocab {
            let _ = writeln!(y, "  {key}: {}", label(langs, it, en));
        }
    }
    y
}

/// Site counts per programme, each 10–50 (fewer only when `sites` < 10).
fn split_programmes(rng: &mut Rng, sites: usize) -> Vec<usize> {
    let mut left = sites;
    let mut sizes = Vec::new();
    while left > 0 {
        let n = if left <= 50 { left } else { rng.range(10, 50.min(left - 10)) };
        sizes.push(n);
        left -= n;
    }
    sizes
}

fn content_files(rng: &mut Rng, langs: &[&str], programmes: &[usize], files: &mut Vec<(String, String)>) {
    let pages = [
        ("servizio-civile", "Che cos'è il servizio civile", "About the civil service", "civil-service"),
        ("come-candidarsi", "Come candidarsi", "How to apply", "how-to-apply"),
    ];
    for (i, lang) in langs.iter().enumerate() {
        let w = words(lang);
        let title = if *lang == "it" { "Servizio Civile in Lombardia" } else { "Civil Service in Lombardy" };
        let text = body(rng, w, 300, 600, programmes.len(), None);
        let home = format!("---\ntitle: \"{title}\"\ndescription: \"{}\"\n---\n{text}", sentence(rng, w, false));
        files.push((format!("content/_index.{lang}.md"), home));
        for (n, (name, it_title, en_title, en_slug)) in pages.iter().enumerate() {
            let (t, slug) = if i == 0 { (it_title, String::new()) } else { (en_title, format!("slug: {en_slug}\n")) };
            let text = body(rng, w, 300, 900, programmes.len(), None);
            let page = format!("---\ntitle: \"{t}\"\n{slug}weight: {}\n---\n{text}", n + 1);
            files.push((format!("content/{name}.{lang}.md"), page));
        }
    }
    let mut site_no = 0;
    for (p, &size) in programmes.iter().enumerate() {
        programme_files(rng, langs, programmes.len(), p, files);
        for s in 0..size {
            site_files(rng, langs, programmes.len(), [p, site_no, site_no - s, size], files);
            site_no += 1;
        }
    }
}

fn programme_files(rng: &mut Rng, langs: &[&str], count: usize, p: usize, files: &mut Vec<(String, String)>) {
    let entity = rng.pick(CITIES);
    let contact = rng.pick(NAMES);
    let year = rng.range(2018, 2025);
    for (i, lang) in langs.iter().enumerate() {
        let w = words(lang);
        let mut f = String::from("---\ntype: programme\n");
        if i == 0 {
            let _ = writeln!(f, "title: \"Programma {} – {}\"", p + 1, rng.pick(w.purposes));
            let _ = writeln!(f, "entity: \"Comune di {entity}\"\nsector: \"Educazione e promozione culturale\"");
            let _ = writeln!(f, "area: \"Sportelli informa\"\nyear: {year}\nweight: {}", p + 1);
            let _ = writeln!(f, "contacts:\n  - {{ name: \"{contact}\", email: \"prog{p:03}@example.org\", phone: \"02 8845 {p:04}\" }}");
        } else {
            let _ =
                writeln!(f, "title: \"Programme {} – {}\"\nslug: programme-{:03}", p + 1, rng.pick(w.purposes), p + 1);
            let _ = writeln!(f, "entity: \"City of {entity}\"\nsector: \"Education and promotion of culture\"");
        }
        let _ = writeln!(f, "description: \"{}\"\n---", sentence(rng, w, false));
        f.push_str(&body(rng, w, 150, 400, count, Some(p)));
        files.push((format!("content/prog-{p:03}/_index.{lang}.md"), f));
    }
}

/// `at` is (programme, global site number, the programme's first site, its sites).
fn site_files(rng: &mut Rng, langs: &[&str], count: usize, at: [usize; 4], files: &mut Vec<(String, String)>) {
    let [p, n, first, size] = at;
    let street = rng.pick(STREETS);
    let hours = rng.distinct(2, 4, items(IT.purposes), None);
    // At most 4 shares of at most 350 hours: their sum stays within the 1,400 hours a year
    // (`check` refuses a split larger than the year).
    let shares: Vec<usize> = hours.iter().map(|_| rng.range(10, 35) * 10).collect();
    let activities = rng.distinct(3, 6, items(IT.objects), None);
    let required = rng.distinct(0, 2, REQUIREMENTS.len(), None);
    let mut preferred = rng.distinct(0, 3, REQUIREMENTS.len(), Some(n % REQUIREMENTS.len()));
    preferred.retain(|k| !required.contains(k));
    let obligations = rng.distinct(0, 3, OBLIGATIONS.len(), Some(n % OBLIGATIONS.len()));
    let keys = |v: &[usize], vocab: &[(&str, &str, &str)]| v.iter().map(|&i| vocab[i].0).collect::<Vec<_>>().join(", ");
    let translated = !rng.chance(5);
    let sibling = first + rng.range(0, size - 1);
    for (i, lang) in langs.iter().enumerate() {
        if i > 0 && !translated {
            continue;
        }
        let w = words(lang);
        let mut f = String::from("---\n");
        let (what, no) = (capitalise(nth(w.objects, activities[0])), n + 1);
        if i == 0 {
            let (office, number, postcode, city) =
                (rng.pick(OFFICES), rng.range(1, 200), rng.range(100, 162), rng.pick(CITIES));
            let (volunteers, weight) = (rng.range(1, 4), n - first + 1);
            let (req, pref, obl) =
                (keys(&required, REQUIREMENTS), keys(&preferred, REQUIREMENTS), keys(&obligations, OBLIGATIONS));
            let _ = write!(
                f,
                "title: \"Sede {no} – {what}\"\ncode: \"{}\"\noffice: \"{office}\"\naddress: \"{street}, {number}\"\n\
                 postcode: \"20{postcode:03}\"\ncity: \"{city}\"\nvolunteers: {volunteers}\nhours_per_year: 1400\n\
                 min_weekly_hours: 12\ndays_per_week: 5\nrequirements: {{ required: [{req}], preferred: [{pref}] }}\n\
                 obligations: [{obl}]\nweight: {weight}\n",
                100_000 + n
            );
            if rng.chance(30) {
                let name = rng.pick(NAMES);
                let _ = writeln!(
                    f,
                    "contacts:\n  - {{ name: \"{name}\", role: \"OLP\", email: \"site{no:05}@example.org\" }}"
                );
            }
        } else {
            let _ = writeln!(f, "title: \"Site {no} – {what}\"\nslug: site-{no:05}-{lang}");
        }
        f.push_str("hours:\n");
        for (k, h) in hours.iter().zip(&shares) {
            let _ = writeln!(f, "  - {{ hours: {h}, purpose: \"{}\" }}", nth(w.purposes, *k));
        }
        f.push_str("activities:\n");
        for a in &activities {
            let _ = writeln!(f, "  - \"{}\"", capitalise(&format!("{} {}", nth(w.objects, *a), nth(w.tails, *a % 10))));
        }
        let _ = writeln!(f, "description: \"{}\"\n---", sentence(rng, w, false));
        let mut text = body(rng, w, 300, 1500, count, Some(p));
        let _ = writeln!(text, "\n{}: [{}](site-{:05}.it.md).", w.see, sibling + 1, sibling + 1);
        f.push_str(&text);
        files.push((format!("content/prog-{p:03}/site-{:05}.{lang}.md", n + 1), f));
    }
}

/// Items in a `|`-separated list.
fn items(list: &str) -> usize {
    list.split('|').count()
}

fn nth(list: &'static str, i: usize) -> &'static str {
    list.split('|').nth(i).expect("index within the list")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// One sentence of 8–20 words; `marks` adds bold and italic.
fn sentence(rng: &mut Rng, w: &Words, marks: bool) -> String {
    let mut object = rng.pick(w.objects).to_string();
    if marks && rng.chance(12) {
        object = format!("**{object}**");
    } else if marks && rng.chance(8) {
        object = format!("*{object}*");
    }
    let mut s = format!("{} {} {} {}", rng.pick(w.subjects), rng.pick(w.verbs), object, rng.pick(w.tails));
    if rng.chance(50) {
        let and = if std::ptr::eq(w, &IT) { "e" } else { "and" };
        let _ = write!(s, ", {and} {} {}", rng.pick(w.verbs), rng.pick(w.objects));
    }
    s.push('.');
    s
}

/// A Markdown body of `min`–`max` words (roughly): headings, paragraphs, lists, a table,
/// links to other programmes (by file) and to external sites.
fn body(rng: &mut Rng, w: &Words, min: usize, max: usize, programmes: usize, own: Option<usize>) -> String {
    let target = rng.range(min, max);
    let mut out = String::new();
    let mut count = 0;
    let mut section = 0;
    let first_heading = rng.range(0, items(w.headings) - 1);
    while count < target {
        if section > 0 || rng.chance(50) {
            let level = if section > 1 && rng.chance(30) { "###" } else { "##" };
            let _ = writeln!(out, "{level} {}\n", nth(w.headings, (first_heading + section) % items(w.headings)));
        }
        let mut para = String::new();
        for _ in 0..rng.range(3, 6) {
            let s = sentence(rng, w, true);
            count += s.split(' ').count();
            para.push_str(&s);
            para.push(' ');
        }
        if rng.chance(30) {
            let other = rng.range(0, programmes - 1);
            let folder = if own.is_some() { format!("../prog-{other:03}/") } else { format!("prog-{other:03}/") };
            let _ = write!(para, "{} [{}]({folder}_index.it.md). ", w.see, other + 1);
        }
        if rng.chance(15) {
            let _ = write!(para, "[www.example.org](https://www.example.org/servizi/{}) ", rng.range(1, 999));
        }
        let _ = writeln!(out, "{}\n", para.trim_end());
        match section % 4 {
            1 => {
                for k in 0..rng.range(3, 7) {
                    let item = format!("{} {}", rng.pick(w.objects), rng.pick(w.tails));
                    count += item.split(' ').count();
                    let mark = if section % 8 == 1 { format!("{}.", k + 1) } else { "-".to_string() };
                    let _ = writeln!(out, "{mark} {item};");
                }
                out.push('\n');
            }
            2 if section < 4 => {
                let [a, b, c] = w.table;
                let _ = writeln!(out, "| {a} | {b} | {c} |\n|---|---:|---|");
                for _ in 0..rng.range(2, 5) {
                    let (what, hours, month) =
                        (capitalise(rng.pick(w.objects)), rng.range(5, 40) * 10, rng.range(1, 12));
                    let _ = writeln!(out, "| {what} | {hours} | {month} |");
                    count += 5;
                }
                out.push('\n');
            }
            _ => {}
        }
        section += 1;
    }
    out
}
