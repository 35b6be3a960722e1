package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/shadowscan/shadowscan/findings"
	"github.com/shadowscan/shadowscan/inventory"
	"github.com/shadowscan/shadowscan/report"
)

func (a *app) diffCmd() *cobra.Command {
	var from, to int64
	var format, failOn string
	cmd := &cobra.Command{
		Use:   "diff [--from SCAN] [--to SCAN] [-o table|json] [--fail-on SEVERITY [--new-only]]",
		Short: "Show what changed between two scans of a tenant",
		Long: `Show what changed between two finished scans of the same tenant, from the
registry alone: new and removed identities, new grants (a new grant on an
identity that existed before is a scope escalation), new credentials
(ATT&CK T1098.001), owners whose status changed, and findings that appeared,
were resolved or reopened. Without --from/--to: each tenant's latest scan
against its previous one. Scan ids are in the JSON report's "scans".`,
		Example: `  shadowscan diff
  shadowscan diff --to 12 -o json
  shadowscan diff --fail-on high        # exit 3 when a high or critical finding appeared`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("output", format, "table", "json"); err != nil {
				return err
			}
			if err := checkGateFlags(cmd, failOn); err != nil {
				return err
			}
			ctx := cmd.Context()
			store, err := a.openExisting(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			var diffs []*inventory.Diff
			switch {
			case to != 0 || from != 0:
				if to == 0 {
					return usagef("--from needs --to")
				}
				if from == 0 {
					if from, err = store.PreviousScan(ctx, to); err != nil {
						return fmt.Errorf("diff --to %d: %w", to, err)
					}
				}
				d, err := store.Diff(ctx, from, to)
				if err != nil {
					return err
				}
				diffs = append(diffs, d)
			default:
				latest, err := store.LatestScans(ctx)
				if err != nil {
					return err
				}
				for _, id := range sortedValues(latest) {
					prev, err := store.PreviousScan(ctx, id)
					if errors.Is(err, inventory.ErrNoPreviousScan) {
						continue
					}
					if err != nil {
						return err
					}
					d, err := store.Diff(ctx, prev, id)
					if err != nil {
						return err
					}
					diffs = append(diffs, d)
				}
			}
			if diffs == nil {
				diffs = []*inventory.Diff{}
			}
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(map[string]any{"diffs": diffs}); err != nil {
					return err
				}
			} else {
				writeDiffs(a.stdout, diffs)
			}
			if failOn == "" {
				return nil
			}
			n := 0
			for _, d := range diffs {
				for _, f := range d.Findings {
					if (f.Event == "new" || f.Event == "reopened") && findings.Rank(f.Severity) >= findings.Rank(failOn) {
						n++
					}
				}
			}
			if n > 0 {
				return gateError{n: n, severity: failOn, newOnly: true}
			}
			return nil
		},
	}
	cmd.Flags().Int64Var(&from, "from", 0, "earlier scan id (default: the scan before --to)")
	cmd.Flags().Int64Var(&to, "to", 0, "later scan id (default: each tenant's latest)")
	cmd.Flags().StringVarP(&format, "output", "o", "table", "table or json")
	addGateFlags(cmd, &failOn)
	return cmd
}

func sortedValues(m map[string]int64) []int64 {
	var out []int64
	for _, v := range m {
		out = append(out, v)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func writeDiffs(w io.Writer, diffs []*inventory.Diff) {
	if len(diffs) == 0 {
		fmt.Fprintln(w, "No tenant has two finished scans to compare yet.")
	}
	for _, d := range diffs {
		fmt.Fprintf(w, "%s: scan %d -> %d\n", report.Clean(d.TenantID), d.From, d.To)
		if d.Empty() {
			fmt.Fprintln(w, "  no changes")
			continue
		}
		for _, x := range d.NewIdentities {
			fmt.Fprintf(w, "  + identity  %s (%s)\n", report.Clean(x.Name), x.Kind)
		}
		for _, x := range d.RemovedIdentities {
			fmt.Fprintf(w, "  - identity  %s (%s)\n", report.Clean(x.Name), x.Kind)
		}
		for _, g := range d.NewGrants {
			tag := "+ grant    "
			if g.OnExisting {
				tag = "! escalated"
			}
			fmt.Fprintf(w, "  %s %s %s on %s (%s)\n", tag, report.Clean(g.Identity), report.Clean(g.Permission), report.Clean(g.Resource), g.Type)
		}
		for _, c := range d.NewCredentials {
			fmt.Fprintf(w, "  + credential %s %s on %s (T1098.001)\n", c.Type, report.Clean(c.ID), report.Clean(c.Identity))
		}
		for _, o := range d.OwnersChanged {
			fmt.Fprintf(w, "  ~ owner     %s %s -> %s (%d identities)\n", report.Clean(o.Name), o.Old, o.New, len(o.Identities))
		}
		for _, f := range d.Findings {
			fmt.Fprintf(w, "  %s finding   %s %s %s on %s\n", map[string]string{"new": "+", "resolved": "-", "reopened": "!"}[f.Event], f.Event, f.Severity, f.RuleID, report.Clean(f.IdentityID))
		}
	}
}
