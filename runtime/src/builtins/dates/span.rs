//! `frappe.utils.get_timespan_date_range(timespan)`: the (from, to) pair of a named span
//! counted from today ([`super::timespan::range`]). Frappe builds each pair from its
//! other helpers, so — faithfully — some ends are dates and some are strings: `today`,
//! `yesterday` and `tomorrow` give two strings (from `nowdate`/`add_to_date` on a
//! string), and the year spans end with `get_year_ending`'s string.

use super::*;

pub fn get_timespan_date_range(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [span] = args(ctx, "get_timespan_date_range", ["timespan"], 1, a, k)?;
    let span = crate::ops::repr::to_str(ctx, span.unwrap())?;
    let today = ctx.settings.now().date();
    // Frappe returns None for a span it does not know
    let Some((from, to)) = timespan::range(&span, today, ctx.settings.week_start_index()) else {
        return Ok(Val::NONE);
    };
    let as_str = |d: Date| pystr::new(d.strftime(DATE_FORMAT).to_string());
    let (from, to) = match span.as_str() {
        "today" | "yesterday" | "tomorrow" => (as_str(from), as_str(to)),
        "last year" | "this year" | "next year" => (pydate::new_date(from), as_str(to)),
        _ => (pydate::new_date(from), pydate::new_date(to)),
    };
    Ok(tuple::new(vec![from, to]))
}
