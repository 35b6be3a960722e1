package okta_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shadowscan/shadowscan/connectors/internal/vendorfs"
	"github.com/shadowscan/shadowscan/connectors/okta"
	"github.com/shadowscan/shadowscan/connectors/okta/fake"
	"github.com/shadowscan/shadowscan/inventory"
	"github.com/shadowscan/shadowscan/inventory/inventorytest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

type result struct {
	inventorytest.Result
	scan inventory.Scan
	err  error
	snap *inventory.Snapshot
	conn *okta.Connector
	path string
}

func (r result) byName(name string) *inventory.Identity { return r.ByName(name) }
func (r result) coverage(col string) inventory.Coverage { return r.Coverage(col) }

func runScan(t testing.TB, cfg okta.Config) result {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quiet
	}
	if cfg.Token == "" && cfg.PrivateKey == nil {
		cfg.Token = "ssws-token"
	}
	conn, err := okta.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := inventorytest.Run(t, context.Background(), conn)
	return result{Result: r, scan: r.Scan, err: r.Err, snap: r.Snap, conn: conn, path: r.Path}
}

func grants(id *inventory.Identity) map[string]bool {
	m := map[string]bool{}
	for _, g := range id.Grants {
		m[g.Type+" "+g.Permission+" "+g.Consent] = true
	}
	return m
}

func TestScanGeneratedOrg(t *testing.T) {
	org := fake.Generate(fake.GenOptions{Seed: 1})
	srv := fake.New(org, fake.Options{Token: "ssws-token"})
	defer srv.Close()
	r := runScan(t, okta.Config{OrgURL: srv.OrgURL(), ActivityDays: 30})
	if r.err != nil || r.scan.Status != inventory.ScanComplete {
		t.Fatalf("scan: %v %s %+v %v", r.err, r.scan.Status, r.scan.Coverage, r.scan.Errors)
	}
	agent := r.byName("Acme Support Agent")
	if agent == nil || !grants(agent)["admin_role SUPER_ADMIN admin"] || !grants(agent)["application okta.users.manage admin"] {
		t.Fatalf("service app: %+v", agent)
	}
	if agent.LastUsedAt == nil || time.Since(*agent.LastUsedAt) > 3*24*time.Hour {
		t.Errorf("last use from the System Log: %v", agent.LastUsedAt)
	}
	claude := r.byName("Claude")
	if claude == nil || !grants(claude)["delegated offline_access user"] || claude.Attributes["consenting_users"] != float64(14) {
		t.Errorf("claude: %+v", claude)
	}
	n8n := r.byName("n8n automations")
	if n8n == nil || n8n.Attributes["active_secrets"] != float64(3) || len(n8n.Credentials) != 3 {
		t.Fatalf("n8n secrets: %+v", n8n)
	}
	for _, c := range n8n.Credentials {
		if !strings.HasPrefix(c.Hint, "…") || len([]rune(c.Hint)) != 5 {
			t.Errorf("secret hint %q", c.Hint)
		}
	}
	// The app whose signOnMode the SDK does not know is kept.
	if legacy := r.byName("Directory sync (legacy)"); legacy == nil || legacy.Attributes["sign_on_mode"] != "AUTO_LOGIN_FUTURE_MODE" {
		t.Errorf("unknown signOnMode app dropped: %+v", legacy)
	}
	old := r.byName("old-sync-script")
	if old == nil || old.Kind != okta.KindAPIToken || len(old.Owners) != 1 || old.Owners[0].Principal.Status != inventory.PrincipalDisabled || !grants(old)["admin_role ORG_ADMIN admin"] {
		t.Errorf("token of a deactivated admin: %+v", old)
	}
	if tf := r.byName("terraform"); tf == nil || tf.Attributes["last_used_source"] != "system_log" || time.Since(*tf.LastUsedAt) > 4*time.Hour {
		t.Errorf("token last use from the System Log: %+v", tf)
	}
	if old.Attributes["last_used_source"] != "lastUpdated" {
		t.Errorf("token without log events: %v", old.Attributes["last_used_source"])
	}
	if claude.Attributes["assigned_users"] != float64(1) {
		t.Errorf("assignment counts: %v", claude.Attributes)
	}
	if ag := r.byName("Sales research agent"); ag == nil || ag.Kind != okta.KindAIAgent || len(ag.Owners) != 0 {
		t.Errorf("AI agent: %+v", ag)
	}
	set := r.snap.Settings["okta:"+strings.TrimPrefix(srv.OrgURL(), "http://")]
	if set["okta.client_privileges_setting"] != "true" || !strings.Contains(set["okta.authorization_servers"], `"policy_admits_all_clients":true`) {
		t.Errorf("org settings: %v", set)
	}
	if to, _ := agent.Attributes["cross_app_access_to"].([]any); len(to) != 1 || to[0] != claude.NativeID {
		t.Errorf("cross app access: %v", agent.Attributes["cross_app_access_to"])
	}
	// No secret value reaches the registry.
	db, _ := os.ReadFile(r.path)
	wal, _ := os.ReadFile(r.path + "-wal")
	for _, x := range org.Extra {
		for _, sec := range x.Secrets {
			v := sec["client_secret"].(string)
			if bytes.Contains(append(db, wal...), []byte(v[:len(v)-4])) {
				t.Errorf("client secret stored")
			}
		}
	}
}

func TestVendorExamplesIngestVerbatim(t *testing.T) {
	srv, err := fake.NewVendor(fake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	r := runScan(t, okta.Config{OrgURL: srv.OrgURL(), ActivityDays: 3650})
	if r.err != nil {
		t.Fatalf("scan: %v", r.err)
	}
	apps := 0
	for _, id := range r.snap.Identities {
		if id.Kind == okta.KindApp {
			apps++
		}
	}
	if apps == 0 {
		t.Error("no app ingested from the documented example")
	}
	tok := r.byName("My API Token")
	if tok == nil || tok.Attributes["network"] != "ANYWHERE" || tok.Attributes["token_window"] != "P30D" {
		t.Errorf("API token example: %+v", tok)
	}
	for _, col := range []string{"apps", "api_tokens", "system_log", "app_grants", "authorization_servers"} {
		if c := r.coverage(col); c.Status != inventory.CoverageOK {
			t.Errorf("%s: %+v", col, c)
		}
	}
}

// TestVendorCopiesMatchShared keeps the embedded copies honest.
func TestVendorCopiesMatchShared(t *testing.T) {
	vendorfs.CheckShared(t, "okta", fake.VendorFiles(), fake.VendorFile)
}

func TestRateLimitsAndGaps(t *testing.T) {
	org := fake.Generate(fake.GenOptions{Seed: 2, Users: 40, ExtraApps: 10})
	srv := fake.New(org, fake.Options{BucketLimit: 25, BucketWindow: 700 * time.Millisecond, Scopes: []string{"okta.apps.read", "okta.appGrants.read", "okta.apiTokens.read", "okta.users.read", "okta.roles.read", "okta.orgs.read"}})
	defer srv.Close()
	r := runScan(t, okta.Config{OrgURL: srv.OrgURL(), ActivityDays: 30, Concurrency: 4})
	if r.err != nil || r.scan.Status != inventory.ScanPartial {
		t.Fatalf("scan %v %s %+v", r.err, r.scan.Status, r.scan.Coverage)
	}
	if c := r.coverage("system_log"); c.Status != inventory.CoverageSkipped || !strings.Contains(c.Permission, "okta.logs.read") {
		t.Errorf("system log without scope: %+v", c)
	}
	if c := r.coverage("ai_agents"); c.Status != inventory.CoverageSkipped {
		t.Errorf("ai agents without scope: %+v", c)
	}
	if c := r.coverage("authorization_servers"); c.Status != inventory.CoverageSkipped || !strings.Contains(c.Permission, "okta.authorizationServers.read") {
		t.Errorf("auth servers without scope: %+v", c)
	}
	if c := r.coverage("app_grants"); c.Status != inventory.CoverageOK {
		t.Errorf("grants under rate limits: %+v", c)
	}
	if r.conn.Stats().Paced.Load()+r.conn.Stats().RateLimited.Load() == 0 {
		t.Error("the bucket limit was never reached")
	}
	if a := r.byName("Claude"); a == nil || a.Attributes["activity_data"] != "unavailable" || a.LastUsedAt != nil {
		t.Errorf("last use must be unknown without logs: %+v", a)
	}
}

func TestFatal(t *testing.T) {
	srv := fake.New(fake.Generate(fake.GenOptions{Seed: 3, Users: 20}), fake.Options{Token: "right"})
	defer srv.Close()
	r := runScan(t, okta.Config{OrgURL: srv.OrgURL(), Token: "wrong"})
	if r.err == nil || !strings.Contains(r.err.Error(), "rejected the API token") || r.scan.Status != inventory.ScanFailed {
		t.Errorf("bad token: %v %s", r.err, r.scan.Status)
	}
	if _, err := okta.New(okta.Config{OrgURL: "https://x.okta.com"}); err != okta.ErrNoCredentials {
		t.Errorf("no token: %v", err)
	}
	if _, err := okta.New(okta.Config{OrgURL: "acme", Token: "t"}); err == nil {
		t.Error("bad org url accepted")
	}
}

// BenchmarkLargeOrg crawls 5,000 apps, 50,000 grants and 500 API tokens
// under Okta-like per-bucket limits (scaled to 3,000 requests per 10 s per
// bucket: Okta's windows are a minute; a short window would let the
// one-second resolution of X-Rate-Limit-Reset dominate). The floor is the
// busiest bucket's requests divided by its rate.
func BenchmarkLargeOrg(b *testing.B) {
	org := fake.Generate(fake.GenOptions{Seed: 9, Users: 1000, ExtraApps: 5000, GrantsPerApp: 5, ExtraTokens: 500})
	srv := fake.New(org, fake.Options{Latency: 10 * time.Millisecond, BucketLimit: 3000, BucketWindow: 10 * time.Second})
	defer srv.Close()
	for i := 0; i < b.N; i++ {
		req0, thr0 := srv.Requests(), srv.Throttled()
		start := time.Now()
		r := runScan(b, okta.Config{OrgURL: srv.OrgURL(), ActivityDays: 30, Concurrency: 8})
		if r.err != nil {
			b.Fatal(r.err)
		}
		busiest := srv.BucketRequests("apps")
		floor := time.Duration(float64(busiest) / 3000 * float64(10*time.Second))
		b.ReportMetric(float64(time.Since(start))/float64(floor), "x_floor")
		b.ReportMetric(float64(srv.Requests()-req0), "requests")
		b.ReportMetric(float64(srv.Throttled()-thr0), "429s")
		b.ReportMetric(float64(r.conn.Stats().Paced.Load()), "paced_waits")
		b.ReportMetric(float64(len(r.snap.Identities)), "identities")
	}
}

func TestServiceAppPrivateKeyJWT(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	org := fake.Generate(fake.GenOptions{Seed: 4, Users: 20})
	srv := fake.New(org, fake.Options{Token: "ssws-not-used", ClientID: "0oaScanner", ClientKey: &key.PublicKey})
	defer srv.Close()
	// Without okta.logs.read the System Log is a gap; everything else works.
	r := runScan(t, okta.Config{OrgURL: srv.OrgURL(), ClientID: "0oaScanner", PrivateKey: key, ActivityDays: 30,
		Scopes: []string{"okta.apps.read", "okta.appGrants.read", "okta.roles.read", "okta.users.read", "okta.apiTokens.read", "okta.orgs.read", "okta.aiAgents.read"}})
	if r.err != nil || r.scan.Status != inventory.ScanPartial || r.coverage("system_log").Status != inventory.CoverageSkipped {
		t.Fatalf("service app scan: %v %s %+v", r.err, r.scan.Status, r.scan.Coverage)
	}
	if a := r.byName("Acme Support Agent"); a == nil || !grants(a)["admin_role SUPER_ADMIN admin"] {
		t.Errorf("service app scan did not read client roles: %+v", a)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	r = runScan(t, okta.Config{OrgURL: srv.OrgURL(), ClientID: "0oaScanner", PrivateKey: other})
	if r.err == nil || !strings.Contains(r.err.Error(), "401") {
		t.Errorf("wrong key accepted: %v", r.err)
	}
}
