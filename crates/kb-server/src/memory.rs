//! What the process asks of the C library's allocator (glibc's malloc on Linux), which
//! the binary's Rust code does not use (it allocates through mimalloc, see `main.rs`) but
//! C code does: SQLite's page caches and statements.
//!
//! glibc gives each thread that allocates its own arena, up to eight per core; the SQLite
//! driver runs a thread per connection, and memory freed in one arena stays resident there.
//! Two arenas (one per core of the machines this runs on), and giving free pages back
//! once the read model is built, keep the process near its live data.

/// At most this many allocator arenas.
const ARENAS: i32 = 2;

/// Limits the allocator's arenas; call before the runtime starts its threads.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc::limit_arenas(ARENAS);
}

/// Gives memory the allocator holds free back to the operating system.
pub fn release_free() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc::release_free();
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
mod glibc {
    pub(super) fn limit_arenas(n: i32) {
        // SAFETY: `mallopt` only sets an allocator parameter; it takes the allocator's
        // own lock and touches no memory of ours. Its result (whether the parameter was
        // accepted) changes nothing we do.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, n);
        }
    }

    pub(super) fn release_free() {
        // SAFETY: `malloc_trim` returns free pages of the allocator's arenas to the
        // system under the allocator's locks; live allocations are untouched.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}
