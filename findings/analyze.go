package findings

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"time"

	"github.com/shadowscan/shadowscan/inventory"
)

// Assessed is one identity with everything concluded about it.
type Assessed struct {
	Identity  *inventory.Identity
	AI        AIVerdict
	Privilege Privilege
	Risk      Risk
	// GrantPrivilege is the tier of each of Identity.Grants, by index.
	GrantPrivilege []string
}

// Finding is one rule violated by one identity.
type Finding struct {
	ID         string // fingerprint of rule, identity and key
	Rule       *Meta
	Severity   string
	IdentityID string
	Platform   string
	Tenant     string
	TenantID   string
	Detail     string
	Evidence   map[string]any
}

// NotAssessed says a rule could not be evaluated for a tenant because a
// collector it needs did not read its data.
type NotAssessed struct {
	RuleID    string `json:"rule_id"`
	TenantID  string `json:"tenant"`
	Collector string `json:"collector"`
	Reason    string `json:"reason"`
}

// Result is a whole analysis.
type Result struct {
	Identities  []Assessed
	Findings    []Finding
	NotAssessed []NotAssessed
}

// Options tunes an analysis.
type Options struct {
	Now     time.Time // ages are measured from here; default the snapshot time
	Catalog *Catalog  // default DefaultCatalog()
	Rules   []Rule    // default Rules()
	// TenantRules default to TenantRules().
	TenantRules []TenantRule
}

// Fingerprint is a finding's stable id.
func Fingerprint(ruleID, identityID, key string) string {
	h := sha256.Sum256([]byte(ruleID + "\x00" + identityID + "\x00" + key))
	return "ssf-" + hex.EncodeToString(h[:10])
}

// Analyze classifies, rates and checks every identity of the snapshot.
func Analyze(snap *inventory.Snapshot, o Options) Result {
	if o.Now.IsZero() {
		o.Now = snap.TakenAt
	}
	if o.Catalog == nil {
		o.Catalog = DefaultCatalog()
	}
	if o.Rules == nil {
		o.Rules = Rules()
	}
	if o.TenantRules == nil {
		o.TenantRules = TenantRules()
	}
	res := Result{Identities: make([]Assessed, 0, len(snap.Identities))}
	for i := range snap.Identities {
		id := &snap.Identities[i]
		s := &Subject{Identity: id, Now: o.Now}
		s.AI = Classify(o.Catalog, id)
		s.Privilege = RatePrivilege(id)
		factors := map[string]bool{}
		worst := ""
		for ri := range o.Rules {
			r := &o.Rules[ri]
			if !appliesTo(r, id.Platform) {
				continue
			}
			for _, h := range r.Check(s) {
				sev := h.Severity
				if sev == "" {
					sev = r.Severity
				}
				worst = maxLevel(worst, sev)
				if r.RiskFactor != "" {
					factors[r.RiskFactor] = true
				}
				ev := h.Evidence
				if ev == nil {
					ev = map[string]any{}
				}
				res.Findings = append(res.Findings, Finding{ID: Fingerprint(r.ID, id.ID, h.Key), Rule: &r.Meta, Severity: sev, IdentityID: id.ID,
					Platform: id.Platform, Tenant: id.TenantKey, TenantID: id.TenantID, Detail: h.Detail, Evidence: ev})
			}
		}
		gp := make([]string, len(id.Grants))
		for gi, g := range id.Grants {
			gp[gi] = GrantPrivilege(id.Platform, g)
		}
		res.Identities = append(res.Identities, Assessed{Identity: id, AI: s.AI, Privilege: s.Privilege, Risk: scoreRisk(s, factors, worst), GrantPrivilege: gp})
	}
	for _, t := range snap.Tenants {
		ts := &TenantSubject{Tenant: t, Settings: snap.Settings[t.ID()], Now: o.Now}
		for ri := range o.TenantRules {
			r := &o.TenantRules[ri]
			if !appliesTo(&Rule{Meta: r.Meta}, t.Platform) {
				continue
			}
			for _, h := range r.Check(ts) {
				sev := h.Severity
				if sev == "" {
					sev = r.Severity
				}
				idID := TenantIdentityID(t)
				ev := h.Evidence
				if ev == nil {
					ev = map[string]any{}
				}
				res.Findings = append(res.Findings, Finding{ID: Fingerprint(r.ID, idID, h.Key), Rule: &r.Meta, Severity: sev, IdentityID: idID,
					Platform: t.Platform, Tenant: t.Key, TenantID: t.ID(), Detail: h.Detail, Evidence: ev})
			}
		}
	}
	sort.SliceStable(res.Findings, func(i, j int) bool {
		a, b := res.Findings[i], res.Findings[j]
		if Rank(a.Severity) != Rank(b.Severity) {
			return Rank(a.Severity) > Rank(b.Severity)
		}
		if a.Rule.ID != b.Rule.ID {
			return a.Rule.ID < b.Rule.ID
		}
		return a.ID < b.ID
	})
	all := append([]Rule(nil), o.Rules...)
	for _, r := range o.TenantRules {
		all = append(all, Rule{Meta: r.Meta})
	}
	res.NotAssessed = notAssessed(snap, all)
	return res
}

func appliesTo(r *Rule, platform string) bool {
	if len(r.Platforms) == 0 {
		return true
	}
	for _, p := range r.Platforms {
		if p == platform {
			return true
		}
	}
	return false
}

// notAssessed lists, per tenant, the rules whose needed collectors did not
// report ok in the tenant's latest scan.
func notAssessed(snap *inventory.Snapshot, rules []Rule) []NotAssessed {
	var out []NotAssessed
	for _, t := range snap.Tenants {
		for ri := range rules {
			r := &rules[ri]
			if !appliesTo(r, t.Platform) {
				continue
			}
			for _, col := range r.Needs {
				c, ok := snap.Coverage(t.ID(), col)
				switch {
				case !ok:
					out = append(out, NotAssessed{RuleID: r.ID, TenantID: t.ID(), Collector: col, Reason: "no finished scan has read this data"})
				case c.Status != inventory.CoverageOK:
					reason := c.Status + ": " + c.Reason
					if c.Permission != "" {
						reason += " (needs " + c.Permission + ")"
					}
					out = append(out, NotAssessed{RuleID: r.ID, TenantID: t.ID(), Collector: col, Reason: reason})
				}
			}
		}
	}
	return out
}
