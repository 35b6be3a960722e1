package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shadowscan/shadowscan/findings"
	"github.com/shadowscan/shadowscan/inventory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

const xssName = "Helper <script>alert(1)</script>\x1b[31mPWNED\x1b[0m"

func tp(days int) *time.Time { t := now.Add(-time.Duration(days) * 24 * time.Hour); return &t }

func fixture() *inventory.Snapshot {
	mk := func(kind, native, name string, attrs map[string]any, grants ...string) inventory.Identity {
		id := inventory.Identity{ID: "github:acme:" + kind + ":" + native, Kind: kind, NativeID: native, Name: name, Platform: "github", TenantKey: "acme",
			TenantID: "github:acme", Status: "active", Origin: "third_party", Attributes: attrs, FirstSeen: *tp(30), LastSeen: now, CreatedAt: tp(100)}
		for _, g := range grants {
			res, perm, _ := strings.Cut(g, " ")
			id.Grants = append(id.Grants, inventory.Grant{Resource: res, Permission: perm, Type: "installation", Consent: "admin"})
		}
		return id
	}
	claude := mk("github_app_installation", "1", "Claude", map[string]any{"app_slug": "claude", "repository_selection": "all"}, "repositories:all contents:write", "repositories:all metadata:read")
	claude.Publisher, claude.URL = "anthropics", "https://www.anthropic.com/claude-code"
	evil := mk("github_app_installation", "2", xssName, map[string]any{"app_slug": "acme-llm-triage", "repository_selection": "all"}, "repositories:all issues:write")
	evil.URL, evil.Description, evil.Origin = "javascript:alert(3)", "=HYPERLINK(\"http://evil\")", "internal"
	pat := mk("fine_grained_pat", "98", "=cmd|' /C calc'!A0 cursor-agent", map[string]any{"acts_as_user": "mallory"}, "repositories:all contents:write")
	pat.Owners = []inventory.OwnerRef{{Role: "owner", Principal: inventory.Principal{ID: "github:acme:user:mallory", Name: "mallory", Status: "deleted"}}}
	pat.Credentials = []inventory.Credential{{Type: "fine_grained_pat", ID: "98", LastUsedAt: tp(200)}}
	pat.LastUsedAt = tp(200)
	leak := mk("leaked_secret", "acme/api#1", "OpenAI API Key in acme/api", map[string]any{"secret_type": "openai_api_key", "validity": "active", "repository": "acme/api"})
	leak.Credentials = []inventory.Credential{{Type: "leaked_key", ID: "acme/api#1", Hint: "…9xQz", CreatedAt: tp(5)}}
	plain := mk("github_app_installation", "3", "Codecov", map[string]any{"app_slug": "codecov"}, "repositories:all checks:write")
	fin := now.Add(-time.Hour)
	return &inventory.Snapshot{TakenAt: now, Tenants: []inventory.Tenant{{Platform: "github", Key: "acme"}},
		Scans: []inventory.Scan{{ID: 4, TenantID: "github:acme", Platform: "github", TenantKey: "acme", Status: "partial", StartedAt: now.Add(-2 * time.Hour), FinishedAt: &fin,
			Errors:   []string{"collector deploy_keys: 502 \x1b[2J"},
			Coverage: []inventory.Coverage{{Collector: "installations", Status: "ok"}, {Collector: "copilot_seats", Status: "skipped", Reason: "404 Copilot is not enabled", Permission: "Copilot Business"}}}},
		Identities: []inventory.Identity{claude, evil, pat, leak, plain}}
}

func build(t *testing.T) *Report {
	snap := fixture()
	res := findings.Analyze(snap, findings.Options{Now: now})
	return Build(snap, res, Options{Version: "test", GeneratedAt: now})
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; if the change is intended, run go test ./report -update and review the diff", name)
	}
}

func TestJSONContract(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, build(t)); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.golden.json", buf.Bytes())
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema_version", "generated_at", "tool", "scans", "summary", "identities", "findings"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("missing top-level key %s", k)
		}
	}
	if doc["schema_version"] != "1" {
		t.Errorf("schema_version %v", doc["schema_version"])
	}
	sum := doc["summary"].(map[string]any)
	sev := sum["findings_by_severity"].(map[string]any)
	for _, s := range []string{"critical", "high", "medium", "low", "info"} {
		if _, ok := sev[s]; !ok {
			t.Errorf("findings_by_severity lacks %s", s)
		}
	}
	id := doc["identities"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "platform", "tenant", "kind", "native_id", "name", "publisher", "verified_publisher", "status", "created_at", "last_used_at",
		"first_seen", "last_seen", "ai", "privilege", "risk", "owners", "grants", "credentials"} {
		if _, ok := id[k]; !ok {
			t.Errorf("identity lacks %s", k)
		}
	}
	ai := id["ai"].(map[string]any)
	for _, k := range []string{"is_ai", "vendor", "product", "category", "confidence", "reasons"} {
		if _, ok := ai[k]; !ok {
			t.Errorf("ai lacks %s", k)
		}
	}
	f := doc["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "rule_id", "severity", "title", "identity_id", "platform", "tenant", "evidence", "remediation", "references", "frameworks", "first_seen", "last_seen"} {
		if _, ok := f[k]; !ok {
			t.Errorf("finding lacks %s", k)
		}
	}
	for _, ts := range []string{doc["generated_at"].(string), f["first_seen"].(string)} {
		if _, err := time.Parse(time.RFC3339, ts); err != nil || !strings.HasSuffix(ts, "Z") {
			t.Errorf("time %q is not RFC3339 UTC", ts)
		}
	}
}

func TestHTMLIsSelfContainedAndEscaped(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, build(t)); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.golden.html", buf.Bytes())
	html := buf.String()
	for _, bad := range []string{"<script>alert(1)", "\x1b", `href="javascript:`, "<img src=x"} {
		if strings.Contains(html, bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	if !strings.Contains(html, "Helper &lt;script&gt;alert(1)&lt;/script&gt;[31mPWNED[0m") {
		t.Error("the hostile name is not shown escaped")
	}
	if !strings.Contains(html, "default-src 'none'") {
		t.Error("no CSP forbidding network requests")
	}
	for _, ext := range []string{`src="http`, `href="//`, `<link `, `@import`, `url(http`} {
		if strings.Contains(html, ext) {
			t.Errorf("HTML loads an external resource: %q", ext)
		}
	}
	if strings.Count(html, "<script>") != 1 {
		t.Errorf("expected exactly the one inline script")
	}
	for _, want := range []string{"Coverage gaps", "Copilot Business", "Agents (", "AI identities (", "Claude", "Findings (", "SS-GH-001",
		"Executive summary", "of agents (", "Riskiest agents", "Footholds in detail", "contents:write on repositories:all (critical)", "credentials: ", "data-facet=\"agent-view-table\"", "Export matching rows to CSV", "Kill switch", "NHI2:2025 <b>", "Risk breakdown"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestCSVNeutralizesFormulas(t *testing.T) {
	r := build(t)
	var buf bytes.Buffer
	if err := WriteIdentities(&buf, "csv", r.Identities); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("cell %q starts a formula", cell)
			}
			if strings.ContainsRune(cell, '\x1b') {
				t.Errorf("cell %q has a control character", cell)
			}
		}
	}
	found := false
	for _, row := range rows {
		if row[2] == "'=cmd|' /C calc'!A0 cursor-agent" {
			found = true
		}
	}
	if !found {
		t.Error("the formula name was not kept, neutralized")
	}
	for in, want := range map[string]string{"=1+1": "'=1+1", "+x": "'+x", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "ok": "ok", "a\nb": "a b"} {
		if got := CSVSafe(in); got != want {
			t.Errorf("CSVSafe(%q)=%q want %q", in, got, want)
		}
	}
}

func TestTableStripsControlCharacters(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteIdentities(&buf, "table", build(t).Identities); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(buf.String(), '\x1b') || !strings.Contains(buf.String(), "PWNED") {
		t.Errorf("table output: %q", buf.String())
	}
	if got := Clean("a\x1b]0;title\x07b\u202ec"); got != "a]0;titlebc" {
		t.Errorf("Clean = %q", got)
	}
}

func TestFindingTimesComeFromTheRegistry(t *testing.T) {
	snap := fixture()
	res := findings.Analyze(snap, findings.Options{Now: now})
	first := now.Add(-72 * time.Hour)
	times := map[string]inventory.FindingRecord{res.Findings[0].ID: {FirstSeen: first, LastSeen: now}}
	r := Build(snap, res, Options{GeneratedAt: now, FindingTimes: times})
	if *r.Findings[0].FirstSeen != first.Format(time.RFC3339) || *r.Findings[1].FirstSeen != now.Format(time.RFC3339) {
		t.Errorf("first seen %s / %s", *r.Findings[0].FirstSeen, *r.Findings[1].FirstSeen)
	}
}

func TestChangesSection(t *testing.T) {
	snap := fixture()
	res := findings.Analyze(snap, findings.Options{Now: now})
	d := &inventory.Diff{TenantID: "github:acme", From: 3, To: 4, NewIdentities: []inventory.IdentityRef{{ID: "x", Kind: "github_app_installation", Name: "<b>Evil</b>"}},
		NewGrants: []inventory.GrantChange{{IdentityID: "y", Identity: "Claude", Resource: "repositories:all", Permission: "administration:write", Type: "installation", OnExisting: true}},
		Findings:  []inventory.FindingChange{{FindingID: "f", RuleID: "SS-GH-003", Severity: "critical", IdentityID: "y", Event: "reopened"}}}
	d.Removed = []inventory.Identity{{ID: "github:acme:github_app_installation:77", Kind: "github_app_installation", Name: "Devin.ai Integration", Platform: "github",
		Attributes: map[string]any{"app_slug": "devin-ai-integration"}}, {ID: "github:acme:github_app_installation:78", Kind: "github_app_installation", Name: "Claude",
		Platform: "github", Attributes: map[string]any{"app_slug": "claude"}}}
	d.NewIdentities = append(d.NewIdentities, inventory.IdentityRef{ID: "github:acme:leaked_secret:acme/api#1"}, inventory.IdentityRef{ID: "github:acme:fine_grained_pat:98"})
	r := Build(snap, res, Options{GeneratedAt: now, Changes: []*inventory.Diff{d}})
	if len(r.Changes) != 1 || len(r.Changes[0].RemovedAgents) != 1 || r.Changes[0].RemovedAgents[0] != "Devin" {
		t.Errorf("removed agents: %+v (Claude still has a foothold, Devin has none)", r.Changes[0].RemovedAgents)
	}
	if na := r.Changes[0].NewAgents; len(na) != 1 || na[0] != "Cursor" {
		t.Errorf("new agents: %v (only Cursor has all its footholds new)", na)
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{"Changes since the previous scan", "scan #3 → #4", "escalation", "administration:write", "finding reopened", "&lt;b&gt;Evil&lt;/b&gt;"} {
		if !strings.Contains(html, want) {
			t.Errorf("changes section lacks %q", want)
		}
	}
	var js bytes.Buffer
	WriteJSON(&js, r)
	if !strings.Contains(js.String(), `"on_existing_identity": true`) {
		t.Error("JSON changes lack the escalation")
	}
}
