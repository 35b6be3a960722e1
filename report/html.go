package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/shadowscan/shadowscan/findings"
	"github.com/shadowscan/shadowscan/templates"
)

var htmlTmpl = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"clean":   cleanHTML,
	"deref":   deref,
	"anchor":  anchor,
	"sevrank": func(s string) int { return riskRank[s] },
	"facet":   facetValue,
	"first":   func(n int, s []findings.Foothold) []findings.Foothold { return s[:min(n, len(s))] },
	"firstF":  func(n int, s []Finding) []Finding { return s[:min(n, len(s))] },
	"firstS":  func(n int, s []findings.Step) []findings.Step { return s[:min(n, len(s))] },
	"more":    func(n, total int) int { return max(total-n, 0) },
	"firstG":  func(n int, s []Grant) []Grant { return s[:min(n, len(s))] },
}).ParseFS(templates.FS, "report.html.tmpl"))

// cleanHTML strips control characters (html/template escapes the rest).
func cleanHTML(s string) string {
	out := []rune{}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

// anchor turns an id into a safe HTML id.
func anchor(id string) string {
	h := sha256.Sum256([]byte(id))
	return "i-" + hex.EncodeToString(h[:8])
}

type gap struct{ Tenant, Collector, Status, Reason, Permission string }

type vendorBar struct {
	Name                          string
	Count, Y, BarY, Width, LabelX int
}

type ruleFired struct {
	ID, Title, Severity, Description, Remediation string
	References                                    []string
	Count                                         int
}

type share struct {
	Label string
	N, Of int
	Pct   int
}

type fwCount struct {
	ID string
	N  int
}

type htmlView struct {
	Shares            []share
	Top               []Agent
	Frameworks        []fwCount
	AgentFindings     map[string][]Finding // agent id -> its open findings
	Owned             map[string]bool      // agent id -> has an active owner
	RulesFired        []ruleFired
	ByID              map[string]Identity
	Report            *Report
	Severities        []string
	Agents            []Identity
	Gaps              []gap
	Vendors           []vendorBar
	VendorChartHeight int
}

// WriteHTML writes the self-contained HTML report.
func WriteHTML(w io.Writer, r *Report) error {
	v := htmlView{Report: r, Severities: []string{"critical", "high", "medium", "low", "info"}}
	for _, id := range r.Identities {
		if id.AI.IsAI {
			v.Agents = append(v.Agents, id)
		}
	}
	for _, sc := range r.Scans {
		for _, c := range sc.Coverage {
			if c.Status != "ok" {
				v.Gaps = append(v.Gaps, gap{sc.Platform + ":" + sc.Tenant, c.Collector, c.Status, c.Reason, c.Permission})
			}
		}
	}
	type kv struct {
		k string
		n int
	}
	var vs []kv
	maxN := 0
	for k, n := range r.Summary.AIByVendor {
		vs = append(vs, kv{k, n})
		maxN = max(maxN, n)
	}
	sort.Slice(vs, func(i, j int) bool {
		if vs[i].n != vs[j].n {
			return vs[i].n > vs[j].n
		}
		return vs[i].k < vs[j].k
	})
	for i, e := range vs {
		width := 0
		if maxN > 0 {
			width = max(2, e.n*400/maxN)
		}
		name := cleanHTML(e.k)
		if len([]rune(name)) > 26 {
			name = string([]rune(name)[:25]) + "…"
		}
		v.Vendors = append(v.Vendors, vendorBar{Name: name, Count: e.n, Y: 16 + i*20, BarY: 5 + i*20, Width: width, LabelX: 176 + width})
	}
	v.VendorChartHeight = 20*len(v.Vendors) + 8
	v.summarize()
	if err := htmlTmpl.Execute(w, v); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}

func hasFactor(id Identity, names ...string) bool {
	for _, f := range id.Risk.Factors {
		for _, n := range names {
			if strings.HasPrefix(f, n+" ") {
				return true
			}
		}
	}
	return false
}

// summarize computes the executive summary: shares of agents without an
// accountable owner, with long-lived secrets, with tenant-wide reach; the
// riskiest agents; findings per framework.
func (v *htmlView) summarize() {
	r := v.Report
	ids := map[string]Identity{}
	for _, id := range r.Identities {
		ids[id.ID] = id
	}
	v.ByID = ids
	var noOwner, longLived, wide int
	v.AgentFindings = map[string][]Finding{}
	v.Owned = map[string]bool{}
	byIdentity := map[string][]Finding{}
	for _, f := range r.Findings {
		if f.Suppressed == nil {
			byIdentity[f.IdentityID] = append(byIdentity[f.IdentityID], f)
		}
	}
	for _, a := range r.Agents {
		owned := a.Owner != nil
		ll, wd := false, false
		for _, fh := range a.Footholds {
			id := ids[fh.IdentityID]
			for _, o := range id.Owners {
				if (o.Role == "owner" || o.Role == "sponsor" || o.Role == "creator") && o.Status == "active" {
					owned = true
				}
			}
			ll = ll || hasFactor(id, "long_lived_credential", "static_key", "leaked_key", "plaintext_key")
			wd = wd || hasFactor(id, "all_repositories", "tenant_wide_consent")
			for _, g := range id.Grants {
				wd = wd || g.Resource == "repositories:all" || deref(g.OnBehalfOf) == "all"
			}
			v.AgentFindings[a.ID] = append(v.AgentFindings[a.ID], byIdentity[fh.IdentityID]...)
		}
		if !owned {
			noOwner++
		}
		v.Owned[a.ID] = owned
		if ll {
			longLived++
		}
		if wd {
			wide++
		}
	}
	n := len(r.Agents)
	pct := func(k int) int {
		if n == 0 {
			return 0
		}
		return k * 100 / n
	}
	v.Shares = []share{
		{"have no active owner", noOwner, n, pct(noOwner)},
		{"hold long-lived or exposed secrets", longLived, n, pct(longLived)},
		{"reach the whole tenant or all repositories", wide, n, pct(wide)},
	}
	for i := 0; i < len(r.Agents) && i < 5; i++ {
		v.Top = append(v.Top, r.Agents[i])
	}
	idx := map[string]int{}
	for _, f := range r.Findings {
		i, ok := idx[f.RuleID]
		if !ok {
			i = len(v.RulesFired)
			idx[f.RuleID] = i
			v.RulesFired = append(v.RulesFired, ruleFired{ID: f.RuleID, Title: f.Title, Severity: f.Severity, Description: f.Description, Remediation: f.Remediation, References: f.References})
		}
		v.RulesFired[i].Count++
	}
	sort.Slice(v.RulesFired, func(i, j int) bool { return v.RulesFired[i].ID < v.RulesFired[j].ID })
	counts := map[string]int{}
	for _, f := range r.Findings {
		if f.Suppressed != nil {
			continue
		}
		for _, fw := range f.Frameworks {
			counts[fw]++
		}
	}
	for id, c := range counts {
		v.Frameworks = append(v.Frameworks, fwCount{id, c})
	}
	sort.Slice(v.Frameworks, func(i, j int) bool { return v.Frameworks[i].ID < v.Frameworks[j].ID })
}

// facetValue makes a value usable as one space-separated facet token.
func facetValue(s string) string {
	s = strings.Join(strings.Fields(cleanHTML(s)), "_")
	if s == "" {
		return "unknown"
	}
	return s
}
