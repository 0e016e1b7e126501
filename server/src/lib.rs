//! The site server (issue #4): SQLite store, DocTypes, document lifecycle, REST and
//! method routes, auth. Not built yet.
