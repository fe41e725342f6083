//! The seed articles are compiled into the binary (`include_dir!` in `src/service/seed.rs`), and
//! so are the migrations (`sqlx::migrate!`); on stable Rust neither macro can tell Cargo which
//! files it read, so this says it (without it, a new migration is missing from a binary built on
//! a warm target directory).
fn main() {
    println!("cargo:rerun-if-changed=seeds");
    println!("cargo:rerun-if-changed=migrations");
}
