use std::time::Instant;
fn main() {
    let text = std::fs::read_to_string("/tmp/dump.json").unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        let parsed = kdiag::input::parse(&text).unwrap();
        let t1 = t.elapsed();
        let n = parsed.objects.len();
        let t = Instant::now();
        let snap = kdiag::Snapshot::new(parsed.objects, None);
        let t2 = t.elapsed();
        let t = Instant::now();
        let report = kdiag::rules::run(&snap);
        let t3 = t.elapsed();
        let t = Instant::now();
        drop(snap);
        let t4 = t.elapsed();
        println!("parse {t1:?} snapshot {t2:?} rules {t3:?} drop {t4:?} objects {n} findings {}", report.findings.len());
    }
}
