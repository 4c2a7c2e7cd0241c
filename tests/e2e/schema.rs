//! `schema.graphql` is what the code exports; on drift the file is rewritten and the
//! test fails, so that the change shows up in review.

#[test]
fn schema_graphql_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema.graphql");
    let exported = kb_graphql::sdl();
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed != exported {
        std::fs::write(path, &exported).expect("rewrite schema.graphql");
        panic!("schema.graphql was not up to date; it has been rewritten: review and commit it");
    }
}

#[test]
fn every_node_type_is_a_federation_entity() {
    let sdl = kb_graphql::sdl();
    for t in ["Initiative", "Theme", "Topic", "Organisation", "Event"] {
        assert!(
            sdl.contains(&format!("type {t} implements Node @key(fields: \"id\")")),
            "{t}"
        );
    }
    assert!(sdl.contains("@link(\n\turl: \"https://specs.apollo.dev/federation/v2"));
}
