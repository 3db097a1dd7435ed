fn main() {
    if let Err(err) = stateof::cli::run() {
        eprintln!("error: {err:#}");
        std::process::exit(1);
    }
}
