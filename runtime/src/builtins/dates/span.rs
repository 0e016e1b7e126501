//! `frappe.utils.get_timespan_date_range(timespan)`: the (from, to) pair of a named span
//! counted from today. Frappe builds each pair from its other helpers, so — faithfully —
//! some ends are dates and some are strings (`today`, `yesterday` and `tomorrow` give
//! strings; `this year` ends with `get_year_ending`'s string).

use super::*;

fn call(ctx: &mut Ctx, f: Func, args: &[Value]) -> PyResult {
    f(ctx, args, &[])
}

type Func = fn(&mut Ctx, &[Value], &Kwargs) -> PyResult;

/// `add_to_date(today_string, **{unit: n})` as Frappe's table writes it.
fn shifted(ctx: &mut Ctx, today: &Val, unit: &str, n: i64) -> PyResult {
    let z = Amount::Int(0);
    let a = Amount::Int(n);
    let (y, m, d) = match unit {
        "years" => (a, z, z),
        "months" => (z, a, z),
        _ => (z, z, a),
    };
    add_impl(ctx, today.v(), y, m, z, d, z, z, z, false, false)
}

pub fn get_timespan_date_range(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [span] = args(ctx, "get_timespan_date_range", ["timespan"], 1, a, k)?;
    let span = crate::ops::repr::to_str(ctx, span.unwrap())?;
    let today = pystr::new(strftime(ctx.settings.now(), DATE_FORMAT));
    let pair = |x: Val, y: Val| tuple::new(vec![x, y]);
    let both = |ctx: &mut Ctx, f: Func, g: Func, v: &Val| -> PyResult {
        let x = call(ctx, f, &[v.v()])?;
        let y = call(ctx, g, &[v.v()])?;
        Ok(pair(x, y))
    };
    let week = (get_first_day_of_week as Func, get_last_day_of_week as Func);
    let month = (get_first_day as Func, get_last_day as Func);
    let quarter = (get_quarter_start as Func, get_quarter_ending as Func);
    let year = (get_year_start as Func, get_year_ending as Func);
    Ok(match span.as_str() {
        "last week" => {
            let d = shifted(ctx, &today, "days", -7)?;
            both(ctx, week.0, week.1, &d)?
        }
        "last month" => {
            let d = shifted(ctx, &today, "months", -1)?;
            both(ctx, month.0, month.1, &d)?
        }
        "last quarter" => {
            let d = shifted(ctx, &today, "months", -3)?;
            both(ctx, quarter.0, quarter.1, &d)?
        }
        "last 6 months" => {
            let from = shifted(ctx, &today, "months", -6)?;
            let to = shifted(ctx, &today, "months", -3)?;
            let x = call(ctx, quarter.0, &[from.v()])?;
            let y = call(ctx, quarter.1, &[to.v()])?;
            pair(x, y)
        }
        "last year" => {
            let d = shifted(ctx, &today, "years", -1)?;
            both(ctx, year.0, year.1, &d)?
        }
        "yesterday" => {
            let d = shifted(ctx, &today, "days", -1)?;
            pair(d.clone(), d)
        }
        "today" => pair(today.clone(), today),
        "tomorrow" => {
            let d = shifted(ctx, &today, "days", 1)?;
            pair(d.clone(), d)
        }
        "this week" => both(ctx, week.0, week.1, &today)?,
        "this month" => both(ctx, month.0, month.1, &today)?,
        "this quarter" => both(ctx, quarter.0, quarter.1, &today)?,
        "this year" => both(ctx, year.0, year.1, &today)?,
        "next week" => {
            let d = shifted(ctx, &today, "days", 7)?;
            both(ctx, week.0, week.1, &d)?
        }
        "next month" => {
            let d = shifted(ctx, &today, "months", 1)?;
            both(ctx, month.0, month.1, &d)?
        }
        "next quarter" => {
            let d = shifted(ctx, &today, "months", 3)?;
            both(ctx, quarter.0, quarter.1, &d)?
        }
        "next 6 months" => {
            let from = shifted(ctx, &today, "months", 3)?;
            let to = shifted(ctx, &today, "months", 6)?;
            let x = call(ctx, quarter.0, &[from.v()])?;
            let y = call(ctx, quarter.1, &[to.v()])?;
            pair(x, y)
        }
        "next year" => {
            let d = shifted(ctx, &today, "years", 1)?;
            both(ctx, year.0, year.1, &d)?
        }
        // Frappe returns None for a span it does not know
        _ => Val::NONE,
    })
}
