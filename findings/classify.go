package findings

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/shadowscan/shadowscan/inventory"
)

// Confidence of an AI verdict.
const (
	ConfidenceHigh   = "high"
	ConfidenceMedium = "medium"
	ConfidenceLow    = "low"
)

// AIVerdict says whether an identity is an AI agent, which, and why.
type AIVerdict struct {
	IsAI       bool     `json:"is_ai"`
	Vendor     string   `json:"vendor,omitempty"`
	Product    string   `json:"product,omitempty"`
	ProductID  string   `json:"product_id,omitempty"`
	Category   string   `json:"category,omitempty"`
	Confidence string   `json:"confidence,omitempty"`
	Reasons    []string `json:"reasons"`
}

var confRank = map[string]int{"": 0, ConfidenceLow: 1, ConfidenceMedium: 2, ConfidenceHigh: 3}

// aiWords are words that, in a name or description, suggest an AI agent.
var aiWords = regexp.MustCompile(`(?i)(^|[^a-z0-9])(ai|llm|llms|gpt(-?[0-9a-z.]+)?|genai|chatbot|copilot|agentic|ai[- ]agent|openai|anthropic|claude|gemini|mistral|machine learning|language model)($|[^a-z0-9])`)

// Classify decides whether id is an AI agent. Evidence is collected from the
// strongest to the weakest; the strongest sets vendor and product, and every
// piece of evidence becomes a reason.
func Classify(c *Catalog, id *inventory.Identity) AIVerdict {
	v := AIVerdict{Reasons: []string{}}
	set := func(p *Product, conf, reason string) {
		v.Reasons = append(v.Reasons, reason)
		if p != nil && p.AIOnlyWithEvidence && conf != ConfidenceHigh {
			// A general automation platform: note it, but it is an AI
			// agent only if other evidence says so.
			if v.Category == "" {
				v.Category = p.Category
			}
			return
		}
		if confRank[conf] > confRank[v.Confidence] {
			v.IsAI, v.Confidence = true, conf
			if p != nil {
				v.Vendor, v.Product, v.ProductID, v.Category = p.Vendor, p.Product, p.ID, p.Category
			}
		}
	}
	str := func(k string) string { s, _ := id.Attributes[k].(string); return s }

	if p := c.Kind(id.Kind); p != nil {
		set(p, ConfidenceHigh, fmt.Sprintf("%s identities are %s by definition", id.Kind, p.Product))
	}
	if b, _ := id.Attributes["entra_agent_blueprint"].(bool); b {
		set(c.Kind("agent_identity"), ConfidenceHigh, "it is a Microsoft Entra Agent ID blueprint: its credentials and permissions are used by its agents")
	}
	if slug := str("app_slug"); slug != "" {
		if p := c.GitHubApp(slug); p != nil {
			set(p, ConfidenceHigh, fmt.Sprintf("GitHub App slug %q is %s %s in the AI catalog", slug, p.Vendor, p.Product))
		}
	}
	if id.Platform == inventory.PlatformOkta {
		if n := str("app_name"); n != "" {
			if p := c.OktaApp(n); p != nil {
				set(p, ConfidenceHigh, fmt.Sprintf("Okta integration %q is %s %s in the AI catalog", n, p.Vendor, p.Product))
			}
		}
		if gts, ok := id.Attributes["grant_types"].([]any); ok {
			for _, gt := range gts {
				if g, _ := gt.(string); strings.Contains(g, "token-exchange") || strings.Contains(g, "jwt-bearer") || strings.Contains(g, "id-jag") {
					set(nil, ConfidenceMedium, fmt.Sprintf("it uses the %s grant, which agents use to act for users", g))
					break
				}
			}
		}
	}
	switch id.Kind {
	case "leaked_secret":
		if st := str("secret_type"); st != "" {
			p := c.KeyWord(st)
			set(p, ConfidenceHigh, fmt.Sprintf("secret scanning found a %s", st))
			if p == nil {
				v.Category = "model-api"
			}
		}
	case "actions_variable", "actions_secret":
		if prov := str("plaintext_ai_key"); prov != "" {
			set(c.KeyWord(prov), ConfidenceHigh, fmt.Sprintf("its value has the format of an %s", prov))
		} else if b, _ := id.Attributes["name_suggests_ai_key"].(bool); b {
			set(c.KeyWord(id.Name), ConfidenceMedium, fmt.Sprintf("its name %q suggests an AI provider key", id.Name))
		}
	}
	if h := hostOf(id.URL); h != "" {
		if p, d := c.Domain(h); p != nil {
			set(p, ConfidenceMedium, fmt.Sprintf("its URL host %s belongs to %s (%s)", h, p.Vendor, d))
		}
	}
	if h := str("target_host"); h != "" && hostOf(id.URL) != h {
		if p, d := c.Domain(h); p != nil {
			set(p, ConfidenceMedium, fmt.Sprintf("it sends events to %s, a %s domain (%s)", h, p.Vendor, d))
		}
	}
	if hosts, ok := id.Attributes["reply_url_hosts"].([]any); ok {
		for _, h := range hosts {
			hs, _ := h.(string)
			if p, d := c.Domain(hs); p != nil {
				set(p, ConfidenceMedium, fmt.Sprintf("it sends sign-ins to %s, a %s domain (%s)", hs, p.Vendor, d))
				break
			}
		}
	}
	if id.Publisher != "" && id.Origin != "internal" {
		if p, n := c.Name(id.Publisher); p != nil {
			set(p, ConfidenceMedium, fmt.Sprintf("its publisher %q matches %s (%s)", id.Publisher, p.Product, n))
		}
	}
	if p, n := c.Name(id.Name); p != nil {
		set(p, ConfidenceMedium, fmt.Sprintf("its name matches %s (%q)", p.Product, n))
	}
	for _, text := range []string{id.Name, id.Description, str("token_name")} {
		if m := aiWords.FindStringSubmatch(text); m != nil {
			set(nil, ConfidenceLow, fmt.Sprintf("AI term %q in its name or description", m[2]))
			break
		}
	}
	// A key or secret is a credential of the vendor's model API, whichever
	// of the vendor's products matched it.
	if v.IsAI && isAny(id.Kind, "leaked_secret", "actions_variable", "actions_secret") {
		v.Category = "api-key"
		if v.Vendor != "" {
			v.Product = v.Vendor + " API key"
		}
	}
	if v.IsAI && v.Category == "" {
		v.Category = "unknown"
	}
	return v
}
