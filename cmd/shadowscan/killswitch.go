package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shadowscan/shadowscan/report"
)

func (a *app) killswitchCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "killswitch AGENT [-o text|json]",
		Short: "Print the ordered steps that cut an agent off everywhere (shadowscan never runs them)",
		Long: `Print the kill-switch plan of an agent (by name, agent id or identity id): for each
foothold, riskiest first, which grant, role, token, installation or secret to
remove, the API call or console path, and what keeps working until tokens expire.
shadowscan only reads tenants: the plan is for you to run.`,
		Example: `  shadowscan killswitch Claude
  shadowscan killswitch agent:product:anthropic-claude -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("output", format, "text", "json"); err != nil {
				return err
			}
			r, err := a.readReport(cmd, "")
			if err != nil {
				return err
			}
			ag := findAgent(r, args[0])
			if ag == nil {
				return fmt.Errorf("no agent named %q: see 'shadowscan agents'", args[0])
			}
			plan := ag.KillSwitch
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"agent": ag.ID, "name": ag.Name, "steps": plan})
			}
			fmt.Fprintf(a.stdout, "Kill switch for %s (%s, risk %d %s), %d footholds:\n", report.Clean(ag.Name), ag.ID, ag.Risk.Score, ag.Risk.Level, len(ag.Footholds))
			if len(plan) == 0 {
				fmt.Fprintln(a.stdout, "  (below medium risk: no plan is computed)")
			}
			for _, st := range plan {
				fmt.Fprintf(a.stdout, "%2d. %s\n", st.Order, report.Clean(st.Action))
				fmt.Fprintf(a.stdout, "    on: %s\n", report.Clean(st.IdentityID))
				if st.API != "" {
					fmt.Fprintf(a.stdout, "    api: %s\n", report.Strip(st.API))
				}
				if st.Console != "" {
					fmt.Fprintf(a.stdout, "    console: %s\n", report.Strip(st.Console))
				}
				if st.KeepsWorking != "" {
					fmt.Fprintf(a.stdout, "    keeps working: %s\n", st.KeepsWorking)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "output", "o", "text", "text or json")
	return cmd
}

func findAgent(r *report.Report, key string) *report.Agent {
	for i := range r.Agents {
		a := &r.Agents[i]
		if a.ID == key || strings.EqualFold(a.Name, key) {
			return a
		}
		for _, f := range a.Footholds {
			if f.IdentityID == key {
				return a
			}
		}
	}
	return nil
}
