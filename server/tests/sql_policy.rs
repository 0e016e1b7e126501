//! `frappe.db.sql` for scripts against a real SQLite site: reads work with Frappe's
//! placeholders; every write, stacked statement, private table, file function and
//! engine command is refused with PermissionError — by the parser and, behind it, by
//! SQLite's authorizer — and leaves the data as it was; each limit has its test.

use std::time::Duration;

use serde_json::{Value, json};
use serverscript_server::scripts::sql::{self, SqlLimits};
use serverscript_server::{Site, SiteTx};

struct Fixture {
    _dir: tempfile::TempDir,
    site: Site,
}

fn site() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = Site::open_or_create(&dir.path().join("test"), Some("admin")).unwrap();
    {
        let mut tx = site.begin("Administrator", true).unwrap();
        for (name, status) in [("T1", "Open"), ("T2", "Closed"), ("T3", "Open")] {
            tx.db
            .execute(
                "INSERT INTO `tabToDo` (name, status, description, owner, creation, modified, modified_by, docstatus, idx) \
                 VALUES (?1, ?2, 'x', 'Administrator', '2024-01-01', '2024-01-01', 'Administrator', 0, 0)",
                rusqlite::params![name, status],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    Fixture { _dir: dir, site }
}

fn run(
    tx: &mut SiteTx<'_>,
    q: &str,
    values: Value,
    as_dict: bool,
) -> Result<Vec<Value>, (String, String)> {
    sql::query(tx, q, &values, as_dict).map_err(|e| (e.exc_type.clone(), e.text.clone()))
}

#[test]
fn reads_return_rows_with_frappes_placeholders() {
    let f = site();
    let mut tx = f.site.begin("Administrator", false).unwrap();
    let rows = run(
        &mut tx,
        "select name, status from `tabToDo` where status = %s order by name",
        json!(["Open"]),
        false,
    )
    .unwrap();
    assert_eq!(rows, vec![json!(["T1", "Open"]), json!(["T3", "Open"])]);
    let rows = run(
        &mut tx,
        "select name from `tabToDo` where name in %(names)s and status like %(s)s order by name desc",
        json!({"names": ["T1", "T2", "T9"], "s": "%los%"}),
        true,
    )
    .unwrap();
    assert_eq!(rows, vec![json!({"name": "T2"})]);
    let rows = run(
        &mut tx,
        "/* leading comment */ WITH o AS (SELECT name FROM `tabToDo` WHERE status = 'Open') \
         SELECT count(*) AS n, ifnull(max(name), '') AS last FROM o LIMIT 0, 10",
        Value::Null,
        true,
    )
    .unwrap();
    assert_eq!(rows, vec![json!({"n": 2, "last": "T3"})]);
    let rows = run(&mut tx, "select 1.5, null, 'a%'", Value::Null, false).unwrap();
    assert_eq!(rows, vec![json!([1.5, null, "a%"])]);
}

#[test]
fn bypass_attempts_are_refused_and_change_nothing() {
    let f = site();
    let attempts = [
        "delete from `tabToDo`",
        "DELETE FROM tabToDo",
        "update `tabToDo` set status = 'Cancelled'",
        "insert into `tabToDo` (name) values ('evil')",
        "replace into `tabToDo` (name) values ('evil')",
        "drop table `tabToDo`",
        "create table evil (a)",
        "alter table `tabToDo` add column evil text",
        "select 1; delete from `tabToDo`",
        "select 1; select 2",
        "/* a comment */ delete from `tabToDo`",
        "-- a comment\ndelete from `tabToDo`",
        "select * from `tabToDo` -- \n; drop table `tabToDo`",
        "with x as (select 1) delete from `tabToDo`",
        "with x as (delete from `tabToDo` returning name) select * from x",
        "with x as (insert into `tabToDo` (name) values ('evil') returning name) select * from x",
        "select * into evil from `tabToDo`",
        "select name into @v from `tabToDo`",
        "select * from __Auth",
        "select * from `__Auth`",
        "select * from \"__Sessions\"",
        "select * from main.__Auth",
        "select * from [__Auth]",
        "select name from `tabToDo` where name in (select password from __Auth)",
        "select (select group_concat(sid) from __Sessions)",
        "select name from `tabToDo` union select password from __Auth",
        "select sql from sqlite_master",
        "select * from sqlite_schema",
        "select * from sqlite_temp_master",
        "select * from pragma_table_info('__Auth')",
        "select load_extension('/tmp/evil.so')",
        "select readfile('/etc/passwd')",
        "select writefile('/tmp/evil', 'x')",
        "select sqlite_compileoption_get(0)",
        "attach database '/tmp/evil.db' as evil",
        "detach database main",
        "pragma writable_schema = 1",
        "pragma journal_mode = delete",
        "vacuum into '/tmp/copy.db'",
        "vacuum",
        "reindex",
        "analyze",
        "begin",
        "commit",
        "rollback",
        "savepoint a",
        "explain delete from `tabToDo`",
        "create trigger t after insert on `tabToDo` begin delete from `tabToDo`; end",
        "ＤＥＬＥＴＥ ＦＲＯＭ tabToDo",
        "",
        "   ",
        ";",
    ];
    for q in attempts {
        let mut tx = f.site.begin("Administrator", true).unwrap();
        let err = run(&mut tx, q, Value::Null, false).expect_err(q);
        assert_eq!(err.0, "PermissionError", "{q}: {err:?}");
        tx.commit().unwrap();
    }
    let tx = f.site.begin("Administrator", false).unwrap();
    let n: i64 = tx
        .db
        .query_row(
            "select count(*) from `tabToDo` where status in ('Open', 'Closed')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 3, "the data is as it was");
    let auth: i64 = tx
        .db
        .query_row("select count(*) from __Auth", [], |r| r.get(0))
        .unwrap();
    assert_eq!(auth, 1, "the credentials are as they were");
}

#[test]
fn the_authorizer_refuses_what_the_parser_might_miss() {
    // below the parser: the statement SQLite prepares must be a read of allowed tables
    let f = site();
    let tx = f.site.begin("Administrator", true).unwrap();
    assert!(sql::check("select * from `tabToDo`").is_ok());
    drop(tx);
    let mut tx = f.site.begin("Administrator", true).unwrap();
    // a view over a private table: the view's own reads are authorized too
    tx.db
        .execute_batch("create temp view innocent as select password from __Auth")
        .unwrap();
    let err = run(&mut tx, "select * from innocent", Value::Null, false).unwrap_err();
    assert_eq!(err.0, "PermissionError", "{err:?}");
}

#[test]
fn placeholder_mistakes_are_errors_not_injections() {
    let f = site();
    let mut tx = f.site.begin("Administrator", false).unwrap();
    // a value is bound, never spliced: quotes in it stay data
    let rows = run(
        &mut tx,
        "select count(*) from `tabToDo` where name = %s",
        json!(["T1' or '1'='1"]),
        false,
    )
    .unwrap();
    assert_eq!(rows, vec![json!([0])]);
    assert_eq!(
        run(&mut tx, "select %s, %s", json!([1]), false)
            .unwrap_err()
            .0,
        "TypeError"
    );
    assert_eq!(
        run(&mut tx, "select %(x)s", json!({"y": 1}), false)
            .unwrap_err()
            .0,
        "KeyError"
    );
}

#[test]
fn row_time_and_size_limits_hold() {
    let f = site();
    let mut tx = f.site.begin("Administrator", false).unwrap();
    let count = "with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000) select n from r";
    let small = SqlLimits {
        rows: 100,
        ..SqlLimits::default()
    };
    let err = sql::query_within(&mut tx, count, &Value::Null, false, small).unwrap_err();
    assert_eq!(err.exc_type, "DataError");
    assert!(err.text.contains("more than 100 rows"), "{}", err.text);

    let forever =
        "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r";
    let quick = SqlLimits {
        time: Duration::from_millis(200),
        ..SqlLimits::default()
    };
    let err = sql::query_within(&mut tx, forever, &Value::Null, false, quick).unwrap_err();
    assert_eq!(err.exc_type, "QueryTimeoutError");

    let err = run(
        &mut tx,
        "select length(zeroblob(100000000))",
        Value::Null,
        false,
    )
    .unwrap_err();
    assert_eq!(err.0, "DataError", "{err:?}");

    // the connection is back to normal afterwards
    let rows = run(
        &mut tx,
        "select count(*) from `tabToDo`",
        Value::Null,
        false,
    )
    .unwrap();
    assert_eq!(rows, vec![json!([3])]);
}

#[test]
fn rows_of_big_values_stop_at_the_result_size_limit_before_they_are_kept() {
    let f = site();
    let mut tx = f.site.begin("Administrator", false).unwrap();
    // five values of 15 MB each: every one within SQLite's length limit, 75 MB together
    let five = "with r(n) as (values (1), (2), (3), (4), (5)) select zeroblob(15000000) from r";
    let err = run(&mut tx, five, Value::Null, false).unwrap_err();
    assert_eq!(err.0, "DataError", "{err:?}");
    assert!(err.1.contains("more than 64 MiB"), "{}", err.1);
    let small = SqlLimits {
        result_bytes: 1000,
        ..SqlLimits::default()
    };
    let err = sql::query_within(
        &mut tx,
        "select description from `tabToDo`, (values (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18), (19), (20))",
        &Value::Null,
        false,
        small,
    )
    .unwrap_err();
    assert_eq!(err.exc_type, "DataError", "{}", err.text);
    // within the limit, the same query answers
    let rows = run(
        &mut tx,
        "select length(zeroblob(15000000))",
        Value::Null,
        false,
    )
    .unwrap();
    assert_eq!(rows, vec![json!([15000000])]);
}

#[test]
fn storage_statistics_tables_are_refused() {
    // dbstat would tell the size and row count of __Auth and __Sessions
    let f = site();
    let mut tx = f.site.begin("Administrator", false).unwrap();
    for q in [
        "select name, ncell from dbstat",
        "select * from dbstat where name = '__Sessions'",
        "select sum(pgsize) from dbstat('main') where name like '\\_\\_%' escape '\\'",
        "select * from bytecode('select * from __Auth')",
        "select * from tables_used('select * from __Sessions')",
        "select * from DBSTAT",
    ] {
        let err = run(&mut tx, q, Value::Null, false).unwrap_err();
        assert_eq!(err.0, "PermissionError", "{q}: {err:?}");
    }
}

#[test]
fn a_query_stops_at_the_scripts_deadline_with_time_limit_exceeded() {
    let f = site();
    let mut tx = f.site.begin("Administrator", false).unwrap();
    let forever =
        "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r";
    let start = std::time::Instant::now();
    let limits = SqlLimits {
        deadline: Some(start + Duration::from_millis(200)),
        ..SqlLimits::default()
    };
    let err = sql::query_within(&mut tx, forever, &Value::Null, false, limits).unwrap_err();
    assert_eq!(err.exc_type, "TimeLimitExceeded", "{}", err.text);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "stopped at the deadline, not the query's own 10 s"
    );
    // past the deadline, the next query does not start at all
    let err = sql::query_within(&mut tx, "select 1", &Value::Null, false, limits).unwrap_err();
    assert_eq!(err.exc_type, "TimeLimitExceeded");
}
