package findings

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Policy is what a team decided: which AI agents are approved (and who owns
// them), which findings are accepted risks until when, extra catalog
// entries, and rule overrides. It extends the built-in defaults; it never
// replaces them.
type Policy struct {
	Approved []Approval              `yaml:"approved"`
	Suppress []Suppression           `yaml:"suppress"`
	Catalog  []Product               `yaml:"catalog"`
	Rules    map[string]RuleOverride `yaml:"rules"`
	file     string
}

// Approval sanctions an agent: by catalog product (id or name), identity
// id, or a glob on the agent's or identity's name.
type Approval struct {
	Product  string `yaml:"product"`
	Identity string `yaml:"identity"`
	Match    string `yaml:"match"`
	Owner    string `yaml:"owner"`
	ReviewBy string `yaml:"review_by"`
	line     int
}

// Suppression accepts a finding (by id), a rule (optionally for one
// identity) or every finding of an identity until it expires; after that
// the findings come back.
type Suppression struct {
	Finding  string `yaml:"finding"`
	Rule     string `yaml:"rule"`
	Identity string `yaml:"identity"`
	Reason   string `yaml:"reason"`
	By       string `yaml:"by"`
	Expires  string `yaml:"expires"`
	expires  time.Time
	line     int
}

// RuleOverride changes a rule's severity or turns it off.
type RuleOverride struct {
	Severity string `yaml:"severity"`
	Disabled bool   `yaml:"disabled"`
}

// ExpiresAt is when the suppression stops hiding its findings.
func (s Suppression) ExpiresAt() time.Time { return s.expires }

// LoadPolicy reads and validates a policy file. Errors name the file, the
// line and what is wrong.
func LoadPolicy(file string) (*Policy, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", file, err)
	}
	return ParsePolicy(file, b)
}

// ParsePolicy validates a policy document; name is used in errors.
func ParsePolicy(name string, b []byte) (*Policy, error) {
	p := &Policy{file: name}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("policy %s: %v", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var doc yaml.Node
	yaml.Unmarshal(b, &doc)
	lines := func(key string) []int {
		if len(doc.Content) == 0 {
			return nil
		}
		m := doc.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				var out []int
				for _, it := range m.Content[i+1].Content {
					out = append(out, it.Line)
				}
				return out
			}
		}
		return nil
	}
	bad := func(line int, format string, a ...any) error {
		return fmt.Errorf("policy %s:%d: %s", name, line, fmt.Sprintf(format, a...))
	}
	al := lines("approved")
	for i := range p.Approved {
		a := &p.Approved[i]
		a.line = at(al, i)
		n := 0
		for _, v := range []string{a.Product, a.Identity, a.Match} {
			if v != "" {
				n++
			}
		}
		if n != 1 {
			return nil, bad(a.line, "approved entry needs exactly one of product, identity or match")
		}
		if a.Owner == "" {
			return nil, bad(a.line, "approved entry needs an owner")
		}
		if a.Match != "" {
			if _, err := path.Match(a.Match, "x"); err != nil {
				return nil, bad(a.line, "match %q is not a valid glob: %v", a.Match, err)
			}
		}
		if a.ReviewBy != "" {
			if _, err := time.Parse("2006-01-02", a.ReviewBy); err != nil {
				return nil, bad(a.line, "review_by %q: use YYYY-MM-DD", a.ReviewBy)
			}
		}
	}
	sl := lines("suppress")
	for i := range p.Suppress {
		s := &p.Suppress[i]
		s.line = at(sl, i)
		if s.Finding == "" && s.Rule == "" && s.Identity == "" {
			return nil, bad(s.line, "suppress entry needs a finding, a rule or an identity")
		}
		if s.Finding != "" && s.Rule != "" {
			return nil, bad(s.line, "suppress entry takes a finding or a rule, not both")
		}
		if s.Finding != "" && s.Identity != "" {
			return nil, bad(s.line, "identity goes with rule, not with finding")
		}
		if s.Reason == "" || s.By == "" || s.Expires == "" {
			return nil, bad(s.line, "suppress entry needs reason, by and expires: an accepted risk has a justification, an owner and an end")
		}
		t, err := time.Parse("2006-01-02", s.Expires)
		if err != nil {
			return nil, bad(s.line, "expires %q: use YYYY-MM-DD", s.Expires)
		}
		s.expires = t.Add(24 * time.Hour) // the whole expiry day is covered
	}
	cl := lines("catalog")
	for i, c := range p.Catalog {
		if c.ID == "" || c.Vendor == "" || c.Product == "" || c.Category == "" {
			return nil, bad(at(cl, i), "catalog entry needs id, vendor, product and category")
		}
	}
	for id, o := range p.Rules {
		if o.Severity != "" && !ValidSeverity(o.Severity) {
			return nil, fmt.Errorf("policy %s: rules.%s: severity %q: use critical, high, medium, low or info", name, id, o.Severity)
		}
		if !knownRule(id) {
			return nil, fmt.Errorf("policy %s: rules.%s: no such rule (see shadowscan rules)", name, id)
		}
	}
	return p, nil
}

func at(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}

func knownRule(id string) bool {
	for _, r := range Rules() {
		if r.ID == id {
			return true
		}
	}
	for _, r := range TenantRules() {
		if r.ID == id {
			return true
		}
	}
	return false
}

// CatalogWith returns the built-in catalog extended by the policy's entries.
func (p *Policy) CatalogWith(base *Catalog) (*Catalog, error) {
	if p == nil || len(p.Catalog) == 0 {
		return base, nil
	}
	merged := struct {
		Version  string    `json:"version"`
		Products []Product `json:"products"`
	}{base.Version + "+policy", append(append([]Product{}, p.Catalog...), base.Products...)}
	// Policy entries come first, so a team's own naming wins on a match.
	seen := map[string]bool{}
	var prods []Product
	for _, pr := range merged.Products {
		if seen[pr.ID] {
			continue
		}
		seen[pr.ID] = true
		pr.nameRE = nil
		prods = append(prods, pr)
	}
	b, err := jsonMarshal(struct {
		Version  string    `json:"version"`
		Products []Product `json:"products"`
	}{merged.Version, prods})
	if err != nil {
		return nil, err
	}
	return LoadCatalog(b)
}

// RulesWith applies the policy's overrides to a rule list.
func (p *Policy) RulesWith(rules []Rule) []Rule {
	if p == nil {
		return rules
	}
	var out []Rule
	for _, r := range rules {
		if o, ok := p.Rules[r.ID]; ok {
			if o.Disabled {
				continue
			}
			if o.Severity != "" {
				r.Severity = o.Severity
				check := r.Check
				sev := o.Severity
				r.Check = func(s *Subject) []Hit {
					hits := check(s)
					for i := range hits {
						hits[i].Severity = sev
					}
					return hits
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// TenantRulesWith applies the overrides to tenant rules.
func (p *Policy) TenantRulesWith(rules []TenantRule) []TenantRule {
	if p == nil {
		return rules
	}
	var out []TenantRule
	for _, r := range rules {
		if o, ok := p.Rules[r.ID]; ok {
			if o.Disabled {
				continue
			}
			if o.Severity != "" {
				r.Severity = o.Severity
				check, sev := r.Check, o.Severity
				r.Check = func(t *TenantSubject) []Hit {
					hits := check(t)
					for i := range hits {
						hits[i].Severity = sev
					}
					return hits
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// SuppressionFor returns the suppression that hides f at now, or nil. An
// expired suppression never hides anything.
func (p *Policy) SuppressionFor(f Finding, now time.Time) *Suppression {
	if p == nil {
		return nil
	}
	for i := range p.Suppress {
		s := &p.Suppress[i]
		if !now.Before(s.expires) {
			continue
		}
		switch {
		case s.Finding != "":
			if s.Finding == f.ID {
				return s
			}
		case s.Rule != "":
			if s.Rule == f.Rule.ID && (s.Identity == "" || s.Identity == f.IdentityID) {
				return s
			}
		case s.Identity == f.IdentityID:
			return s
		}
	}
	return nil
}

// ApprovalFor returns the approval that sanctions an agent, or nil.
func (p *Policy) ApprovalFor(a Agent) *Approval {
	if p == nil {
		return nil
	}
	for i := range p.Approved {
		ap := &p.Approved[i]
		switch {
		case ap.Product != "" && (strings.EqualFold(ap.Product, a.ProductID) || strings.EqualFold(ap.Product, a.Product) || strings.EqualFold(ap.Product, a.Name)):
			return ap
		case ap.Identity != "":
			for _, f := range a.Footholds {
				if f.IdentityID == ap.Identity {
					return ap
				}
			}
		case ap.Match != "":
			pat := strings.ToLower(ap.Match)
			if ok, _ := path.Match(pat, strings.ToLower(a.Name)); ok {
				return ap
			}
			for _, f := range a.Footholds {
				if ok, _ := path.Match(pat, strings.ToLower(f.Name)); ok {
					return ap
				}
			}
		}
	}
	return nil
}
