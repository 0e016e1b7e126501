//! `SS1xx`: what the sandbox refuses at compile time; `SS2xx`: what it warns about.
//! One rule per file; the doc comment of each rule is its `serverscript explain` text.
//!
//! The real boundary is capability — compiled code can only call the runtime's functions,
//! so there is no object graph to walk. These rules exist to give clear errors early and
//! to keep the language small (DESIGN.md, "Refused at compile time").

pub mod annotated_assignment;
pub mod async_syntax;
pub mod class_definition;
pub mod except_star;
pub mod forbidden_builtin;
pub mod generator_syntax;
pub mod import_forbidden;
pub mod introspection_attribute;
pub mod match_statement;
pub mod nonlocal_statement;
pub mod private_attribute;
pub mod private_attribute_by_name;
pub mod private_name;
pub mod reserved_name;
pub mod type_parameters;
pub mod unavailable_in_script_type;
pub mod undefined_name;
pub mod unknown_member;
pub mod with_statement;

/// The member of `candidates` closest to `name`, if close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(&str, usize)> = None;
    for c in candidates {
        let d = strsim::levenshtein(name, c);
        let limit = (name.len().max(3) / 3).max(1);
        if d <= limit && best.is_none_or(|(_, bd)| d < bd) {
            best = Some((c, d));
        }
    }
    best.map(|(c, _)| c)
}
