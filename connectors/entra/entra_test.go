package entra_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/shadowscan/shadowscan/connectors/entra"
	"github.com/shadowscan/shadowscan/connectors/entra/fake"
	"github.com/shadowscan/shadowscan/connectors/internal/vendorfs"
	"github.com/shadowscan/shadowscan/inventory"
	"github.com/shadowscan/shadowscan/inventory/inventorytest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

type result struct {
	inventorytest.Result
	scan inventory.Scan
	err  error
	snap *inventory.Snapshot
	conn *entra.Connector
}

func (r result) byName(name string) *inventory.Identity { return r.ByName(name) }
func (r result) coverage(col string) inventory.Coverage { return r.Coverage(col) }

func runScan(t testing.TB, cfg entra.Config, ctx context.Context) result {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quiet
	}
	if cfg.AccessToken == "" && cfg.Credential == nil {
		cfg.AccessToken = "token"
	}
	conn, err := entra.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := inventorytest.Run(t, ctx, conn)
	return result{Result: r, scan: r.Scan, err: r.Err, snap: r.Snap, conn: conn}
}

func grantSet(id *inventory.Identity) map[string]bool {
	m := map[string]bool{}
	for _, g := range id.Grants {
		m[g.Type+" "+g.Permission+" "+g.Consent] = true
	}
	return m
}

func TestScanGeneratedTenant(t *testing.T) {
	ten := fake.Generate(fake.GenOptions{Seed: 1})
	srv := fake.New(ten, fake.Options{Token: "token"})
	defer srv.Close()
	r := runScan(t, entra.Config{TenantID: ten.ID, GraphURL: srv.GraphURL()}, context.Background())
	if r.err != nil || r.scan.Status != inventory.ScanComplete {
		t.Fatalf("scan %v %s %+v %v", r.err, r.scan.Status, r.scan.Coverage, r.scan.Errors)
	}
	ff := r.byName("Fireflies.ai Notetaker")
	if ff == nil || ff.Kind != entra.KindServicePrincipal || ff.Origin != "third_party" || ff.Publisher != "Fireflies.AI Corp" || ff.VerifiedPublisher == nil || !*ff.VerifiedPublisher {
		t.Fatalf("fireflies: %+v", ff)
	}
	if g := grantSet(ff); !g["delegated Mail.Read user"] || !g["delegated offline_access user"] || g["delegated Mail.Read admin"] {
		t.Errorf("fireflies grants: %v", g)
	}
	if n := ff.Attributes["consenting_users"]; n != float64(37) {
		t.Errorf("fireflies consenting users: %v", n)
	}
	consenters, disabled := 0, 0
	for _, o := range ff.Owners {
		if o.Role == "consenting_user" {
			consenters++
			if o.Principal.Status == inventory.PrincipalDisabled {
				disabled++
			}
			if !strings.HasSuffix(o.Principal.Email, "@contoso.example") {
				t.Errorf("consenting user not resolved: %+v", o.Principal)
			}
		}
	}
	if consenters != 37 || disabled == 0 {
		t.Errorf("fireflies consenting users resolved: %d (%d disabled)", consenters, disabled)
	}
	if g := grantSet(r.byName("ChatGPT")); !g["delegated Files.Read.All admin"] {
		t.Errorf("chatgpt grants: %v", g)
	}
	if g := grantSet(r.byName("AI Meeting Summarizer Pro")); !g["application Directory.ReadWrite.All admin"] {
		t.Errorf("summarizer grants: %v", g)
	}
	orch := r.byName("acme-ai-orchestrator")
	if orch == nil || orch.Origin != "internal" || !grantSet(orch)["admin_role Application Administrator admin"] {
		t.Fatalf("orchestrator: %+v", orch)
	}
	secrets := 0
	for _, c := range orch.Credentials {
		if c.Type == "client_secret" {
			secrets++
		}
	}
	if secrets != 3 || len(orch.Owners) != 1 || orch.Owners[0].Principal.Status != inventory.PrincipalDisabled {
		t.Errorf("orchestrator credentials %+v owners %+v", orch.Credentials, orch.Owners)
	}
	hr := r.byName("HR Helper (Copilot Studio)")
	if hr == nil || hr.Kind != entra.KindAgentIdentity || hr.Attributes["entra_agent_id"] != true || len(hr.Owners) != 0 {
		t.Fatalf("agent identity: %+v", hr)
	}
	sales := r.byName("Sales Research Agent")
	if sales == nil || len(sales.Owners) != 1 || sales.Owners[0].Role != "sponsor" || sales.Owners[0].Principal.Status != inventory.PrincipalDisabled {
		t.Errorf("sponsored agent: %+v", sales)
	}
	bp := r.byName("HR Helper (Copilot Studio) blueprint")
	if bp == nil || bp.Attributes["entra_agent_blueprint"] != true || len(bp.Credentials) != 1 || bp.Credentials[0].Type != "client_secret" {
		t.Errorf("agent blueprint: %+v", bp)
	}
	if mi := r.byName("mi-data-pipeline"); mi == nil || mi.Kind != entra.KindManagedIdentity {
		t.Errorf("managed identity: %+v", mi)
	}
	ci := r.byName("ci-deployer")
	fed := false
	for _, c := range ci.Credentials {
		fed = fed || c.Type == "federated"
	}
	if !fed {
		t.Errorf("ci-deployer federated credential missing: %+v", ci.Credentials)
	}
	if otter := r.byName("Otter.ai"); otter.LastUsedAt == nil || time.Since(*otter.LastUsedAt) < 100*24*time.Hour {
		t.Errorf("otter last sign-in: %v", otter.LastUsedAt)
	}
	set := r.snap.Settings["entra:"+ten.ID]
	if set["entra.user_consent"] != `"any_app"` || set["entra.admin_consent_workflow"] != "false" {
		t.Errorf("settings: %v", set)
	}
	found := false
	for _, id := range r.snap.Identities {
		found = found || (id.Kind == entra.KindConsentRequest && id.Name == "Perplexity")
	}
	if !found {
		t.Error("pending consent request not recorded")
	}
	if srv.RouteRequests("sp_owners") == 0 || srv.BatchSteps() == 0 {
		t.Error("owners were not read through $batch")
	}
}

func TestVendorExamplesIngestVerbatim(t *testing.T) {
	srv, err := fake.NewVendor(fake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	r := runScan(t, entra.Config{TenantID: "84841066-274d-4ec0-a5c1-276be684bdd3", GraphURL: srv.GraphURL()}, context.Background())
	if r.err != nil {
		t.Fatalf("scan: %v", r.err)
	}
	for _, c := range r.scan.Coverage {
		if c.Status != inventory.CoverageOK {
			t.Errorf("coverage %+v", c)
		}
	}
	// The grants' client is not in the (truncated) service principal
	// example: the grants are kept on a placeholder, not dropped.
	client := r.byName("263a5b01-03e5-408e-8557-bab681df104c")
	if client == nil || len(client.Grants) < 30 || client.Attributes["unresolved"] != true {
		t.Fatalf("grants of the example client: %+v", client)
	}
	if a := r.byName("My Agent Identity"); a == nil || a.Kind != entra.KindAgentIdentity || a.Attributes["agent_blueprint_id"] != "00001111-aaaa-2222-bbbb-3333cccc4444" {
		t.Errorf("agent identity example: %+v", a)
	}
	if bp := r.byName("My Sample App"); bp == nil || bp.Attributes["entra_agent_blueprint"] != true || bp.Origin != "third_party" {
		t.Errorf("blueprint principal example: %+v", bp)
	}
	if set := r.snap.Settings["entra:84841066-274d-4ec0-a5c1-276be684bdd3"]; set["entra.user_consent"] != `"custom"` || set["entra.admin_consent_workflow"] != "true" {
		t.Errorf("posture from examples: %v", set)
	}
}

// TestVendorCopiesMatchShared keeps the embedded copies honest.
func TestVendorCopiesMatchShared(t *testing.T) {
	vendorfs.CheckShared(t, "entra", fake.VendorFiles(), fake.VendorFile)
}

func TestFaultsAndGaps(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(*fake.Server)
		status string
		check  func(t *testing.T, r result, s *fake.Server)
	}{
		{"429 then success", func(s *fake.Server) { s.SetFault("oauth2_grants", fake.Fault{Status: 429, RetryAfter: 1, Times: 2}) }, inventory.ScanComplete,
			func(t *testing.T, r result, s *fake.Server) {
				if g := grantSet(r.byName("ChatGPT")); !g["delegated Files.Read.All admin"] || s.RouteRequests("oauth2_grants") < 3 {
					t.Errorf("grants after 429: %v (%d requests)", g, s.RouteRequests("oauth2_grants"))
				}
			}},
		{"403 on role assignments", func(s *fake.Server) { s.SetFault("role_assignments", fake.Fault{Status: 403, Times: -1}) }, inventory.ScanPartial,
			func(t *testing.T, r result, _ *fake.Server) {
				if c := r.coverage("directory_roles"); c.Status != inventory.CoverageSkipped || !strings.Contains(c.Permission, "RoleManagement.Read.Directory") {
					t.Errorf("coverage %+v", c)
				}
			}},
		{"no P1 licence", func(s *fake.Server) { s.Tenant.PremiumP1 = false }, inventory.ScanPartial,
			func(t *testing.T, r result, _ *fake.Server) {
				if c := r.coverage("sign_in_activity"); c.Status != inventory.CoverageSkipped || !strings.Contains(c.Reason, "premium") {
					t.Errorf("coverage %+v", c)
				}
				if o := r.byName("Otter.ai"); o.LastUsedAt != nil || o.Attributes["sign_in_data"] != "unavailable" {
					t.Errorf("last use must be unknown, not never: %+v", o)
				}
			}},
		{"no Agent ID", func(s *fake.Server) { s.Tenant.AgentID = false }, inventory.ScanPartial,
			func(t *testing.T, r result, _ *fake.Server) {
				if c := r.coverage("agent_identities"); c.Status != inventory.CoverageSkipped {
					t.Errorf("coverage %+v", c)
				}
			}},
		{"throttled batch steps", func(s *fake.Server) { s.SetFault("sp_owners", fake.Fault{Status: 429, RetryAfter: 1, Times: 3}) }, inventory.ScanComplete,
			func(t *testing.T, r result, _ *fake.Server) {
				if o := r.byName("acme-ai-orchestrator"); len(o.Owners) != 1 || r.conn.Stats().Throttled.Load() < 3 {
					t.Errorf("owners after throttled steps: %+v, throttled %d", o.Owners, r.conn.Stats().Throttled.Load())
				}
			}},
		{"malformed JSON", func(s *fake.Server) {
			s.SetFault("consent_requests", fake.Fault{Status: 200, Body: `{"value": [{"id": `, Times: -1})
		}, inventory.ScanPartial,
			func(t *testing.T, r result, _ *fake.Server) {
				if c := r.coverage("consent_requests"); c.Status != inventory.CoverageError {
					t.Errorf("coverage %+v", c)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ten := fake.Generate(fake.GenOptions{Seed: 2, Users: 60})
			srv := fake.New(ten, fake.Options{})
			defer srv.Close()
			tt.setup(srv)
			r := runScan(t, entra.Config{TenantID: ten.ID, GraphURL: srv.GraphURL(), MaxRetries: 4}, context.Background())
			if r.err != nil {
				t.Fatalf("scan error: %v", r.err)
			}
			if r.scan.Status != tt.status {
				t.Errorf("status %s, want %s: %+v", r.scan.Status, tt.status, r.scan.Coverage)
			}
			tt.check(t, r, srv)
		})
	}
}

func TestFatal(t *testing.T) {
	ten := fake.Generate(fake.GenOptions{Seed: 3, Users: 20})
	srv := fake.New(ten, fake.Options{Token: "right"})
	defer srv.Close()
	r := runScan(t, entra.Config{TenantID: ten.ID, GraphURL: srv.GraphURL(), AccessToken: "wrong"}, context.Background())
	if r.err == nil || !strings.Contains(r.err.Error(), "rejected the credentials") || r.scan.Status != inventory.ScanFailed {
		t.Errorf("bad token: %v %s", r.err, r.scan.Status)
	}
	if _, err := entra.New(entra.Config{TenantID: "x"}); err != entra.ErrNoCredentials {
		t.Errorf("no credentials: %v", err)
	}
	if _, err := entra.New(entra.Config{TenantID: "x", AccessToken: "t", GraphURL: "https://graph.example/v1.0"}); err == nil {
		t.Error("graph url with a path accepted")
	}
}

// BenchmarkLargeTenant crawls 20,000 service principals, 200,000 delegated
// grants and 50,000 app role assignments at 20 ms per request.
func BenchmarkLargeTenant(b *testing.B) {
	ten := fake.Generate(fake.GenOptions{Seed: 9, Users: 2000, ExtraServicePrincipals: 20000, ExtraGrants: 200000, ExtraAssignments: 50000})
	srv := fake.New(ten, fake.Options{Latency: 20 * time.Millisecond})
	defer srv.Close()
	for i := 0; i < b.N; i++ {
		req0, steps0 := srv.Requests(), srv.BatchSteps()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		r := runScan(b, entra.Config{TenantID: ten.ID, GraphURL: srv.GraphURL(), Concurrency: 8}, context.Background())
		if r.err != nil || r.scan.Status != inventory.ScanComplete {
			b.Fatalf("%v %s", r.err, r.scan.Status)
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		grants := 0
		for _, id := range r.snap.Identities {
			grants += len(id.Grants)
		}
		b.ReportMetric(float64(srv.Requests()-req0), "http_requests")
		b.ReportMetric(float64(srv.BatchSteps()-steps0), "batch_steps")
		b.ReportMetric(float64(len(r.snap.Identities)), "identities")
		b.ReportMetric(float64(grants), "grants")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), "MB_alloc")
		fmt.Fprintf(os.Stderr, "large tenant: %s, heap in use %d MB\n", time.Since(start).Round(time.Millisecond), after.HeapInuse>>20)
	}
}
