package findings

import (
	"time"

	"github.com/shadowscan/shadowscan/inventory"
)

// Meta is what a rule says about itself; it travels with every finding.
type Meta struct {
	ID          string
	Title       string
	Severity    string // default; a hit may raise or lower it
	Description string
	Remediation string
	References  []string
	Frameworks  []string // OWASP NHI Top 10 (2025) and MITRE ATT&CK ids
	Platforms   []string
	Needs       []string // collectors whose data the rule reads
	RiskFactor  string   // the risk factor a hit adds (see data/risk.json)
}

// Subject is one identity with what was concluded about it, as rules see it.
type Subject struct {
	*inventory.Identity
	AI        AIVerdict
	Privilege Privilege
	Now       time.Time
}

// Hit is one violation of a rule by one identity. Key names the specific
// grant or credential, so the finding's fingerprint stays stable.
type Hit struct {
	Key      string
	Severity string // "" = the rule's default
	Detail   string
	Evidence map[string]any
}

// Rule is a pure check over one subject.
type Rule struct {
	Meta
	Check func(s *Subject) []Hit
}

// Rules is the explicit list of rules, in report order. Register a new rule
// by adding it here.
func Rules() []Rule {
	return []Rule{
		ruleAIKeyLeaked,
		ruleAIKeyPlaintext,
		ruleAIWriteAccess,
		ruleAIImpersonation,
		ruleAIAllRepos,
		ruleOwnerLeft,
		ruleBroadClassicToken,
		rulePATLongLived,
		ruleCredentialStale,
		ruleDeployKeyWrite,
		ruleWebhookAIDestination,
		ruleWebhookTLSDisabled,
		ruleWebhookUnsigned,
		ruleSuspendedWithWrite,
		ruleAIUnowned,
		ruleCopilotSeatInactive,
		ruleAISecretInActions,
		ruleAIPATRequest,
		ruleEntraCriticalRole,
		ruleEntraTenantWideConsent,
		ruleEntraReadAllData,
		ruleEntraSPCredential,
		ruleEntraUserConsentedAI,
		ruleEntraUnverifiedPublisher,
		ruleEntraUnowned,
		ruleEntraUnusedPrivileged,
		ruleEntraClientSecret,
		ruleEntraLongLivedSecret,
		ruleEntraManySecrets,
		ruleEntraExpiredSecret,
		ruleOktaServiceAppAdmin,
		ruleOktaTokenOwnerGone,
		ruleOktaTokenImpersonation,
		ruleOktaAgentOwner,
		ruleOktaEndUserAI,
		ruleOktaTokenNoNetwork,
		ruleOktaTokenUnused,
		ruleOktaClientSecret,
		ruleOktaSecretHygiene,
		ruleOktaIdleApp,
	}
}

// TenantSubject is one tenant's settings, as tenant rules see them.
type TenantSubject struct {
	Tenant   inventory.Tenant
	Settings map[string]string // key -> JSON value
	Now      time.Time
}

// TenantRule is a pure check over a tenant's settings. Its findings belong
// to the tenant's settings pseudo-identity (TenantIdentityID).
type TenantRule struct {
	Meta
	Check func(t *TenantSubject) []Hit
}

// TenantRules is the explicit list of tenant rules.
func TenantRules() []TenantRule {
	return []TenantRule{ruleEntraUserConsentAllowed, ruleEntraAdminConsentOff, ruleOktaClientPrivileges}
}

// TenantIdentityID names a tenant's settings in findings.
func TenantIdentityID(t inventory.Tenant) string {
	return inventory.MakeID(t.Platform, t.Key, "tenant", "settings")
}

func (s *Subject) str(k string) string { v, _ := s.Attributes[k].(string); return v }
func (s *Subject) bool(k string) bool  { v, _ := s.Attributes[k].(bool); return v }

func daysSince(now time.Time, t *time.Time) float64 {
	if t == nil {
		return -1
	}
	return now.Sub(*t).Hours() / 24
}

func isAny(kind string, kinds ...string) bool {
	for _, k := range kinds {
		if k == kind {
			return true
		}
	}
	return false
}

func one(h Hit) []Hit { return []Hit{h} }
