// Package findings turns a registry snapshot into what a security team acts
// on: which identities are AI agents (catalog and heuristics, each verdict
// with its reasons), how privileged each is, which rules it breaks, and a
// risk score with its breakdown. Everything here is a pure function of the
// snapshot: no network, no SDK, no clock but the one passed in.
package findings
