package findings

import (
	"testing"
	"time"

	"github.com/shadowscan/shadowscan/inventory"
)

type eg struct{ typ, perm, consent, who string }

func entraID(kind, name, origin string, attrs map[string]any, grants ...eg) inventory.Identity {
	id := inventory.Identity{ID: "entra:t:" + kind + ":" + name, Kind: kind, NativeID: name, Name: name, Platform: "entra", TenantKey: "t", TenantID: "entra:t",
		Status: "active", Origin: origin, Attributes: attrs}
	if id.Attributes == nil {
		id.Attributes = map[string]any{}
	}
	for _, g := range grants {
		id.Grants = append(id.Grants, inventory.Grant{Resource: "Microsoft Graph", Permission: g.perm, Type: g.typ, Consent: g.consent, OnBehalfOf: g.who})
	}
	return id
}

// ruleCase is one rule's true and false positive.
type ruleCase struct{ hit, miss inventory.Identity }

// checkRuleCases runs every rule of a platform on the case it must flag and
// the one it must not; a rule without a case fails.
func checkRuleCases(t *testing.T, platform string, cases map[string]ruleCase) {
	t.Helper()
	for _, r := range Rules() {
		if r.Platforms[0] != platform {
			continue
		}
		r := r
		t.Run(r.ID, func(t *testing.T) {
			c, found := cases[r.ID]
			if !found {
				t.Fatal("no true/false positive case for this rule")
			}
			check := func(id inventory.Identity) int {
				s := &Subject{Identity: &id, AI: Classify(DefaultCatalog(), &id), Privilege: RatePrivilege(&id), Now: now}
				return len(r.Check(s))
			}
			if check(c.hit) == 0 {
				t.Error("true positive not flagged")
			}
			if n := check(c.miss); n != 0 {
				t.Errorf("false positive: %d hits", n)
			}
		})
	}
}

func TestEntraRules(t *testing.T) {
	f := false
	tr := true
	withPub := func(id inventory.Identity, verified *bool) inventory.Identity {
		id.VerifiedPublisher = verified
		return id
	}
	withCreds := func(id inventory.Identity, c ...inventory.Credential) inventory.Identity {
		id.Credentials = c
		return id
	}
	withOwner := func(id inventory.Identity, st string) inventory.Identity {
		id.Owners = []inventory.OwnerRef{{Role: "sponsor", Principal: inventory.Principal{ID: "u", Name: "u", Status: st}}}
		return id
	}
	withUsed := func(id inventory.Identity, used *time.Time) inventory.Identity { id.LastUsedAt = used; return id }
	secret := func(id string, created, expires *time.Time) inventory.Credential {
		return inventory.Credential{Type: "client_secret", ID: id, CreatedAt: created, ExpiresAt: expires, Collector: "applications"}
	}
	cases := map[string]ruleCase{
		"SS-EN-001": {entraID("service_principal", "ChatGPT", "third_party", nil, eg{"delegated", "Files.Read.All", "admin", "all"}),
			entraID("service_principal", "ChatGPT", "third_party", nil, eg{"delegated", "User.Read", "admin", "all"})},
		"SS-EN-002": {entraID("service_principal", "Fireflies.ai Notetaker", "third_party", nil, eg{"delegated", "Mail.Read", "user", "u1"}),
			entraID("service_principal", "Zoom", "third_party", nil, eg{"delegated", "Mail.Read", "user", "u1"})},
		"SS-EN-003": {withPub(entraID("service_principal", "Summarizer", "third_party", nil, eg{"application", "Directory.ReadWrite.All", "admin", ""}), &f),
			withPub(entraID("service_principal", "Summarizer", "third_party", nil, eg{"application", "Directory.ReadWrite.All", "admin", ""}), &tr)},
		"SS-EN-004": {entraID("service_principal", "x", "internal", nil, eg{"admin_role", "Application Administrator", "admin", ""}),
			entraID("service_principal", "x", "internal", nil, eg{"admin_role", "Directory Readers", "admin", ""})},
		"SS-EN-005": {entraID("service_principal", "x", "internal", nil, eg{"application", "Mail.Read", "admin", ""}),
			entraID("service_principal", "x", "internal", nil, eg{"delegated", "Mail.Read", "admin", "all"})},
		"SS-EN-006": {withCreds(entraID("service_principal", "x", "internal", nil), secret("s1", ago(10), in(100))),
			withCreds(entraID("service_principal", "x", "internal", nil), secret("s1", ago(10), in(100)), inventory.Credential{Type: "federated", ID: "f"})},
		"SS-EN-007": {withCreds(entraID("service_principal", "x", "internal", nil), secret("s1", ago(10), nil)),
			withCreds(entraID("service_principal", "x", "internal", nil), secret("s1", ago(10), in(170)))},
		"SS-EN-008": {withCreds(entraID("service_principal", "x", "internal", nil), secret("s1", ago(400), ago(5))),
			withCreds(entraID("service_principal", "x", "internal", nil), secret("s1", ago(10), in(5)))},
		"SS-EN-009": {withCreds(entraID("service_principal", "x", "internal", nil), secret("s1", ago(10), in(5)), secret("s2", ago(10), in(50))),
			withCreds(entraID("service_principal", "x", "internal", nil), secret("s1", ago(10), in(5)), secret("s2", ago(400), ago(50)))},
		"SS-EN-010": {withCreds(entraID("service_principal", "Zoom", "third_party", nil), inventory.Credential{Type: "client_secret", ID: "k", Collector: "service_principals"}),
			withCreds(entraID("service_principal", "mine", "internal", nil), inventory.Credential{Type: "client_secret", ID: "k", Collector: "service_principals"})},
		"SS-EN-011": {withOwner(entraID("agent_identity", "agent", "internal", nil), inventory.PrincipalDisabled),
			withOwner(entraID("agent_identity", "agent", "internal", nil), inventory.PrincipalActive)},
		"SS-EN-012": {withUsed(entraID("service_principal", "x", "third_party", nil, eg{"application", "Mail.Read", "admin", ""}), ago(120)),
			withUsed(entraID("service_principal", "x", "third_party", map[string]any{"sign_in_data": "unavailable"}, eg{"application", "Mail.Read", "admin", ""}), nil)},
	}
	checkRuleCases(t, "entra", cases)
}

func TestEntraTenantRules(t *testing.T) {
	ten := inventory.Tenant{Platform: "entra", Key: "t"}
	bad := &TenantSubject{Tenant: ten, Settings: map[string]string{"entra.user_consent": `"any_app"`, "entra.admin_consent_workflow": "false"}}
	good := &TenantSubject{Tenant: ten, Settings: map[string]string{"entra.user_consent": `"off"`, "entra.admin_consent_workflow": "true"}}
	for _, r := range TenantRules() {
		if r.Platforms[0] != "entra" {
			continue
		}
		if len(r.Check(bad)) == 0 {
			t.Errorf("%s: misconfigured tenant not flagged", r.ID)
		}
		if len(r.Check(good)) != 0 {
			t.Errorf("%s: well-configured tenant flagged", r.ID)
		}
	}
}

func TestEntraPrivilege(t *testing.T) {
	tests := []struct{ typ, perm, want string }{
		{"delegated", "Mail.Read", LevelMedium},
		{"application", "Mail.Read", LevelHigh},
		{"application", "Directory.ReadWrite.All", LevelCritical},
		{"delegated", "User.Read", LevelNone},
		{"delegated", "Something.ReadWrite.All", LevelHigh},
		{"application", "Something.Read.All", LevelHigh},
		{"admin_role", "Global Administrator", LevelCritical},
		{"admin_role", "Directory Readers", LevelLow},
		{"admin_role", "Some New Role", LevelHigh},
	}
	for _, tt := range tests {
		if got := GrantPrivilege("entra", inventory.Grant{Type: tt.typ, Permission: tt.perm}); got != tt.want {
			t.Errorf("%s %s = %s, want %s", tt.typ, tt.perm, got, tt.want)
		}
	}
}

func TestRuleMetadataComplete(t *testing.T) {
	seen := map[string]bool{}
	var metas []Meta
	for _, r := range Rules() {
		metas = append(metas, r.Meta)
	}
	for _, r := range TenantRules() {
		metas = append(metas, r.Meta)
	}
	for _, m := range metas {
		if seen[m.ID] {
			t.Errorf("duplicate rule id %s", m.ID)
		}
		seen[m.ID] = true
		if m.Title == "" || m.Description == "" || m.Remediation == "" || len(m.Frameworks) == 0 || len(m.References) == 0 || !ValidSeverity(m.Severity) || len(m.Needs) == 0 || len(m.Platforms) == 0 {
			t.Errorf("%s: incomplete metadata", m.ID)
		}
		if m.RiskFactor != "" {
			if _, ok := model.Factors[m.RiskFactor]; !ok {
				t.Errorf("%s: risk factor %q has no weight in risk.json", m.ID, m.RiskFactor)
			}
		}
	}
}
