package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	entrafake "github.com/shadowscan/shadowscan/connectors/entra/fake"
	"github.com/shadowscan/shadowscan/connectors/github/fake"
	oktafake "github.com/shadowscan/shadowscan/connectors/okta/fake"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"--log-level", "warn"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

type reportDoc struct {
	SchemaVersion string `json:"schema_version"`
	Summary       struct {
		Identities int `json:"identities"`
		AIAgents   int `json:"ai_agents"`
	} `json:"summary"`
	Identities []struct {
		ID        string `json:"id"`
		FirstSeen string `json:"first_seen"`
		LastSeen  string `json:"last_seen"`
	} `json:"identities"`
	Findings []struct {
		ID string `json:"id"`
	} `json:"findings"`
}

func TestDemoAndQueries(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "demo", "--out", dir, "--repos", "40")
	if code != 0 {
		t.Fatalf("demo exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, filepath.Join(dir, "report.html")) {
		t.Errorf("demo stdout: %q", out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc reportDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != "1" || doc.Summary.AIAgents < 10 || doc.Summary.Identities <= doc.Summary.AIAgents || len(doc.Findings) == 0 {
		t.Errorf("demo report: %+v", doc.Summary)
	}
	for _, want := range []string{`"platform": "github"`, `"platform": "entra"`, `"kind": "agent_identity"`, `"rule_id": "SS-EN-001"`, `"rule_id": "SS-GH-001"`, `"platform": "okta"`, `"rule_id": "SS-OK-003"`, `"kind": "okta_ai_agent"`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("demo report lacks %s", want)
		}
	}
	html, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	if !bytes.Contains(html, []byte("default-src 'none'")) || bytes.Contains(html, []byte("<script>alert(1)")) {
		t.Error("demo HTML is not self-contained and escaped")
	}
	db := filepath.Join(dir, "shadowscan.db")
	code, out, _ = runCLI(t, "--db", db, "agents", "--identities", "--ai", "-o", "json")
	var agents []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &agents) != nil || len(agents) != doc.Summary.AIAgents {
		t.Errorf("agents --identities --ai: exit %d, %d identities, want %d", code, len(agents), doc.Summary.AIAgents)
	}
	code, out, _ = runCLI(t, "--db", db, "agents", "-o", "json")
	var view []struct {
		Name      string `json:"name"`
		Status    string `json:"status"`
		Footholds []struct {
			Platform string `json:"platform"`
			Reason   string `json:"reason"`
		} `json:"footholds"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &view) != nil || len(view) == 0 || len(view) >= doc.Summary.AIAgents {
		t.Fatalf("agents view: exit %d, %d agents for %d AI identities", code, len(view), doc.Summary.AIAgents)
	}
	var claudePlatforms = map[string]bool{}
	for _, a := range view {
		if a.Status != "shadow" {
			t.Errorf("without a policy every agent is shadow: %+v", a)
		}
		if a.Name == "Claude" {
			for _, f := range a.Footholds {
				claudePlatforms[f.Platform] = true
			}
		}
	}
	if len(claudePlatforms) != 3 {
		t.Errorf("Claude should span GitHub, Entra and Okta in the demo: %v", claudePlatforms)
	}
	code, out, _ = runCLI(t, "--db", db, "killswitch", "Claude")
	if code != 0 || !strings.Contains(out, "/settings/installations/") || !strings.Contains(out, "accountEnabled") || !strings.Contains(out, "keeps working") {
		t.Errorf("killswitch Claude: exit %d:\n%s", code, out)
	}
	if code, _, errOut := runCLI(t, "--db", db, "killswitch", "no-such-agent"); code != 1 || !strings.Contains(errOut, "no agent named") {
		t.Errorf("unknown agent: exit %d: %s", code, errOut)
	}
	igaDir := filepath.Join(dir, "iga")
	if code, _, errOut := runCLI(t, "--db", db, "export", "--format", "iga-csv", "--out", igaDir); code != 0 {
		t.Errorf("export iga-csv: exit %d: %s", code, errOut)
	} else if b, _ := os.ReadFile(filepath.Join(igaDir, "accounts.csv")); !bytes.Contains(b, []byte("classification")) {
		t.Error("accounts.csv missing")
	}
	if code, out, _ := runCLI(t, "--db", db, "export", "--format", "ocsf"); code != 0 || !strings.Contains(out, `"class_uid":2004`) {
		t.Errorf("export ocsf: exit %d", code)
	}
	if code, _, errOut := runCLI(t, "--db", db, "export", "--format", "scim", "--push", "http://scim.example.com/v2"); code != 1 || !strings.Contains(errOut, "use https") {
		t.Errorf("push over plain http to a remote host: exit %d: %s", code, errOut)
	}
	if code, _, _ := runCLI(t, "--db", db, "export", "--format", "ocsf", "--push", "https://x"); code != 2 {
		t.Errorf("--push without scim: exit %d", code)
	}
	if code, _, _ := runCLI(t, "--db", db, "export", "--format", "csv"); code != 2 {
		t.Errorf("export csv without --out: exit %d", code)
	}
	pol := filepath.Join(dir, "policy.yaml")
	os.WriteFile(pol, []byte("approved:\n  - product: Claude\n    owner: ai-team@example.com\n    review_by: 2027-06-30\n"), 0o600)
	code, out, _ = runCLI(t, "--db", db, "--policy", pol, "agents", "--status", "sanctioned", "-o", "json")
	if code != 0 || !strings.Contains(out, `"owner": "ai-team@example.com"`) || strings.Count(out, `"status": "sanctioned"`) != 1 {
		t.Errorf("sanctioned by policy: exit %d: %.300s", code, out)
	}
	os.WriteFile(pol, []byte("approved:\n  - product: Claude\n"), 0o600)
	if code, _, errOut := runCLI(t, "--db", db, "--policy", pol, "agents"); code != 1 || !strings.Contains(errOut, "policy.yaml:2: approved entry needs an owner") {
		t.Errorf("invalid policy: exit %d: %s", code, errOut)
	}
	code, out, _ = runCLI(t, "--db", db, "findings", "--min-severity", "critical", "-o", "csv")
	if code != 0 || !strings.HasPrefix(out, "severity,rule_id") || strings.Contains(out, "\nhigh,") {
		t.Errorf("findings csv: exit %d: %.300s", code, out)
	}
	code, out, _ = runCLI(t, "--db", db, "report", "--format", "json")
	if code != 0 || !strings.Contains(out, `"schema_version": "1"`) {
		t.Errorf("report to stdout: exit %d", code)
	}
	// A second demo run starts from a fresh registry.
	if code, _, errOut := runCLI(t, "demo", "--out", dir, "--repos", "40"); code != 0 {
		t.Fatalf("second demo: %s", errOut)
	}
}

func TestScanGitHubHistoryAndFailures(t *testing.T) {
	srv := fake.New(fake.Generate(fake.GenOptions{Repos: 20, Seed: 1}), fake.Options{Token: "good"})
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "reg.db")
	scan := func(token string, extra ...string) (int, string) {
		t.Setenv("GITHUB_TOKEN", token)
		code, _, errOut := runCLI(t, append([]string{"--db", db, "scan", "github", "--org", srv.Org.Login, "--api-url", srv.APIURL()}, extra...)...)
		return code, errOut
	}
	reportNow := func() reportDoc {
		code, out, errOut := runCLI(t, "--db", db, "report", "--format", "json")
		if code != 0 {
			t.Fatalf("report: %s", errOut)
		}
		var d reportDoc
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	if code, errOut := scan("good"); code != 0 {
		t.Fatalf("first scan: %d %s", code, errOut)
	}
	first := reportNow()
	// A failed scan (bad token) exits 1 and erases nothing.
	code, errOut := scan("bad")
	if code != 1 || !strings.Contains(errOut, "rejected the credentials") {
		t.Errorf("bad token: exit %d: %s", code, errOut)
	}
	if after := reportNow(); after.Summary.Identities != first.Summary.Identities {
		t.Errorf("failed scan changed the registry: %d -> %d identities", first.Summary.Identities, after.Summary.Identities)
	}
	// A partial scan exits 0 and says so.
	srv.SetFault("installations", fake.Fault{Status: 403, Times: -1})
	code, errOut = scan("good")
	if code != 0 || !strings.Contains(errOut, "partial") {
		t.Errorf("partial scan: exit %d: %s", code, errOut)
	}
	second := reportNow()
	firstSeen := map[string]string{}
	for _, id := range first.Identities {
		firstSeen[id.ID] = id.FirstSeen
	}
	if second.Summary.Identities != first.Summary.Identities {
		t.Errorf("partial scan lost identities: %d -> %d", first.Summary.Identities, second.Summary.Identities)
	}
	for _, id := range second.Identities {
		if fs, ok := firstSeen[id.ID]; ok && fs != id.FirstSeen {
			t.Errorf("%s first_seen moved from %s to %s", id.ID, fs, id.FirstSeen)
		}
	}
	code, out, _ := runCLI(t, "--db", db, "diff", "-o", "json")
	var diffs struct {
		Diffs []struct {
			NewIdentities []any `json:"new_identities"`
			Findings      []struct {
				Event string `json:"event"`
			} `json:"findings"`
		} `json:"diffs"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &diffs) != nil || len(diffs.Diffs) != 1 {
		t.Fatalf("diff: exit %d: %.300s", code, out)
	}
	if code, out, _ := runCLI(t, "--db", db, "diff"); code != 0 || !strings.Contains(out, "scan ") {
		t.Errorf("diff table: exit %d: %s", code, out)
	}
	if code, _, _ := runCLI(t, "--db", db, "diff", "--from", "1"); code != 2 {
		t.Errorf("--from without --to: exit %d", code)
	}
	if code, _, _ := runCLI(t, "--db", db, "diff", "--from", "1", "--to", "1"); code != 0 {
		t.Errorf("diff of a scan against itself: exit %d", code)
	}
	if code, errOut := scan("good", "--fail-on", "high"); code != 3 || !strings.Contains(errOut, "--fail-on") {
		t.Errorf("--fail-on high: exit %d: %s", code, errOut)
	}
	// Nothing new appeared in this rescan: --new-only passes.
	if code, errOut := scan("good", "--fail-on", "info", "--new-only"); code != 0 {
		t.Errorf("--fail-on --new-only on an unchanged org: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "--db", db, "report", "--format", "json", "--out", filepath.Join(t.TempDir(), "r.json"), "--fail-on", "critical"); code != 3 {
		t.Errorf("report --fail-on critical: exit %d: %s", code, errOut)
	}
	if code, _, _ := runCLI(t, "--db", db, "report", "--new-only"); code != 2 {
		t.Errorf("--new-only without --fail-on: exit %d", code)
	}
}

func TestExitCodesAndMessages(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	t.Setenv("GITHUB_TOKEN", "")
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--no-such-flag"}, 2, "unknown flag"},
		{[]string{"agents", "-o", "xml"}, 2, "--output"},
		{[]string{"report", "--format", "pdf"}, 2, "--format"},
		{[]string{"findings", "--min-severity", "severe"}, 2, "--min-severity"},
		{[]string{"scan", "github"}, 2, "--org is required"},
		{[]string{"nope"}, 2, "unknown command"},
		{[]string{"--db", db, "scan", "github", "--org", "x"}, 1, "GITHUB_TOKEN"},
		{[]string{"--db", db, "agents"}, 1, "no registry"},
		{[]string{"--db", db, "scan", "github", "--org", "x", "--api-url", "ftp://x"}, 2, "api-url"},
		{[]string{"--db", db, "scan", "entra"}, 2, "--tenant-id is required"},
		{[]string{"--db", db, "scan", "okta"}, 2, "--org-url is required"},
		{[]string{"--db", db, "scan", "okta", "--org-url", "https://x.okta.com", "--activity-days", "-1"}, 2, "--activity-days"},
		{[]string{"version"}, 0, ""},
		{[]string{"connectors"}, 0, ""},
		{[]string{"rules"}, 0, "SS-EN-004"},
		{[]string{"rules", "-o", "yaml"}, 2, "--output"},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(errOut+out, tt.msg) {
			t.Errorf("%v: exit %d (want %d), output %q", tt.args, code, tt.code, errOut+out)
		}
	}
	t.Setenv("GITHUB_TOKEN", "t")
	code, _, errOut := runCLI(t, "--db", db, "scan", "github", "--org", "x", "--api-url", "http://127.0.0.1:1/api/v3/")
	if code != 1 || !strings.Contains(errOut, "github org x") {
		t.Errorf("unreachable API: exit %d: %s", code, errOut)
	}
	_, out, _ := runCLI(t, "connectors")
	for _, want := range []string{"github", "installations", "admin:org", "copilot_seats", "entra", "Application.Read.All", "agent_identities", "okta", "okta.apiTokens.read"} {
		if !strings.Contains(out, want) {
			t.Errorf("connectors output lacks %q", want)
		}
	}
}

func TestScanEntraAgainstFake(t *testing.T) {
	graph := entrafake.New(entrafake.Generate(entrafake.GenOptions{Seed: 5, Users: 40}), entrafake.Options{Token: "graph-token"})
	defer graph.Close()
	db := filepath.Join(t.TempDir(), "reg.db")
	t.Setenv("ENTRA_ACCESS_TOKEN", "graph-token")
	code, _, errOut := runCLI(t, "--db", db, "scan", "entra", "--tenant-id", graph.Tenant.ID, "--graph-url", graph.GraphURL())
	if code != 0 {
		t.Fatalf("scan entra: exit %d: %s", code, errOut)
	}
	code, out, _ := runCLI(t, "--db", db, "agents", "--platform", "entra", "--identities", "--ai", "-o", "json")
	if code != 0 || !strings.Contains(out, "Fireflies.ai Notetaker") || strings.Contains(out, `"platform": "github"`) {
		t.Errorf("agents --platform entra: exit %d: %.400s", code, out)
	}
	t.Setenv("ENTRA_ACCESS_TOKEN", "wrong")
	code, _, errOut = runCLI(t, "--db", db, "scan", "entra", "--tenant-id", graph.Tenant.ID, "--graph-url", graph.GraphURL())
	if code != 1 || !strings.Contains(errOut, "rejected the credentials") {
		t.Errorf("bad token: exit %d: %s", code, errOut)
	}
}

func TestScanOktaAgainstFake(t *testing.T) {
	srv := oktafake.New(oktafake.Generate(oktafake.GenOptions{Seed: 5, Users: 40}), oktafake.Options{Token: "ssws"})
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "reg.db")
	t.Setenv("OKTA_API_TOKEN", "")
	if code, _, errOut := runCLI(t, "--db", db, "scan", "okta", "--org-url", srv.OrgURL()); code != 1 || !strings.Contains(errOut, "OKTA_API_TOKEN") {
		t.Errorf("no token: exit %d: %s", code, errOut)
	}
	t.Setenv("OKTA_API_TOKEN", "ssws")
	code, _, errOut := runCLI(t, "--db", db, "scan", "okta", "--org-url", srv.OrgURL())
	if code != 0 {
		t.Fatalf("scan okta: exit %d: %s", code, errOut)
	}
	code, out, _ := runCLI(t, "--db", db, "findings", "-o", "json")
	if code != 0 || !strings.Contains(out, "SS-OK-011") || !strings.Contains(out, "SS-OK-001") {
		t.Errorf("okta findings: exit %d: %.300s", code, out)
	}
}

func TestOktaKeyFileChecks(t *testing.T) {
	dir := t.TempDir()
	loose := filepath.Join(dir, "loose.pem")
	os.WriteFile(loose, []byte("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"), 0o644)
	code, _, errOut := runCLI(t, "--db", filepath.Join(dir, "r.db"), "scan", "okta", "--org-url", "https://x.okta.com", "--client-id", "0oa1", "--private-key-file", loose)
	if code != 1 || !strings.Contains(errOut, "readable by group or others") {
		t.Errorf("world-readable key: exit %d: %s", code, errOut)
	}
	bad := filepath.Join(dir, "bad.pem")
	os.WriteFile(bad, []byte("not a key"), 0o600)
	code, _, errOut = runCLI(t, "--db", filepath.Join(dir, "r.db"), "scan", "okta", "--org-url", "https://x.okta.com", "--client-id", "0oa1", "--private-key-file", bad)
	if code != 1 || !strings.Contains(errOut, "not PEM") {
		t.Errorf("bad key: exit %d: %s", code, errOut)
	}
}

func TestRulesJSONContract(t *testing.T) {
	code, out, _ := runCLI(t, "rules", "-o", "json")
	var doc struct {
		Rules []struct {
			ID         string   `json:"id"`
			Severity   string   `json:"severity"`
			Title      string   `json:"title"`
			Frameworks []string `json:"frameworks"`
			Needs      []string `json:"needs"`
		} `json:"rules"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || len(doc.Rules) < 40 {
		t.Fatalf("rules -o json: exit %d, %d rules", code, len(doc.Rules))
	}
	for _, r := range doc.Rules {
		if r.ID == "" || r.Severity == "" || r.Title == "" || len(r.Frameworks) == 0 || len(r.Needs) == 0 {
			t.Errorf("rule %+v incomplete", r)
		}
	}
}

// Vendor error text reaches stderr; it must not carry terminal escapes.
func TestPrintErrorStripsControlCharacters(t *testing.T) {
	var b bytes.Buffer
	printError(&b, errors.Join(
		errors.New("graph: app \x1b]0;owned\x07Evil\u202e bot: 403"),
		errors.New("okta: E0000006\x1b[2J"),
	))
	got := b.String()
	want := "shadowscan: graph: app ]0;ownedEvil bot: 403\nshadowscan: okta: E0000006[2J\n"
	if got != want {
		t.Fatalf("printError = %q, want %q", got, want)
	}
}
