//! The `frappe` calls that reach the site, in-process against a real SQLite site in a
//! temporary folder: `frappe.db.get_value` by name (target ≤ 5 µs) and `frappe.get_doc`
//! of a document with 50 child rows (target ≤ 50 µs), each timed per call from inside a
//! script that makes the call in a loop (so the run's fixed cost is spread), plus the
//! raw site calls without a script for comparison.

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use serverscript_compiler::{RunInput, ScriptType, Tier, compile_with};
use serverscript_runtime::host::{Host, ListQuery, WriteFlags};
use serverscript_server::Site;
use serverscript_server::model::lifecycle;
use serverscript_server::scripts::host::SiteHost;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Calls per script run.
const CALLS: usize = 1000;

/// A site with the benchmark's documents, and the name of a ToDo in the middle of its
/// 1 000 (ToDo names are hashes, so it is looked up after the inserts).
fn site() -> (tempfile::TempDir, Site, String) {
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = Site::open_or_create(&dir.path().join("bench"), Some("admin")).unwrap();
    fill(&site);
    let tx = site.begin("Administrator", false).unwrap();
    let todo: String = tx
        .db
        .query_row(
            "SELECT name FROM `tabToDo` ORDER BY name LIMIT 1 OFFSET 500",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(tx);
    (dir, site, todo)
}

fn fill(site: &Site) {
    let mut tx = site.begin("Administrator", true).unwrap();
    let flags = WriteFlags {
        ignore_permissions: true,
        ..WriteFlags::default()
    };
    let obj = |v: Value| v.as_object().unwrap().clone();
    lifecycle::insert(
        &mut tx,
        obj(json!({"doctype": "DocType", "name": "Bench Item", "istable": 1, "module": "Bench", "custom": 1,
                   "fields": [{"fieldname": "item_code", "fieldtype": "Data", "label": "Item"},
                              {"fieldname": "qty", "fieldtype": "Float", "label": "Qty"},
                              {"fieldname": "rate", "fieldtype": "Currency", "label": "Rate"},
                              {"fieldname": "amount", "fieldtype": "Currency", "label": "Amount"},
                              {"fieldname": "uom", "fieldtype": "Data", "label": "UOM"}]})),
        &flags,
    )
    .unwrap();
    lifecycle::insert(
        &mut tx,
        obj(json!({"doctype": "DocType", "name": "Bench Order", "module": "Bench", "custom": 1, "autoname": "field:title",
                   "fields": [{"fieldname": "title", "fieldtype": "Data", "label": "Title"},
                              {"fieldname": "customer", "fieldtype": "Data", "label": "Customer"},
                              {"fieldname": "items", "fieldtype": "Table", "label": "Items", "options": "Bench Item"}],
                   "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}]})),
        &flags,
    )
    .unwrap();
    let items: Vec<Value> = (0..50)
        .map(|i| json!({"item_code": format!("ITEM-{i:03}"), "qty": i, "rate": 2.5, "amount": 2.5 * i as f64, "uom": "Nos"}))
        .collect();
    lifecycle::insert(
        &mut tx,
        obj(json!({"doctype": "Bench Order", "title": "ORD-1", "customer": "C", "items": items})),
        &flags,
    )
    .unwrap();
    for i in 0..1000 {
        lifecycle::insert(
            &mut tx,
            obj(json!({"doctype": "ToDo", "description": format!("task {i}")})),
            &flags,
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

fn per_call_script(c: &mut Criterion, site: &Site, label: &str, src: &str) {
    let code = Arc::new(
        compile_with("bench.py", src.as_bytes(), ScriptType::Api, Tier::Optimized).unwrap(),
    );
    let input = RunInput {
        settings: Some(site.settings()),
        ..RunInput::default()
    };
    let mut group = c.benchmark_group("site");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function(format!("{label} (per call, {CALLS} calls per run)"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut tx = site.begin("Administrator", false).unwrap();
                let start = std::time::Instant::now();
                let out = {
                    let mut host = SiteHost::new(&mut tx, false);
                    code.run_in(&input, Some(&mut host))
                };
                total += start.elapsed();
                assert!(out.error.is_none(), "{:?}", out.error);
                tx.rollback().unwrap();
            }
            total / CALLS as u32
        })
    });
    group.finish();
}

fn bench_site(c: &mut Criterion) {
    let (_dir, site, todo) = site();
    per_call_script(
        c,
        &site,
        "frappe.db.get_value by name",
        &format!(
            "for i in range({CALLS}):\n    s = frappe.db.get_value('ToDo', '{todo}', 'status')\nassert s == 'Open'\nfrappe.response['message'] = s"
        ),
    );
    per_call_script(
        c,
        &site,
        "frappe.get_doc with 50 child rows",
        &format!(
            "for i in range({CALLS}):\n    d = frappe.get_doc('Bench Order', 'ORD-1')\nfrappe.response['message'] = len(d.items)"
        ),
    );
    per_call_script(
        c,
        &site,
        "frappe.get_doc with 50 child rows, reading every row",
        &format!(
            "t = 0\nfor i in range({CALLS}):\n    d = frappe.get_doc('Bench Order', 'ORD-1')\n    for r in d.items:\n        t += r.qty\nfrappe.response['message'] = t"
        ),
    );
    let mut group = c.benchmark_group("site");
    group.bench_function("host get_list (get_value's query) without a script", |b| {
        let mut tx = site.begin("Administrator", false).unwrap();
        let mut host = SiteHost::new(&mut tx, false);
        let mut q = ListQuery::new("ToDo");
        q.fields = vec!["status".into()];
        q.filters = json!({ "name": todo });
        q.limit = Some(1);
        b.iter(|| host.get_list(std::hint::black_box(&q)).unwrap())
    });
    group.bench_function("host get_doc of 50 child rows without a script", |b| {
        let mut tx = site.begin("Administrator", false).unwrap();
        let mut host = SiteHost::new(&mut tx, false);
        b.iter(|| {
            host.get_doc("Bench Order", std::hint::black_box("ORD-1"))
                .unwrap()
        })
    });
    group.bench_function("raw SQLite floor: get_value's row read by name", |b| {
        let tx = site.begin("Administrator", false).unwrap();
        b.iter(|| {
            let mut stmt = tx
                .db
                .prepare_cached("SELECT status FROM `tabToDo` WHERE name = ?1 LIMIT 1")
                .unwrap();
            let status: Option<String> = stmt
                .query_row([std::hint::black_box(&todo)], |r| r.get(0))
                .unwrap();
            status
        })
    });
    // The floor any store of this shape pays on this machine: the same two prepared
    // queries stepped through SQLite with every column read and every text copied into
    // an owned String (what a document that outlives the statement needs), no document
    // built. `get_doc` above ÷ this is the machine-independent figure.
    group.bench_function("raw SQLite floor: the same rows read into owned values", |b| {
        let tx = site.begin("Administrator", false).unwrap();
        let copy = std::env::var_os("FLOOR_NOCOPY").is_none();
        b.iter(|| {
            let mut cells: Vec<Option<String>> = Vec::with_capacity(1024);
            for (sql, params) in [
                ("SELECT * FROM `tabBench Order` WHERE name = ?1", &["ORD-1"][..]),
                (
                    "SELECT * FROM `tabBench Item` WHERE parent = ?1 AND parenttype = ?2 AND parentfield = ?3 ORDER BY idx",
                    &["ORD-1", "Bench Order", "items"][..],
                ),
            ] {
                let mut stmt = tx.db.prepare_cached(sql).unwrap();
                let width = stmt.column_count();
                let mut q = stmt.query(rusqlite::params_from_iter(params.iter())).unwrap();
                while let Some(row) = q.next().unwrap() {
                    for i in 0..width {
                        cells.push(match row.get_ref(i).unwrap() {
                            rusqlite::types::ValueRef::Text(t) if copy => {
                                Some(std::str::from_utf8(t).unwrap().to_owned())
                            }
                            _ => None,
                        });
                    }
                }
            }
            assert!(cells.len() > 50);
            cells
        })
    });
    group.finish();
}

criterion_group!(benches, bench_site);
criterion_main!(benches);
