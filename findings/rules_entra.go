package findings

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shadowscan/shadowscan/inventory"
)

var en = []string{inventory.PlatformEntra}

const (
	docsConsent    = "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/manage-consent-requests"
	docsUserConsnt = "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/configure-user-consent"
	docsAdminFlow  = "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/configure-admin-consent-workflow"
	docsAppCreds   = "https://learn.microsoft.com/en-us/entra/identity-platform/how-to-add-credentials"
	docsRoles      = "https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/permissions-reference"
	docsGraphPerms = "https://learn.microsoft.com/en-us/graph/permissions-reference"
	docsAgentID    = "https://learn.microsoft.com/en-us/entra/agent-id/identity-platform/what-is-agent-id"
)

// delegatedAbove lists delegated grants at or above a tier, by scope.
func delegatedAbove(s *Subject, consent, level string) []string {
	seen := map[string]bool{}
	for _, g := range s.Grants {
		if g.Type != inventory.GrantDelegated || (consent != "" && g.Consent != consent) {
			continue
		}
		if Rank(GrantPrivilege(s.Platform, g)) >= Rank(level) {
			seen[g.Permission] = true
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func hasScope(s *Subject, scope string) bool {
	for _, g := range s.Grants {
		if g.Permission == scope {
			return true
		}
	}
	return false
}

func worstOf(s *Subject, perms []string, typ string) string {
	w := LevelNone
	for _, g := range s.Grants {
		if typ != "" && g.Type != typ {
			continue
		}
		for _, p := range perms {
			if g.Permission == p {
				w = maxLevel(w, GrantPrivilege(s.Platform, g))
			}
		}
	}
	return w
}

var ruleEntraTenantWideConsent = Rule{Meta: Meta{
	ID: "SS-EN-001", Title: "AI app with tenant-wide consent to sensitive data", Severity: LevelHigh, Platforms: en,
	Description: "An admin granted an AI app delegated permissions for all users of the tenant (AllPrincipals). Every user's mail, files or chats within those scopes can flow to the AI vendor whenever any user signs in to it.",
	Remediation: "Review whether the AI app is approved; if not, remove the tenant-wide grant (Enterprise applications > Permissions) and let users request access through the admin consent workflow. Keep only the scopes the use case needs.",
	References:  []string{docsConsent, docsGraphPerms},
	Frameworks:  []string{"NHI5:2025", "NHI3:2025", "T1528"}, Needs: []string{"oauth2_grants"}, RiskFactor: "tenant_wide_consent"},
	Check: func(s *Subject) []Hit {
		if !s.AI.IsAI {
			return nil
		}
		scopes := delegatedAbove(s, "admin", LevelMedium)
		var tenantWide bool
		for _, g := range s.Grants {
			tenantWide = tenantWide || (g.Type == inventory.GrantDelegated && g.OnBehalfOf == "all")
		}
		if !tenantWide || len(scopes) == 0 {
			return nil
		}
		sev := LevelHigh
		if worstOf(s, scopes, inventory.GrantDelegated) == LevelCritical {
			sev = LevelCritical
		}
		return one(Hit{Severity: sev, Detail: strings.Join(scopes, " "), Evidence: map[string]any{"scopes": scopes, "offline_access": hasScope(s, "offline_access"), "consent": "AllPrincipals"}})
	}}

var ruleEntraUserConsentedAI = Rule{Meta: Meta{
	ID: "SS-EN-002", Title: "Users consented a third-party AI app without admin review", Severity: LevelMedium, Platforms: en,
	Description: "Users granted a third-party AI app (a meeting bot, an assistant) access to their data themselves. No admin approved it, nobody assessed the vendor, and with offline_access the app keeps that access without the user present.",
	Remediation: "Decide whether the app is sanctioned. If not, revoke the user grants and block it; either way restrict user consent to verified publishers and low-impact permissions and turn on the admin consent workflow.",
	References:  []string{docsUserConsnt, docsConsent},
	Frameworks:  []string{"NHI3:2025", "T1528"}, Needs: []string{"oauth2_grants"}, RiskFactor: "user_consent"},
	Check: func(s *Subject) []Hit {
		if !s.AI.IsAI || s.Origin == "internal" || s.Origin == "first_party" {
			return nil
		}
		users := map[string]bool{}
		for _, g := range s.Grants {
			if g.Type == inventory.GrantDelegated && g.Consent == "user" {
				users[g.OnBehalfOf] = true
			}
		}
		if len(users) == 0 {
			return nil
		}
		scopes := delegatedAbove(s, "user", LevelLow)
		sev := ""
		if Rank(worstOf(s, scopes, inventory.GrantDelegated)) >= Rank(LevelMedium) {
			sev = LevelHigh
		}
		return one(Hit{Severity: sev, Detail: fmt.Sprintf("%d users consented to %s", len(users), strings.Join(scopes, " ")),
			Evidence: map[string]any{"consenting_users": len(users), "scopes": scopes, "offline_access": hasScope(s, "offline_access")}})
	}}

var ruleEntraUnverifiedPublisher = Rule{Meta: Meta{
	ID: "SS-EN-003", Title: "Unverified multi-tenant publisher holds high privileges", Severity: LevelHigh, Platforms: en,
	Description: "A third-party app whose publisher Microsoft has not verified holds high or critical permissions in the tenant. Anyone can register a multi-tenant app with a trustworthy-looking name: this is how consent phishing works.",
	Remediation: "Confirm who publishes the app; remove its grants unless the vendor is known and approved. Restrict user consent to apps from verified publishers.",
	References:  []string{"https://learn.microsoft.com/en-us/entra/identity-platform/publisher-verification-overview", docsUserConsnt},
	Frameworks:  []string{"NHI3:2025", "T1566.002"}, Needs: []string{"service_principals"}, RiskFactor: "unverified_publisher"},
	Check: func(s *Subject) []Hit {
		if s.Origin != "third_party" || s.VerifiedPublisher == nil || *s.VerifiedPublisher || Rank(s.Privilege.Level) < Rank(LevelHigh) {
			return nil
		}
		return one(Hit{Detail: fmt.Sprintf("publisher %q, privilege %s", orUnknown(s.Publisher), s.Privilege.Level),
			Evidence: map[string]any{"publisher": s.Publisher, "verified_publisher": false, "privilege": s.Privilege.Level}})
	}}

var ruleEntraCriticalRole = Rule{Meta: Meta{
	ID: "SS-EN-004", Title: "Service principal or agent holds a privileged directory role", Severity: LevelCritical, Platforms: en,
	Description: "A non-human identity holds a directory role that can take over the tenant (Global Administrator, Privileged Role Administrator, Application Administrator, ...). Whoever holds its credentials, or steers the agent, holds that role.",
	Remediation: "Remove the role or replace it with the narrowest role and a scoped application permission; if it must stay, protect the identity's credentials (certificate or federation, no secrets) and monitor its sign-ins.",
	References:  []string{docsRoles},
	Frameworks:  []string{"NHI5:2025", "T1098.003", "T1078.004"}, Needs: []string{"directory_roles"}, RiskFactor: "critical_role"},
	Check: func(s *Subject) []Hit {
		var hits []Hit
		for _, g := range s.Grants {
			if g.Type != inventory.GrantAdminRole {
				continue
			}
			l := GrantPrivilege(s.Platform, g)
			if Rank(l) < Rank(LevelHigh) {
				continue
			}
			sev := LevelCritical
			if l == LevelHigh {
				sev = LevelHigh
			}
			hits = append(hits, Hit{Key: g.Permission, Severity: sev, Detail: g.Permission + " on " + g.Resource, Evidence: map[string]any{"role": g.Permission, "scope": g.Resource}})
		}
		return hits
	}}

var readAllData = map[string]bool{"Mail.Read": true, "Mail.ReadWrite": true, "Mail.Send": true, "Files.Read.All": true, "Files.ReadWrite.All": true,
	"Sites.Read.All": true, "Sites.ReadWrite.All": true, "Sites.FullControl.All": true, "Sites.Manage.All": true, "Chat.Read.All": true,
	"Chat.ReadWrite.All": true, "ChannelMessage.Read.All": true, "OnlineMeetingTranscript.Read.All": true}

var ruleEntraReadAllData = Rule{Meta: Meta{
	ID: "SS-EN-005", Title: "Application permission to read all mail, files or chats", Severity: LevelHigh, Platforms: en,
	Description: "The app can read (or send) every user's mail, files, sites or chats without any user signed in. It is a standing, tenant-wide data-access path.",
	Remediation: "Replace the application permission with a delegated one, or scope it (Exchange application access policies or RBAC for Applications, Sites.Selected). Remove it if unused.",
	References:  []string{docsGraphPerms, "https://learn.microsoft.com/en-us/exchange/permissions-exo/application-rbac"},
	Frameworks:  []string{"NHI5:2025", "T1114.002", "T1530"}, Needs: []string{"app_role_assignments"}, RiskFactor: "read_all_data"},
	Check: func(s *Subject) []Hit {
		var perms []string
		for _, g := range s.Grants {
			if g.Type == inventory.GrantApplication && readAllData[g.Permission] {
				perms = append(perms, g.Permission)
			}
		}
		if len(perms) == 0 {
			return nil
		}
		sort.Strings(perms)
		sev := ""
		if s.AI.IsAI {
			sev = LevelCritical
		}
		return one(Hit{Severity: sev, Detail: strings.Join(perms, ", "), Evidence: map[string]any{"application_permissions": perms}})
	}}

func activeSecrets(s *Subject) []inventory.Credential {
	var out []inventory.Credential
	for _, c := range s.Credentials {
		if c.Type == "client_secret" && (c.ExpiresAt == nil || c.ExpiresAt.After(s.Now)) {
			out = append(out, c)
		}
	}
	return out
}

var ruleEntraClientSecret = Rule{Meta: Meta{
	ID: "SS-EN-006", Title: "App authenticates with a client secret instead of a certificate or federation", Severity: LevelMedium, Platforms: en,
	Description: "A client secret is a password that ends up in config files, pipelines and chat logs. Certificates or workload identity federation remove the shared secret altogether.",
	Remediation: "Add a certificate or a federated credential (GitHub Actions, Kubernetes, another cloud), switch the workload to it, then delete the secrets.",
	References:  []string{docsAppCreds, "https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation"},
	Frameworks:  []string{"NHI7:2025", "NHI2:2025"}, Needs: []string{"applications"}, RiskFactor: "client_secret"},
	Check: func(s *Subject) []Hit {
		if s.Origin != "internal" || len(activeSecrets(s)) == 0 {
			return nil
		}
		for _, c := range s.Credentials {
			if c.Type == "certificate" || c.Type == "federated" {
				return nil
			}
		}
		return one(Hit{Detail: fmt.Sprintf("%d active client secret(s), no certificate or federated credential", len(activeSecrets(s))), Evidence: map[string]any{"active_secrets": len(activeSecrets(s))}})
	}}

var ruleEntraLongLivedSecret = Rule{Meta: Meta{
	ID: "SS-EN-007", Title: "Client secret that never expires or lives over a year", Severity: LevelMedium, Platforms: en,
	Description: "A secret valid for more than a year (or forever) outlives the people who know where it is stored; a leak of it stays exploitable for its whole life.",
	Remediation: "Rotate to a secret of at most 6 months (or a certificate/federated credential) and enforce the limit with an app management policy.",
	References:  []string{docsAppCreds, "https://learn.microsoft.com/en-us/graph/api/resources/applicationauthenticationmethodpolicy"},
	Frameworks:  []string{"NHI7:2025"}, Needs: []string{"applications", "service_principals"}, RiskFactor: "long_lived_credential"},
	Check: func(s *Subject) []Hit {
		var hits []Hit
		for _, c := range activeSecrets(s) {
			sev := ""
			if Rank(s.Privilege.Level) >= Rank(LevelHigh) {
				sev = LevelHigh
			}
			switch {
			case c.ExpiresAt == nil:
				hits = append(hits, Hit{Key: c.ID, Severity: sev, Detail: "no expiry", Evidence: map[string]any{"key_id": c.ID}})
			case c.CreatedAt != nil && c.ExpiresAt.Sub(*c.CreatedAt) > 366*24*time.Hour:
				hits = append(hits, Hit{Key: c.ID, Severity: sev, Detail: fmt.Sprintf("valid %d days", int(c.ExpiresAt.Sub(*c.CreatedAt).Hours()/24)),
					Evidence: map[string]any{"key_id": c.ID, "expires_at": c.ExpiresAt.Format(time.RFC3339)}})
			}
		}
		return hits
	}}

var ruleEntraExpiredSecret = Rule{Meta: Meta{
	ID: "SS-EN-008", Title: "Expired credentials still present", Severity: LevelLow, Platforms: en,
	Description: "Expired secrets or certificates stay on the app. They are clutter that hides which credentials are really in use, and a sign that rotation is manual.",
	Remediation: "Delete expired credentials and automate rotation.",
	References:  []string{docsAppCreds},
	Frameworks:  []string{"NHI7:2025"}, Needs: []string{"applications"}, RiskFactor: "expired_credential"},
	Check: func(s *Subject) []Hit {
		n := 0
		for _, c := range s.Credentials {
			if (c.Type == "client_secret" || c.Type == "certificate") && c.ExpiresAt != nil && c.ExpiresAt.Before(s.Now) {
				n++
			}
		}
		if n == 0 {
			return nil
		}
		return one(Hit{Detail: fmt.Sprintf("%d expired credential(s)", n), Evidence: map[string]any{"expired": n}})
	}}

var ruleEntraManySecrets = Rule{Meta: Meta{
	ID: "SS-EN-009", Title: "Several active client secrets on one app", Severity: LevelLow, Platforms: en,
	Description: "More than one secret is valid at the same time. Usually an old one was never removed after a rotation, or different teams share the app: either way nobody knows which copy is where.",
	Remediation: "Find which secret each workload uses (sign-in logs show the key id), move them to one credential or to federation, and delete the rest.",
	References:  []string{docsAppCreds},
	Frameworks:  []string{"NHI9:2025", "NHI7:2025"}, Needs: []string{"applications"}, RiskFactor: "many_secrets"},
	Check: func(s *Subject) []Hit {
		if n := len(activeSecrets(s)); n >= 2 {
			return one(Hit{Detail: fmt.Sprintf("%d active secrets", n), Evidence: map[string]any{"active_secrets": n}})
		}
		return nil
	}}

var ruleEntraSPCredential = Rule{Meta: Meta{
	ID: "SS-EN-010", Title: "Credential added to a third-party app's service principal", Severity: LevelHigh, Platforms: en,
	Description: "A secret or certificate exists on the service principal of an app another organization owns. The vendor's app does not need it: it lets whoever added it sign in as that app with all its permissions in your tenant, a known persistence technique.",
	Remediation: "Find who added the credential (audit log: 'Add service principal credentials'), remove it, and review what the app did since. Restrict who can manage enterprise app credentials.",
	References:  []string{"https://attack.mitre.org/techniques/T1098/001/", docsAppCreds},
	Frameworks:  []string{"NHI2:2025", "T1098.001"}, Needs: []string{"service_principals"}, RiskFactor: "sp_credential_backdoor"},
	Check: func(s *Subject) []Hit {
		if s.Origin != "third_party" {
			return nil
		}
		var hits []Hit
		for _, c := range s.Credentials {
			if c.Collector == "service_principals" && (c.Type == "client_secret" || c.Type == "certificate") {
				hits = append(hits, Hit{Key: c.ID, Detail: c.Type + " " + c.ID, Evidence: map[string]any{"credential_type": c.Type, "key_id": c.ID}})
			}
		}
		return hits
	}}

var ruleEntraUnowned = Rule{Meta: Meta{
	ID: "SS-EN-011", Title: "Agent identity or app with no active owner or sponsor", Severity: LevelMedium, Platforms: en,
	Description: "Nobody active is accountable for this identity: it has no owner (or, for an agent identity, no sponsor), or all of them are disabled. It will not be reviewed and will not be removed when its purpose ends.",
	Remediation: "Assign an active owner (and a sponsor for agent identities) from the team that runs it; make ownership part of app registration and agent creation.",
	References:  []string{docsAgentID, "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/assign-app-owners"},
	Frameworks:  []string{"NHI1:2025"}, Needs: []string{"owners"}, RiskFactor: "no_owner"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "agent_identity" && !(s.Origin == "internal" && isAny(s.Kind, "service_principal", "app_registration")) {
			return nil
		}
		active, owners := 0, 0
		for _, o := range s.Owners {
			if o.Role != "owner" && o.Role != "sponsor" {
				continue
			}
			owners++
			if o.Principal.Status != inventory.PrincipalDisabled && o.Principal.Status != inventory.PrincipalDeleted {
				active++
			}
		}
		if active > 0 {
			return nil
		}
		sev := ""
		if s.Kind == "agent_identity" || Rank(s.Privilege.Level) >= Rank(LevelHigh) {
			sev = LevelHigh
		}
		detail := "no owner"
		if s.Kind == "agent_identity" {
			detail = "no sponsor or owner"
		}
		if owners > 0 {
			detail = "every owner/sponsor is disabled"
		}
		return one(Hit{Severity: sev, Detail: detail, Evidence: map[string]any{"owners": owners, "active_owners": 0}})
	}}

var ruleEntraUnusedPrivileged = Rule{Meta: Meta{
	ID: "SS-EN-012", Title: "App not signed in for 90 days but still holding high permissions", Severity: LevelMedium, Platforms: en,
	Description: "The sign-in report shows no use for 90 days (or none at all), yet the app keeps high or critical permissions. Unused privilege is pure risk.",
	Remediation: "Remove the app's grants (or the app), after checking with its owner. Only tenants with sign-in data get this check; elsewhere last use is unknown, never assumed.",
	References:  []string{"https://learn.microsoft.com/en-us/graph/api/resources/serviceprincipalsigninactivity?view=graph-rest-beta"},
	Frameworks:  []string{"NHI1:2025"}, Needs: []string{"sign_in_activity"}, RiskFactor: "stale"},
	Check: func(s *Subject) []Hit {
		if s.str("sign_in_data") == "unavailable" || Rank(s.Privilege.Level) < Rank(LevelHigh) || s.Origin == "first_party" {
			return nil
		}
		d := daysSince(s.Now, s.LastUsedAt)
		switch {
		case d < 0:
			return one(Hit{Detail: "no sign-in recorded", Evidence: map[string]any{"last_sign_in": nil, "privilege": s.Privilege.Level}})
		case d >= staleDays:
			return one(Hit{Detail: fmt.Sprintf("last sign-in %d days ago", int(d)), Evidence: map[string]any{"last_sign_in": s.LastUsedAt.Format(time.RFC3339), "privilege": s.Privilege.Level}})
		}
		return nil
	}}

// Tenant-level rules.

func settingString(ts *TenantSubject, key string) string {
	var v string
	json.Unmarshal([]byte(ts.Settings[key]), &v)
	return v
}

var ruleEntraUserConsentAllowed = TenantRule{Meta: Meta{
	ID: "SS-EN-013", Title: "Users may consent to any app", Severity: LevelHigh, Platforms: en,
	Description: "The tenant's user consent setting lets every user grant any multi-tenant app (AI assistants and meeting bots included) access to their data, without admin review. This is the main door for shadow AI.",
	Remediation: "Set user consent to 'Allow user consent for apps from verified publishers, for selected permissions' (or off), classify low-impact permissions, and enable the admin consent workflow.",
	References:  []string{docsUserConsnt},
	Frameworks:  []string{"NHI3:2025", "T1528"}, Needs: []string{"authorization_policy"}},
	Check: func(ts *TenantSubject) []Hit {
		switch settingString(ts, "entra.user_consent") {
		case "any_app":
			return one(Hit{Detail: "user consent allowed for all apps (legacy policy)", Evidence: map[string]any{"user_consent": "any_app", "policies": json.RawMessage(ts.Settings["entra.user_consent_policies"])}})
		case "custom":
			return one(Hit{Severity: LevelMedium, Detail: "a custom user consent policy is assigned: review what it allows", Evidence: map[string]any{"user_consent": "custom", "policies": json.RawMessage(ts.Settings["entra.user_consent_policies"])}})
		}
		return nil
	}}

var ruleEntraAdminConsentOff = TenantRule{Meta: Meta{
	ID: "SS-EN-014", Title: "Admin consent workflow is off", Severity: LevelMedium, Platforms: en,
	Description: "Users who cannot consent to an app have no way to ask an admin, so they find another route (personal accounts, other tools). With the workflow on, every request for an AI app becomes a reviewable event.",
	Remediation: "Enable the admin consent workflow with reviewers from security and IT, and set a request expiry.",
	References:  []string{docsAdminFlow},
	Frameworks:  []string{"NHI3:2025"}, Needs: []string{"admin_consent_policy"}},
	Check: func(ts *TenantSubject) []Hit {
		if v, ok := ts.Settings["entra.admin_consent_workflow"]; ok && v == "false" {
			return one(Hit{Detail: "admin consent requests are disabled", Evidence: map[string]any{"admin_consent_workflow": false}})
		}
		return nil
	}}
