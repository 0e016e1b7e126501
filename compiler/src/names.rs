//! Identifier normalisation and the underscore rule's predicate.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// NFKC-normalises an identifier, as CPython does while parsing: `𝐞𝐯𝐚𝐥` is `eval`, a
/// fullwidth low line `＿` is `_`. ASCII identifiers (nearly all) are returned as is.
pub fn normalize(name: &str) -> Cow<'_, str> {
    if name.is_ascii() {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(name.nfkc().collect())
    }
}

/// Whether a (normalised) name or attribute is private: starts with `_` and is neither
/// the translate function `_` nor the attribute-dict class `_dict`.
pub fn is_private(name: &str) -> bool {
    name.starts_with('_') && name != "_" && name != "_dict"
}

/// Whether a name is a dunder (`__x__`), the shape of Python's internals.
pub fn is_dunder(name: &str) -> bool {
    name.len() > 4 && name.starts_with("__") && name.ends_with("__")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_folds_lookalikes() {
        assert_eq!(normalize("𝐞𝐯𝐚𝐥"), "eval");
        assert_eq!(normalize("_＿class＿＿"), "__class__");
        assert_eq!(normalize("ᵉval"), "eval");
        assert!(matches!(normalize("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn private_names_exclude_translate_and_dict() {
        assert!(is_private("_x"));
        assert!(is_private("__class__"));
        assert!(!is_private("_"));
        assert!(!is_private("_dict"));
        assert!(!is_private("x_"));
        assert!(is_dunder("__class__"));
        assert!(!is_dunder("__"));
    }
}
