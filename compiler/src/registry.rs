//! Every rule, by code. `serverscript rules` lists this table; `serverscript explain`
//! looks rules up in it; the rule tests iterate it.

use crate::policy::*;
use crate::rule::Rule;
use crate::syntax::*;

pub static RULES: &[&Rule] = &[
    &syntax_error::RULE,
    &invalid_encoding::RULE,
    &null_byte::RULE,
    &source_too_large::RULE,
    &nesting_too_deep::RULE,
    &integer_literal_too_long::RULE,
    &return_outside_function::RULE,
    &loop_control_outside_loop::RULE,
    &invalid_target::RULE,
    &global_declaration::RULE,
    &bare_except_not_last::RULE,
    &function_too_large::RULE,
    &import_forbidden::RULE,
    &private_name::RULE,
    &private_attribute::RULE,
    &private_attribute_by_name::RULE,
    &forbidden_builtin::RULE,
    &class_definition::RULE,
    &async_syntax::RULE,
    &generator_syntax::RULE,
    &nonlocal_statement::RULE,
    &with_statement::RULE,
    &match_statement::RULE,
    &annotated_assignment::RULE,
    &reserved_name::RULE,
    &except_star::RULE,
    &type_parameters::RULE,
    &introspection_attribute::RULE,
    &undefined_name::RULE,
    &unknown_member::RULE,
    &unavailable_in_script_type::RULE,
];

/// Finds a rule by code (`SS101`, `ss101`) or name (`import-forbidden`).
pub fn find(key: &str) -> Option<&'static Rule> {
    let key = key.trim();
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_sorted() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
        let sorted = {
            let mut c = codes.clone();
            c.sort();
            c
        };
        assert_eq!(codes, sorted, "keep RULES in code order");
        codes.dedup();
        assert_eq!(codes.len(), RULES.len(), "duplicate code");
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), RULES.len(), "duplicate name");
    }

    #[test]
    fn every_rule_is_documented() {
        for r in RULES {
            let doc = r.documentation();
            assert!(
                doc.contains("## What it does"),
                "{} lacks 'What it does'",
                r.code
            );
            assert!(doc.contains("## Why"), "{} lacks 'Why'", r.code);
            assert!(doc.contains("## Example"), "{} lacks 'Example'", r.code);
            assert!(r.code.starts_with("SS") && r.code.len() == 5, "{}", r.code);
        }
    }

    #[test]
    fn find_accepts_code_or_name() {
        assert_eq!(find("ss101").map(|r| r.code), Some("SS101"));
        assert_eq!(find("import-forbidden").map(|r| r.code), Some("SS101"));
        assert!(find("SS999").is_none());
    }
}
