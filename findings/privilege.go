package findings

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shadowscan/shadowscan/inventory"
)

//go:embed data/github_privileges.json
var githubPrivJSON []byte

//go:embed data/okta_privileges.json
var oktaPrivJSON []byte

type oktaTiers struct {
	Scopes      map[string]string `json:"scopes"`
	Roles       map[string]string `json:"roles"`
	UnknownRole string            `json:"unknown_role"`
}

var okTiers = func() oktaTiers {
	var t oktaTiers
	if err := json.Unmarshal(oktaPrivJSON, &t); err != nil {
		panic(fmt.Sprintf("okta privilege tiers: %v", err))
	}
	return t
}()

func oktaGrantPrivilege(g inventory.Grant) string {
	if g.Type == inventory.GrantAdminRole {
		if l, ok := okTiers.Roles[g.Permission]; ok {
			return l
		}
		return okTiers.UnknownRole
	}
	if l, ok := okTiers.Scopes[g.Permission]; ok {
		return l
	}
	switch {
	case strings.HasPrefix(g.Permission, "okta.") && strings.HasSuffix(g.Permission, ".manage"):
		return LevelHigh
	case strings.HasPrefix(g.Permission, "okta."):
		return LevelLow
	}
	return LevelLow
}

//go:embed data/entra_privileges.json
var entraPrivJSON []byte

type entraTiers struct {
	Graph       map[string]map[string]string `json:"graph_permissions"`
	Roles       map[string]string            `json:"directory_roles"`
	UnknownRole string                       `json:"unknown_role"`
}

var enTiers = func() entraTiers {
	var t entraTiers
	if err := json.Unmarshal(entraPrivJSON, &t); err != nil {
		panic(fmt.Sprintf("entra privilege tiers: %v", err))
	}
	return t
}()

func entraGrantPrivilege(g inventory.Grant) string {
	if g.Type == inventory.GrantAdminRole {
		if l, ok := enTiers.Roles[g.Permission]; ok {
			return l
		}
		return enTiers.UnknownRole
	}
	tiers, known := enTiers.Graph[g.Permission]
	delegated := tiers["delegated"]
	if !known {
		switch p := g.Permission; {
		case strings.HasSuffix(p, ".ReadWrite.All") || strings.HasSuffix(p, ".FullControl.All"):
			delegated = LevelHigh
		case strings.HasSuffix(p, ".Read.All") || strings.Contains(p, "ReadWrite"):
			delegated = LevelMedium
		default:
			delegated = LevelLow
		}
	}
	if g.Type != inventory.GrantApplication {
		return delegated
	}
	if app := tiers["application"]; app != "" {
		return app
	}
	return raise(delegated)
}

type githubTiers struct {
	App         map[string]map[string]string `json:"app_permissions"`
	Classic     map[string]string            `json:"classic_scopes"`
	CopilotSeat string                       `json:"copilot_seat"`
}

var ghTiers = func() githubTiers {
	var t githubTiers
	if err := json.Unmarshal(githubPrivJSON, &t); err != nil {
		panic(fmt.Sprintf("github privilege tiers: %v", err))
	}
	return t
}()

// Privilege is how much an identity can do, and why.
type Privilege struct {
	Level   string   `json:"level"`
	Reasons []string `json:"reasons"`
}

// GrantPrivilege rates one grant.
func GrantPrivilege(platform string, g inventory.Grant) string {
	switch platform {
	case inventory.PlatformEntra:
		return entraGrantPrivilege(g)
	case inventory.PlatformOkta:
		return oktaGrantPrivilege(g)
	case inventory.PlatformGitHub:
	default:
		return LevelLow
	}
	switch {
	case g.Resource == "classic-scopes":
		if l, ok := ghTiers.Classic[g.Permission]; ok {
			return l
		}
		return LevelMedium
	case g.Resource == "copilot":
		return ghTiers.CopilotSeat
	}
	name, access, _ := strings.Cut(g.Permission, ":")
	level := ""
	if m, ok := ghTiers.App[name]; ok {
		level = m[access]
		if level == "" && access == "admin" {
			level = raise(m["write"])
		}
	}
	if level == "" {
		switch access {
		case "read":
			level = LevelLow
		case "admin":
			level = LevelHigh
		default: // write and access levels GitHub may add later
			level = LevelMedium
		}
	}
	if g.Resource == "repositories:all" && Rank(level) >= Rank(LevelMedium) {
		level = raise(level)
	}
	return level
}

// RatePrivilege rates an identity by its strongest grants.
func RatePrivilege(id *inventory.Identity) Privilege {
	p := Privilege{Level: LevelNone, Reasons: []string{}}
	for _, g := range id.Grants {
		l := GrantPrivilege(id.Platform, g)
		if Rank(l) > Rank(p.Level) {
			p.Level = l
		}
	}
	if p.Level == LevelNone {
		return p
	}
	for _, g := range id.Grants {
		if GrantPrivilege(id.Platform, g) == p.Level {
			p.Reasons = append(p.Reasons, fmt.Sprintf("%s on %s", g.Permission, g.Resource))
		}
	}
	if len(p.Reasons) > 5 {
		n := len(p.Reasons) - 5
		p.Reasons = append(p.Reasons[:5], fmt.Sprintf("and %d more %s grants", n, p.Level))
	}
	return p
}
