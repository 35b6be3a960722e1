// Package inventory is shadowscan's registry: the normalized record types that
// every connector maps a SaaS tenant into, and their SQLite store with scan
// history.
//
// The registry is the product's memory. Rows are upserted, never deleted by a
// scan: every observed row carries first_seen, last_seen and the scan that
// last saw it. Only a scan that finished (complete or partial) may mark rows it
// did not see again as removed, and only for the collectors that read their data
// fully in that scan, so a failed, cancelled or partial scan never erases what an
// earlier scan recorded.
package inventory
