package findings

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/shadowscan/shadowscan/inventory"
)

// Foothold is one identity through which an agent reaches a tenant.
type Foothold struct {
	IdentityID string `json:"identity_id"`
	Platform   string `json:"platform"`
	Tenant     string `json:"tenant"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	Privilege  string `json:"privilege"`
	RiskScore  int    `json:"risk_score"`
	Summary    string `json:"summary"`
	Reason     string `json:"reason"` // why it belongs to this agent
}

// Agent is one AI product or internal agent across all its footholds.
type Agent struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Vendor    string     `json:"vendor,omitempty"`
	Product   string     `json:"product,omitempty"`
	ProductID string     `json:"product_id,omitempty"`
	Category  string     `json:"category,omitempty"`
	Risk      Risk       `json:"risk"`
	Footholds []Foothold `json:"footholds"`
}

var nameSuffixes = []string{"blueprint", "integration", "connector", "assistant", "agent", "app", "bot"}

// normName reduces a name to a key that survives the usual decorations
// ("HR Helper (Copilot Studio) blueprint" and "HR Helper (Copilot Studio)").
func normName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	s := b.String()
	for changed := true; changed; {
		changed = false
		for _, suf := range nameSuffixes {
			if len(s) > len(suf)+3 && strings.HasSuffix(s, suf) {
				s, changed = strings.TrimSuffix(s, suf), true
			}
		}
	}
	return s
}

type unionFind struct {
	parent []int
	reason []string
}

func (u *unionFind) find(i int) int {
	for u.parent[i] != i {
		u.parent[i] = u.parent[u.parent[i]]
		i = u.parent[i]
	}
	return i
}

func (u *unionFind) union(a, b int, reason string) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	u.parent[rb] = ra
	if u.reason[b] == "" {
		u.reason[b] = reason
	}
}

// AgentKey is the key an AI identity joins an agent by: its catalog product,
// else its normalized name; "" when it does not make an agent on its own.
func AgentKey(v AIVerdict, name string) string {
	if !v.IsAI || v.Category == "api-key" {
		return ""
	}
	if v.ProductID != "" && v.ProductID != "entra-agent-identity" && v.ProductID != "okta-ai-agent" {
		return "product:" + v.ProductID
	}
	if k := normName(name); len(k) >= 4 {
		return "name:" + k
	}
	return ""
}

// Correlate groups the AI identities of an analysis into agents: the same
// catalog product anywhere, internal agents of the same name, an Entra
// agent identity and its blueprint, an Okta AI agent and its linked app.
// Each foothold keeps the reason it was linked.
func Correlate(res Result) []Agent {
	idx := map[string]int{}
	for i, a := range res.Identities {
		idx[a.Identity.ID] = i
	}
	n := len(res.Identities)
	u := &unionFind{parent: make([]int, n), reason: make([]string, n)}
	for i := range u.parent {
		u.parent[i] = i
	}
	member := make([]bool, n)
	byKey := map[string]int{}
	link := func(i int, key, reason string) {
		if j, ok := byKey[key]; ok {
			u.union(j, i, reason)
		} else {
			byKey[key] = i
		}
	}
	attr := func(i int, k string) string { v, _ := res.Identities[i].Identity.Attributes[k].(string); return v }
	for i, a := range res.Identities {
		// AI provider keys are credentials of an account, not agents.
		if !a.AI.IsAI || a.AI.Category == "api-key" {
			continue
		}
		member[i] = true
		switch key := AgentKey(a.AI, a.Identity.Name); {
		case strings.HasPrefix(key, "product:"):
			link(i, key, "same AI product: "+a.AI.Vendor+" "+a.AI.Product)
		case key != "":
			link(i, key, "same name as another footprint of this agent")
		}
	}
	// Structural links, which may pull in identities that are not AI by
	// themselves (the app an Okta agent acts through).
	apps := map[string]int{}
	blueprints := map[string]int{}
	for i, a := range res.Identities {
		id := a.Identity
		if id.Platform == inventory.PlatformOkta && id.Kind == "okta_app" {
			apps[id.TenantID+"|"+id.NativeID] = i
		}
		if b, _ := id.Attributes["entra_agent_blueprint"].(bool); b {
			blueprints[id.TenantID+"|"+attr(i, "app_id")] = i
		}
	}
	for i, a := range res.Identities {
		id := a.Identity
		if l := attr(i, "linked_app_id"); l != "" {
			if j, ok := apps[id.TenantID+"|"+l]; ok {
				member[j] = true
				u.union(i, j, "the Okta AI agent acts through this app")
			}
		}
		if bp := attr(i, "agent_blueprint_id"); bp != "" {
			if j, ok := blueprints[id.TenantID+"|"+bp]; ok {
				member[j] = true
				u.union(i, j, "the blueprint of this Entra agent identity")
			}
		}
	}
	groups := map[int][]int{}
	for i := 0; i < n; i++ {
		if member[i] {
			r := u.find(i)
			groups[r] = append(groups[r], i)
		}
	}
	var out []Agent
	for root, ids := range groups {
		lead := res.Identities[root]
		for _, i := range ids {
			if res.Identities[i].AI.Confidence == ConfidenceHigh && res.Identities[i].AI.Vendor != "" && lead.AI.Vendor == "" {
				lead = res.Identities[i]
			}
		}
		ag := Agent{Vendor: lead.AI.Vendor, Product: lead.AI.Product, ProductID: lead.AI.ProductID, Category: lead.AI.Category}
		key := ""
		for k, i := range byKey {
			if u.find(i) == root && (key == "" || k < key) {
				key = k
			}
		}
		if key == "" {
			key = "identity:" + lead.Identity.ID
		}
		ag.ID = "agent:" + key
		best := -1
		for _, i := range ids {
			a := res.Identities[i]
			reason := u.reason[i]
			if reason == "" {
				reason = "first footprint of this agent"
			}
			ag.Footholds = append(ag.Footholds, Foothold{IdentityID: a.Identity.ID, Platform: a.Identity.Platform, Tenant: a.Identity.TenantKey,
				Kind: a.Identity.Kind, Name: a.Identity.Name, Privilege: a.Privilege.Level, RiskScore: a.Risk.Score, Summary: footholdSummary(a), Reason: reason})
			if best < 0 || a.Risk.Score > res.Identities[best].Risk.Score {
				best = i
			}
		}
		sort.Slice(ag.Footholds, func(x, y int) bool {
			if ag.Footholds[x].RiskScore != ag.Footholds[y].RiskScore {
				return ag.Footholds[x].RiskScore > ag.Footholds[y].RiskScore
			}
			return ag.Footholds[x].IdentityID < ag.Footholds[y].IdentityID
		})
		ag.Footholds[0].Reason = "riskiest footprint of this agent"
		ag.Risk = res.Identities[best].Risk
		ag.Risk.Factors = append(append([]string{}, ag.Risk.Factors...), fmt.Sprintf("from %s, the riskiest of %d footholds", res.Identities[best].Identity.Name, len(ids)))
		ag.Name = ag.Product
		if ag.Name == "" || ag.ProductID == "entra-agent-identity" || ag.ProductID == "okta-ai-agent" {
			ag.Name = shortestName(res, ids)
		}
		out = append(out, ag)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Risk.Score != out[j].Risk.Score {
			return out[i].Risk.Score > out[j].Risk.Score
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func shortestName(res Result, ids []int) string {
	name := ""
	for _, i := range ids {
		n := res.Identities[i].Identity.Name
		if name == "" || len(n) < len(name) {
			name = n
		}
	}
	return name
}

var kindLabels = map[string]string{
	"github_app_installation": "GitHub App", "fine_grained_pat": "fine-grained PAT", "fine_grained_pat_request": "PAT request",
	"deploy_key": "deploy key", "copilot_seat": "Copilot seat", "leaked_secret": "leaked key", "actions_secret": "Actions secret",
	"actions_variable": "Actions variable", "org_webhook": "org webhook", "repo_webhook": "repo webhook",
	"service_principal": "Entra enterprise app", "agent_identity": "Entra agent identity", "managed_identity": "Entra managed identity",
	"app_registration": "Entra app registration", "app_consent_request": "Entra consent request",
	"okta_app": "Okta app", "okta_api_token": "Okta API token", "okta_ai_agent": "Okta AI agent",
}

// footholdSummary says in a line what this identity lets the agent do.
func footholdSummary(a Assessed) string {
	id := a.Identity
	label := kindLabels[id.Kind]
	if label == "" {
		label = id.Kind
	}
	var top []string
	seen := map[string]bool{}
	users := map[string]bool{}
	allRepos, tenantWide := false, false
	for gi, g := range id.Grants {
		if g.Resource == "repositories:all" {
			allRepos = true
		}
		if g.OnBehalfOf == "all" {
			tenantWide = true
		} else if g.Consent == "user" && g.OnBehalfOf != "" {
			users[g.OnBehalfOf] = true
		}
		if gi < len(a.GrantPrivilege) && Rank(a.GrantPrivilege[gi]) >= Rank(LevelMedium) && !seen[g.Permission] && len(top) < 3 {
			seen[g.Permission] = true
			top = append(top, g.Permission)
		}
	}
	s := label + " in " + id.TenantKey
	if len(top) > 0 {
		s += " with " + strings.Join(top, ", ")
	}
	var breadth []string
	if allRepos {
		breadth = append(breadth, "all repositories")
	}
	if tenantWide {
		breadth = append(breadth, "consented for all users")
	}
	if len(users) > 0 {
		breadth = append(breadth, fmt.Sprintf("consented by %d users", len(users)))
	}
	if len(breadth) > 0 {
		s += " (" + strings.Join(breadth, "; ") + ")"
	}
	return s
}
