//! The UnixFS importer: files and folders into DAG-PB, with the CIDs Kubo gives under the
//! `unixfs-v0-2015` and `unixfs-v1-2025` profiles (IPIP-499).

pub mod dir;
pub mod file;
pub mod import;
pub mod murmur3;
pub mod node;
pub mod pb_write;
pub mod profile;
