package findings

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shadowscan/shadowscan/inventory"
)

var ok = []string{inventory.PlatformOkta}

const (
	docsOktaService  = "https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/"
	docsOktaTokens   = "https://help.okta.com/en-us/content/topics/security/api.htm"
	docsOktaRoles    = "https://help.okta.com/en-us/content/topics/security/administrators-admin-comparison.htm"
	docsOktaSecrets  = "https://developer.okta.com/docs/guides/client-secret-rotation-key/main/"
	docsOktaConsent  = "https://developer.okta.com/docs/guides/request-user-consent/main/"
	docsOktaAIAgents = "https://help.okta.com/oie/en-us/content/topics/ai-agents/ai-agents.htm"
	docsOktaClientPr = "https://developer.okta.com/docs/api/openapi/okta-management/management/tag/OrgSettingAdmin/"
)

func adminRoles(s *Subject, minLevel string) []string {
	var out []string
	for _, g := range s.Grants {
		if g.Type == inventory.GrantAdminRole && Rank(GrantPrivilege(s.Platform, g)) >= Rank(minLevel) {
			out = append(out, g.Permission)
		}
	}
	sort.Strings(out)
	return out
}

var ruleOktaServiceAppAdmin = Rule{Meta: Meta{
	ID: "SS-OK-001", Title: "App holds an admin role or Okta management scopes", Severity: LevelHigh, Platforms: ok,
	Description: "An OAuth app (often a service app for an agent or automation) holds an Okta admin role or *.manage API scopes. Whoever holds its key or secret administers the org: users, apps, policies.",
	Remediation: "Grant the narrowest *.read scopes the job needs, replace the admin role with a custom role on a resource set, and use private_key_jwt with key rotation.",
	References:  []string{docsOktaService, docsOktaRoles},
	Frameworks:  []string{"NHI5:2025", "T1098.003", "T1078.004"}, Needs: []string{"client_roles", "app_grants"}, RiskFactor: "critical_role"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "okta_app" {
			return nil
		}
		roles := adminRoles(s, LevelHigh)
		var scopes []string
		for _, g := range s.Grants {
			if g.Type == inventory.GrantApplication && strings.HasPrefix(g.Permission, "okta.") && strings.HasSuffix(g.Permission, ".manage") {
				scopes = append(scopes, g.Permission)
			}
		}
		if len(roles) == 0 && len(scopes) == 0 {
			return nil
		}
		sev := LevelHigh
		if len(adminRoles(s, LevelCritical)) > 0 || s.Privilege.Level == LevelCritical {
			sev = LevelCritical
		}
		return one(Hit{Severity: sev, Detail: strings.TrimSpace(strings.Join(roles, ", ") + " " + strings.Join(scopes, " ")),
			Evidence: map[string]any{"admin_roles": roles, "manage_scopes": scopes}})
	}}

var ruleOktaTokenImpersonation = Rule{Meta: Meta{
	ID: "SS-OK-002", Title: "SSWS API token acts with an administrator's full power", Severity: LevelHigh, Platforms: ok,
	Description: "An API token has exactly the admin roles of the person who created it, for as long as it is used. It is impersonation of that admin, not a scoped integration, and it does not show which automation uses it.",
	Remediation: "Replace the token with an OAuth service app holding only the scopes needed (private_key_jwt), then revoke the token.",
	References:  []string{docsOktaTokens, docsOktaService},
	Frameworks:  []string{"NHI10:2025", "NHI5:2025", "T1550.001"}, Needs: []string{"api_tokens", "token_admins"}, RiskFactor: "impersonation"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "okta_api_token" {
			return nil
		}
		roles := adminRoles(s, LevelMedium)
		if len(roles) == 0 {
			return nil
		}
		sev := ""
		if len(adminRoles(s, LevelCritical)) > 0 {
			sev = LevelCritical
		}
		return one(Hit{Severity: sev, Detail: "acts as " + s.str("acts_as_user") + " with " + strings.Join(roles, ", "), Evidence: map[string]any{"admin_roles": roles, "acts_as_user": s.str("acts_as_user")}})
	}}

var ruleOktaTokenOwnerGone = Rule{Meta: Meta{
	ID: "SS-OK-003", Title: "API token created by a deactivated or deleted admin", Severity: LevelCritical, Platforms: ok,
	Description: "The admin who created this API token is deactivated or gone, yet Okta still honours the token while it is used. Offboarding did not remove it and nobody owns it.",
	Remediation: "Revoke the token now; if an integration breaks, re-create it as an OAuth service app owned by a team.",
	References:  []string{docsOktaTokens},
	Frameworks:  []string{"NHI1:2025", "T1078.004"}, Needs: []string{"api_tokens", "token_admins"}, RiskFactor: "owner_left"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "okta_api_token" {
			return nil
		}
		for _, o := range s.Owners {
			if o.Principal.Status == inventory.PrincipalDisabled || o.Principal.Status == inventory.PrincipalDeleted {
				return one(Hit{Key: o.Principal.ID, Detail: fmt.Sprintf("creator %s is %s", o.Principal.Name, o.Principal.Status), Evidence: map[string]any{"creator": o.Principal.Name, "status": o.Principal.Status}})
			}
		}
		return nil
	}}

var ruleOktaTokenNoNetwork = Rule{Meta: Meta{
	ID: "SS-OK-004", Title: "API token usable from any network", Severity: LevelMedium, Platforms: ok,
	Description: "The token has no network restriction: anyone who obtains it can use it from anywhere on the internet.",
	Remediation: "Restrict the token to the network zone of the system that uses it (or replace it with a service app).",
	References:  []string{docsOktaTokens},
	Frameworks:  []string{"NHI4:2025"}, Needs: []string{"api_tokens"}, RiskFactor: "insecure_transport"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "okta_api_token" || (s.str("network") != "ANYWHERE" && s.str("network") != "") {
			return nil
		}
		return one(Hit{Detail: "network: " + orUnknown(s.str("network")), Evidence: map[string]any{"network": s.str("network")}})
	}}

var ruleOktaTokenUnused = Rule{Meta: Meta{
	ID: "SS-OK-005", Title: "API token unused for 90 days", Severity: LevelMedium, Platforms: ok,
	Description: "The token has not been used for 90 days, by the System Log or, beyond its window, by lastUpdated (which Okta moves when the token is used). An unused token with admin power is pure risk.",
	Remediation: "Revoke it.",
	References:  []string{docsOktaTokens},
	Frameworks:  []string{"NHI1:2025"}, Needs: []string{"api_tokens"}, RiskFactor: "stale"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "okta_api_token" {
			return nil
		}
		if d := daysSince(s.Now, s.LastUsedAt); d >= staleDays {
			return one(Hit{Detail: fmt.Sprintf("last used about %d days ago", int(d)), Evidence: map[string]any{"last_used_at": s.LastUsedAt.Format(time.RFC3339)}})
		}
		return nil
	}}

var ruleOktaClientSecret = Rule{Meta: Meta{
	ID: "SS-OK-006", Title: "Service app authenticates with a client secret instead of private_key_jwt", Severity: LevelMedium, Platforms: ok,
	Description: "A machine-to-machine app uses a shared client secret. Secrets get copied into config and pipelines; private_key_jwt keeps the private key with the workload.",
	Remediation: "Register a public key (JWKS) for the app, switch token_endpoint_auth_method to private_key_jwt, then delete the secrets.",
	References:  []string{docsOktaService, docsOktaSecrets},
	Frameworks:  []string{"NHI7:2025", "NHI2:2025"}, Needs: []string{"apps"}, RiskFactor: "client_secret"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "okta_app" || s.str("application_type") != "service" {
			return nil
		}
		if m := s.str("token_endpoint_auth_method"); strings.HasPrefix(m, "client_secret") {
			return one(Hit{Detail: m, Evidence: map[string]any{"token_endpoint_auth_method": m}})
		}
		return nil
	}}

var ruleOktaSecretHygiene = Rule{Meta: Meta{
	ID: "SS-OK-007", Title: "Client secrets older than a year, or several active", Severity: LevelLow, Platforms: ok,
	Description: "An app has an active secret older than a year, or more than one active secret: rotation is not happening, or old copies were never retired.",
	Remediation: "Rotate to one new secret (or private_key_jwt) and deactivate and delete the rest.",
	References:  []string{docsOktaSecrets},
	Frameworks:  []string{"NHI7:2025", "NHI9:2025"}, Needs: []string{"app_credentials"}, RiskFactor: "many_secrets"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "okta_app" {
			return nil
		}
		var hits []Hit
		old := 0
		for _, c := range s.Credentials {
			if c.Type == "client_secret" && daysSince(s.Now, c.CreatedAt) > 365 {
				old++
			}
		}
		if old > 0 {
			hits = append(hits, Hit{Key: "old", Detail: fmt.Sprintf("%d secret(s) older than a year", old), Evidence: map[string]any{"old_secrets": old}})
		}
		if n, _ := s.Attributes["active_secrets"].(float64); n >= 2 {
			hits = append(hits, Hit{Key: "many", Detail: fmt.Sprintf("%d active secrets", int(n)), Evidence: map[string]any{"active_secrets": int(n)}})
		}
		return hits
	}}

var ruleOktaEndUserAI = Rule{Meta: Meta{
	ID: "SS-OK-008", Title: "Users consented an AI app without admin approval", Severity: LevelMedium, Platforms: ok,
	Description: "Users granted an AI app scopes themselves (END_USER consent). Nobody approved the vendor, and with offline_access it keeps acting for them while they are away.",
	Remediation: "Decide whether the AI app is sanctioned; if not, revoke the grants and deactivate it. Require admin consent for third-party AI apps.",
	References:  []string{docsOktaConsent},
	Frameworks:  []string{"NHI3:2025", "T1528"}, Needs: []string{"app_grants"}, RiskFactor: "user_consent"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "okta_app" || !s.AI.IsAI {
			return nil
		}
		users := map[string]bool{}
		for _, g := range s.Grants {
			if g.Consent == "user" {
				users[g.OnBehalfOf] = true
			}
		}
		if len(users) == 0 {
			return nil
		}
		sev := ""
		if hasScope(s, "offline_access") {
			sev = LevelHigh
		}
		return one(Hit{Severity: sev, Detail: fmt.Sprintf("%d users consented", len(users)), Evidence: map[string]any{"consenting_users": len(users), "offline_access": hasScope(s, "offline_access")}})
	}}

var ruleOktaAgentOwner = Rule{Meta: Meta{
	ID: "SS-OK-009", Title: "AI agent without an active owner", Severity: LevelHigh, Platforms: ok,
	Description: "A registered AI agent has no owner, or only inactive ones. Nobody reviews what it may do or answers for what it did.",
	Remediation: "Assign an active owner from the team that runs the agent, and review its linked app's grants.",
	References:  []string{docsOktaAIAgents},
	Frameworks:  []string{"NHI1:2025"}, Needs: []string{"ai_agents"}, RiskFactor: "no_owner"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "okta_ai_agent" {
			return nil
		}
		for _, o := range s.Owners {
			if o.Principal.Status == inventory.PrincipalActive || o.Principal.Status == inventory.PrincipalUnknown {
				return nil
			}
		}
		d := "no owner"
		if len(s.Owners) > 0 {
			d = "all owners inactive"
		}
		return one(Hit{Detail: d, Evidence: map[string]any{"owners": len(s.Owners)}})
	}}

var ruleOktaIdleApp = Rule{Meta: Meta{
	ID: "SS-OK-010", Title: "Active app with no assignments and no recent activity", Severity: LevelLow, Platforms: ok,
	Description: "The app is active, assigned to nobody, and issued no tokens in the System Log window. It is probably abandoned but can still be used.",
	Remediation: "Deactivate it after confirming with its owner.",
	References:  []string{"https://help.okta.com/en-us/content/topics/apps/apps-manage-assignments.htm"},
	Frameworks:  []string{"NHI1:2025"}, Needs: []string{"app_assignments", "system_log"}, RiskFactor: "stale"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "okta_app" || s.Status != "active" || s.str("activity_data") == "unavailable" || s.LastUsedAt != nil {
			return nil
		}
		u, uok := s.Attributes["has_user_assignments"].(bool)
		g, gok := s.Attributes["has_group_assignments"].(bool)
		if !uok || !gok || u || g {
			return nil
		}
		if s.str("application_type") == "service" && Rank(s.Privilege.Level) >= Rank(LevelMedium) {
			return one(Hit{Severity: LevelMedium, Detail: "privileged service app with no recent token grants", Evidence: map[string]any{"assignments": 0, "privilege": s.Privilege.Level}})
		}
		return one(Hit{Detail: "no assignments, no token grants in the log window", Evidence: map[string]any{"assignments": 0}})
	}}

var ruleOktaClientPrivileges = TenantRule{Meta: Meta{
	ID: "SS-OK-011", Title: "New public OAuth clients get Super Admin (clientPrivilegesSetting)", Severity: LevelCritical, Platforms: ok,
	Description: "With clientPrivilegesSetting on, every newly created public client app is assigned the Super Administrator role by default.",
	Remediation: "Turn clientPrivilegesSetting off and review the roles of existing client apps.",
	References:  []string{docsOktaClientPr},
	Frameworks:  []string{"NHI5:2025"}, Needs: []string{"org_settings"}},
	Check: func(ts *TenantSubject) []Hit {
		if ts.Settings["okta.client_privileges_setting"] == "true" {
			return one(Hit{Detail: "clientPrivilegesSetting is on", Evidence: map[string]any{"clientPrivilegesSetting": true}})
		}
		return nil
	}}
