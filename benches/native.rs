//! W1–W5 written by hand in Rust: the physical limit the side-by-side benchmark
//! (`benches/compare/run.sh`) compares the engines with. Each call does what an engine's
//! call does — builds its data from the parsed JSON input, computes, produces the JSON
//! result — with plain Rust types in between.
//!
//! Usage: native-workloads WORKLOAD_DIR W1:N1,W2:N2,... SAMPLES (calls per sample of each
//! workload); prints one JSON object per line: {"workload", "engine": "native",
//! "per_call_ns": [...], "result"}.

use std::collections::HashMap;
use std::time::Instant;

use serde_json::{Map, Value, json};
use serverscript_runtime::builtins::frappe::{Rounded, bankers_rounding_legacy};

// the allocator the engine uses too
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn wrap(key: &str, v: Value) -> Value {
    let mut m = Map::new();
    m.insert(key.into(), v);
    Value::Object(m)
}

/// Frappe's `flt(x, precision)` with its default rounding.
fn flt(x: f64, precision: i64) -> f64 {
    match bankers_rounding_legacy(x, precision) {
        Rounded::Float(f) | Rounded::Int(f) => f,
    }
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

fn w1(input: &Value) -> Value {
    let mut doc: Map<String, Value> = input["doc"].as_object().unwrap().clone();
    if doc["description"].as_str().unwrap_or("").contains("test") {
        doc.insert("status".into(), "Closed".into());
    }
    wrap("doc", Value::Object(doc))
}

fn w2(input: &Value) -> Value {
    // the marshalling: the document as the script's own data
    let mut doc: Map<String, Value> = input["doc"].as_object().unwrap().clone();
    let discount = num(&doc["discount_amount"]);
    let taxes = num(&doc["total_taxes_and_charges"]);
    let (mut total, mut total_qty_f, mut total_qty_i, mut all_int) = (0.0, 0.0, 0i64, true);
    let Some(Value::Array(rows)) = doc.get_mut("items") else {
        unreachable!("W2 has items")
    };
    for r in rows.iter_mut() {
        let qty = &r["qty"];
        let q = num(qty);
        if q < 0.0 {
            let msg = format!(
                "Row {}: Quantity cannot be negative for {}",
                r["idx"],
                r["item_code"].as_str().unwrap_or("")
            );
            return wrap("error", Value::String(msg));
        }
        match qty.as_i64() {
            Some(i) => total_qty_i += i,
            None => all_int = false,
        }
        total_qty_f += q;
        let amount = flt(q * num(&r["rate"]), 2);
        total += amount;
        r["amount"] = Value::from(amount);
    }
    // integer quantities sum to an int, as in Python
    doc.insert(
        "total_qty".into(),
        if all_int {
            Value::from(total_qty_i)
        } else {
            Value::from(total_qty_f)
        },
    );
    let total = flt(total, 2);
    doc.insert("total".into(), Value::from(total));
    doc.insert(
        "grand_total".into(),
        Value::from(flt(total - discount + taxes, 2)),
    );
    wrap("doc", Value::Object(doc))
}

fn w3(input: &Value) -> Value {
    let limit: i64 = input["form_dict"]["limit"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let (mut count, mut last, mut n) = (1, 2, 3);
    while n < limit {
        let mut is_prime = true;
        let mut d = 3;
        while d * d <= n {
            if n % d == 0 {
                is_prime = false;
                break;
            }
            d += 2;
        }
        if is_prime {
            count += 1;
            last = n;
        }
        n += 2;
    }
    json!({"message": {"count": count, "last": last}})
}

fn w4(input: &Value) -> Value {
    let text = input["form_dict"]["text"].as_str().unwrap();
    let mut counts: HashMap<String, i64> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for word in text.split(' ') {
        let w = word.to_lowercase();
        match counts.get_mut(&w) {
            Some(c) => *c += 1,
            None => {
                order.push(w.clone());
                counts.insert(w, 1);
            }
        }
    }
    let mut top: Vec<(&String, i64)> = order.iter().map(|w| (w, counts[w])).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    top.truncate(10);
    let total: i64 = counts.values().sum();
    let summary = format!(
        "{} unique of {total} words; top: {}",
        counts.len(),
        top.iter()
            .map(|(w, c)| format!("{w}={c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let top: Vec<Value> = top.iter().map(|(w, c)| json!([w, c])).collect();
    json!({"message": {"top": top, "summary": summary}})
}

fn w5(input: &Value) -> Value {
    let text = input["form_dict"]["payload"].as_str().unwrap();
    let mut payload: Value = serde_json::from_str(text).unwrap();
    let entries = payload["entries"].as_array_mut().unwrap();
    for e in entries.iter_mut() {
        let amount = match (e["qty"].as_i64(), e["rate"].as_i64()) {
            (Some(q), Some(r)) => json!(q * r),
            _ => json!(num(&e["qty"]) * num(&e["rate"])),
        };
        e["amount"] = amount;
    }
    let count = entries.len();
    payload["count"] = json!(count);
    let out = serde_json::to_string(&payload).unwrap();
    let back: Value = serde_json::from_str(&out).unwrap();
    let back_entries = back["entries"].as_array().unwrap();
    let total: f64 = back_entries.iter().map(|e| num(&e["amount"])).sum();
    let active = back_entries
        .iter()
        .filter(|e| e["attrs"]["active"].as_bool().unwrap_or(false))
        .count();
    json!({"message": {"count": back["count"], "total": total, "active": active, "same": back == payload}})
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = &args[1];
    let samples: usize = args[3].parse().unwrap();
    let plan: Vec<(String, usize)> = args[2]
        .split(',')
        .map(|item| {
            let (w, n) = item.split_once(':').expect("W:N");
            (w.to_string(), n.parse().expect("a count"))
        })
        .collect();
    for (w, n) in plan {
        let input: Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{dir}/{w}.json")).unwrap())
                .unwrap();
        let f: fn(&Value) -> Value = match w.as_str() {
            "W1" => w1,
            "W2" => w2,
            "W3" => w3,
            "W4" => w4,
            "W5" => w5,
            other => panic!("unknown workload {other}"),
        };
        let mut result = Value::Null;
        for _ in 0..(n / 10).max(1) {
            result = std::hint::black_box(f(std::hint::black_box(&input)));
        }
        let mut per_call = Vec::new();
        for _ in 0..samples {
            let start = Instant::now();
            for _ in 0..n {
                result = std::hint::black_box(f(std::hint::black_box(&input)));
            }
            per_call.push(start.elapsed().as_nanos() as f64 / n as f64);
        }
        println!(
            "{}",
            json!({"workload": w, "engine": "native", "per_call_ns": per_call, "result": result})
        );
    }
}
