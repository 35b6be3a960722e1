// Package connectors defines the small interface every SaaS connector
// implements. A connector crawls one tenant with its vendor's SDK and emits
// normalized inventory records to a sink; it knows nothing of findings or
// reports. The explicit list of connectors lives in package registry.
package connectors

import (
	"context"
	"strings"

	"github.com/shadowscan/shadowscan/inventory"
)

// Connector crawls one tenant.
type Connector interface {
	// Tenant is the tenant this connector crawls.
	Tenant() inventory.Tenant
	// Scan crawls the tenant and writes what it finds to sink. Collectors
	// that lack a permission, licence or plan report a coverage gap and the
	// scan goes on; Scan returns an error only when nothing sensible could be
	// read (bad credentials, unknown tenant, cancellation).
	Scan(ctx context.Context, sink inventory.Sink) error
}

// Collector describes one part of a crawl and what it needs.
type Collector struct {
	Name        string
	Description string
	Permissions []string // token scopes / app permissions / API roles needed
	Plan        string   // plan or licence it needs, if any
}

// Info describes a connector for `shadowscan connectors` and the docs.
type Info struct {
	Platform    string
	Description string
	Auth        []string
	Collectors  []Collector
}

// Permissions says what a collector needs, for coverage gaps: its
// permissions, and the plan or licence if it needs one.
func Permissions(collectors []Collector, name string) string {
	for _, c := range collectors {
		if c.Name == name {
			s := strings.Join(c.Permissions, "; ")
			if c.Plan != "" {
				s += "; plan: " + c.Plan
			}
			return s
		}
	}
	return ""
}
