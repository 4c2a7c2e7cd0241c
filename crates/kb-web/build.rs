//! The content hash of every asset under `assets/`, so that its URL changes exactly when
//! its content does and browsers may keep it for a year. Each hash is the first 8 hex
//! digits of the file's SHA-256, passed to the crate as an environment variable
//! (`KB_ASSET_<NAME>`), computed once per build rather than at each start.

use sha2::{Digest, Sha256};

/// The variable of each asset, and its file.
const ASSETS: [(&str, &str); 12] = [
    ("KB_ASSET_SITE_CSS", "assets/site.css"),
    ("KB_ASSET_SUGGEST_JS", "assets/suggest.js"),
    ("KB_ASSET_MAP_JS", "assets/map.js"),
    (
        "KB_ASSET_GRAPHIQL_JS",
        "assets/vendor/graphiql/graphiql.min.js",
    ),
    (
        "KB_ASSET_GRAPHIQL_CSS",
        "assets/vendor/graphiql/graphiql.min.css",
    ),
    (
        "KB_ASSET_REACT_JS",
        "assets/vendor/graphiql/react.production.min.js",
    ),
    (
        "KB_ASSET_REACT_DOM_JS",
        "assets/vendor/graphiql/react-dom.production.min.js",
    ),
    ("KB_ASSET_GRAPHIQL_START_JS", "assets/graphiql/start.js"),
    ("KB_ASSET_GRAPHIQL_PAGE_CSS", "assets/graphiql/page.css"),
    (
        "KB_ASSET_LICENSE_GRAPHIQL",
        "assets/vendor/graphiql/LICENSE.graphiql",
    ),
    (
        "KB_ASSET_LICENSE_REACT",
        "assets/vendor/graphiql/LICENSE.react",
    ),
    (
        "KB_ASSET_LICENSE_REACT_DOM",
        "assets/vendor/graphiql/LICENSE.react-dom",
    ),
];

fn main() {
    for (variable, path) in ASSETS {
        println!("cargo::rerun-if-changed={path}");
        let content = match std::fs::read(path) {
            Ok(content) => content,
            Err(e) => panic!("cannot read the asset {path}: {e}"),
        };
        let hash = hex::encode(&Sha256::digest(&content)[..4]);
        println!("cargo::rustc-env={variable}={hash}");
    }
}
