//! Exact resource quantities (being written).
