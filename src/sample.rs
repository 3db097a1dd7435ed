//! `stateof sample`: a deterministic generator of synthetic Hub snapshots.
