package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/shadowscan/shadowscan/report"
)

func (a *app) exportCmd() *cobra.Command {
	var format, out string
	cmd := &cobra.Command{
		Use:   "export --format ocsf|iga-csv|scim|json|csv [--out FILE|DIR]",
		Short: "Export findings and agents for SIEMs and IAM systems",
		Long: `Export the registry's latest view:
  ocsf     findings as OCSF ` + report.OCSFVersion + ` Detection Finding events (class 2004), one JSON per line
  iga-csv  accounts.csv and entitlements.csv for IGA imports (SailPoint, Saviynt): --out is a directory
  scim     agents as SCIM 2.0 Agent resources (IETF agent draft + shadowscan extension), a ListResponse
  json     the JSON report
  csv      identities.csv, grants.csv and findings.csv: --out is a directory
Without --out, ocsf, scim and json go to stdout.`,
		Example: `  shadowscan export --format ocsf > findings.ocsf.jsonl
  shadowscan export --format iga-csv --out iga/
  shadowscan export --format scim --out agents.scim.json --policy policy.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("format", format, "ocsf", "iga-csv", "scim", "json", "csv"); err != nil {
				return err
			}
			if (format == "iga-csv" || format == "csv") && out == "" {
				return usagef("--format %s writes several files: --out DIR is required", format)
			}
			r, err := a.readReport(cmd, "")
			if err != nil {
				return err
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
	return cmd
}
