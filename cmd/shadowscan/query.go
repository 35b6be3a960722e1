package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/shadowscan/shadowscan/findings"
	"github.com/shadowscan/shadowscan/inventory"
	"github.com/shadowscan/shadowscan/report"
)

func inventoryFilter(platform string) inventory.Filter { return inventory.Filter{Platform: platform} }

// gate applies --fail-on: an error (exit 3) when open findings at or above
// the severity exist, or with newOnly, findings first seen in the tenant's
// latest scan.
func gate(r *report.Report, failOn string, newOnly bool) error {
	if failOn == "" {
		return nil
	}
	n := report.CountGated(r, failOn, newOnly)
	if n == 0 {
		return nil
	}
	return gateError{n: n, severity: failOn, newOnly: newOnly}
}

func addGateFlags(cmd *cobra.Command, failOn *string) {
	cmd.Flags().StringVar(failOn, "fail-on", "", "exit 3 when open findings at or above this severity exist (for CI and scheduled jobs)")
	cmd.Flags().Bool("new-only", false, "with --fail-on: only findings that appeared in the latest scan")
}

func checkGateFlags(cmd *cobra.Command, failOn string) error {
	if failOn != "" && !findings.ValidSeverity(failOn) {
		return usagef("--fail-on %q: use critical, high, medium, low or info", failOn)
	}
	if newOnly, _ := cmd.Flags().GetBool("new-only"); newOnly && failOn == "" {
		return usagef("--new-only goes with --fail-on")
	}
	return nil
}

var platforms = []string{"", inventory.PlatformGitHub, inventory.PlatformEntra, inventory.PlatformOkta}

func (a *app) agentsCmd() *cobra.Command {
	var format, minRisk, platform, status string
	var aiOnly, identities bool
	cmd := &cobra.Command{
		Use:   "agents",
		Short: "List AI agents across platforms (or, with --identities, every identity), riskiest first",
		Long: `List the AI agents of the registry's latest scans. One agent is one AI product or
internal agent with all its footholds: "Claude" is its GitHub App, its Entra
enterprise app and its Okta app together, each link with its reason. With
--policy, agents the policy approves are "sanctioned"; every other is "shadow".

With --identities, list the raw non-human identities instead (--ai keeps only
those classified as AI).`,
		Example: `  shadowscan agents
  shadowscan agents --status shadow --min-risk high
  shadowscan agents --policy policy.yaml -o json | jq '.[] | {name, status, footholds: [.footholds[].summary]}'
  shadowscan agents --identities --ai -o csv > ai-identities.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("output", format, "table", "json", "csv"); err != nil {
				return err
			}
			if minRisk != "" && !findings.ValidSeverity(minRisk) {
				return usagef("--min-risk %q: use critical, high, medium, low or info", minRisk)
			}
			if err := oneOf("platform", platform, platforms...); err != nil {
				return err
			}
			if err := oneOf("status", status, "", "shadow", "sanctioned"); err != nil {
				return err
			}
			if aiOnly && !identities {
				return usagef("--ai goes with --identities (agents are AI by definition)")
			}
			r, err := a.readReport(cmd, "")
			if err != nil {
				return err
			}
			if identities {
				return report.WriteIdentities(a.stdout, format, report.SelectIdentities(r, report.AgentFilter{AIOnly: aiOnly, MinRisk: minRisk, Platform: platform}))
			}
			return report.WriteAgents(a.stdout, format, report.SelectAgents(r, report.AgentSelect{MinRisk: minRisk, Platform: platform, Status: status}))
		},
	}
	cmd.Flags().StringVarP(&format, "output", "o", "table", "output format: table, json, csv")
	cmd.Flags().BoolVar(&identities, "identities", false, "list raw identities instead of agents")
	cmd.Flags().BoolVar(&aiOnly, "ai", false, "with --identities: only identities classified as AI")
	cmd.Flags().StringVar(&minRisk, "min-risk", "", "only agents (identities) at or above this risk level")
	cmd.Flags().StringVar(&platform, "platform", "", "only agents with a foothold on this platform (github, entra, okta)")
	cmd.Flags().StringVar(&status, "status", "", "only shadow or sanctioned agents")
	return cmd
}

func (a *app) findingsCmd() *cobra.Command {
	var format, minSev string
	cmd := &cobra.Command{
		Use:   "findings",
		Short: "List findings, most severe first",
		Example: `  shadowscan findings --min-severity high
  shadowscan findings -o csv > findings.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("output", format, "table", "json", "csv"); err != nil {
				return err
			}
			if minSev != "" && !findings.ValidSeverity(minSev) {
				return usagef("--min-severity %q: use critical, high, medium, low or info", minSev)
			}
			r, err := a.readReport(cmd, "")
			if err != nil {
				return err
			}
			return report.WriteFindings(a.stdout, format, report.SelectFindings(r, minSev))
		},
	}
	cmd.Flags().StringVarP(&format, "output", "o", "table", "output format: table, json, csv")
	cmd.Flags().StringVar(&minSev, "min-severity", "", "only findings at or above this severity")
	return cmd
}

func (a *app) readReport(cmd *cobra.Command, platform string) (*report.Report, error) {
	store, err := a.openExisting(cmd.Context())
	if err != nil {
		return nil, err
	}
	defer store.Close()
	return a.analyze(cmd.Context(), store, inventoryFilter(platform), nil)
}

func (a *app) reportCmd() *cobra.Command {
	var format, out, failOn string
	cmd := &cobra.Command{
		Use:   "report --format html|json [--out FILE] [--fail-on SEVERITY [--new-only]]",
		Short: "Write the findings report (HTML for a security review, JSON for tools)",
		Long: `Write the report of the registry's latest scans. HTML is one self-contained
file (no network requests) for a security review; JSON follows the versioned
schema (schema_version "1") for pipelines. Without --out the report goes to stdout.`,
		Example: `  shadowscan report --format html --out report.html
  shadowscan report --format json | jq .summary`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("format", format, "html", "json"); err != nil {
				return err
			}
			if err := checkGateFlags(cmd, failOn); err != nil {
				return err
			}
			r, err := a.readReport(cmd, "")
			if err != nil {
				return err
			}
			if err := writeReportFile(a, r, format, out); err != nil {
				return err
			}
			newOnly, _ := cmd.Flags().GetBool("new-only")
			return gate(r, failOn, newOnly)
		},
	}
	addGateFlags(cmd, &failOn)
	cmd.Flags().StringVar(&format, "format", "html", "html or json")
	cmd.Flags().StringVar(&out, "out", "", "output file (default stdout)")
	return cmd
}

// writeReportFile writes atomically, so a half-written report never replaces
// a good one.
func writeReportFile(a *app, r *report.Report, format, out string) error {
	write := report.WriteJSON
	if format == "html" {
		write = report.WriteHTML
	}
	if out == "" || out == "-" {
		return write(a.stdout, r)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".shadowscan-report-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp, r); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}

func (a *app) connectorsCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "connectors",
		Short:   "List the connectors, what each collector reads and the permissions it needs",
		Example: "  shadowscan connectors",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, c := range allConnectors() {
				fmt.Fprintf(a.stdout, "%s — %s\n", c.Platform, c.Description)
				for _, au := range c.Auth {
					fmt.Fprintf(a.stdout, "  auth: %s\n", au)
				}
				for _, col := range c.Collectors {
					fmt.Fprintf(a.stdout, "  %-28s %s\n  %-28s needs: %s", col.Name, col.Description, "", joinOr(col.Permissions))
					if col.Plan != "" {
						fmt.Fprintf(a.stdout, "; plan: %s", col.Plan)
					}
					fmt.Fprintln(a.stdout)
				}
			}
			return nil
		},
	}
}

func joinOr(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " | "
		}
		out += x
	}
	return out
}
