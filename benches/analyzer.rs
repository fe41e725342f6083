//! Analyzer throughput in bytes/s, counting what `newslit analyze --format json` does per
//! article (analysis and its JSON): the seed articles, and the PolNeAR dev and train texts
//! when `../shared/polnear` (relative to the crate root, or `$POLNEAR_DEV` / `$POLNEAR_TRAIN`)
//! exists.

use std::path::{Path, PathBuf};
use std::time::Duration;

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
    if bytes > 1_000_000 {
        // About a second an iteration: fewer, longer samples.
        g.sample_size(10).measurement_time(Duration::from_secs(15));
    }
    g.bench_function(name, |b| {
        b.iter(|| {
            for t in texts {
                let a = newslit::analysis::analyze(black_box(t));
                black_box(serde_json::to_string(&a).map(|s| s.len()).unwrap_or(0));
            }
        })
    });
    g.finish();
}

/// `$var`, or `../shared/polnear/<split>` beside the crate.
fn polnear(root: &Path, var: &str, split: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/polnear").join(split))
}

fn analyzer(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    bench_set(c, "seeds", &read_dir_texts(&root.join("seeds"), "txt"));
    let dev = polnear(root, "POLNEAR_DEV", "dev");
    bench_set(c, "polnear_dev", &read_dir_texts(&dev.join("text"), "txt"));
    let train = polnear(root, "POLNEAR_TRAIN", "train");
    bench_set(c, "polnear_train", &read_dir_texts(&train.join("text"), "txt"));
}

criterion_group!(benches, analyzer);
criterion_main!(benches);
