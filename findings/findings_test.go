package findings

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shadowscan/shadowscan/inventory"
)

var now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func ago(days int) *time.Time { t := now.Add(-time.Duration(days) * 24 * time.Hour); return &t }
func in(days int) *time.Time  { t := now.Add(time.Duration(days) * 24 * time.Hour); return &t }

func ident(kind, name string, attrs map[string]any, grants ...string) inventory.Identity {
	id := inventory.Identity{ID: "github:acme:" + kind + ":" + name, Kind: kind, NativeID: name, Name: name, Platform: "github", TenantKey: "acme",
		TenantID: "github:acme", Status: "active", Attributes: attrs}
	for _, g := range grants {
		res, perm, _ := strings.Cut(g, " ")
		id.Grants = append(id.Grants, inventory.Grant{Resource: res, Permission: perm, Type: "installation"})
	}
	return id
}

func TestCatalog(t *testing.T) {
	c := DefaultCatalog()
	if len(c.Products) < 40 {
		t.Fatalf("catalog has %d products, want at least 40", len(c.Products))
	}
	for _, slug := range []string{"claude", "chatgpt-codex-connector", "devin-ai-integration", "cursor", "google-labs-jules", "amazon-q-developer",
		"coderabbitai", "gemini-code-assist", "sourcery-ai", "qodo-merge-pro", "greptile-apps", "ellipsis-dev", "copilot-swe-agent"} {
		if c.GitHubApp(slug) == nil {
			t.Errorf("catalog lacks GitHub App %s", slug)
		}
	}
	if _, err := LoadCatalog([]byte(`{"products":[{"id":"a","vendor":"v","product":"p","category":"c"},{"id":"a","vendor":"v","product":"p","category":"c"}]}`)); err == nil {
		t.Error("duplicate ids accepted")
	}
	if _, err := LoadCatalog([]byte(`{"products":[{"id":"a"}]}`)); err == nil {
		t.Error("incomplete entry accepted")
	}
}

func TestClassify(t *testing.T) {
	c := DefaultCatalog()
	tests := []struct {
		name         string
		id           inventory.Identity
		ai           bool
		vendor, conf string
	}{
		{"catalog slug", ident("github_app_installation", "x", map[string]any{"app_slug": "claude"}), true, "Anthropic", ConfidenceHigh},
		{"copilot seat", ident("copilot_seat", "alice", nil), true, "GitHub", ConfidenceHigh},
		{"leaked openai key", ident("leaked_secret", "a#1", map[string]any{"secret_type": "openai_api_key"}), true, "OpenAI", ConfidenceHigh},
		{"plaintext key", ident("actions_variable", "K", map[string]any{"plaintext_ai_key": "anthropic_api_key"}), true, "Anthropic", ConfidenceHigh},
		{"secret named like an AI key", ident("actions_secret", "OPENAI_API_KEY", map[string]any{"name_suggests_ai_key": true}), true, "OpenAI", ConfidenceMedium},
		{"PAT named after a product", ident("fine_grained_pat", "claude-code-local", nil), true, "Anthropic", ConfidenceMedium},
		{"AI word only", ident("fine_grained_pat", "llm-sync", nil), true, "", ConfidenceLow},
		{"webhook to AI vendor", func() inventory.Identity {
			i := ident("org_webhook", "api.openai.com", map[string]any{"target_host": "api.openai.com"})
			i.URL = "https://api.openai.com"
			return i
		}(), true, "OpenAI", ConfidenceMedium},
		{"renovate is not AI", ident("github_app_installation", "Renovate", map[string]any{"app_slug": "renovate"}), false, "", ""},
		{"zapier alone is automation, not AI", func() inventory.Identity {
			i := ident("org_webhook", "hooks.zapier.com", map[string]any{"target_host": "hooks.zapier.com"})
			i.URL = "https://hooks.zapier.com"
			return i
		}(), false, "", ""},
		{"'air' and 'said' are not AI words", ident("fine_grained_pat", "airflow said deploy", nil), false, "", ""},
		{"secret not named like AI", ident("actions_secret", "NPM_TOKEN", map[string]any{"name_suggests_ai_key": false}), false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Classify(c, &tt.id)
			if v.IsAI != tt.ai || v.Vendor != tt.vendor || v.Confidence != tt.conf {
				t.Errorf("got ai=%v vendor=%q conf=%q reasons=%v", v.IsAI, v.Vendor, v.Confidence, v.Reasons)
			}
			if v.IsAI && len(v.Reasons) == 0 {
				t.Error("an AI verdict needs a reason")
			}
		})
	}
}

func TestGrantPrivilege(t *testing.T) {
	tests := []struct{ res, perm, want string }{
		{"repositories:selected", "contents:write", LevelHigh},
		{"repositories:all", "contents:write", LevelCritical},
		{"repositories:selected", "administration:write", LevelCritical},
		{"repositories:all", "metadata:read", LevelNone},
		{"repositories:all", "issues:read", LevelLow},
		{"repositories:selected", "pull_requests:write", LevelMedium},
		{"repositories:all", "pull_requests:write", LevelHigh},
		{"organization", "organization_secrets:write", LevelCritical},
		{"repositories:selected", "brand_new:write", LevelMedium},
		{"repositories:selected", "brand_new:admin", LevelHigh},
		{"classic-scopes", "delete_repo", LevelCritical},
		{"classic-scopes", "read:org", LevelLow},
		{"copilot", "copilot:business", LevelMedium},
	}
	for _, tt := range tests {
		if got := GrantPrivilege("github", inventory.Grant{Resource: tt.res, Permission: tt.perm}); got != tt.want {
			t.Errorf("%s %s = %s, want %s", tt.res, tt.perm, got, tt.want)
		}
	}
}

// TestRules runs every rule on a case it must flag and one it must not.
func TestRules(t *testing.T) {
	withCreds := func(id inventory.Identity, c ...inventory.Credential) inventory.Identity {
		id.Credentials = c
		return id
	}
	withStatus := func(id inventory.Identity, st string) inventory.Identity { id.Status = st; return id }
	withUsed := func(id inventory.Identity, used, created *time.Time) inventory.Identity {
		id.LastUsedAt, id.CreatedAt = used, created
		return id
	}
	withOwner := func(id inventory.Identity, st string) inventory.Identity {
		id.Owners = []inventory.OwnerRef{{Role: "owner", Principal: inventory.Principal{ID: "p", Name: "bob", Status: st}}}
		return id
	}
	claude := map[string]any{"app_slug": "claude", "repository_selection": "all"}
	cases := map[string]ruleCase{
		"SS-GH-001": {ident("leaked_secret", "r#1", map[string]any{"secret_type": "openai_api_key", "validity": "active"}),
			withStatus(ident("leaked_secret", "r#2", map[string]any{"secret_type": "openai_api_key"}), "resolved")},
		"SS-GH-002": {ident("actions_variable", "K", map[string]any{"plaintext_ai_key": "openai_api_key"}), ident("actions_variable", "OPENAI_BASE_URL", map[string]any{"name_suggests_ai_key": true})},
		"SS-GH-003": {ident("github_app_installation", "c", claude, "repositories:all contents:write"), ident("github_app_installation", "c", claude, "repositories:all pull_requests:read")},
		"SS-GH-004": {ident("fine_grained_pat", "cursor-agent", nil), ident("fine_grained_pat", "release-tooling", nil)},
		"SS-GH-005": {ident("github_app_installation", "c", claude), ident("github_app_installation", "c", map[string]any{"app_slug": "claude", "repository_selection": "selected"})},
		"SS-GH-006": {withOwner(ident("fine_grained_pat", "t", nil), inventory.PrincipalDeleted), withOwner(ident("fine_grained_pat", "t", nil), inventory.PrincipalActive)},
		"SS-GH-007": {ident("sso_authorized_pat", "t", nil, "classic-scopes admin:org"), ident("sso_authorized_pat", "t", nil, "classic-scopes repo")},
		"SS-GH-008": {withCreds(ident("fine_grained_pat", "t", nil), inventory.Credential{ID: "1"}), withCreds(ident("fine_grained_pat", "t", nil), inventory.Credential{ID: "1", ExpiresAt: in(80)})},
		"SS-GH-009": {withUsed(ident("fine_grained_pat", "t", nil, "repositories:selected contents:write"), ago(120), nil),
			withUsed(ident("fine_grained_pat", "t", nil, "repositories:selected contents:write"), ago(10), nil)},
		"SS-GH-010": {ident("deploy_key", "k", map[string]any{"read_only": false}), ident("deploy_key", "k", map[string]any{"read_only": true})},
		"SS-GH-011": {func() inventory.Identity {
			i := ident("org_webhook", "h", map[string]any{"target_host": "api.openai.com"})
			i.URL = "https://api.openai.com"
			return i
		}(), func() inventory.Identity {
			i := ident("org_webhook", "h", map[string]any{"target_host": "ci.acme.example"})
			i.URL = "https://ci.acme.example"
			return i
		}()},
		"SS-GH-012": {ident("repo_webhook", "h", map[string]any{"insecure_ssl": true}), ident("repo_webhook", "h", map[string]any{"insecure_ssl": false})},
		"SS-GH-013": {ident("repo_webhook", "h", map[string]any{"secret_set": false}), ident("repo_webhook", "h", map[string]any{"secret_set": true})},
		"SS-GH-014": {withStatus(ident("github_app_installation", "s", nil, "repositories:selected contents:write"), "suspended"),
			ident("github_app_installation", "s", nil, "repositories:selected contents:write")},
		"SS-GH-015": {ident("github_app_installation", "c", claude), ident("github_app_installation", "r", map[string]any{"app_slug": "renovate"})},
		"SS-GH-016": {withUsed(ident("copilot_seat", "a", nil), ago(100), ago(300)), withUsed(ident("copilot_seat", "a", nil), ago(3), ago(300))},
		"SS-GH-017": {ident("actions_secret", "OPENAI_API_KEY", map[string]any{"name_suggests_ai_key": true}), ident("actions_secret", "NPM_TOKEN", nil)},
		"SS-GH-018": {ident("fine_grained_pat_request", "windsurf-agent", nil), ident("fine_grained_pat_request", "ci-readonly", nil)},
	}
	checkRuleCases(t, "github", cases)
}

func TestAnalyzeFingerprintsRiskAndNotAssessed(t *testing.T) {
	leak := ident("leaked_secret", "r#1", map[string]any{"secret_type": "openai_api_key", "validity": "active"})
	leak.Credentials = []inventory.Credential{{ID: "r#1", Type: "leaked_key"}}
	app := ident("github_app_installation", "c", map[string]any{"app_slug": "claude", "repository_selection": "all"}, "repositories:all contents:write", "repositories:all metadata:read")
	app.Origin = "third_party"
	plain := ident("github_app_installation", "n", map[string]any{"app_slug": "netlify"}, "repositories:selected statuses:write")
	snap := &inventory.Snapshot{TakenAt: now, Tenants: []inventory.Tenant{{Platform: "github", Key: "acme"}},
		Identities: []inventory.Identity{leak, app, plain},
		Scans: []inventory.Scan{{TenantID: "github:acme", Coverage: []inventory.Coverage{{Collector: "installations", Status: "ok"},
			{Collector: "copilot_seats", Status: "skipped", Reason: "404 Not Found", Permission: "Copilot Business"}}}}}
	r1 := Analyze(snap, Options{})
	r2 := Analyze(snap, Options{})
	if len(r1.Findings) == 0 || len(r1.Findings) != len(r2.Findings) {
		t.Fatalf("findings %d / %d", len(r1.Findings), len(r2.Findings))
	}
	for i := range r1.Findings {
		if r1.Findings[i].ID != r2.Findings[i].ID || !strings.HasPrefix(r1.Findings[i].ID, "ssf-") {
			t.Errorf("fingerprint not stable: %s vs %s", r1.Findings[i].ID, r2.Findings[i].ID)
		}
	}
	if r1.Findings[0].Severity != LevelCritical {
		t.Errorf("findings not sorted by severity: first is %s", r1.Findings[0].Severity)
	}
	byName := map[string]Assessed{}
	for _, a := range r1.Identities {
		byName[a.Identity.NativeID] = a
	}
	if a := byName["c"]; a.Risk.Score <= byName["n"].Risk.Score || a.Risk.Level == LevelInfo || len(a.Risk.Factors) < 3 {
		t.Errorf("risk of an AI app with write on all repos: %+v vs netlify %+v", a.Risk, byName["n"].Risk)
	}
	if byName["r#1"].Risk.Level != LevelCritical {
		t.Errorf("leaked active key risk: %+v", byName["r#1"].Risk)
	}
	var copilotNA, installNA bool
	for _, na := range r1.NotAssessed {
		if na.RuleID == "SS-GH-016" && na.Collector == "copilot_seats" && strings.Contains(na.Reason, "Copilot Business") {
			copilotNA = true
		}
		if na.Collector == "installations" {
			installNA = true
		}
	}
	if !copilotNA || installNA {
		t.Errorf("not assessed: %+v", r1.NotAssessed)
	}
}

// BenchmarkAnalyze runs a full analysis (classification, privilege, rules,
// risk, agent correlation) of 50,000 identities holding 500,000 grants.
func BenchmarkAnalyze(b *testing.B) {
	snap := &inventory.Snapshot{TakenAt: now, Tenants: []inventory.Tenant{{Platform: "github", Key: "acme"}}}
	slugs := []string{"claude", "renovate", "cursor", "netlify", "acme-bot"}
	perms := []string{"contents:write", "issues:read", "metadata:read", "pull_requests:write", "workflows:write", "checks:write", "statuses:read", "actions:read", "deployments:write", "pages:read"}
	for i := 0; i < 50000; i++ {
		kind := "github_app_installation"
		if i%3 == 0 {
			kind = "fine_grained_pat"
		}
		id := ident(kind, fmt.Sprintf("id-%d", i), map[string]any{"app_slug": slugs[i%len(slugs)], "repository_selection": "all"})
		id.LastUsedAt = ago(i % 200)
		for g := 0; g < 10; g++ {
			id.Grants = append(id.Grants, inventory.Grant{Resource: "repositories:all", Permission: perms[g], Type: "installation"})
		}
		snap.Identities = append(snap.Identities, id)
	}
	b.ResetTimer()
	var n, agents int
	for i := 0; i < b.N; i++ {
		res := Analyze(snap, Options{})
		n = len(res.Findings)
		agents = len(Correlate(res))
	}
	b.ReportMetric(float64(n), "findings")
	b.ReportMetric(float64(agents), "agents")
}
