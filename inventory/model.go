package inventory

import (
	"fmt"
	"strings"
	"time"
)

// Platforms known to the registry.
const (
	PlatformGitHub = "github"
	PlatformEntra  = "entra"
	PlatformOkta   = "okta"
)

// Scan statuses.
const (
	ScanRunning  = "running"
	ScanComplete = "complete"
	ScanPartial  = "partial"
	ScanFailed   = "failed"
)

// Coverage statuses of one collector in one scan.
const (
	CoverageOK      = "ok"
	CoverageSkipped = "skipped" // missing permission, licence or plan
	CoverageError   = "error"   // started but could not read everything
)

// Grant types.
const (
	GrantDelegated    = "delegated"
	GrantApplication  = "application"
	GrantInstallation = "installation"
	GrantToken        = "token"
	GrantAdminRole    = "admin_role"
)

// Principal statuses.
const (
	PrincipalActive   = "active"
	PrincipalDisabled = "disabled"
	PrincipalDeleted  = "deleted" // gone from the tenant (for GitHub: no longer a member of the org)
	PrincipalUnknown  = "unknown"
)

// Tenant is one SaaS tenant: a GitHub organization, an Entra tenant, an Okta org.
type Tenant struct {
	Platform string
	Key      string // org login, tenant id, org URL
	Name     string
}

// ID is the registry key of the tenant.
func (t Tenant) ID() string { return t.Platform + ":" + t.Key }

// Coverage says whether one collector could read its data in a scan.
type Coverage struct {
	Collector  string `json:"collector"`
	Status     string `json:"status"`
	Reason     string `json:"reason,omitempty"`
	Permission string `json:"permission,omitempty"` // what would fix a skip
}

// Scan is one crawl of one tenant.
type Scan struct {
	ID         int64
	TenantID   string
	Platform   string
	TenantKey  string
	Status     string
	StartedAt  time.Time
	FinishedAt *time.Time
	Errors     []string
	Coverage   []Coverage
}

// Identity is a non-human identity, integration or agent, with what it holds.
// Grants, credentials and owners travel with their identity so that one write
// says everything a scan saw about it.
type Identity struct {
	ID                string // <platform>:<tenant>:<kind>:<native id>; set by the writer when empty
	Kind              string
	NativeID          string
	Name              string
	Description       string
	URL               string // homepage / external URL / webhook target
	Publisher         string
	VerifiedPublisher *bool
	Origin            string // first_party | third_party | internal | unknown
	Status            string // active | disabled | suspended | pending | expired
	CreatedAt         *time.Time
	LastUsedAt        *time.Time
	Collector         string         // which collector produced it (drives removal semantics)
	Attributes        map[string]any // raw evidence, JSON; never a secret value

	Grants      []Grant
	Credentials []Credential
	Owners      []OwnerRef

	// Set when read from the registry.
	TenantID   string
	Platform   string
	TenantKey  string
	FirstSeen  time.Time
	LastSeen   time.Time
	LastScanID int64
}

// Grant is one permission an identity holds on a resource.
type Grant struct {
	Resource   string // e.g. "repositories:all", "Microsoft Graph", "org"
	Permission string // e.g. "contents:write", "Mail.Read"
	Type       string // delegated | application | installation | token | admin_role
	Consent    string // admin | user | "" (n/a)
	OnBehalfOf string // principal id, "all" or ""
	GrantedAt  *time.Time
	Collector  string // "" = the identity's collector
	FirstSeen  time.Time
	LastSeen   time.Time
}

// Key identifies a grant within its identity.
func (g Grant) Key() string {
	return strings.Join([]string{g.Resource, g.Permission, g.Type, g.OnBehalfOf}, "|")
}

// Credential is a secret, key or token an identity authenticates with. Only a
// hint (at most the last 4 characters) is ever kept, never the value.
type Credential struct {
	Type       string // client_secret, certificate, federated, api_token, pat, deploy_key, leaked_key, ...
	ID         string
	Hint       string
	CreatedAt  *time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	Collector  string // "" = the identity's collector
	FirstSeen  time.Time
	LastSeen   time.Time
}

// OwnerRef links an identity to a human or group.
type OwnerRef struct {
	Principal Principal
	Role      string // owner, sponsor, creator, consenting_user, assignee
	Collector string // "" = the identity's collector
}

// Principal is a human, group or team.
type Principal struct {
	ID     string // <platform>:<tenant>:<kind>:<native id>; set by the writer when empty
	Kind   string // user | group | team
	Native string
	Name   string
	Email  string
	Status string
}

// Setting is one tenant-level setting (consent posture, Copilot policy, ...).
type Setting struct {
	Key   string
	Value any
}

// MakeID builds a registry id for an identity or principal.
func MakeID(platform, tenantKey, kind, native string) string {
	return fmt.Sprintf("%s:%s:%s:%s", platform, tenantKey, kind, native)
}

// Hint keeps at most the last 4 characters of a secret, the only part of a
// secret shadowscan ever stores or shows. Short values leave no hint at all,
// since four characters of a six-character secret would give most of it away.
func Hint(secret string) string {
	r := []rune(strings.TrimSpace(secret))
	if len(r) < 12 {
		return ""
	}
	return "…" + string(r[len(r)-4:])
}
