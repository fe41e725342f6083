//! Analyzer throughput in bytes/s: the seed articles, and the PolNeAR dev texts when
//! `../shared/polnear/dev` (relative to the crate root, or `$POLNEAR_DEV`) exists.

use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

fn read_dir_texts(dir: &Path, ext: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

fn bench_set(c: &mut Criterion, name: &str, texts: &[String]) {
    if texts.is_empty() {
        return;
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut g = c.benchmark_group("analyze");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function(name, |b| {
        b.iter(|| {
            for t in texts {
                black_box(newslit::analysis::analyze(black_box(t)));
            }
        })
    });
    g.finish();
}

fn analyzer(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    bench_set(c, "seeds", &read_dir_texts(&root.join("seeds"), "txt"));
    // POLNEAR_DEV overrides the default location (e.g. when the repository sits elsewhere).
    let dev = std::env::var_os("POLNEAR_DEV")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/polnear/dev"));
    bench_set(c, "polnear_dev", &read_dir_texts(&dev.join("text"), "txt"));
}

criterion_group!(benches, analyzer);
criterion_main!(benches);
