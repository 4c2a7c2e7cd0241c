//! What the process asks of the C allocator (glibc's malloc on Linux) so that resident
//! memory stays close to what is in use.
//!
//! glibc gives each thread that allocates its own arena, up to eight per core; the SQLite
//! driver decodes rows on a thread per connection, the index writes on blocking threads,
//! and memory freed in one arena after the read model is built stays resident there. At
//! 100,000 initiatives that was about 200 MB after start-up. Two arenas (one per core of
//! the machines this runs on) and giving free pages back once the model is built keep
//! the process near its live data.

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
