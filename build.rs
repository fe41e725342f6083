//! The seed articles are compiled into the binary (`include_dir!` in `src/service/seed.rs`); on
//! stable Rust that macro cannot tell Cargo which files it read, so this says it.
fn main() {
    println!("cargo:rerun-if-changed=seeds");
}
