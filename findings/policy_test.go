package findings

import (
	"strings"
	"testing"
	"time"

	"github.com/shadowscan/shadowscan/inventory"
)

const goodPolicy = `approved:
  - product: CodeRabbit
    owner: appsec@example.com
    review_by: 2027-06-30
  - match: "acme-*"
    owner: platform@example.com
suppress:
  - rule: SS-GH-013
    reason: webhooks are signed at the proxy
    by: alice@example.com
    expires: 2026-12-31
catalog:
  - id: acme-helper
    vendor: Acme
    product: Acme Helper
    category: automation
    names: ["Acme Helper"]
rules:
  SS-GH-016:
    severity: medium
  SS-GH-017:
    disabled: true
`

func TestPolicyParsesAndExtends(t *testing.T) {
	p, err := ParsePolicy("policy.yaml", []byte(goodPolicy))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := p.CatalogWith(DefaultCatalog())
	if err != nil || len(cat.Products) != len(DefaultCatalog().Products)+1 || cat.GitHubApp("claude") == nil {
		t.Fatalf("custom catalog must extend the built-in one: %v %d", err, len(cat.Products))
	}
	id := ident("fine_grained_pat", "Acme Helper token", nil)
	if v := Classify(cat, &id); !v.IsAI || v.Vendor != "Acme" {
		t.Errorf("custom catalog entry not used: %+v", v)
	}
	rules := p.RulesWith(Rules())
	if len(rules) != len(Rules())-1 {
		t.Errorf("disabled rule kept: %d", len(rules))
	}
	for _, r := range rules {
		if r.ID == "SS-GH-016" {
			seat := ident("copilot_seat", "a", nil)
			seat.LastUsedAt, seat.CreatedAt = ago(200), ago(300)
			hits := r.Check(&Subject{Identity: &seat, Now: now})
			if r.Severity != "medium" || len(hits) != 1 || hits[0].Severity != "medium" {
				t.Errorf("severity override: %s %+v", r.Severity, hits)
			}
		}
	}
	if ap := p.ApprovalFor(Agent{Name: "CodeRabbit", Product: "CodeRabbit", ProductID: "coderabbit"}); ap == nil || ap.Owner != "appsec@example.com" {
		t.Errorf("approval by product: %+v", ap)
	}
	if ap := p.ApprovalFor(Agent{Name: "x", Footholds: []Foothold{{Name: "acme-release-bot"}}}); ap == nil {
		t.Error("approval by glob on a foothold name")
	}
	if ap := p.ApprovalFor(Agent{Name: "Claude", ProductID: "anthropic-claude"}); ap != nil {
		t.Error("unapproved agent approved")
	}
}

// A suppression never hides a finding past its expiry.
func TestSuppressionExpires(t *testing.T) {
	p, err := ParsePolicy("p", []byte(goodPolicy))
	if err != nil {
		t.Fatal(err)
	}
	f := Finding{ID: "ssf-1", Rule: &Meta{ID: "SS-GH-013"}, IdentityID: "github:acme:repo_webhook:1"}
	exp := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	for d := -48 * time.Hour; d <= 72*time.Hour; d += 6 * time.Hour {
		at := exp.Add(d)
		s := p.SuppressionFor(f, at)
		past := !at.Before(exp.Add(24 * time.Hour))
		if past && s != nil {
			t.Fatalf("suppression still hides the finding at %v, after it expired", at)
		}
		if !past && s == nil {
			t.Fatalf("suppression not applied at %v, before it expired", at)
		}
	}
	other := Finding{ID: "ssf-2", Rule: &Meta{ID: "SS-GH-001"}}
	if p.SuppressionFor(other, exp.Add(-time.Hour)) != nil {
		t.Error("a suppression hid a finding of another rule")
	}
	byIdentity, err := ParsePolicy("p", []byte("suppress:\n  - identity: github:acme:x:1\n    reason: decommissioned next week\n    by: bob\n    expires: 2026-12-31\n"))
	if err != nil {
		t.Fatal(err)
	}
	if byIdentity.SuppressionFor(Finding{ID: "a", Rule: &Meta{ID: "SS-GH-005"}, IdentityID: "github:acme:x:1"}, exp) == nil ||
		byIdentity.SuppressionFor(Finding{ID: "b", Rule: &Meta{ID: "SS-GH-005"}, IdentityID: "github:acme:x:2"}, exp) != nil {
		t.Error("suppression by identity")
	}
}

func TestPolicyErrorsNameTheLine(t *testing.T) {
	tests := []struct{ doc, want string }{
		{"approved:\n  - product: X\n", "policy p:2: approved entry needs an owner"},
		{"approved:\n  - owner: a\n", "policy p:2: approved entry needs exactly one of"},
		{"suppress:\n  - reason: r\n    by: b\n    expires: 2027-01-01\n", "policy p:2: suppress entry needs a finding, a rule or an identity"},
		{"suppress:\n  - rule: SS-GH-001\n    reason: r\n    by: b\n", "policy p:2: suppress entry needs reason, by and expires"},
		{"suppress:\n  - rule: SS-GH-001\n    reason: r\n    by: b\n    expires: soon\n", "policy p:2: expires \"soon\""},
		{"approved:\n  - product: X\n    owner: o\n    colour: red\n", "line 4: field colour not found"},
		{"rules:\n  SS-NOPE-1:\n    disabled: true\n", "rules.SS-NOPE-1: no such rule"},
		{"rules:\n  SS-GH-001:\n    severity: severe\n", "severity \"severe\""},
		{"approved: [", "policy p:"},
	}
	for _, tt := range tests {
		_, err := ParsePolicy("p", []byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.doc, err, tt.want)
		}
	}
	if p, err := ParsePolicy("p", nil); err != nil || p == nil {
		t.Errorf("an empty policy is valid: %v", err)
	}
	_ = inventory.PlatformGitHub
}
