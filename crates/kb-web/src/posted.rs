//! A form as the browser posted it (`application/x-www-form-urlencoded`), its repeated
//! keys kept in order.

/// The fields of a posted form.
#[derive(Debug, Default)]
pub(crate) struct Posted(Vec<(String, String)>);

impl Posted {
    pub(crate) fn parse(body: &[u8]) -> Self {
        Posted(
            url::form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `key`, or empty.
    pub(crate) fn one(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every field, in order.
    pub(crate) fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_are_kept_and_the_first_is_one() {
        let p = Posted::parse(b"themes=a&themes=b&title=Buddy+%26+co&leeg=");
        assert_eq!(p.one("themes"), "a");
        assert_eq!(p.one("title"), "Buddy & co");
        assert_eq!(p.one("leeg"), "");
        assert_eq!(p.one("nergens"), "");
        assert_eq!(p.pairs().len(), 4);
    }
}
