package findings

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

//go:embed data/catalog.json
var catalogJSON []byte

// Product is one AI product in the catalog.
type Product struct {
	ID         string   `json:"id"`
	Vendor     string   `json:"vendor"`
	Product    string   `json:"product"`
	Category   string   `json:"category"`
	GitHubApps []string `json:"github_apps,omitempty"`
	EntraApps  []string `json:"entra_app_ids,omitempty"`
	EntraPubs  []string `json:"entra_publishers,omitempty"`
	OktaApps   []string `json:"okta_apps,omitempty"`
	Kinds      []string `json:"kinds,omitempty"`
	Names      []string `json:"names,omitempty"`
	Domains    []string `json:"domains,omitempty"`
	KeyWords   []string `json:"key_words,omitempty"`
	// AIOnlyWithEvidence marks general automation platforms (Zapier, n8n):
	// a match alone says "automation", not "AI agent".
	AIOnlyWithEvidence bool `json:"ai_only_with_evidence,omitempty"`

	nameRE []*regexp.Regexp
}

// Catalog is the embedded AI product catalog, indexed for lookups.
type Catalog struct {
	Version  string    `json:"version"`
	Products []Product `json:"products"`

	byApp  map[string]*Product
	byKind map[string]*Product
	byOkta map[string]*Product
}

// LoadCatalog parses a catalog document.
func LoadCatalog(b []byte) (*Catalog, error) {
	var c Catalog
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("AI catalog: %w", err)
	}
	c.byApp, c.byKind, c.byOkta = map[string]*Product{}, map[string]*Product{}, map[string]*Product{}
	seen := map[string]bool{}
	for i := range c.Products {
		p := &c.Products[i]
		if p.ID == "" || p.Vendor == "" || p.Product == "" || p.Category == "" {
			return nil, fmt.Errorf("AI catalog: entry %d needs id, vendor, product and category", i)
		}
		if seen[p.ID] {
			return nil, fmt.Errorf("AI catalog: duplicate id %s", p.ID)
		}
		seen[p.ID] = true
		for _, a := range p.GitHubApps {
			c.byApp[strings.ToLower(a)] = p
		}
		for _, a := range p.OktaApps {
			c.byOkta[strings.ToLower(a)] = p
		}
		for _, k := range p.Kinds {
			c.byKind[k] = p
		}
		for _, n := range p.Names {
			p.nameRE = append(p.nameRE, nameRegexp(n))
		}
	}
	return &c, nil
}

var builtin = func() *Catalog {
	c, err := LoadCatalog(catalogJSON)
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return c
}()

// DefaultCatalog is the built-in catalog.
func DefaultCatalog() *Catalog { return builtin }

// GitHubApp finds a product by GitHub App slug.
func (c *Catalog) GitHubApp(slug string) *Product { return c.byApp[strings.ToLower(slug)] }

// OktaApp finds a product by Okta integration-network app name.
func (c *Catalog) OktaApp(name string) *Product { return c.byOkta[strings.ToLower(name)] }

// Kind finds a product that an identity kind is by definition (Copilot seats).
func (c *Catalog) Kind(kind string) *Product { return c.byKind[kind] }

// Domain finds a product whose domain is host or a parent of it.
func (c *Catalog) Domain(host string) (*Product, string) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "" {
		return nil, ""
	}
	for i := range c.Products {
		for _, d := range c.Products[i].Domains {
			if host == d || strings.HasSuffix(host, "."+d) {
				return &c.Products[i], d
			}
		}
	}
	return nil, ""
}

// Name finds a product named in text (whole words, case-insensitive).
func (c *Catalog) Name(text string) (*Product, string) {
	if text == "" {
		return nil, ""
	}
	for i := range c.Products {
		p := &c.Products[i]
		for j, re := range p.nameRE {
			if re.MatchString(text) {
				return p, p.Names[j]
			}
		}
	}
	return nil, ""
}

// KeyWord finds a product whose key word appears in a secret type or name.
func (c *Catalog) KeyWord(s string) *Product {
	s = strings.ToLower(s)
	for i := range c.Products {
		for _, w := range c.Products[i].KeyWords {
			if strings.Contains(s, w) {
				return &c.Products[i]
			}
		}
	}
	return nil
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// nameRegexp matches a product name as whole words, letting spaces in the
// name stand for any run of separators ("Claude Code" matches "claude-code").
func nameRegexp(name string) *regexp.Regexp {
	parts := strings.Fields(name)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(`(?i)(^|[^a-z0-9])` + strings.Join(parts, `[\s_.\-]*`) + `($|[^a-z0-9])`)
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
