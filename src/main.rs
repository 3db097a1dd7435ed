fn main() {
    return_freed_memory();
    if let Err(err) = stateof::cli::run() {
        eprintln!("error: {err:#}");
        std::process::exit(1);
    }
}

/// Has glibc's allocator serve every block of 1 MB or more with a mapping of its own,
/// given back to the system when freed.
///
/// By default glibc raises that threshold each time such a block is freed (up to
/// 32 MB), so once a snapshot's first file is read and its read buffers freed, the
/// columns of the next files and the figures' working vectors come from the heap,
/// where what is freed between them stays resident: over a whole-Hub snapshot that
/// was 60 MB of a 450 MB peak (`scripts/bench.sh`). A fixed threshold keeps the peak
/// to what the data holds, at no measurable cost in time.
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only changes a setting of the allocator, and is called before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}
