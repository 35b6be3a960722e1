// Package report builds shadowscan's report model from a registry snapshot
// and its analysis, and encodes it: JSON (the versioned contract), a
// self-contained HTML report, CSV and terminal tables. Every string from a
// tenant is treated as hostile: HTML goes through html/template, CSV cells
// are neutralized against formula injection, terminal output loses control
// characters.
package report

import (
	"sort"
	"strings"
	"time"

	"github.com/shadowscan/shadowscan/findings"
	"github.com/shadowscan/shadowscan/inventory"
)

// SchemaVersion of the JSON report. Fields may be added; renaming or
// removing one needs a new version.
const SchemaVersion = "1"

// Report is the whole report, shaped exactly as the JSON contract.
type Report struct {
	SchemaVersion string                 `json:"schema_version"`
	GeneratedAt   string                 `json:"generated_at"`
	Tool          Tool                   `json:"tool"`
	Scans         []Scan                 `json:"scans"`
	Summary       Summary                `json:"summary"`
	Identities    []Identity             `json:"identities"`
	Findings      []Finding              `json:"findings"`
	NotAssessed   []findings.NotAssessed `json:"not_assessed"`
	Agents        []Agent                `json:"agents"`
	// Changes since each tenant's previous scan (empty for a first scan).
	Changes []Change `json:"changes"`
}

// Change is a tenant's diff with the agents it made appear or disappear.
type Change struct {
	*inventory.Diff
	NewAgents     []string `json:"new_agents"`
	RemovedAgents []string `json:"removed_agents"`
}

// Agent is one AI product or internal agent with all its footholds, and
// whether the policy sanctions it.
type Agent struct {
	findings.Agent
	Status             string         `json:"status"` // sanctioned | shadow
	Owner              *string        `json:"owner"`
	ReviewBy           *string        `json:"review_by"`
	FindingsBySeverity map[string]int `json:"findings_by_severity"`
	// KillSwitch is the ordered revocation plan, for agents of medium risk
	// or more. shadowscan never runs it.
	KillSwitch []findings.Step `json:"kill_switch"`
}

// Tool names the producer.
type Tool struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	ScoringVersion string `json:"scoring_version"`
	CatalogVersion string `json:"catalog_version"`
}

// Scan is one tenant's latest finished scan.
type Scan struct {
	ID         int64                `json:"id"`
	Platform   string               `json:"platform"`
	Tenant     string               `json:"tenant"`
	Status     string               `json:"status"`
	StartedAt  *string              `json:"started_at"`
	FinishedAt *string              `json:"finished_at"`
	Errors     []string             `json:"errors"`
	Coverage   []inventory.Coverage `json:"coverage"`

	started time.Time // full precision, for --new-only
}

// Summary counts what matters most.
type Summary struct {
	Identities         int            `json:"identities"`
	AIAgents           int            `json:"ai_agents"`
	FindingsBySeverity map[string]int `json:"findings_by_severity"`
	NotAssessed        int            `json:"not_assessed"`
	Suppressed         int            `json:"suppressed"`
	Agents             int            `json:"agents"`
	AgentsShadow       int            `json:"agents_shadow"`
	AgentsSanctioned   int            `json:"agents_sanctioned"`
	AIByVendor         map[string]int `json:"ai_agents_by_vendor"`
	AIByCategory       map[string]int `json:"ai_agents_by_category"`
}

// AI is the classification block of an identity.
type AI struct {
	IsAI       bool     `json:"is_ai"`
	Vendor     *string  `json:"vendor"`
	Product    *string  `json:"product"`
	Category   *string  `json:"category"`
	Confidence *string  `json:"confidence"`
	Reasons    []string `json:"reasons"`
}

// Owner of an identity.
type Owner struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
	Status string `json:"status"`
	Role   string `json:"role"`
}

// Grant held by an identity.
type Grant struct {
	Resource   string  `json:"resource"`
	Permission string  `json:"permission"`
	Type       string  `json:"type"`
	Consent    *string `json:"consent"`
	OnBehalfOf *string `json:"on_behalf_of"`
	Privilege  string  `json:"privilege"`
	GrantedAt  *string `json:"granted_at"`
}

// Credential of an identity: a hint, never a value.
type Credential struct {
	Type       string  `json:"type"`
	ID         string  `json:"id"`
	Hint       string  `json:"hint"`
	CreatedAt  *string `json:"created_at"`
	ExpiresAt  *string `json:"expires_at"`
	LastUsedAt *string `json:"last_used_at"`
}

// Identity is one non-human identity with its assessment.
type Identity struct {
	ID                string             `json:"id"`
	Platform          string             `json:"platform"`
	Tenant            string             `json:"tenant"`
	Kind              string             `json:"kind"`
	NativeID          string             `json:"native_id"`
	Name              string             `json:"name"`
	Description       string             `json:"description"`
	URL               string             `json:"url"`
	Publisher         string             `json:"publisher"`
	VerifiedPublisher *bool              `json:"verified_publisher"`
	Origin            string             `json:"origin"`
	Status            string             `json:"status"`
	CreatedAt         *string            `json:"created_at"`
	LastUsedAt        *string            `json:"last_used_at"`
	FirstSeen         *string            `json:"first_seen"`
	LastSeen          *string            `json:"last_seen"`
	AI                AI                 `json:"ai"`
	Privilege         findings.Privilege `json:"privilege"`
	Risk              findings.Risk      `json:"risk"`
	Owners            []Owner            `json:"owners"`
	Grants            []Grant            `json:"grants"`
	Credentials       []Credential       `json:"credentials"`
	Attributes        map[string]any     `json:"attributes"`
}

// Finding is one rule violation.
type Finding struct {
	ID          string         `json:"id"`
	RuleID      string         `json:"rule_id"`
	Severity    string         `json:"severity"`
	Title       string         `json:"title"`
	Detail      string         `json:"detail"`
	Description string         `json:"description"`
	IdentityID  string         `json:"identity_id"`
	Identity    string         `json:"identity_name"`
	Platform    string         `json:"platform"`
	Tenant      string         `json:"tenant"`
	Evidence    map[string]any `json:"evidence"`
	Remediation string         `json:"remediation"`
	References  []string       `json:"references"`
	Frameworks  []string       `json:"frameworks"`
	FirstSeen   *string        `json:"first_seen"`
	LastSeen    *string        `json:"last_seen"`
	Suppressed  *Suppression   `json:"suppressed,omitempty"`

	firstSeen time.Time // full precision, for --new-only
}

// Suppression is an accepted risk on a finding, from the policy file.
type Suppression struct {
	Reason  string `json:"reason"`
	By      string `json:"by"`
	Expires string `json:"expires"`
}

// Options for Build.
type Options struct {
	Version     string
	GeneratedAt time.Time
	// FindingTimes are first/last seen of findings from the registry; a
	// finding not in it is new: first and last seen are GeneratedAt.
	FindingTimes map[string]inventory.FindingRecord
	// Policy, if any, sanctions agents and suppresses findings.
	Policy *findings.Policy
	// Changes, from the registry, of each tenant's latest scan.
	Changes []*inventory.Diff
}

func rfc(t *time.Time) *string {
	if t == nil || t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func rfcV(t time.Time) *string { return rfc(&t) }

func strp(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Build assembles the report.
func Build(snap *inventory.Snapshot, res findings.Result, o Options) *Report {
	if o.GeneratedAt.IsZero() {
		o.GeneratedAt = time.Now()
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	r := &Report{SchemaVersion: SchemaVersion, GeneratedAt: *rfcV(o.GeneratedAt),
		Tool:        Tool{Name: "shadowscan", Version: o.Version, ScoringVersion: findings.ScoringVersion(), CatalogVersion: findings.DefaultCatalog().Version},
		Scans:       []Scan{},
		Identities:  make([]Identity, 0, len(res.Identities)),
		Findings:    make([]Finding, 0, len(res.Findings)),
		NotAssessed: nonNil(res.NotAssessed),
		Summary: Summary{FindingsBySeverity: map[string]int{}, AIByVendor: map[string]int{}, AIByCategory: map[string]int{},
			NotAssessed: len(res.NotAssessed)},
	}
	for _, s := range findings.Severities {
		r.Summary.FindingsBySeverity[s] = 0
	}
	for _, sc := range snap.Scans {
		cov := append([]inventory.Coverage{}, sc.Coverage...)
		sort.Slice(cov, func(i, j int) bool { return cov[i].Collector < cov[j].Collector })
		r.Scans = append(r.Scans, Scan{ID: sc.ID, Platform: sc.Platform, Tenant: sc.TenantKey, Status: sc.Status, StartedAt: rfcV(sc.StartedAt),
			FinishedAt: rfc(sc.FinishedAt), Errors: nonNil(sc.Errors), Coverage: cov, started: sc.StartedAt})
	}
	names := map[string]string{}
	for _, a := range res.Identities {
		id := a.Identity
		names[id.ID] = id.Name
		out := Identity{ID: id.ID, Platform: id.Platform, Tenant: id.TenantKey, Kind: id.Kind, NativeID: id.NativeID, Name: id.Name,
			Description: id.Description, URL: id.URL, Publisher: id.Publisher, VerifiedPublisher: id.VerifiedPublisher, Origin: id.Origin, Status: id.Status,
			CreatedAt: rfc(id.CreatedAt), LastUsedAt: rfc(id.LastUsedAt), FirstSeen: rfcV(id.FirstSeen), LastSeen: rfcV(id.LastSeen),
			AI: AI{IsAI: a.AI.IsAI, Reasons: nonNil(a.AI.Reasons)}, Privilege: a.Privilege, Risk: a.Risk,
			Owners: []Owner{}, Grants: []Grant{}, Credentials: []Credential{}, Attributes: id.Attributes}
		if out.Attributes == nil {
			out.Attributes = map[string]any{}
		}
		if a.AI.IsAI {
			out.AI.Vendor, out.AI.Product, out.AI.Category, out.AI.Confidence = strp(a.AI.Vendor), strp(a.AI.Product), strp(a.AI.Category), strp(a.AI.Confidence)
			r.Summary.AIAgents++
			r.Summary.AIByVendor[orUnknown(a.AI.Vendor)]++
			r.Summary.AIByCategory[orUnknown(a.AI.Category)]++
		}
		for _, o := range id.Owners {
			out.Owners = append(out.Owners, Owner{ID: o.Principal.ID, Name: o.Principal.Name, Email: o.Principal.Email, Status: o.Principal.Status, Role: o.Role})
		}
		for gi, g := range id.Grants {
			out.Grants = append(out.Grants, Grant{Resource: g.Resource, Permission: g.Permission, Type: g.Type, Consent: strp(g.Consent),
				OnBehalfOf: strp(g.OnBehalfOf), Privilege: a.GrantPrivilege[gi], GrantedAt: rfc(g.GrantedAt)})
		}
		for _, c := range id.Credentials {
			out.Credentials = append(out.Credentials, Credential{Type: c.Type, ID: c.ID, Hint: c.Hint, CreatedAt: rfc(c.CreatedAt),
				ExpiresAt: rfc(c.ExpiresAt), LastUsedAt: rfc(c.LastUsedAt)})
		}
		r.Identities = append(r.Identities, out)
	}
	r.Summary.Identities = len(r.Identities)
	sort.SliceStable(r.Identities, func(i, j int) bool {
		a, b := r.Identities[i], r.Identities[j]
		if a.Risk.Score != b.Risk.Score {
			return a.Risk.Score > b.Risk.Score
		}
		return a.ID < b.ID
	})
	for _, f := range res.Findings {
		first, last, firstT := rfcV(o.GeneratedAt), rfcV(o.GeneratedAt), o.GeneratedAt
		if t, ok := o.FindingTimes[f.ID]; ok {
			first, last, firstT = rfcV(t.FirstSeen), rfcV(t.LastSeen), t.FirstSeen
		}
		name, ok := names[f.IdentityID]
		if !ok && strings.HasSuffix(f.IdentityID, ":tenant:settings") {
			name = "tenant settings"
		}
		out := Finding{ID: f.ID, RuleID: f.Rule.ID, Severity: f.Severity, Title: f.Rule.Title, Detail: f.Detail,
			Description: f.Rule.Description, IdentityID: f.IdentityID, Identity: name, Platform: f.Platform, Tenant: f.Tenant,
			Evidence: f.Evidence, Remediation: f.Rule.Remediation, References: nonNil(f.Rule.References), Frameworks: nonNil(f.Rule.Frameworks),
			FirstSeen: first, LastSeen: last, firstSeen: firstT}
		if s := o.Policy.SuppressionFor(f, o.GeneratedAt); s != nil {
			out.Suppressed = &Suppression{Reason: s.Reason, By: s.By, Expires: s.Expires}
			r.Summary.Suppressed++
		} else {
			r.Summary.FindingsBySeverity[f.Severity]++
		}
		r.Findings = append(r.Findings, out)
	}
	bySev := map[string]map[string]int{}
	for _, f := range r.Findings {
		if f.Suppressed != nil {
			continue
		}
		if bySev[f.IdentityID] == nil {
			bySev[f.IdentityID] = map[string]int{}
		}
		bySev[f.IdentityID][f.Severity]++
	}
	r.Agents = []Agent{}
	byID := make(map[string]findings.Assessed, len(res.Identities))
	for _, a := range res.Identities {
		byID[a.Identity.ID] = a
	}
	for _, a := range findings.Correlate(res) {
		ag := Agent{Agent: a, Status: "shadow", FindingsBySeverity: map[string]int{}, KillSwitch: []findings.Step{}}
		if findings.Rank(a.Risk.Level) >= findings.Rank(findings.LevelMedium) {
			ag.KillSwitch = findings.Plan(a, byID)
		}
		for _, s := range findings.Severities {
			ag.FindingsBySeverity[s] = 0
		}
		for _, fh := range a.Footholds {
			for s, n := range bySev[fh.IdentityID] {
				ag.FindingsBySeverity[s] += n
			}
		}
		if ap := o.Policy.ApprovalFor(a); ap != nil {
			ag.Status, ag.Owner, ag.ReviewBy = "sanctioned", strp(ap.Owner), strp(ap.ReviewBy)
			r.Summary.AgentsSanctioned++
		} else {
			r.Summary.AgentsShadow++
		}
		r.Agents = append(r.Agents, ag)
	}
	r.Summary.Agents = len(r.Agents)
	r.Changes = []Change{}
	current := map[string]bool{}
	for _, a := range r.Agents {
		current[a.ID] = true
	}
	cat := findings.DefaultCatalog()
	for _, d := range o.Changes {
		c := Change{Diff: d, NewAgents: []string{}, RemovedAgents: []string{}}
		fresh := map[string]bool{}
		for _, x := range d.NewIdentities {
			fresh[x.ID] = true
		}
		for _, a := range r.Agents {
			all := len(a.Footholds) > 0
			for _, f := range a.Footholds {
				all = all && fresh[f.IdentityID]
			}
			if all {
				c.NewAgents = append(c.NewAgents, a.Name)
			}
		}
		gone := map[string]bool{}
		for i := range d.Removed {
			id := &d.Removed[i]
			v := findings.Classify(cat, id)
			key := findings.AgentKey(v, id.Name)
			if key == "" || current["agent:"+key] || gone[key] {
				continue
			}
			gone[key] = true
			name := v.Product
			if name == "" || !strings.HasPrefix(key, "product:") {
				name = id.Name
			}
			c.RemovedAgents = append(c.RemovedAgents, name)
		}
		r.Changes = append(r.Changes, c)
	}
	return r
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// FindingRecords converts an analysis for the registry.
func FindingRecords(res findings.Result) []inventory.FindingRecord {
	out := make([]inventory.FindingRecord, 0, len(res.Findings))
	for _, f := range res.Findings {
		out = append(out, inventory.FindingRecord{ID: f.ID, TenantID: f.TenantID, RuleID: f.Rule.ID, IdentityID: f.IdentityID, Severity: f.Severity, Evidence: f.Evidence})
	}
	return out
}
