//! `kennisbank schema`.

/// Prints the SDL of the public API, as `schema.graphql` holds it.
pub fn run() {
    print!("{}", kb_graphql::sdl());
}
