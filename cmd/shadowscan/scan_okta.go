package main

import (
	"errors"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shadowscan/shadowscan/connectors/okta"
	"github.com/shadowscan/shadowscan/findings"
)

func (a *app) scanOktaCmd() *cobra.Command {
	var orgURL, failOn string
	var activityDays, concurrency int
	cmd := &cobra.Command{
		Use:   "okta --org-url URL",
		Short: "Scan an Okta org",
		Long: `Scan an Okta org: app integrations (OAuth service apps with their admin roles and
Okta API scopes, AI assistants and their end-user consents), client secrets and
keys, SSWS API tokens and the admin each one acts as, registered AI agents, the
clientPrivilegesSetting, and last use of OAuth clients from the System Log.

Auth: OKTA_API_TOKEN, an SSWS API token. Create it as a Read-Only Administrator:
a token acts with exactly its creator's admin roles. The System Log bucket is
small (about 120 requests a minute); --activity-days 0 skips it.`,
		Example: `  OKTA_API_TOKEN=00a... shadowscan scan okta --org-url https://acme.okta.com
  shadowscan scan okta --org-url https://acme.okta.com --activity-days 0`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if orgURL == "" {
				return usagef("scan okta: --org-url is required")
			}
			if activityDays < 0 || activityDays > 180 {
				return usagef("--activity-days %d: use 0 (off) to 180", activityDays)
			}
			if failOn != "" && !findings.ValidSeverity(failOn) {
				return usagef("--fail-on %q: use critical, high, medium, low or info", failOn)
			}
			c, err := okta.New(okta.Config{OrgURL: orgURL, Token: strings.TrimSpace(os.Getenv("OKTA_API_TOKEN")), ActivityDays: activityDays,
				Concurrency: concurrency, Logger: a.log})
			switch {
			case errors.Is(err, okta.ErrNoCredentials):
				return err
			case err != nil:
				return usageError{err}
			}
			return a.runScans(cmd, []scanTarget{c}, failOn)
		},
	}
	f := cmd.Flags()
	f.StringVar(&orgURL, "org-url", "", "Okta org URL, such as https://acme.okta.com")
	f.IntVar(&activityDays, "activity-days", 30, "days of System Log to read for last use (0 = off)")
	f.IntVar(&concurrency, "concurrency", 4, "parallel per-app requests")
	f.StringVar(&failOn, "fail-on", "", "exit 1 when findings at or above this severity exist (for CI)")
	return cmd
}
