//! Documents: Frappe's `Document` as scripts see it — fields read and written as
//! attributes (a missing field reads `None`), child tables as lists of documents.
//!
//! **Fields are converted on first use.** A document built from JSON (the `doc` of a
//! DocType Event, a `frappe.get_doc` result) keeps that JSON as its *source* and turns
//! a field into a runtime value only when the script reads it; writes go to the
//! converted fields. A Before Save script that reads two fields of a 200-field invoice
//! converts two. Converting back ([`to_json_fast`]) copies the source and replaces what
//! was converted. The *logical* field order — what `as_dict()` and JSON show — is the
//! source's order followed by fields the script added.
//!
//! A source is either owned by the document, or borrowed from the run's input (which
//! outlives every object of the run; see [`from_json_borrowed`]). A document the site
//! read (`frappe.get_doc`) owns a [`StoredDoc`]: its child rows are values in the order
//! of their table's shared [`Columns`], so a row costs no key strings until it is
//! converted back to JSON, and a value every row has is kept once
//! ([`RowShape::common`](crate::host::RowShape)).

use std::borrow::Cow;
use std::cell::{Ref, RefCell};
use std::ptr::NonNull;
use std::sync::Arc;

use indexmap::IndexMap;

use crate::heap::{self, Kind, Payload};
use crate::host::{RowShape, StoredDoc, Table};
use crate::ops::convert::{self, JsonObjects};
use crate::value::{Val, Value};

pub type Fields = IndexMap<Box<str>, Val, foldhash::fast::RandomState>;
type JsonMap = serde_json::Map<String, serde_json::Value>;

enum Source {
    None,
    /// The run's input: valid for the whole run, never mutated.
    Borrowed(NonNull<JsonMap>),
    /// A site result moved into the document. A converted child table leaves `null` in
    /// `fields` (the key keeps its position in the logical order) and leaves `tables`.
    Owned(Box<StoredDoc>),
    /// A child row the site read: values in the order of its table's columns (`null`
    /// where the table keeps the value every row has, in the shape).
    Row(Arc<RowShape>, Box<[serde_json::Value]>),
}

impl Source {
    fn contains(&self, name: &str) -> bool {
        match self {
            Source::None => false,
            // SAFETY: `from_json_borrowed`'s contract.
            Source::Borrowed(p) => unsafe { p.as_ref() }.contains_key(name),
            Source::Owned(d) => d.fields.contains_key(name),
            Source::Row(shape, _) => shape.columns.position(name).is_some(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Source::None => 0,
            // SAFETY: `from_json_borrowed`'s contract.
            Source::Borrowed(p) => unsafe { p.as_ref() }.len(),
            Source::Owned(d) => d.fields.len(),
            Source::Row(shape, _) => shape.columns.names().len(),
        }
    }

    /// The unconverted source as one JSON object (child tables as arrays of objects):
    /// borrowed when it is one already, built for stored tables and rows.
    fn json(&self) -> Option<Cow<'_, JsonMap>> {
        match self {
            Source::None => None,
            // SAFETY: `from_json_borrowed`'s contract.
            Source::Borrowed(p) => Some(Cow::Borrowed(unsafe { p.as_ref() })),
            Source::Owned(d) if d.tables.is_empty() => Some(Cow::Borrowed(&d.fields)),
            Source::Owned(d) => {
                let mut map = d.fields.clone();
                for (field, table) in &d.tables {
                    if let Some(slot) = map.get_mut(field) {
                        *slot = table.to_json();
                    }
                }
                Some(Cow::Owned(map))
            }
            Source::Row(shape, row) => Some(Cow::Owned(shape.row_json(row))),
        }
    }
}

pub struct DocObj {
    /// Converted fields and fields the script set; they win over the source.
    fields: RefCell<Fields>,
    /// Fields not converted yet (a key also in `fields` is shadowed).
    source: RefCell<Source>,
    /// `doc.flags`: a `_dict`, created on first use.
    pub flags: RefCell<Option<Val>>,
    /// The stored version this document replaced in its last `save()`/`submit()`/
    /// `cancel()` from the script (`get_doc_before_save()`).
    pub before_save: RefCell<Option<Val>>,
}

impl Payload for DocObj {
    const KIND: Kind = Kind::Document;
    fn owned_bytes(&self) -> usize {
        self.fields.borrow().capacity() * 40
    }
}

/// A document of already converted fields.
pub fn new(fields: Fields) -> Val {
    heap::alloc(DocObj {
        fields: RefCell::new(fields),
        source: RefCell::new(Source::None),
        flags: RefCell::new(None),
        before_save: RefCell::new(None),
    })
}

/// A document whose fields stay in `map` until read.
pub fn from_json_owned(map: JsonMap) -> Val {
    from_stored(StoredDoc::from(map))
}

/// A document the site read, fields and child rows converted when read.
pub fn from_stored(doc: StoredDoc) -> Val {
    with_source(Source::Owned(Box::new(doc)))
}

fn with_source(source: Source) -> Val {
    heap::alloc(DocObj {
        fields: RefCell::new(Fields::default()),
        source: RefCell::new(source),
        flags: RefCell::new(None),
        before_save: RefCell::new(None),
    })
}

/// A stored child table as a list of documents, one per row.
fn table_value(table: Table) -> Val {
    let Table { shape, rows } = table;
    crate::object::list::new(
        rows.into_iter()
            .map(|row| with_source(Source::Row(shape.clone(), row)))
            .collect(),
    )
}

/// A document reading its fields from `map` in place.
///
/// # Safety
/// `map` must stay valid and unchanged until the document is dropped — the run's input
/// qualifies: it is borrowed for the whole run, and the run heap frees every object of
/// the run before the run returns (dropping a document never reads its source).
pub unsafe fn from_json_borrowed(map: &JsonMap) -> Val {
    with_source(Source::Borrowed(NonNull::from(map)))
}

pub fn get(v: Value) -> Option<&'static DocObj> {
    heap::get::<DocObj>(v)
}

impl DocObj {
    /// A field's value (new reference), `None` when missing.
    pub fn field(&self, name: &str) -> Val {
        if let Some(v) = self.fields.borrow().get(name) {
            return v.clone();
        }
        match self.convert_from_source(name) {
            Some(v) => v,
            None => Val::NONE,
        }
    }

    /// Whether the document has the field (set, or in its source).
    pub fn has_field(&self, name: &str) -> bool {
        self.fields.borrow().contains_key(name) || self.source.borrow().contains(name)
    }

    pub fn set_field(&self, name: &str, value: Val) {
        let mut fields = self.fields.borrow_mut();
        match fields.get_mut(name) {
            Some(slot) => *slot = value,
            None => {
                fields.insert(name.into(), value);
            }
        }
    }

    /// `del doc.name`.
    pub fn remove_field(&self, name: &str) {
        self.materialize();
        self.fields.borrow_mut().shift_remove(name);
    }

    /// Every field, converted, in logical order (for `as_dict`, comparisons, `repr`).
    pub fn all_fields(&self) -> Ref<'_, Fields> {
        self.materialize();
        self.fields.borrow()
    }

    /// Replaces every field (after a save: what the site stored).
    pub fn replace_with(&self, other: &DocObj) {
        let fields = std::mem::take(&mut *other.fields.borrow_mut());
        let source = std::mem::replace(&mut *other.source.borrow_mut(), Source::None);
        *self.fields.borrow_mut() = fields;
        *self.source.borrow_mut() = source;
    }

    /// Converts a source field. Strings, dicts and child tables are cached among the
    /// converted fields (a dict or row the script changes must stay changed; a string
    /// read twice is not copied twice); numbers, booleans and None are immutable and
    /// cheap to convert, so they are converted on every read and the source keeps them —
    /// a loop reading `row.qty` once per row allocates no cache.
    fn convert_from_source(&self, name: &str) -> Option<Val> {
        let (v, cache) = {
            let mut source = self.source.borrow_mut();
            match &mut *source {
                Source::None => return None,
                Source::Borrowed(p) => {
                    // SAFETY: `from_json_borrowed`'s contract.
                    let map = unsafe { p.as_ref() };
                    let j = map.get(name)?;
                    // SAFETY: a part of the borrowed source lives as long as it.
                    (unsafe { field_value_borrowed(j) }, worth_caching(j))
                }
                Source::Owned(doc) => match doc.tables.iter().position(|(k, _)| k == name) {
                    Some(i) => (table_value(doc.tables.swap_remove(i).1), true),
                    None => {
                        let j = doc.fields.get_mut(name)?;
                        let cache = worth_caching(j);
                        (field_value_owned(j), cache)
                    }
                },
                Source::Row(shape, row) => row_field(shape, row, name)?,
            }
        };
        if cache {
            self.fields.borrow_mut().insert(name.into(), v.clone());
        }
        Some(v)
    }

    /// Converts what is left of the source, putting the fields in logical order.
    fn materialize(&self) {
        let source = std::mem::replace(&mut *self.source.borrow_mut(), Source::None);
        let mut converted = std::mem::take(&mut *self.fields.borrow_mut());
        let mut out =
            Fields::with_capacity_and_hasher(converted.len() + source.len(), Default::default());
        match source {
            Source::None => {
                *self.fields.borrow_mut() = converted;
                return;
            }
            Source::Borrowed(p) => {
                // SAFETY: `from_json_borrowed`'s contract.
                let map = unsafe { p.as_ref() };
                for (k, j) in map {
                    let v = match converted.shift_remove(k.as_str()) {
                        Some(v) => v,
                        // SAFETY: as above.
                        None => unsafe { field_value_borrowed(j) },
                    };
                    out.insert(k.as_str().into(), v);
                }
            }
            Source::Owned(doc) => {
                let StoredDoc {
                    mut fields,
                    mut tables,
                } = *doc;
                for (k, j) in fields.iter_mut() {
                    let v = match converted.shift_remove(k.as_str()) {
                        Some(v) => v,
                        None => match tables.iter().position(|(t, _)| t == k) {
                            Some(i) => table_value(tables.swap_remove(i).1),
                            None => field_value_owned(j),
                        },
                    };
                    out.insert(k.as_str().into(), v);
                }
            }
            Source::Row(shape, mut row) => {
                for (i, (k, j)) in shape.columns.names().iter().zip(row.iter_mut()).enumerate() {
                    let v = match (converted.shift_remove(&**k), &shape.common[i]) {
                        (Some(v), _) => v,
                        (None, Some(common)) => field_value_shared(common),
                        (None, None) => field_value_owned(j),
                    };
                    out.insert(k.clone(), v);
                }
            }
        }
        out.extend(converted);
        *self.fields.borrow_mut() = out;
    }
}

/// A child row's field, converted, and whether to cache it (see
/// [`DocObj::convert_from_source`]). Out of line: the other sources' paths stay small.
#[inline(never)]
fn row_field(shape: &RowShape, row: &mut [serde_json::Value], name: &str) -> Option<(Val, bool)> {
    let i = shape.columns.position(name)?;
    Some(match &shape.common[i] {
        Some(j) => (field_value_shared(j), worth_caching(j)),
        None => {
            let j = &mut row[i];
            let cache = worth_caching(j);
            (field_value_owned(j), cache)
        }
    })
}

/// Whether a converted source value is kept (see [`DocObj::convert_from_source`]).
fn worth_caching(j: &serde_json::Value) -> bool {
    !matches!(
        j,
        serde_json::Value::Null | serde_json::Value::Bool(_) | serde_json::Value::Number(_)
    )
}

/// A field value from the source: objects are data (`_dict`), arrays of objects are
/// child tables (documents sharing the source).
///
/// # Safety
/// `j` must outlive the values made from it (see [`from_json_borrowed`]).
unsafe fn field_value_borrowed(j: &serde_json::Value) -> Val {
    match j {
        serde_json::Value::Array(items) if items.iter().any(|x| x.is_object()) => {
            crate::object::list::new(
                items
                    .iter()
                    .map(|x| match x {
                        // SAFETY: the caller's guarantee covers the parts.
                        serde_json::Value::Object(m) => unsafe { from_json_borrowed(m) },
                        other => convert::from_json(other, JsonObjects::Document),
                    })
                    .collect(),
            )
        }
        serde_json::Value::Object(_) => convert::from_json(j, JsonObjects::AttrDict),
        other => convert::from_json(other, JsonObjects::Document),
    }
}

/// As [`field_value_borrowed`] for an owned source: child rows are moved out (their
/// slot becomes `null`) so each child document owns its row.
fn field_value_owned(j: &mut serde_json::Value) -> Val {
    match j {
        serde_json::Value::Array(items) if items.iter().any(|x| x.is_object()) => {
            let items = std::mem::take(items);
            *j = serde_json::Value::Null;
            crate::object::list::new(
                items
                    .into_iter()
                    .map(|x| match x {
                        serde_json::Value::Object(m) => from_json_owned(m),
                        other => convert::from_json(&other, JsonObjects::Document),
                    })
                    .collect(),
            )
        }
        serde_json::Value::Object(_) => convert::from_json(j, JsonObjects::AttrDict),
        other => convert::from_json(other, JsonObjects::Document),
    }
}

/// A value the rows of a table share (converted for each row that reads it).
fn field_value_shared(j: &serde_json::Value) -> Val {
    match j {
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
            field_value_owned(&mut j.clone())
        }
        scalar => convert::from_json(scalar, JsonObjects::Document),
    }
}

/// The document as JSON without converting unread fields: the source copied, converted
/// fields put in their place (`convert` turns one value into JSON), fields with value
/// None left out (Frappe's `as_dict(no_nulls)`, as responses show documents).
pub fn to_json_fast<E>(
    d: &DocObj,
    mut convert: impl FnMut(Value) -> Result<serde_json::Value, E>,
) -> Result<serde_json::Value, E> {
    // Script code cannot run during the conversion, so both stay borrowed.
    let fields = d.fields.borrow();
    let source = d.source.borrow();
    let src_json = source.json();
    // A copy of the source keeps its hash table (no rehashing): the cheapest start
    // when no child table was converted, as for child rows themselves.
    if let Some(src) = src_json.as_deref()
        && !fields
            .keys()
            .any(|k| src.get(&**k).is_some_and(serde_json::Value::is_array))
    {
        let mut map = src_json.unwrap().into_owned();
        for (k, v) in fields.iter() {
            let out = convert(v.v())?;
            match map.get_mut(&**k) {
                Some(slot) => *slot = out,
                None => {
                    map.insert(String::from(&**k), out);
                }
            }
        }
        map.retain(|_, v| !v.is_null());
        return Ok(serde_json::Value::Object(map));
    }
    let src = src_json.as_deref();
    let mut map = JsonMap::with_capacity(fields.len() + src.map_or(0, |m| m.len()));
    if let Some(src) = src {
        // source order; a converted field replaces its source value (which is then
        // not copied at all: a converted child table is not cloned first)
        for (k, j) in src {
            match fields.get(k.as_str()) {
                Some(v) => {
                    let out = convert(v.v())?;
                    if !out.is_null() {
                        map.insert(k.clone(), out);
                    }
                }
                None if !j.is_null() => {
                    map.insert(k.clone(), j.clone());
                }
                None => {}
            }
        }
        for (k, v) in fields.iter() {
            if !src.contains_key(&**k) {
                let out = convert(v.v())?;
                if !out.is_null() {
                    map.insert(String::from(&**k), out);
                }
            }
        }
    } else {
        for (k, v) in fields.iter() {
            let out = convert(v.v())?;
            if !out.is_null() {
                map.insert(String::from(&**k), out);
            }
        }
    }
    Ok(serde_json::Value::Object(map))
}
