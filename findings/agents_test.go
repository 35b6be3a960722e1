package findings

import (
	"strings"
	"testing"

	"github.com/shadowscan/shadowscan/inventory"
)

func TestCorrelateAcrossPlatforms(t *testing.T) {
	gh := ident("github_app_installation", "1", map[string]any{"app_slug": "claude", "repository_selection": "all"}, "repositories:all contents:write")
	gh.Name = "Claude"
	en := entraID("service_principal", "Claude", "third_party", nil, eg{"delegated", "Files.Read.All", "user", "u1"}, eg{"delegated", "Files.Read.All", "user", "u2"})
	ok := oktaID("okta_app", "Claude", map[string]any{"app_name": "anthropic_claude"})
	agentID := entraID("agent_identity", "HR Helper", "internal", map[string]any{"agent_blueprint_id": "bp-app"})
	blueprint := entraID("service_principal", "HR Helper blueprint", "internal", map[string]any{"entra_agent_blueprint": true, "app_id": "bp-app"})
	oktaAgent := oktaID("okta_ai_agent", "Sales agent", map[string]any{"linked_app_id": "svc"})
	linked := oktaID("okta_app", "svc", nil)
	linked.Name = "Sales service app"
	plain := ident("github_app_installation", "9", map[string]any{"app_slug": "renovate"}, "repositories:all contents:write")
	snap := &inventory.Snapshot{TakenAt: now, Identities: []inventory.Identity{gh, en, ok, agentID, blueprint, oktaAgent, linked, plain}}
	res := Analyze(snap, Options{})
	agents := Correlate(res)
	by := map[string]Agent{}
	for _, a := range agents {
		by[a.Name] = a
	}
	claude := by["Claude"]
	if len(claude.Footholds) != 3 || claude.Vendor != "Anthropic" {
		t.Fatalf("Claude across GitHub, Entra and Okta: %+v", claude)
	}
	platforms := map[string]bool{}
	for _, f := range claude.Footholds {
		platforms[f.Platform] = true
		if f.Reason == "" || f.Summary == "" {
			t.Errorf("foothold without reason or summary: %+v", f)
		}
	}
	if len(platforms) != 3 {
		t.Errorf("platforms %v", platforms)
	}
	if !strings.Contains(claude.Footholds[0].Summary+claude.Footholds[1].Summary+claude.Footholds[2].Summary, "consented by 2 users") {
		t.Errorf("summaries: %+v", claude.Footholds)
	}
	if hr := by["HR Helper"]; len(hr.Footholds) != 2 {
		t.Errorf("agent identity and its blueprint: %+v", hr)
	}
	if sa := by["Sales agent"]; len(sa.Footholds) != 2 {
		t.Errorf("Okta agent and its linked app: %+v", sa)
	}
	for _, a := range agents {
		for _, f := range a.Footholds {
			if f.Name == "Renovate" || f.IdentityID == plain.ID {
				t.Error("a non-AI app became an agent")
			}
		}
	}
	// Stable ids across runs.
	again := Correlate(Analyze(snap, Options{}))
	if len(again) != len(agents) || again[0].ID != agents[0].ID {
		t.Error("agent ids are not stable")
	}
}
