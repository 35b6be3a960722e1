package github_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	ghc "github.com/shadowscan/shadowscan/connectors/github"
	"github.com/shadowscan/shadowscan/connectors/github/fake"
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
	path string
	conn *ghc.Connector
}

func (r result) kind(k string) []inventory.Identity     { return r.Kind(k) }
func (r result) coverage(col string) inventory.Coverage { return r.Coverage(col) }

func runScan(t testing.TB, cfg ghc.Config, ctx context.Context) result {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quiet
	}
	if cfg.MaxWait == 0 {
		cfg.MaxWait = 5 * time.Second
	}
	conn, err := ghc.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := inventorytest.Run(t, ctx, conn)
	return result{Result: r, scan: r.Scan, err: r.Err, snap: r.Snap, path: r.Path, conn: conn}
}

func genServer(t testing.TB, repos int, opts fake.Options) *fake.Server {
	t.Helper()
	srv := fake.New(fake.Generate(fake.GenOptions{Repos: repos, Seed: 7}), opts)
	t.Cleanup(srv.Close)
	return srv
}

func TestScanGeneratedOrg(t *testing.T) {
	org := fake.Generate(fake.GenOptions{Repos: 80, Seed: 3})
	// A permission go-github v60's InstallationPermissions does not know.
	org.Installations[0].Permissions["organization_custom_org_roles"] = "read"
	srv := fake.New(org, fake.Options{Token: "t0ken"})
	defer srv.Close()
	r := runScan(t, ghc.Config{Org: org.Login, APIURL: srv.APIURL(), Token: "t0ken", Concurrency: 4}, context.Background())
	if r.err != nil || r.scan.Status != inventory.ScanComplete {
		t.Fatalf("scan: %v status %s coverage %+v errors %v", r.err, r.scan.Status, r.scan.Coverage, r.scan.Errors)
	}
	wantKeys, wantRepoHooks, wantSecrets := 0, 0, len(org.Secrets)
	for _, repo := range org.Repos {
		wantKeys += len(repo.Keys)
		wantRepoHooks += len(repo.Hooks)
		wantSecrets += len(repo.Secrets)
	}
	counts := map[string]int{
		ghc.KindInstallation: len(org.Installations), ghc.KindPAT: len(org.PATs), ghc.KindPATRequest: len(org.PATRequests),
		ghc.KindDeployKey: wantKeys, ghc.KindRepoWebhook: wantRepoHooks, ghc.KindOrgWebhook: len(org.Hooks),
		ghc.KindActionsSecret: wantSecrets, ghc.KindCopilotSeat: len(org.Seats), ghc.KindLeakedSecret: 4,
	}
	for kind, want := range counts {
		if got := len(r.kind(kind)); got != want {
			t.Errorf("%s: got %d identities, want %d", kind, got, want)
		}
	}
	sso := len(r.kind(ghc.KindSSOPAT)) + len(r.kind(ghc.KindSSOOAuthToken)) + len(r.kind(ghc.KindSSOSSHKey))
	if sso != len(org.CredentialAuth) {
		t.Errorf("credential authorizations: %d, want %d", sso, len(org.CredentialAuth))
	}
	// Full permission map, app metadata and publisher.
	var claude inventory.Identity
	for _, id := range r.kind(ghc.KindInstallation) {
		if id.Attributes["app_slug"] == "claude" {
			claude = id
		}
	}
	if claude.Name != "Claude" || claude.Publisher != "anthropics" || claude.Origin != "third_party" {
		t.Errorf("claude installation: %+v", claude)
	}
	perms := map[string]bool{}
	for _, g := range claude.Grants {
		perms[g.Resource+" "+g.Permission] = true
	}
	for _, want := range []string{"repositories:all contents:write", "repositories:all workflows:write", "organization organization_custom_org_roles:read"} {
		if !perms[want] {
			t.Errorf("claude grants lack %q: %v", want, perms)
		}
	}
	// Owners who left the org are marked.
	for _, id := range r.kind(ghc.KindPAT) {
		if id.Name == "aider-bot" {
			if len(id.Owners) != 1 || id.Owners[0].Principal.Status != inventory.PrincipalDeleted {
				t.Errorf("aider-bot owner: %+v", id.Owners)
			}
			if len(id.Credentials) != 1 || id.Credentials[0].ExpiresAt != nil {
				t.Errorf("aider-bot credential: %+v", id.Credentials)
			}
		}
	}
	// The plaintext AI key in an org variable is recognized, not kept.
	var claudeVar *inventory.Identity
	for _, id := range r.kind(ghc.KindActionsVariable) {
		if id.Name == "CLAUDE_KEY" {
			claudeVar = &id
		}
	}
	if claudeVar == nil || claudeVar.Attributes["plaintext_ai_key"] != "anthropic_api_key" {
		t.Fatalf("CLAUDE_KEY variable: %+v", claudeVar)
	}
	assertNoSecrets(t, r.path, org)
}

// assertNoSecrets checks that no leaked secret or variable value reached the
// registry file in any form.
func assertNoSecrets(t *testing.T, path string, org *fake.Org) {
	t.Helper()
	var secrets []string
	for _, a := range org.Alerts {
		secrets = append(secrets, a.Secret)
	}
	for _, v := range org.Variables {
		if len(v.Value) > 30 {
			secrets = append(secrets, v.Value)
		}
	}
	for _, repo := range org.Repos {
		for _, v := range repo.Variables {
			secrets = append(secrets, v.Value)
		}
	}
	var all []byte
	for _, suffix := range []string{"", "-wal"} {
		b, _ := os.ReadFile(path + suffix)
		all = append(all, b...)
	}
	if len(all) == 0 {
		t.Fatal("registry file is empty")
	}
	for _, s := range secrets {
		if bytes.Contains(all, []byte(s)) || bytes.Contains(all, []byte(s[:len(s)-4])) {
			t.Errorf("secret value %.12s… found in the registry", s)
		}
	}
}

func TestVendorExamplesIngestVerbatim(t *testing.T) {
	srv, err := fake.NewVendor(fake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	r := runScan(t, ghc.Config{Org: "octo-org", APIURL: srv.APIURL(), Token: "x"}, context.Background())
	if r.err != nil || r.scan.Status != inventory.ScanComplete {
		t.Fatalf("scan: %v %s %+v %v", r.err, r.scan.Status, r.scan.Coverage, r.scan.Errors)
	}
	inst := r.kind(ghc.KindInstallation)
	if len(inst) != 1 || inst[0].NativeID != "25381" || inst[0].Name != "Octocat App" || inst[0].Publisher != "octocat" {
		t.Fatalf("installations: %+v", inst)
	}
	if inst[0].CreatedAt == nil || !inst[0].CreatedAt.Equal(time.Date(2017, 5, 16, 15, 47, 9, 0, time.UTC)) {
		t.Errorf("installation created_at with millis and offset: %v", inst[0].CreatedAt)
	}
	if pats := r.kind(ghc.KindPAT); len(pats) != 1 || pats[0].Name != "Some Token" || pats[0].Owners[0].Principal.Native != "octocat" ||
		pats[0].Owners[0].Principal.Status != inventory.PrincipalActive || len(pats[0].Grants) != 2 {
		t.Errorf("pats: %+v", pats)
	}
	if reqs := r.kind(ghc.KindPATRequest); len(reqs) != 1 || reqs[0].Description != "I need to access the GitHub API" {
		t.Errorf("pat requests: %+v", reqs)
	}
	if n := len(r.kind(ghc.KindSSOPAT)) + len(r.kind(ghc.KindSSOOAuthToken)) + len(r.kind(ghc.KindSSOAppToken)) + len(r.kind(ghc.KindSSOSSHKey)); n != 5 {
		t.Errorf("credential authorizations: %d, want 5", n)
	}
	for _, id := range r.kind(ghc.KindSSOPAT) {
		if id.NativeID == "161195" && id.Credentials[0].Hint != "…fc11" {
			t.Errorf("hint from token_last_eight: %q", id.Credentials[0].Hint)
		}
	}
	if keys := r.kind(ghc.KindDeployKey); len(keys) != 1 || keys[0].Attributes["read_only"] != true || keys[0].Grants[0].Permission != "contents:read" {
		t.Errorf("deploy keys: %+v", keys)
	}
	if hooks := r.kind(ghc.KindRepoWebhook); len(hooks) != 1 || hooks[0].URL != "https://example.com" || hooks[0].Attributes["secret_set"] != false {
		t.Errorf("repo hooks: %+v", hooks)
	}
	if hooks := r.kind(ghc.KindOrgWebhook); len(hooks) != 1 || hooks[0].Name != "example.com" {
		t.Errorf("org hooks: %+v", hooks)
	}
	if secs := r.kind(ghc.KindActionsSecret); len(secs) != 3 {
		t.Errorf("org secrets: %d", len(secs))
	}
	// ACTIONS_RUNNER_DEBUG has a boolean value: decoded, and not an AI key.
	if vars := r.kind(ghc.KindActionsVariable); len(vars) != 0 {
		t.Errorf("variables recorded: %+v", vars)
	}
	seats := r.kind(ghc.KindCopilotSeat)
	if len(seats) != 2 || seats[0].Attributes["plan_type"] != "business" || seats[1].Attributes["plan_type"] != "business" {
		t.Errorf("copilot seats: %+v", seats)
	}
	if got := r.snap.Settings["github:octo-org"]["copilot.public_code_suggestions"]; got != `"block"` {
		t.Errorf("copilot setting: %s", got)
	}
	// The only alert is an Adafruit key: not an AI provider's, and its
	// placeholder secret must not be stored anywhere.
	if leaked := r.kind(ghc.KindLeakedSecret); len(leaked) != 0 {
		t.Errorf("non-AI alert recorded: %+v", leaked)
	}
	b, _ := os.ReadFile(r.path + "-wal")
	b2, _ := os.ReadFile(r.path)
	if bytes.Contains(append(b, b2...), []byte("aio_XXXX")) {
		t.Error("the alert's plaintext secret reached the registry")
	}
}

// TestVendorCopiesMatchShared keeps the embedded copies honest.
func TestVendorCopiesMatchShared(t *testing.T) {
	vendorfs.CheckShared(t, "github", fake.VendorFiles(), fake.VendorFile)
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(*fake.Server)
		opts   fake.Options
		check  func(t *testing.T, r result, srv *fake.Server)
		status string
	}{
		{"500 then success", func(s *fake.Server) { s.SetFault("installations", fake.Fault{Status: 500, Times: 2}) }, fake.Options{},
			func(t *testing.T, r result, srv *fake.Server) {
				if len(r.kind(ghc.KindInstallation)) == 0 || srv.RouteRequests("installations") != 3 {
					t.Errorf("installations %d after %d requests", len(r.kind(ghc.KindInstallation)), srv.RouteRequests("installations"))
				}
			}, inventory.ScanComplete},
		{"secondary rate limit 403", func(s *fake.Server) { s.SetFault("pats", fake.Fault{Secondary: true}) }, fake.Options{},
			func(t *testing.T, r result, _ *fake.Server) {
				if len(r.kind(ghc.KindPAT)) == 0 || r.conn.Stats().RateLimited.Load() != 1 || r.conn.Stats().WaitedMillis.Load() < 1000 {
					t.Errorf("pats %d, rate limited %d, waited %dms", len(r.kind(ghc.KindPAT)), r.conn.Stats().RateLimited.Load(), r.conn.Stats().WaitedMillis.Load())
				}
			}, inventory.ScanComplete},
		{"429", func(s *fake.Server) { s.SetFault("repos", fake.Fault{TooMany: true}) }, fake.Options{},
			func(t *testing.T, r result, _ *fake.Server) {
				if r.conn.Stats().RateLimited.Load() != 1 {
					t.Errorf("429 not seen as a rate limit")
				}
			}, inventory.ScanComplete},
		{"malformed JSON", func(s *fake.Server) {
			s.SetFault("installations", fake.Fault{Status: 200, Body: `{"total_count": 1, "installations": [{"id": 1,`, Times: -1})
		}, fake.Options{},
			func(t *testing.T, r result, _ *fake.Server) {
				if c := r.coverage("installations"); c.Status != inventory.CoverageError {
					t.Errorf("coverage %+v", c)
				}
				if len(r.kind(ghc.KindPAT)) == 0 {
					t.Error("other collectors must go on")
				}
			}, inventory.ScanPartial},
		{"unknown fields and enum values", func(s *fake.Server) {
			s.SetRaw("installations", []byte(`{"total_count":1,"installations":[{"id":77,"app_id":1,"app_slug":"newapp","account":{"login":"acme-corp"},
				"repository_selection":"some_future_mode","permissions":{"contents":"triage","brand_new_permission":"write"},"events":[],"shiny_new_field":{"a":[1,2]},
				"created_at":"2024-01-02T03:04:05Z","updated_at":"2024-01-02T03:04:05Z","suspended_at":null}]}`))
		}, fake.Options{},
			func(t *testing.T, r result, _ *fake.Server) {
				in := r.kind(ghc.KindInstallation)
				if len(in) != 1 || len(in[0].Grants) != 2 || in[0].Grants[0].Resource != "repositories:some_future_mode" {
					t.Errorf("installations %+v", in)
				}
			}, inventory.ScanComplete},
		{"zero installations", func(s *fake.Server) { s.Org.Installations = nil }, fake.Options{},
			func(t *testing.T, r result, _ *fake.Server) {
				if len(r.kind(ghc.KindInstallation)) != 0 || r.coverage("installations").Status != inventory.CoverageOK {
					t.Errorf("zero installations: %+v", r.coverage("installations"))
				}
			}, inventory.ScanComplete},
		{"repo deleted mid-scan", func(s *fake.Server) {
			for _, repo := range s.Org.Repos {
				if len(repo.Keys) > 0 {
					s.DeleteRepo(repo.Name)
					break
				}
			}
		}, fake.Options{},
			func(t *testing.T, r result, srv *fake.Server) {
				want := 0
				for i, repo := range srv.Org.Repos {
					if len(repo.Keys) > 0 && i != firstKeyed(srv.Org) {
						want += len(repo.Keys)
					}
				}
				if got := len(r.kind(ghc.KindDeployKey)); got != want || r.coverage("deploy_keys").Status != inventory.CoverageOK {
					t.Errorf("deploy keys %d want %d, coverage %+v", got, want, r.coverage("deploy_keys"))
				}
			}, inventory.ScanComplete},
		{"token lacks scopes", nil, fake.Options{Token: "t", Scopes: []string{"repo"}},
			func(t *testing.T, r result, _ *fake.Server) {
				c := r.coverage("installations")
				if c.Status != inventory.CoverageSkipped || !strings.Contains(c.Permission, "admin:org") {
					t.Errorf("coverage %+v", c)
				}
				if len(r.kind(ghc.KindDeployKey)) == 0 {
					t.Error("repo collectors must still run with repo scope")
				}
			}, inventory.ScanPartial},
		{"no Copilot, no GHEC", func(s *fake.Server) { s.Org.Copilot, s.Org.GHEC = false, false }, fake.Options{},
			func(t *testing.T, r result, _ *fake.Server) {
				for _, col := range []string{"copilot_seats", "credential_authorizations"} {
					if c := r.coverage(col); c.Status != inventory.CoverageSkipped || c.Permission == "" {
						t.Errorf("%s coverage %+v", col, c)
					}
				}
			}, inventory.ScanPartial},
		{"deploy keys always 502", func(s *fake.Server) { s.SetFault("repo_keys", fake.Fault{Status: 502, Times: -1}) }, fake.Options{},
			func(t *testing.T, r result, _ *fake.Server) {
				if c := r.coverage("deploy_keys"); c.Status != inventory.CoverageError || len(r.scan.Errors) == 0 {
					t.Errorf("coverage %+v errors %v", c, r.scan.Errors)
				}
			}, inventory.ScanPartial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := genServer(t, 12, tt.opts)
			if tt.setup != nil {
				tt.setup(srv)
			}
			token := tt.opts.Token
			if token == "" {
				token = "any"
			}
			r := runScan(t, ghc.Config{Org: srv.Org.Login, APIURL: srv.APIURL(), Token: token, MaxRetries: 3, MaxWait: 3 * time.Second}, context.Background())
			if r.err != nil {
				t.Fatalf("scan error: %v", r.err)
			}
			if r.scan.Status != tt.status {
				t.Errorf("status %s, want %s (coverage %+v)", r.scan.Status, tt.status, r.scan.Coverage)
			}
			tt.check(t, r, srv)
		})
	}
}

func firstKeyed(org *fake.Org) int {
	for i, repo := range org.Repos {
		if len(repo.Keys) > 0 {
			return i
		}
	}
	return -1
}

func TestFatalErrors(t *testing.T) {
	srv := genServer(t, 3, fake.Options{Token: "right"})
	r := runScan(t, ghc.Config{Org: srv.Org.Login, APIURL: srv.APIURL(), Token: "wrong"}, context.Background())
	if r.err == nil || !strings.Contains(r.err.Error(), "rejected the credentials") || r.scan.Status != inventory.ScanFailed {
		t.Errorf("bad token: %v, %s", r.err, r.scan.Status)
	}
	r = runScan(t, ghc.Config{Org: "no-such-org", APIURL: srv.APIURL(), Token: "right"}, context.Background())
	if r.err == nil || !strings.Contains(r.err.Error(), "not found") {
		t.Errorf("unknown org: %v", r.err)
	}
	r = runScan(t, ghc.Config{Org: "x", APIURL: "http://127.0.0.1:1/api/v3/", Token: "t", MaxRetries: 1}, context.Background())
	if r.err == nil || r.scan.Status != inventory.ScanFailed {
		t.Errorf("unreachable API: %v", r.err)
	}
	if _, err := ghc.New(ghc.Config{Org: "x"}); err == nil || !strings.Contains(err.Error(), "GITHUB_TOKEN") {
		t.Errorf("no credentials: %v", err)
	}
	if _, err := ghc.New(ghc.Config{Org: "x", Token: "t", APIURL: "ftp://x"}); err == nil {
		t.Error("bad api url accepted")
	}
}

func TestCancelLeavesRegistryConsistent(t *testing.T) {
	srv := genServer(t, 200, fake.Options{Latency: 5 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	r := runScan(t, ghc.Config{Org: srv.Org.Login, APIURL: srv.APIURL(), Token: "t", Concurrency: 2}, ctx)
	if r.err == nil || !errors.Is(r.err, context.DeadlineExceeded) || r.scan.Status != inventory.ScanFailed {
		t.Fatalf("err %v status %s", r.err, r.scan.Status)
	}
	if len(r.snap.Identities) == 0 {
		t.Error("what was seen before the cancel was not kept")
	}
}

func TestGitHubAppAuth(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemFile := filepath.Join(t.TempDir(), "app.pem")
	os.WriteFile(pemFile, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600)
	srv := genServer(t, 5, fake.Options{Token: "pat-not-used", AppID: 4242, AppKey: &key.PublicKey})
	r := runScan(t, ghc.Config{Org: srv.Org.Login, APIURL: srv.APIURL(), AppID: 4242, InstallationID: 40000000, PrivateKeyFile: pemFile}, context.Background())
	if r.err != nil || r.scan.Status != inventory.ScanComplete || srv.RouteRequests("app_token") < 1 {
		t.Fatalf("app auth: %v %s tokens minted %d", r.err, r.scan.Status, srv.RouteRequests("app_token"))
	}
	// A different App id is refused at minting.
	r = runScan(t, ghc.Config{Org: srv.Org.Login, APIURL: srv.APIURL(), AppID: 1, InstallationID: 40000000, PrivateKeyFile: pemFile, MaxRetries: 1}, context.Background())
	if r.err == nil {
		t.Error("wrong App id was accepted")
	}
}

func TestPrimaryRateLimitIsWaitedOut(t *testing.T) {
	srv := genServer(t, 10, fake.Options{RateLimit: 25, RateWindow: 1500 * time.Millisecond})
	r := runScan(t, ghc.Config{Org: srv.Org.Login, APIURL: srv.APIURL(), Token: "t", Concurrency: 3}, context.Background())
	if r.err != nil || r.scan.Status != inventory.ScanComplete {
		t.Fatalf("scan %v %s %+v", r.err, r.scan.Status, r.scan.Coverage)
	}
	if srv.Requests() <= 25 || r.conn.Stats().WaitedMillis.Load() == 0 {
		t.Errorf("requests %d, waited %dms: the limit was never reached", srv.Requests(), r.conn.Stats().WaitedMillis.Load())
	}
}

// BenchmarkCrawl2000Repos crawls a generated 2,000-repository org with 20 ms
// of latency per request, at several concurrencies.
func BenchmarkCrawl2000Repos(b *testing.B) {
	for _, conc := range []int{4, 8, 16} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			srv := genServer(b, 2000, fake.Options{Latency: 20 * time.Millisecond, RateLimit: 1 << 30})
			for i := 0; i < b.N; i++ {
				before := srv.Requests()
				r := runScan(b, ghc.Config{Org: srv.Org.Login, APIURL: srv.APIURL(), Token: "t", Concurrency: conc}, context.Background())
				if r.err != nil || r.scan.Status != inventory.ScanComplete {
					b.Fatalf("%v %s", r.err, r.scan.Status)
				}
				b.ReportMetric(float64(srv.Requests()-before)/2000, "requests/repo")
				b.ReportMetric(float64(len(r.snap.Identities)), "identities")
			}
		})
	}
}

// Every SDK list call must follow the Link header past the first page of 100.
func TestScanFollowsEveryPage(t *testing.T) {
	org := fake.Generate(fake.GenOptions{Repos: 210, Seed: 11})
	const n = 250
	// Templates from anywhere in the generated org, multiplied onto one repo.
	var key fake.DeployKey
	var hook fake.Hook
	for _, rp := range org.Repos {
		if len(rp.Keys) > 0 {
			key = rp.Keys[0]
		}
		if len(rp.Hooks) > 0 {
			hook = rp.Hooks[0]
		}
	}
	if key.ID == 0 || hook.ID == 0 || len(org.Hooks) == 0 || len(org.Secrets) == 0 || len(org.CredentialAuth) == 0 {
		t.Fatal("generated org lacks a deploy key, repo hook, org hook, org secret or credential authorization to copy")
	}
	repo := &org.Repos[0]
	for i := 0; len(repo.Keys) < n; i++ {
		k := key
		k.ID = int64(9_000_000 + i)
		repo.Keys = append(repo.Keys, k)
	}
	for i := 0; len(repo.Hooks) < n; i++ {
		h := hook
		h.ID = int64(9_100_000 + i)
		repo.Hooks = append(repo.Hooks, h)
	}
	for i := 0; len(repo.Secrets) < n; i++ {
		sec := org.Secrets[0]
		sec.Name = fmt.Sprintf("PAGED_%03d", i)
		repo.Secrets = append(repo.Secrets, sec)
	}
	for i := 0; len(org.Hooks) < n; i++ {
		h := org.Hooks[0]
		h.ID = int64(9_200_000 + i)
		org.Hooks = append(org.Hooks, h)
	}
	for i := 0; len(org.Secrets) < n; i++ {
		sec := org.Secrets[0]
		sec.Name = fmt.Sprintf("ORG_PAGED_%03d", i)
		org.Secrets = append(org.Secrets, sec)
	}
	for i := 0; len(org.CredentialAuth) < n; i++ {
		ca := org.CredentialAuth[0]
		ca.CredentialID = int64(9_300_000 + i)
		org.CredentialAuth = append(org.CredentialAuth, ca)
	}
	for i := 0; len(org.Members) < n; i++ {
		m := org.Members[0]
		m.Login, m.ID = fmt.Sprintf("paged-member-%03d", i), int64(9_400_000+i)
		org.Members = append(org.Members, m)
	}
	srv := fake.New(org, fake.Options{Token: "t0ken"})
	defer srv.Close()
	r := runScan(t, ghc.Config{Org: org.Login, APIURL: srv.APIURL(), Token: "t0ken", Concurrency: 4}, context.Background())
	if r.err != nil || r.scan.Status != inventory.ScanComplete {
		t.Fatalf("scan: %v status %s errors %v", r.err, r.scan.Status, r.scan.Errors)
	}
	settings := r.snap.Settings["github:"+org.Login]
	if got := settings["github.repositories"]; got != "210" {
		t.Errorf("repositories setting = %s, want 210", got)
	}
	if got := settings["github.members"]; got != strconv.Itoa(n) {
		t.Errorf("members setting = %s, want %d", got, n)
	}
	count := func(kind, prefix string) int {
		c := 0
		for _, id := range r.kind(kind) {
			if strings.HasPrefix(id.NativeID, prefix) {
				c++
			}
		}
		return c
	}
	for _, tc := range []struct {
		kind, prefix string
		want         int
	}{
		{ghc.KindDeployKey, repo.FullName + "/", n},
		{ghc.KindRepoWebhook, repo.FullName + "/", n},
		{ghc.KindActionsSecret, repo.FullName + "/", n},
		{ghc.KindActionsSecret, "org/", n},
		{ghc.KindOrgWebhook, "", n},
	} {
		if got := count(tc.kind, tc.prefix); got != tc.want {
			t.Errorf("%s %q: %d identities, want %d", tc.kind, tc.prefix, got, tc.want)
		}
	}
	sso := len(r.kind(ghc.KindSSOPAT)) + len(r.kind(ghc.KindSSOOAuthToken)) + len(r.kind(ghc.KindSSOSSHKey))
	if sso != n {
		t.Errorf("credential authorizations: %d, want %d", sso, n)
	}
}
