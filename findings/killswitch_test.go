package findings

import (
	"strings"
	"testing"

	"github.com/shadowscan/shadowscan/inventory"
)

func TestKillSwitchPlans(t *testing.T) {
	sp := entraID("service_principal", "sp1", "third_party", nil, eg{"delegated", "Mail.Read", "user", "u"}, eg{"application", "Mail.Read", "admin", ""})
	sp.Credentials = []inventory.Credential{{Type: "client_secret", ID: "k1", Collector: "service_principals"}}
	inst := ident("github_app_installation", "42", map[string]any{"app_slug": "claude"})
	tok := oktaID("okta_api_token", "00T1", nil)
	tok.NativeID = "00T1"
	snap := &inventory.Snapshot{TakenAt: now, Identities: []inventory.Identity{sp, inst, tok}}
	res := Analyze(snap, Options{})
	byID := map[string]Assessed{}
	for _, a := range res.Identities {
		byID[a.Identity.ID] = a
	}
	spPlan := PlanFor(byID[sp.ID])
	joined := ""
	for _, s := range spPlan {
		joined += s.Action + " " + s.API + "\n"
	}
	for _, want := range []string{`PATCH /v1.0/servicePrincipals/sp1 {"accountEnabled":false}`, "oauth2PermissionGrants", "appRoleAssignments", `/v1.0/servicePrincipals/sp1/removePassword {"keyId":"k1"}`} {
		if !strings.Contains(joined, want) {
			t.Errorf("Entra plan lacks %q:\n%s", want, joined)
		}
	}
	if strings.Contains(joined, "roleManagement") {
		t.Error("a plan step for directory roles the identity does not hold")
	}
	if p := PlanFor(byID[inst.ID]); len(p) != 1 || !strings.Contains(p[0].Console, "/settings/installations/42") || p[0].KeepsWorking == "" {
		t.Errorf("GitHub plan: %+v", p)
	}
	if p := PlanFor(byID[tok.ID]); len(p) != 1 || p[0].API != "DELETE /api/v1/api-tokens/00T1" {
		t.Errorf("Okta token plan: %+v", p)
	}
	plan := Plan(Agent{Footholds: []Foothold{{IdentityID: inst.ID}, {IdentityID: sp.ID}}}, byID)
	for i, s := range plan {
		if s.Order != i+1 {
			t.Errorf("plan steps out of order: %+v", plan)
		}
	}
	if plan[0].IdentityID != inst.ID {
		t.Error("plan does not follow the footholds' order")
	}
}
