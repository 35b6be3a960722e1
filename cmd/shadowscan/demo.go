package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/shadowscan/shadowscan/connectors"
	"github.com/shadowscan/shadowscan/connectors/entra"
	entrafake "github.com/shadowscan/shadowscan/connectors/entra/fake"
	"github.com/shadowscan/shadowscan/connectors/github"
	"github.com/shadowscan/shadowscan/connectors/github/fake"
	"github.com/shadowscan/shadowscan/connectors/okta"
	oktafake "github.com/shadowscan/shadowscan/connectors/okta/fake"
	"github.com/shadowscan/shadowscan/connectors/registry"
)

func allConnectors() []connectors.Info { return registry.All() }

func (a *app) demoCmd() *cobra.Command {
	var out string
	var repos int
	cmd := &cobra.Command{
		Use:   "demo [--out DIR]",
		Short: "Scan built-in fake tenants with the real connectors and write a report",
		Long: `Start fake tenants on 127.0.0.1 and scan them with the real connectors into a
fresh registry in DIR, then write DIR/report.html and DIR/report.json:
  - a GitHub organization: a few hundred repositories, a dozen App
    installations mixing AI agents and ordinary apps, PATs, Copilot seats,
    leaked AI keys;
  - a Microsoft Entra ID tenant: a user-consented meeting bot with Mail.Read
    and offline_access, an admin-consented ChatGPT, a Copilot Studio agent
    identity without a sponsor, a third-party app holding
    Directory.ReadWrite.All, secrets that never expire;
  - an Okta org: a service app with Super Admin, an SSWS token created by a
    deactivated admin, AI assistants with end-user consent, a registered AI
    agent without an owner.
No credentials and no network access are needed.`,
		Example: `  shadowscan demo
  shadowscan demo --out /tmp/demo && shadowscan --db /tmp/demo/shadowscan.db agents`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if repos < 1 || repos > 20000 {
				return usagef("--repos %d: use 1 to 20000", repos)
			}
			ctx := cmd.Context()
			if err := os.MkdirAll(out, 0o755); err != nil {
				return fmt.Errorf("demo output %s: %w", out, err)
			}
			a.dbPath = filepath.Join(out, "shadowscan.db")
			for _, suffix := range []string{"", "-wal", "-shm"} {
				if err := os.Remove(a.dbPath + suffix); err != nil && !os.IsNotExist(err) {
					return fmt.Errorf("demo: reset %s: %w", a.dbPath, err)
				}
			}
			srv := fake.New(fake.Generate(fake.GenOptions{Repos: repos, Seed: 42}), fake.Options{Token: "demo-token"})
			defer srv.Close()
			a.log.Info("fake GitHub organization started", "org", srv.Org.Login, "api", srv.APIURL(), "repositories", repos)
			graph := entrafake.New(entrafake.Generate(entrafake.GenOptions{Seed: 42}), entrafake.Options{Token: "demo-token"})
			defer graph.Close()
			a.log.Info("fake Microsoft Graph started", "tenant", graph.Tenant.ID, "graph", graph.GraphURL())
			oktaSrv := oktafake.New(oktafake.Generate(oktafake.GenOptions{Seed: 42}), oktafake.Options{Token: "demo-token"})
			defer oktaSrv.Close()
			a.log.Info("fake Okta org started", "org", oktaSrv.OrgURL())
			store, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			gh, err := github.New(github.Config{Org: srv.Org.Login, APIURL: srv.APIURL(), Token: "demo-token", Logger: a.log})
			if err != nil {
				return err
			}
			en, err := entra.New(entra.Config{TenantID: graph.Tenant.ID, GraphURL: graph.GraphURL(), AccessToken: "demo-token", Logger: a.log})
			if err != nil {
				return err
			}
			ok, err := okta.New(okta.Config{OrgURL: oktaSrv.OrgURL(), Token: "demo-token", ActivityDays: 30, Logger: a.log})
			if err != nil {
				return err
			}
			var tenants []string
			for _, c := range []connectors.Connector{gh, en, ok} {
				if _, err := a.scanOne(ctx, store, c); err != nil {
					return err
				}
				tenants = append(tenants, c.Tenant().ID())
			}
			r, err := a.analyze(ctx, store, inventoryFilter(""), tenants)
			if err != nil {
				return err
			}
			htmlPath, jsonPath := filepath.Join(out, "report.html"), filepath.Join(out, "report.json")
			if err := writeReportFile(a, r, "html", htmlPath); err != nil {
				return err
			}
			if err := writeReportFile(a, r, "json", jsonPath); err != nil {
				return err
			}
			a.printSummary(r)
			fmt.Fprintf(a.stdout, "%s\n%s\n%s\n", htmlPath, jsonPath, a.dbPath)
			fmt.Fprintf(a.stderr, "Open %s in a browser, or try: shadowscan --db %s agents\n", htmlPath, a.dbPath)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "shadowscan-demo", "directory for the registry and the reports")
	cmd.Flags().IntVar(&repos, "repos", 300, "repositories in the fake organization")
	return cmd
}
