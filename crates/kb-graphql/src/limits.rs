use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Positioned, ServerError, ServerResult, Variables};

/// Limits on the shape of a query; exceeding one fails the request with
/// `LIMIT_EXCEEDED` before anything is executed. The README documents the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of fields.
    pub depth: usize,
    /// Sum of field costs; a list field costs its page size times its children.
    pub complexity: usize,
    /// Deepest nesting of selection sets, fragments included (checked before parsing
    /// finishes, against stack exhaustion).
    pub recursive_depth: usize,
    /// Directives on one field.
    pub directives: usize,
    /// Aliased fields in one document.
    pub aliases: usize,
    /// Fields at the root of one operation.
    pub root_fields: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            depth: 12,
            complexity: 20_000,
            recursive_depth: 32,
            directives: 8,
            aliases: 30,
            root_fields: 20,
        }
    }
}

impl ExtensionFactory for Limits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

fn count_aliases(doc: &ExecutableDocument, set: &SelectionSet, seen: &mut usize, depth: usize) {
    if depth > 64 {
        return;
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                if f.node.alias.is_some() {
                    *seen += 1;
                }
                count_aliases(doc, &f.node.selection_set.node, seen, depth + 1);
            }
            Selection::InlineFragment(f) => {
                count_aliases(doc, &f.node.selection_set.node, seen, depth + 1)
            }
            Selection::FragmentSpread(s) => {
                if let Some(f) = doc.fragments.get(&s.node.fragment_name.node) {
                    count_aliases(doc, &f.node.selection_set.node, seen, depth + 1);
                }
            }
        }
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for Limits {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        for (_, op) in doc.operations.iter() {
            let set: &Positioned<SelectionSet> = &op.node.selection_set;
            if set.node.items.len() > self.root_fields {
                return Err(ServerError::new(
                    format!(
                        "Too many root fields: at most {} per operation",
                        self.root_fields
                    ),
                    Some(set.pos),
                ));
            }
            let mut aliases = 0;
            count_aliases(&doc, &set.node, &mut aliases, 0);
            if aliases > self.aliases {
                return Err(ServerError::new(
                    format!("Too many aliases: at most {} per operation", self.aliases),
                    Some(set.pos),
                ));
            }
        }
        Ok(doc)
    }
}
