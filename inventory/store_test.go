package inventory

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func openTest(t testing.TB) (*Store, *clock) {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "reg.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.SetClock(c.now)
	return s, c
}

var acme = Tenant{Platform: PlatformGitHub, Key: "acme", Name: "Acme"}

func app(native string, perms ...string) Identity {
	id := Identity{Kind: "github_app_installation", NativeID: native, Name: "app " + native, Collector: "installations",
		Owners: []OwnerRef{{Role: "owner", Principal: Principal{Native: "alice", Name: "alice", Status: PrincipalActive}}}}
	for _, p := range perms {
		id.Grants = append(id.Grants, Grant{Resource: "repositories:all", Permission: p, Type: GrantInstallation, Consent: "admin"})
	}
	return id
}

func scan(t *testing.T, s *Store, fatal error, cov []Coverage, ids ...Identity) Scan {
	t.Helper()
	ctx := context.Background()
	w, err := s.BeginScan(ctx, acme)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if err := w.Identity(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cov {
		w.Coverage(ctx, c)
	}
	sc, err := w.Finish(ctx, fatal)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func ok(names ...string) []Coverage {
	var out []Coverage
	for _, n := range names {
		out = append(out, Coverage{Collector: n, Status: CoverageOK})
	}
	return out
}

func byID(snap *Snapshot) map[string]Identity {
	m := map[string]Identity{}
	for _, id := range snap.Identities {
		m[id.NativeID] = id
	}
	return m
}

func TestMigrationsAreIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reg.db")
	for i := 0; i < 2; i++ {
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		v, err := s.CurrentSchemaVersion(context.Background())
		if err != nil || v != SchemaVersion() || v < 1 {
			t.Fatalf("open %d: schema version %d, %v; want %d", i, v, err, SchemaVersion())
		}
		s.Close()
	}
}

func TestFirstSeenKeptLastSeenAdvances(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	scan(t, s, nil, ok("installations"), app("1", "contents:write"))
	t0 := c.t
	c.t = c.t.Add(24 * time.Hour)
	sc2 := scan(t, s, nil, ok("installations"), app("1", "contents:write", "issues:read"))
	if sc2.Status != ScanComplete {
		t.Fatalf("status %s", sc2.Status)
	}
	snap, err := s.Snapshot(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	id := byID(snap)["1"]
	if !id.FirstSeen.Equal(t0) || !id.LastSeen.Equal(c.t) || id.LastScanID != sc2.ID {
		t.Fatalf("first %v last %v scan %d", id.FirstSeen, id.LastSeen, id.LastScanID)
	}
	if len(id.Grants) != 2 {
		t.Fatalf("grants %+v", id.Grants)
	}
	for _, g := range id.Grants {
		want := t0
		if g.Permission == "issues:read" {
			want = c.t
		}
		if !g.FirstSeen.Equal(want) {
			t.Errorf("grant %s first seen %v, want %v", g.Permission, g.FirstSeen, want)
		}
	}
	if len(id.Owners) != 1 || id.Owners[0].Principal.ID != "github:acme:user:alice" {
		t.Fatalf("owners %+v", id.Owners)
	}
}

func TestFailedScanErasesNothing(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	scan(t, s, nil, ok("installations"), app("1", "contents:write"), app("2", "metadata:read"))
	sc := scan(t, s, errors.New("401 bad credentials"), ok("installations"))
	if sc.Status != ScanFailed || len(sc.Errors) != 1 {
		t.Fatalf("scan %+v", sc)
	}
	snap, _ := s.Snapshot(ctx, Filter{})
	if len(snap.Identities) != 2 || len(byID(snap)["1"].Grants) != 1 {
		t.Fatalf("failed scan lost data: %+v", snap.Identities)
	}
	if snap.Scans[0].ID != sc.ID || snap.Scans[0].Status != ScanFailed {
		t.Fatalf("latest scan %+v", snap.Scans)
	}
}

func TestPartialScanRemovesOnlyForCollectorsThatWereRead(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	key := Identity{Kind: "deploy_key", NativeID: "r/1", Name: "k", Collector: "deploy_keys"}
	scan(t, s, nil, ok("installations", "deploy_keys"), app("1"), app("2"), key)
	// Second scan: installations read fully and app 2 is gone; deploy keys failed.
	sc := scan(t, s, nil, append(ok("installations"), Coverage{Collector: "deploy_keys", Status: CoverageError, Reason: "500"}), app("1"))
	if sc.Status != ScanPartial {
		t.Fatalf("status %s", sc.Status)
	}
	got := mustSnap(t, s)
	if _, ok := got["2"]; ok {
		t.Error("app 2 should be removed: its collector read everything")
	}
	if _, ok := got["r/1"]; !ok {
		t.Error("deploy key must survive: its collector failed")
	}
	// It comes back when seen again.
	scan(t, s, nil, ok("installations", "deploy_keys"), app("1"), app("2"), key)
	if _, ok := mustSnap(t, s)["2"]; !ok {
		t.Error("app 2 reappeared but is still removed")
	}
	_ = ctx
}

func TestRemovedGrantsAndOwners(t *testing.T) {
	s, _ := openTest(t)
	scan(t, s, nil, ok("installations"), app("1", "contents:write", "issues:write"))
	a := app("1", "issues:write")
	a.Owners = nil
	scan(t, s, nil, ok("installations"), a)
	id := mustSnap(t, s)["1"]
	if len(id.Grants) != 1 || id.Grants[0].Permission != "issues:write" {
		t.Fatalf("grants %+v", id.Grants)
	}
	if len(id.Owners) != 0 {
		t.Fatalf("owners %+v", id.Owners)
	}
}

func TestCancelledScanKeepsWhatItSaw(t *testing.T) {
	s, _ := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	w, err := s.BeginScan(ctx, acme)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Identity(ctx, app("9", "contents:read")); err != nil {
		t.Fatal(err)
	}
	cancel()
	sc, err := w.Finish(ctx, context.Canceled)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Status != ScanFailed {
		t.Fatalf("status %s", sc.Status)
	}
	if _, ok := mustSnap(t, s)["9"]; !ok {
		t.Fatal("identity seen before the cancel was lost")
	}
	if err := s.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := w.Identity(context.Background(), app("10")); err == nil {
		t.Fatal("writing to a finished scan must fail")
	}
}

func TestFindingsLifecycle(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	scan(t, s, nil, nil, app("1"))
	f := FindingRecord{ID: "fp1", TenantID: acme.ID(), RuleID: "R1", IdentityID: "x", Severity: "high"}
	t0 := c.t
	if _, err := s.RecordFindings(ctx, []string{acme.ID()}, []FindingRecord{f}); err != nil {
		t.Fatal(err)
	}
	c.t = c.t.Add(time.Hour)
	got, err := s.RecordFindings(ctx, []string{acme.ID()}, []FindingRecord{f})
	if err != nil {
		t.Fatal(err)
	}
	if !got["fp1"].FirstSeen.Equal(t0) || !got["fp1"].LastSeen.Equal(c.t) {
		t.Fatalf("times %+v", got["fp1"])
	}
	c.t = c.t.Add(time.Hour)
	got, _ = s.RecordFindings(ctx, []string{acme.ID()}, nil)
	if _, open := got["fp1"]; open {
		t.Fatal("finding not produced again should be resolved")
	}
}

func TestHint(t *testing.T) {
	for in, want := range map[string]string{"": "", "short": "", "sk-proj-abcdefgh1234": "…1234"} {
		if got := Hint(in); got != want {
			t.Errorf("Hint(%q)=%q want %q", in, got, want)
		}
	}
}

func mustSnap(t *testing.T, s *Store) map[string]Identity {
	t.Helper()
	snap, err := s.Snapshot(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return byID(snap)
}

// BenchmarkIngestGrants writes one tenant of 2,000 identities holding 100,000
// grants in all, the way a connector does, and finishes the scan.
func BenchmarkIngestGrants(b *testing.B) {
	const identities, perIdentity = 2000, 50
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		b.StartTimer()
		w, err := s.BeginScan(ctx, acme)
		if err != nil {
			b.Fatal(err)
		}
		for n := 0; n < identities; n++ {
			id := Identity{Kind: "service_principal", NativeID: fmt.Sprint(n), Name: "sp", Collector: "c"}
			for g := 0; g < perIdentity; g++ {
				id.Grants = append(id.Grants, Grant{Resource: "graph", Permission: fmt.Sprintf("Perm%d.Read", g), Type: GrantDelegated, OnBehalfOf: fmt.Sprintf("user%d", n%97)})
			}
			if err := w.Identity(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
		w.Coverage(ctx, Coverage{Collector: "c", Status: CoverageOK})
		if _, err := w.Finish(ctx, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		snap, err := s.Snapshot(ctx, Filter{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, id := range snap.Identities {
			n += len(id.Grants)
		}
		if n != identities*perIdentity {
			b.Fatalf("stored %d grants", n)
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(identities*perIdentity), "grants/op")
}

func TestSubrecordCollectorsGuardRemoval(t *testing.T) {
	s, _ := openTest(t)
	sp := func(grants ...Grant) Identity {
		return Identity{Kind: "service_principal", NativeID: "sp1", Name: "sp", Collector: "service_principals", Grants: grants}
	}
	g := Grant{Resource: "Microsoft Graph", Permission: "Mail.Read", Type: GrantDelegated, OnBehalfOf: "all", Collector: "oauth2_grants"}
	scan(t, s, nil, ok("service_principals", "oauth2_grants"), sp(g))
	// The grants collector failed this time: the grant must survive.
	scan(t, s, nil, append(ok("service_principals"), Coverage{Collector: "oauth2_grants", Status: CoverageError}), sp())
	if got := mustSnap(t, s)["sp1"].Grants; len(got) != 1 || got[0].Collector != "oauth2_grants" {
		t.Fatalf("grant lost when its collector failed: %+v", got)
	}
	// Read fully and no longer there: removed.
	scan(t, s, nil, ok("service_principals", "oauth2_grants"), sp())
	if got := mustSnap(t, s)["sp1"].Grants; len(got) != 0 {
		t.Fatalf("grant not removed: %+v", got)
	}
}

func TestDiff(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	pat := func(status string, grants ...string) Identity {
		id := app("p1", grants...)
		id.Kind, id.Collector = "fine_grained_pat", "installations"
		id.Owners = []OwnerRef{{Role: "owner", Principal: Principal{Native: "bob", Name: "bob", Status: status}}}
		return id
	}
	s1 := scan(t, s, nil, ok("installations"), app("1", "contents:read"), pat(PrincipalActive, "contents:read"))
	s.RecordFindings(ctx, []string{acme.ID()}, []FindingRecord{{ID: "f-old", TenantID: acme.ID(), RuleID: "R1", IdentityID: "x", Severity: "low"}})
	c.t = c.t.Add(time.Hour)
	a2 := app("2", "metadata:read")
	a2.Credentials = []Credential{{Type: "client_secret", ID: "k"}}
	s2 := scan(t, s, nil, ok("installations"), app("1", "contents:read", "administration:write"), a2, pat(PrincipalDeleted, "contents:read"))
	s.RecordFindings(ctx, []string{acme.ID()}, []FindingRecord{{ID: "f-new", TenantID: acme.ID(), RuleID: "R2", IdentityID: "y", Severity: "high"}})

	d, err := s.Diff(ctx, s1.ID, s2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.NewIdentities) != 1 || d.NewIdentities[0].Name != "app 2" {
		t.Errorf("new identities %+v", d.NewIdentities)
	}
	esc := false
	for _, g := range d.NewGrants {
		esc = esc || (g.Permission == "administration:write" && g.OnExisting)
	}
	if !esc {
		t.Errorf("scope escalation not reported: %+v", d.NewGrants)
	}
	if len(d.NewCredentials) != 1 || d.NewCredentials[0].ID != "k" {
		t.Errorf("new credentials %+v", d.NewCredentials)
	}
	if len(d.OwnersChanged) != 1 || d.OwnersChanged[0].New != PrincipalDeleted || len(d.OwnersChanged[0].Identities) != 1 {
		t.Errorf("owners changed %+v", d.OwnersChanged)
	}
	events := map[string]string{}
	for _, f := range d.Findings {
		events[f.FindingID] = f.Event
	}
	if events["f-new"] != "new" || events["f-old"] != "resolved" {
		t.Errorf("finding events %+v", d.Findings)
	}
	// Third scan: app 2 is gone, f-old comes back.
	c.t = c.t.Add(time.Hour)
	s3 := scan(t, s, nil, ok("installations"), app("1", "contents:read", "administration:write"), pat(PrincipalDeleted, "contents:read"))
	s.RecordFindings(ctx, []string{acme.ID()}, []FindingRecord{{ID: "f-old", TenantID: acme.ID(), RuleID: "R1", IdentityID: "x", Severity: "low"}})
	d, _ = s.Diff(ctx, s2.ID, s3.ID)
	if len(d.RemovedIdentities) != 1 || d.RemovedIdentities[0].Name != "app 2" {
		t.Errorf("removed identities %+v", d.RemovedIdentities)
	}
	reopened := false
	for _, f := range d.Findings {
		reopened = reopened || (f.FindingID == "f-old" && f.Event == "reopened")
	}
	if !reopened {
		t.Errorf("reopened finding not reported: %+v", d.Findings)
	}
	// A scan against itself is empty.
	for _, id := range []int64{s1.ID, s2.ID, s3.ID} {
		if d, err := s.Diff(ctx, id, id); err != nil || !d.Empty() {
			t.Errorf("diff of scan %d against itself: %+v %v", id, d, err)
		}
	}
	if prev, err := s.PreviousScan(ctx, s3.ID); err != nil || prev != s2.ID {
		t.Errorf("previous scan: %d %v", prev, err)
	}
	if _, err := s.PreviousScan(ctx, s1.ID); err != ErrNoPreviousScan {
		t.Errorf("no previous scan: %v", err)
	}
}
