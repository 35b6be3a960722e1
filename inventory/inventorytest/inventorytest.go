// Package inventorytest runs a connector's crawl into a throwaway registry
// for tests, the way `shadowscan scan` does, and checks the registry after.
package inventorytest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/shadowscan/shadowscan/inventory"
)

// Crawler is what a connector offers (connectors.Connector).
type Crawler interface {
	Tenant() inventory.Tenant
	Scan(ctx context.Context, sink inventory.Sink) error
}

// Result is one finished scan and the registry's view after it.
type Result struct {
	Scan  inventory.Scan
	Err   error // what the crawl returned
	Snap  *inventory.Snapshot
	Store *inventory.Store
	Path  string // the registry file
}

// Run crawls c into a new registry in t's temp dir, finishes the scan,
// checks the registry's integrity and returns the snapshot.
func Run(t testing.TB, ctx context.Context, c Crawler) Result {
	t.Helper()
	path := filepath.Join(t.TempDir(), "reg.db")
	store, err := inventory.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	w, err := store.BeginScan(context.Background(), c.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	scanErr := c.Scan(ctx, w)
	sc, err := w.Finish(context.Background(), scanErr)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := store.Snapshot(context.Background(), inventory.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	return Result{Scan: sc, Err: scanErr, Snap: snap, Store: store, Path: path}
}

// Kind returns the identities of one kind.
func (r Result) Kind(kind string) []inventory.Identity {
	var out []inventory.Identity
	for _, id := range r.Snap.Identities {
		if id.Kind == kind {
			out = append(out, id)
		}
	}
	return out
}

// ByName returns the first identity with that name, or nil.
func (r Result) ByName(name string) *inventory.Identity {
	for i := range r.Snap.Identities {
		if r.Snap.Identities[i].Name == name {
			return &r.Snap.Identities[i]
		}
	}
	return nil
}

// Coverage returns the scan's coverage entry for a collector.
func (r Result) Coverage(collector string) inventory.Coverage {
	for _, c := range r.Scan.Coverage {
		if c.Collector == collector {
			return c
		}
	}
	return inventory.Coverage{}
}
