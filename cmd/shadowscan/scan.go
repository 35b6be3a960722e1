package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shadowscan/shadowscan/connectors"
	"github.com/shadowscan/shadowscan/connectors/github"
)

func (a *app) scanCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Crawl a SaaS tenant into the registry",
		Example: `  GITHUB_TOKEN=ghp_... shadowscan scan github --org acme
  shadowscan --db /var/lib/shadowscan/registry.db scan github --org acme --org acme-labs`,
		Long: "Crawl a SaaS tenant with its vendor's API and record every non-human identity in the registry (--db).\nRun 'shadowscan connectors' to see what each connector reads and the permissions it needs.",
	}
	cmd.AddCommand(a.scanGitHubCmd(), a.scanEntraCmd(), a.scanOktaCmd())
	return cmd
}

func (a *app) scanGitHubCmd() *cobra.Command {
	var (
		orgs                    []string
		apiURL, keyFile, failOn string
		appID, installationID   int64
		concurrency             int
	)
	cmd := &cobra.Command{
		Use:   "github --org ORG [--org ORG2 ...]",
		Short: "Scan GitHub organizations",
		Long: `Scan GitHub organizations: App installations, fine-grained PATs and requests,
SSO credential authorizations, deploy keys, webhooks, Actions secrets and
variables, Copilot seats and leaked AI provider keys.

Auth: GITHUB_TOKEN (a classic PAT of an org owner with read:org, admin:org,
repo, admin:org_hook and manage_billing:copilot), or a GitHub App with
--app-id, --installation-id and --private-key-file. Data a token cannot read
is recorded as a coverage gap with the permission that would fix it; the
scan goes on and exits 0 as "partial".`,
		Example: `  GITHUB_TOKEN=ghp_... shadowscan scan github --org acme
  shadowscan scan github --org acme --org acme-labs --fail-on high
  shadowscan scan github --org acme --app-id 123 --installation-id 456 --private-key-file app.pem
  shadowscan scan github --org acme --api-url https://ghe.example.com/api/v3/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(orgs) == 0 {
				return usagef("scan github: --org is required")
			}
			if err := checkGateFlags(cmd, failOn); err != nil {
				return err
			}
			token := strings.TrimSpace(os.Getenv("GITHUB_TOKEN"))
			var conns []*github.Connector
			for _, org := range orgs {
				c, err := github.New(github.Config{Org: org, APIURL: apiURL, Token: token, AppID: appID, InstallationID: installationID,
					PrivateKeyFile: keyFile, Concurrency: concurrency, Logger: a.log})
				switch {
				case errors.Is(err, github.ErrNoCredentials):
					return err
				case err != nil:
					return usageError{err}
				}
				conns = append(conns, c)
			}
			targets := make([]scanTarget, len(conns))
			for i, c := range conns {
				targets[i] = c
			}
			return a.runScans(cmd, targets, failOn)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&orgs, "org", nil, "organization login (repeat for several)")
	f.StringVar(&apiURL, "api-url", "", "REST API root (default https://api.github.com/; GHES: https://HOST/api/v3/)")
	f.Int64Var(&appID, "app-id", 0, "GitHub App id (App auth instead of GITHUB_TOKEN)")
	f.Int64Var(&installationID, "installation-id", 0, "GitHub App installation id on the org")
	f.StringVar(&keyFile, "private-key-file", "", "GitHub App private key (PEM)")
	f.IntVar(&concurrency, "concurrency", 8, "repositories crawled in parallel")
	addGateFlags(cmd, &failOn)
	return cmd
}

// scanTarget is a connector ready to crawl.
type scanTarget = connectors.Connector

// runScans crawls each target into the registry, then analyzes and records
// findings. One failing target does not stop the others.
func (a *app) runScans(cmd *cobra.Command, targets []scanTarget, failOn string) error {
	newOnly, _ := cmd.Flags().GetBool("new-only")
	ctx := cmd.Context()
	store, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	var failed, tenants []string
	for _, c := range targets {
		tenants = append(tenants, c.Tenant().ID())
		if _, err := a.scanOne(ctx, store, c); err != nil {
			failed = append(failed, err.Error())
			if ctx.Err() != nil {
				break
			}
		}
	}
	if len(failed) == len(targets) {
		return fmt.Errorf("scan failed (the registry keeps what earlier scans recorded): %s", strings.Join(failed, "; "))
	}
	r, err := a.analyze(ctx, store, inventoryFilter(""), tenants)
	if err != nil {
		return err
	}
	a.printSummary(r)
	fmt.Fprintf(a.stderr, "registry: %s — next: 'shadowscan agents' or 'shadowscan report --format html --out report.html'\n", a.dbPath)
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d scans failed: %s", len(failed), len(targets), strings.Join(failed, "; "))
	}
	return gate(r, failOn, newOnly)
}
