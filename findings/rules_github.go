package findings

import (
	"fmt"
	"strings"
	"time"

	"github.com/shadowscan/shadowscan/inventory"
)

var gh = []string{inventory.PlatformGitHub}

const (
	docsFineGrained = "https://docs.github.com/en/organizations/managing-programmatic-access-to-your-organization/managing-requests-for-personal-access-tokens-in-your-organization"
	docsApps        = "https://docs.github.com/en/apps/using-github-apps/reviewing-and-modifying-installed-github-apps"
	docsSecretScan  = "https://docs.github.com/en/code-security/secret-scanning/managing-alerts-from-secret-scanning"
	docsDeployKeys  = "https://docs.github.com/en/authentication/connecting-to-github-with-ssh/managing-deploy-keys"
	docsWebhooks    = "https://docs.github.com/en/webhooks/using-webhooks/best-practices-for-using-webhooks"
	docsOIDC        = "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect"
	owaspNHI        = "https://owasp.org/www-project-non-human-identities-top-10/2025/"
)

var tokenKinds = []string{"fine_grained_pat", "sso_authorized_pat", "sso_authorized_oauth_token"}

var ruleAIKeyLeaked = Rule{Meta: Meta{
	ID: "SS-GH-001", Title: "AI provider key leaked in a repository", Severity: LevelHigh, Platforms: gh,
	Description: "Secret scanning found an AI provider API key in code or history. Anyone who can read the repository can spend on the account and read what the key can reach (prompts, files, fine-tuned models).",
	Remediation: "Revoke the key at the provider now, then rotate it into a secret manager or Actions secret and close the alert as revoked. Check the provider's usage logs for abuse since the alert was opened.",
	References:  []string{docsSecretScan, owaspNHI + "2-secret-leakage/"},
	Frameworks:  []string{"NHI2:2025", "T1552.001"}, Needs: []string{"secret_scanning"}, RiskFactor: "leaked_key"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "leaked_secret" || s.Status != "active" {
			return nil
		}
		sev := LevelHigh
		if s.str("validity") == "active" || s.bool("publicly_leaked") {
			sev = LevelCritical
		}
		return one(Hit{Severity: sev, Detail: fmt.Sprintf("%s in %s (validity %s)", s.str("secret_type"), s.str("repository"), orUnknown(s.str("validity"))),
			Evidence: map[string]any{"secret_type": s.str("secret_type"), "repository": s.str("repository"), "validity": s.str("validity"), "publicly_leaked": s.bool("publicly_leaked"), "alert_url": s.URL}})
	}}

var ruleAIKeyPlaintext = Rule{Meta: Meta{
	ID: "SS-GH-002", Title: "AI provider key stored as a plaintext Actions variable", Severity: LevelHigh, Platforms: gh,
	Description: "An Actions variable holds an AI provider API key. Variables are not secrets: their values are shown to everyone with read access to the repository or organization settings and in workflow logs.",
	Remediation: "Revoke the key, create a new one as an Actions secret (or use OIDC federation where the provider supports it), and delete the variable.",
	References:  []string{"https://docs.github.com/en/actions/learn-github-actions/variables", owaspNHI + "2-secret-leakage/"},
	Frameworks:  []string{"NHI2:2025", "T1552.001"}, Needs: []string{"org_actions_variables", "repo_actions_variables"}, RiskFactor: "plaintext_key"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "actions_variable" || s.str("plaintext_ai_key") == "" {
			return nil
		}
		return one(Hit{Detail: fmt.Sprintf("variable %s (scope %s) holds an %s", s.Name, s.str("scope"), s.str("plaintext_ai_key")),
			Evidence: map[string]any{"variable": s.Name, "scope": s.str("scope"), "key_format": s.str("plaintext_ai_key")}})
	}}

var ruleAIWriteAccess = Rule{Meta: Meta{
	ID: "SS-GH-003", Title: "AI agent can write code or administer the organization", Severity: LevelHigh, Platforms: gh,
	Description: "An AI agent holds write access to code or workflows, or administrative rights. A prompt injection in an issue, PR or dependency can make it push code, change CI or exfiltrate secrets with those rights.",
	Remediation: "Reduce the agent to the permissions its task needs (read contents, write pull requests), limit it to selected repositories, and require review of its pull requests with branch protection.",
	References:  []string{docsApps, owaspNHI + "5-overprivileged-nhi/"},
	Frameworks:  []string{"NHI5:2025", "T1078.004", "T1195.002"}, Needs: []string{"installations", "fine_grained_pats"}, RiskFactor: "ai_write"},
	Check: func(s *Subject) []Hit {
		if !s.AI.IsAI || s.Kind == "copilot_seat" || Rank(s.Privilege.Level) < Rank(LevelHigh) {
			return nil
		}
		var perms []string
		for _, g := range s.Grants {
			if Rank(GrantPrivilege(s.Platform, g)) >= Rank(LevelHigh) {
				perms = append(perms, g.Permission+" on "+g.Resource)
			}
		}
		sev := LevelHigh
		if s.Privilege.Level == LevelCritical {
			sev = LevelCritical
		}
		return one(Hit{Severity: sev, Detail: strings.Join(perms, ", "),
			Evidence: map[string]any{"privileged_grants": perms, "ai_product": s.AI.Product, "privilege": s.Privilege.Level}})
	}}

var ruleAIImpersonation = Rule{Meta: Meta{
	ID: "SS-GH-004", Title: "AI agent acts with a human's personal access token", Severity: LevelHigh, Platforms: gh,
	Description: "An AI agent authenticates with a person's token. Everything it does is recorded as that person, it holds all of their access to the organization, and it keeps working after they leave. Agents should use GitHub Apps (delegation), not PATs (impersonation).",
	Remediation: "Move the agent to its vendor's GitHub App (or an internal App) with least-privilege permissions, then revoke the token.",
	References:  []string{docsFineGrained, owaspNHI + "10-human-use-of-nhi/"},
	Frameworks:  []string{"NHI4:2025", "NHI10:2025", "T1550.001"}, Needs: []string{"fine_grained_pats", "credential_authorizations"}, RiskFactor: "impersonation"},
	Check: func(s *Subject) []Hit {
		if !s.AI.IsAI || !isAny(s.Kind, tokenKinds...) {
			return nil
		}
		return one(Hit{Detail: fmt.Sprintf("%q acts as %s", s.Name, s.str("acts_as_user")),
			Evidence: map[string]any{"token": s.Name, "acts_as_user": s.str("acts_as_user"), "ai_reasons": s.AI.Reasons}})
	}}

var ruleAIAllRepos = Rule{Meta: Meta{
	ID: "SS-GH-005", Title: "AI app installed on all repositories", Severity: LevelMedium, Platforms: gh,
	Description: "An AI app can reach every repository of the organization, including ones created later. Its blast radius is the whole codebase.",
	Remediation: "Change the installation to 'Only select repositories' and list the repositories the team actually uses it on.",
	References:  []string{docsApps, owaspNHI + "5-overprivileged-nhi/"},
	Frameworks:  []string{"NHI5:2025", "T1078.004"}, Needs: []string{"installations"}, RiskFactor: "all_repositories"},
	Check: func(s *Subject) []Hit {
		if !s.AI.IsAI || s.Kind != "github_app_installation" || s.str("repository_selection") != "all" {
			return nil
		}
		return one(Hit{Detail: s.AI.Product + " on all repositories", Evidence: map[string]any{"repository_selection": "all", "app_slug": s.str("app_slug")}})
	}}

var ruleOwnerLeft = Rule{Meta: Meta{
	ID: "SS-GH-006", Title: "Credential owned by someone who left the organization", Severity: LevelHigh, Platforms: gh,
	Description: "The person who owns or created this credential is no longer a member of the organization, yet the credential still has access. Nobody is accountable for it and offboarding did not remove it.",
	Remediation: "Revoke the credential (or remove the deploy key), and if something depends on it, re-create it under a team-owned GitHub App with a named owner.",
	References:  []string{owaspNHI + "1-improper-offboarding/"},
	Frameworks:  []string{"NHI1:2025", "T1078.004"}, Needs: []string{"members"}, RiskFactor: "owner_left"},
	Check: func(s *Subject) []Hit {
		var hits []Hit
		for _, o := range s.Owners {
			st := o.Principal.Status
			if st == inventory.PrincipalDeleted || st == inventory.PrincipalDisabled {
				hits = append(hits, Hit{Key: o.Principal.ID, Detail: fmt.Sprintf("%s %s is %s", o.Role, o.Principal.Name, st),
					Evidence: map[string]any{"owner": o.Principal.Name, "role": o.Role, "status": st}})
			}
		}
		return hits
	}}

var ruleBroadClassicToken = Rule{Meta: Meta{
	ID: "SS-GH-007", Title: "SSO-authorized token with organization-admin or delete scopes", Severity: LevelHigh, Platforms: gh,
	Description: "A classic PAT or OAuth app token authorized for SAML SSO carries scopes that can administer the organization or delete repositories. Classic scopes apply to every organization the user can reach.",
	Remediation: "Revoke the SSO authorization, replace the token with a fine-grained PAT or GitHub App limited to what is needed, and restrict classic PATs in the organization's policies.",
	References:  []string{"https://docs.github.com/en/organizations/granting-access-to-your-organization-with-saml-single-sign-on/viewing-and-managing-a-members-saml-access-to-your-organization", owaspNHI + "5-overprivileged-nhi/"},
	Frameworks:  []string{"NHI5:2025", "T1528"}, Needs: []string{"credential_authorizations"}, RiskFactor: "broad_token"},
	Check: func(s *Subject) []Hit {
		if !isAny(s.Kind, "sso_authorized_pat", "sso_authorized_oauth_token") {
			return nil
		}
		var crit []string
		for _, g := range s.Grants {
			if GrantPrivilege(s.Platform, g) == LevelCritical {
				crit = append(crit, g.Permission)
			}
		}
		if len(crit) == 0 {
			return nil
		}
		return one(Hit{Detail: "scopes " + strings.Join(crit, ", "), Evidence: map[string]any{"critical_scopes": crit, "owner": s.str("acts_as_user")}})
	}}

var rulePATLongLived = Rule{Meta: Meta{
	ID: "SS-GH-008", Title: "Personal access token that never expires or lives over a year", Severity: LevelMedium, Platforms: gh,
	Description: "A token with no expiry, or one valid for more than a year, stays usable long after its purpose and its owner's role have changed. A leak of it has no natural end.",
	Remediation: "Set an organization policy for a maximum PAT lifetime, revoke this token and issue one that expires within 90 days, or move the automation to a GitHub App.",
	References:  []string{"https://docs.github.com/en/organizations/managing-programmatic-access-to-your-organization/setting-a-personal-access-token-policy-for-your-organization", owaspNHI + "7-long-lived-secrets/"},
	Frameworks:  []string{"NHI7:2025", "T1078.004"}, Needs: []string{"fine_grained_pats", "credential_authorizations"}, RiskFactor: "long_lived_credential"},
	Check: func(s *Subject) []Hit {
		if !isAny(s.Kind, tokenKinds...) || s.Status == "expired" {
			return nil
		}
		var hits []Hit
		for _, c := range s.Credentials {
			sev := ""
			if Rank(s.Privilege.Level) >= Rank(LevelHigh) || s.AI.IsAI {
				sev = LevelHigh
			}
			switch {
			case c.ExpiresAt == nil:
				hits = append(hits, Hit{Key: c.ID, Severity: sev, Detail: "no expiry", Evidence: map[string]any{"token": s.Name, "expires_at": nil}})
			case c.ExpiresAt.Sub(s.Now) > 366*24*time.Hour:
				hits = append(hits, Hit{Key: c.ID, Severity: sev, Detail: "expires " + c.ExpiresAt.Format("2006-01-02"),
					Evidence: map[string]any{"token": s.Name, "expires_at": c.ExpiresAt.Format(time.RFC3339)}})
			}
		}
		return hits
	}}

const staleDays = 90

var ruleCredentialStale = Rule{Meta: Meta{
	ID: "SS-GH-009", Title: "Credential unused for 90 days but still privileged", Severity: LevelMedium, Platforms: gh,
	Description: "A token or deploy key has not been used for at least 90 days (or never, since it was granted over 90 days ago) and still holds write or broader access. Unused access is pure risk.",
	Remediation: "Revoke it. If a job still needs it occasionally, replace it with a short-lived GitHub App token issued at run time.",
	References:  []string{docsFineGrained, owaspNHI + "1-improper-offboarding/"},
	Frameworks:  []string{"NHI1:2025", "T1078.004"}, Needs: []string{"fine_grained_pats", "deploy_keys", "credential_authorizations"}, RiskFactor: "stale"},
	Check: func(s *Subject) []Hit {
		if !isAny(s.Kind, "fine_grained_pat", "deploy_key", "sso_authorized_pat", "sso_authorized_oauth_token", "sso_authorized_ssh_key") || s.Status == "expired" {
			return nil
		}
		if Rank(s.Privilege.Level) < Rank(LevelMedium) && s.Kind != "sso_authorized_ssh_key" {
			return nil
		}
		since := daysSince(s.Now, s.LastUsedAt)
		if since < 0 {
			granted := s.CreatedAt
			if ga, ok := s.Attributes["access_granted_at"].(string); ok {
				if t, err := time.Parse(time.RFC3339, ga); err == nil {
					granted = &t
				}
			}
			if granted == nil || daysSince(s.Now, granted) < staleDays {
				return nil
			}
			return one(Hit{Detail: "never used since " + granted.Format("2006-01-02"), Evidence: map[string]any{"last_used_at": nil, "granted_at": granted.Format(time.RFC3339)}})
		}
		if since < staleDays {
			return nil
		}
		return one(Hit{Detail: fmt.Sprintf("last used %d days ago", int(since)), Evidence: map[string]any{"last_used_at": s.LastUsedAt.Format(time.RFC3339), "days_unused": int(since)}})
	}}

var ruleDeployKeyWrite = Rule{Meta: Meta{
	ID: "SS-GH-010", Title: "Deploy key with write access", Severity: LevelMedium, Platforms: gh,
	Description: "A deploy key can push to the repository, bypassing the pull-request flow for any branch without protection. The private half lives on some machine, usually without rotation or an owner.",
	Remediation: "Make the key read-only unless the job must push; if it must, use a GitHub App with contents:write limited to that repository and protect the default branch.",
	References:  []string{docsDeployKeys, owaspNHI + "5-overprivileged-nhi/"},
	Frameworks:  []string{"NHI5:2025", "T1098.004"}, Needs: []string{"deploy_keys"}, RiskFactor: "write_key"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "deploy_key" {
			return nil
		}
		if ro, ok := s.Attributes["read_only"].(bool); !ok || ro {
			return nil
		}
		sev := ""
		if s.AI.IsAI {
			sev = LevelHigh
		}
		return one(Hit{Severity: sev, Detail: fmt.Sprintf("%q can push to %s", s.Name, s.str("repository")), Evidence: map[string]any{"repository": s.str("repository"), "title": s.Name}})
	}}

var ruleWebhookAIDestination = Rule{Meta: Meta{
	ID: "SS-GH-011", Title: "Webhook sends repository events to an AI service or automation platform", Severity: LevelMedium, Platforms: gh,
	Description: "Events (code pushes, PR bodies, issue text) flow to an AI vendor or an automation platform that may feed them to a model. This is data leaving the organization, often set up without review.",
	Remediation: "Confirm the destination is approved and covered by a data-processing agreement; otherwise delete the webhook. Limit events to what the integration needs.",
	References:  []string{docsWebhooks, owaspNHI + "3-vulnerable-third-party-nhi/"},
	Frameworks:  []string{"NHI3:2025", "T1567"}, Needs: []string{"org_webhooks", "repo_webhooks"}, RiskFactor: "data_egress"},
	Check: func(s *Subject) []Hit {
		if !isAny(s.Kind, "org_webhook", "repo_webhook") || s.AI.Category == "" {
			return nil
		}
		if !s.AI.IsAI && s.AI.Category != "automation" {
			return nil
		}
		return one(Hit{Detail: "to " + s.str("target_host"), Evidence: map[string]any{"target_host": s.str("target_host"), "vendor": s.AI.Vendor, "category": s.AI.Category}})
	}}

var ruleWebhookTLSDisabled = Rule{Meta: Meta{
	ID: "SS-GH-012", Title: "Webhook with TLS certificate verification disabled", Severity: LevelMedium, Platforms: gh,
	Description: "GitHub delivers this webhook without checking the receiver's certificate, so anyone on the path can read or alter the payloads.",
	Remediation: "Enable SSL verification on the webhook and give the receiver a valid certificate.",
	References:  []string{docsWebhooks},
	Frameworks:  []string{"NHI4:2025", "T1557"}, Needs: []string{"org_webhooks", "repo_webhooks"}, RiskFactor: "insecure_transport"},
	Check: func(s *Subject) []Hit {
		if !isAny(s.Kind, "org_webhook", "repo_webhook") || !s.bool("insecure_ssl") {
			return nil
		}
		return one(Hit{Detail: "to " + s.str("target_host"), Evidence: map[string]any{"target_host": s.str("target_host"), "insecure_ssl": true}})
	}}

var ruleWebhookUnsigned = Rule{Meta: Meta{
	ID: "SS-GH-013", Title: "Webhook without a secret", Severity: LevelLow, Platforms: gh,
	Description: "The webhook has no secret, so its receiver cannot tell GitHub's deliveries from forged ones. Receivers that act on events (agents, automations) can be driven by anyone who knows the URL.",
	Remediation: "Set a webhook secret and verify the X-Hub-Signature-256 header in the receiver.",
	References:  []string{"https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries"},
	Frameworks:  []string{"NHI4:2025"}, Needs: []string{"org_webhooks", "repo_webhooks"}, RiskFactor: "unsigned_webhook"},
	Check: func(s *Subject) []Hit {
		if !isAny(s.Kind, "org_webhook", "repo_webhook") || s.Status != "active" {
			return nil
		}
		if set, ok := s.Attributes["secret_set"].(bool); !ok || set {
			return nil
		}
		sev := ""
		if s.AI.IsAI || s.AI.Category == "automation" {
			sev = LevelMedium
		}
		return one(Hit{Severity: sev, Detail: "to " + s.str("target_host"), Evidence: map[string]any{"target_host": s.str("target_host"), "secret_set": false}})
	}}

var ruleSuspendedWithWrite = Rule{Meta: Meta{
	ID: "SS-GH-014", Title: "Suspended app installation still holds write permissions", Severity: LevelLow, Platforms: gh,
	Description: "The installation is suspended but keeps its permissions; unsuspending it (or a mistake in who may) restores write access at once. A suspended integration that nobody misses should be gone.",
	Remediation: "Uninstall the app if it is no longer used, or reduce its permissions before it is unsuspended.",
	References:  []string{docsApps, owaspNHI + "1-improper-offboarding/"},
	Frameworks:  []string{"NHI1:2025"}, Needs: []string{"installations"}, RiskFactor: "dormant_privilege"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "github_app_installation" || s.Status != "suspended" || Rank(s.Privilege.Level) < Rank(LevelMedium) {
			return nil
		}
		return one(Hit{Detail: "suspended with " + s.Privilege.Level + " privilege", Evidence: map[string]any{"suspended_at": s.Attributes["suspended_at"], "privilege": s.Privilege.Level}})
	}}

var ruleAIUnowned = Rule{Meta: Meta{
	ID: "SS-GH-015", Title: "AI agent with no accountable owner", Severity: LevelLow, Platforms: gh,
	Description: "No person or team in the registry owns this AI agent. Nobody reviews its access, answers for what it does, or removes it when it is no longer needed.",
	Remediation: "Name an owning team for the agent in your IAM system (shadowscan's export gives it an identity to attach the owner to) and review its access on a schedule.",
	References:  []string{owaspNHI + "1-improper-offboarding/"},
	Frameworks:  []string{"NHI1:2025"}, Needs: []string{"installations"}, RiskFactor: "no_owner"},
	Check: func(s *Subject) []Hit {
		if !s.AI.IsAI || s.Kind != "github_app_installation" || len(s.Owners) > 0 {
			return nil
		}
		return one(Hit{Detail: "no owner recorded", Evidence: map[string]any{"owners": 0}})
	}}

var ruleCopilotSeatInactive = Rule{Meta: Meta{
	ID: "SS-GH-016", Title: "Copilot seat unused for 90 days", Severity: LevelLow, Platforms: gh,
	Description: "A Copilot seat has had no activity for 90 days or was never used. It costs money and keeps an AI assistant authorized to act for that user.",
	Remediation: "Remove the seat, or assign Copilot through a team so that seats follow team membership.",
	References:  []string{"https://docs.github.com/en/copilot/managing-copilot/managing-github-copilot-in-your-organization/reviewing-activity-related-to-github-copilot-in-your-organization/reviewing-user-activity-data-for-copilot-in-your-organization"},
	Frameworks:  []string{"NHI1:2025"}, Needs: []string{"copilot_seats"}, RiskFactor: "stale"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "copilot_seat" {
			return nil
		}
		d := daysSince(s.Now, s.LastUsedAt)
		switch {
		case d < 0 && daysSince(s.Now, s.CreatedAt) >= staleDays:
			return one(Hit{Detail: "never used", Evidence: map[string]any{"last_activity_at": nil}})
		case d >= staleDays:
			return one(Hit{Detail: fmt.Sprintf("last active %d days ago", int(d)), Evidence: map[string]any{"last_activity_at": s.LastUsedAt.Format(time.RFC3339)}})
		}
		return nil
	}}

var ruleAISecretInActions = Rule{Meta: Meta{
	ID: "SS-GH-017", Title: "AI provider key stored as an Actions secret", Severity: LevelInfo, Platforms: gh,
	Description: "Workflows hold a static AI provider key. This is the right place for it, but it is a long-lived credential of an AI account that security may not know about.",
	Remediation: "Record the owner and the provider account, rotate the key on a schedule, and scope the secret to the repositories that need it.",
	References:  []string{"https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions", docsOIDC},
	Frameworks:  []string{"NHI7:2025"}, Needs: []string{"org_actions_secrets", "repo_actions_secrets"}, RiskFactor: "static_key"},
	Check: func(s *Subject) []Hit {
		if s.Kind != "actions_secret" || !s.AI.IsAI {
			return nil
		}
		return one(Hit{Detail: fmt.Sprintf("%s in %s", s.Name, s.str("scope")), Evidence: map[string]any{"secret": s.Name, "scope": s.str("scope"), "visibility": s.str("visibility")}})
	}}

var ruleAIPATRequest = Rule{Meta: Meta{
	ID: "SS-GH-018", Title: "Pending token request for an AI agent", Severity: LevelInfo, Platforms: gh,
	Description: "Someone asked for a fine-grained PAT that looks like it is meant for an AI agent. It is a signal of demand for an agent that is not yet governed.",
	Remediation: "Before approving, offer the team the vendor's GitHub App or an internal App with least privilege; deny the request if it would grant write access to all repositories.",
	References:  []string{docsFineGrained},
	Frameworks:  []string{"NHI10:2025"}, Needs: []string{"fine_grained_pat_requests"}, RiskFactor: ""},
	Check: func(s *Subject) []Hit {
		if s.Kind != "fine_grained_pat_request" || !s.AI.IsAI {
			return nil
		}
		return one(Hit{Detail: fmt.Sprintf("%q requested", s.Name), Evidence: map[string]any{"token": s.Name, "reason": s.Description}})
	}}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
