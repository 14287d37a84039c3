//! dutydesk command line entry point.

/// mimalloc: the store's reads and the screens allocate many small strings; it makes a long
/// list through the server about a fifth faster than the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_arena_eager_commit` and `mi_option_purge_delay` (mimalloc.h).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // Memory is taken from the system as it is used, not a whole arena at once, and given
    // back 50 ms after it is freed: a server runs all day, and a command that reads thousands
    // of records runs again soon after.
    // SAFETY: setting allocator options has no memory-safety preconditions.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 50);
    }
    std::process::exit(dutydesk::cli::main());
}
