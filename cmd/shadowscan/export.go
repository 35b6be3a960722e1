package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/shadowscan/shadowscan/report"
)

func (a *app) exportCmd() *cobra.Command {
	var format, out, push string
	cmd := &cobra.Command{
		Use:   "export --format ocsf|iga-csv|scim|json|csv [--out FILE|DIR]",
		Short: "Export findings and agents for SIEMs and IAM systems",
		Long: `Export the registry's latest view:
  ocsf     findings as OCSF ` + report.OCSFVersion + ` Detection Finding events (class 2004), one JSON per line
  iga-csv  accounts.csv and entitlements.csv for IGA imports (SailPoint, Saviynt): --out is a directory
  scim     agents as SCIM 2.0 Agent resources (IETF agent draft + shadowscan extension), a ListResponse
  json     the JSON report
  csv      identities.csv, grants.csv and findings.csv: --out is a directory
Without --out, ocsf, scim and json go to stdout.

With --format scim --push URL, agents are created or replaced on a SCIM 2.0
server (found by externalId, so a second push updates instead of duplicating),
with the bearer token from SHADOWSCAN_SCIM_TOKEN; 429 and 5xx are retried and
each agent's result is printed. The token only travels over https (or plain
http to loopback).`,
		Example: `  shadowscan export --format ocsf > findings.ocsf.jsonl
  shadowscan export --format iga-csv --out iga/
  shadowscan export --format scim --out agents.scim.json --policy policy.yaml
  SHADOWSCAN_SCIM_TOKEN=... shadowscan export --format scim --push https://iga.example.com/scim/v2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("format", format, "ocsf", "iga-csv", "scim", "json", "csv"); err != nil {
				return err
			}
			if (format == "iga-csv" || format == "csv") && out == "" {
				return usagef("--format %s writes several files: --out DIR is required", format)
			}
			if push != "" && format != "scim" {
				return usagef("--push goes with --format scim")
			}
			r, err := a.readReport(cmd, "")
			if err != nil {
				return err
			}
			if push != "" {
				results, err := report.PushSCIM(cmd.Context(), push, os.Getenv("SHADOWSCAN_SCIM_TOKEN"), r)
				if err != nil {
					return err
				}
				failed := 0
				for _, res := range results {
					fmt.Fprintf(a.stdout, "%-8s %s %s %s\n", res.Action, report.Clean(res.ExternalID), res.ID, report.Clean(res.Error))
					if res.Action == "failed" {
						failed++
					}
				}
				if failed > 0 {
					return fmt.Errorf("scim push: %d of %d agents failed", failed, len(results))
				}
				return nil
			}
			switch format {
			case "iga-csv":
				return report.WriteIGA(out, r)
			case "csv":
				return report.WriteCSVDir(out, r)
			}
			w := a.stdout
			var f *os.File
			if out != "" && out != "-" {
				if f, err = os.Create(out); err != nil {
					return fmt.Errorf("export: %w", err)
				}
				defer f.Close()
				w = f
			}
			switch format {
			case "ocsf":
				err = report.WriteOCSF(w, r)
			case "scim":
				err = report.WriteSCIM(w, r)
			default:
				err = report.WriteJSON(w, r)
			}
			if err != nil {
				return err
			}
			if f != nil {
				return f.Close()
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "ocsf, iga-csv, scim, json or csv")
	cmd.Flags().StringVar(&out, "out", "", "output file (ocsf, scim, json) or directory (iga-csv, csv)")
	cmd.Flags().StringVar(&push, "push", "", "with --format scim: SCIM 2.0 base URL to create or update the agents on")
	return cmd
}
