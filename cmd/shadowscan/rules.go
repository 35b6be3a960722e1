package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/shadowscan/shadowscan/findings"
)

type ruleDoc struct {
	ID          string   `json:"id"`
	Severity    string   `json:"severity"`
	Title       string   `json:"title"`
	Platforms   []string `json:"platforms"`
	Scope       string   `json:"scope"` // identity | tenant
	Frameworks  []string `json:"frameworks"`
	Needs       []string `json:"needs"`
	RiskFactor  string   `json:"risk_factor,omitempty"`
	Description string   `json:"description"`
	Remediation string   `json:"remediation"`
	References  []string `json:"references"`
}

func allRuleDocs() []ruleDoc {
	var out []ruleDoc
	add := func(m findings.Meta, scope string) {
		out = append(out, ruleDoc{ID: m.ID, Severity: m.Severity, Title: m.Title, Platforms: m.Platforms, Scope: scope, Frameworks: m.Frameworks,
			Needs: m.Needs, RiskFactor: m.RiskFactor, Description: m.Description, Remediation: m.Remediation, References: m.References})
	}
	for _, r := range findings.Rules() {
		add(r.Meta, "identity")
	}
	for _, r := range findings.TenantRules() {
		add(r.Meta, "tenant")
	}
	return out
}

func (a *app) rulesCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules [-o table|json]",
		Short: "List every rule: id, severity, frameworks and the data (collectors) it needs",
		Long: `List every rule with its id, default severity, the platforms it applies to, its
OWASP NHI Top 10 (2025) and MITRE ATT&CK ids, and the collectors whose data it
reads. When a collector could not read its data in a tenant's latest scan, the
rule is reported as "not assessed" for that tenant, never as passed.`,
		Example: `  shadowscan rules
  shadowscan rules -o json | jq '.rules[] | select(.severity=="critical") | .id'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("output", format, "table", "json"); err != nil {
				return err
			}
			docs := allRuleDocs()
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"scoring_version": findings.ScoringVersion(), "rules": docs})
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tPLATFORM\tTITLE\tFRAMEWORKS\tNEEDS")
			for _, d := range docs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Severity, strings.Join(d.Platforms, ","), d.Title, strings.Join(d.Frameworks, " "), strings.Join(d.Needs, ","))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVarP(&format, "output", "o", "table", "table or json")
	return cmd
}
