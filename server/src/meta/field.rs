//! Field types and what each means for storage and values.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    Data,
    SmallText,
    Text,
    LongText,
    TextEditor,
    Code,
    MarkdownEditor,
    HtmlEditor,
    Int,
    Float,
    Currency,
    Percent,
    Check,
    Select,
    Link,
    DynamicLink,
    Date,
    Datetime,
    Time,
    Duration,
    Table,
    TableMultiSelect,
    Json,
    Password,
    ReadOnly,
    Attach,
    AttachImage,
    Color,
    Phone,
    Autocomplete,
    Rating,
    // layout: no column, no value
    SectionBreak,
    ColumnBreak,
    TabBreak,
    Html,
    Button,
    Image,
    Heading,
    Fold,
}

/// (Frappe's name, ours) — the one list both directions read.
const NAMES: &[(&str, FieldType)] = &[
    ("Data", FieldType::Data),
    ("Small Text", FieldType::SmallText),
    ("Text", FieldType::Text),
    ("Long Text", FieldType::LongText),
    ("Text Editor", FieldType::TextEditor),
    ("Code", FieldType::Code),
    ("Markdown Editor", FieldType::MarkdownEditor),
    ("HTML Editor", FieldType::HtmlEditor),
    ("Int", FieldType::Int),
    ("Float", FieldType::Float),
    ("Currency", FieldType::Currency),
    ("Percent", FieldType::Percent),
    ("Check", FieldType::Check),
    ("Select", FieldType::Select),
    ("Link", FieldType::Link),
    ("Dynamic Link", FieldType::DynamicLink),
    ("Date", FieldType::Date),
    ("Datetime", FieldType::Datetime),
    ("Time", FieldType::Time),
    ("Duration", FieldType::Duration),
    ("Table", FieldType::Table),
    ("Table MultiSelect", FieldType::TableMultiSelect),
    ("JSON", FieldType::Json),
    ("Password", FieldType::Password),
    ("Read Only", FieldType::ReadOnly),
    ("Attach", FieldType::Attach),
    ("Attach Image", FieldType::AttachImage),
    ("Color", FieldType::Color),
    ("Phone", FieldType::Phone),
    ("Autocomplete", FieldType::Autocomplete),
    ("Rating", FieldType::Rating),
    ("Section Break", FieldType::SectionBreak),
    ("Column Break", FieldType::ColumnBreak),
    ("Tab Break", FieldType::TabBreak),
    ("HTML", FieldType::Html),
    ("Button", FieldType::Button),
    ("Image", FieldType::Image),
    ("Heading", FieldType::Heading),
    ("Fold", FieldType::Fold),
];

impl FieldType {
    pub fn parse(name: &str) -> Option<FieldType> {
        NAMES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(_, t)| *t == self)
            .map(|(n, _)| *n)
            .expect("every type is named")
    }

    /// Whether the field is stored in a column of the document's own table.
    pub fn has_column(self) -> bool {
        !self.is_table() && !self.is_layout()
    }

    pub fn is_table(self) -> bool {
        matches!(self, FieldType::Table | FieldType::TableMultiSelect)
    }

    pub fn is_layout(self) -> bool {
        use FieldType::*;
        matches!(
            self,
            SectionBreak | ColumnBreak | TabBreak | Html | Button | Image | Heading | Fold
        )
    }

    pub fn is_int(self) -> bool {
        matches!(self, FieldType::Int | FieldType::Check)
    }

    pub fn is_float(self) -> bool {
        matches!(
            self,
            FieldType::Float
                | FieldType::Currency
                | FieldType::Percent
                | FieldType::Duration
                | FieldType::Rating
        )
    }

    pub fn is_numeric(self) -> bool {
        self.is_int() || self.is_float()
    }

    /// The SQLite column type (its affinity decides how values compare).
    pub fn sql_type(self) -> &'static str {
        if self.is_int() {
            "INTEGER"
        } else if self.is_float() {
            "REAL"
        } else {
            "TEXT"
        }
    }

    /// The value a new document holds when nothing else sets one (numbers start at 0).
    pub fn empty_value(self) -> Value {
        if self.is_int() {
            Value::from(0)
        } else if self.is_float() {
            Value::from(0.0)
        } else {
            Value::Null
        }
    }
}
