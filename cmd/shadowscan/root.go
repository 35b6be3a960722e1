package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shadowscan/shadowscan/inventory"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

type app struct {
	stdout, stderr io.Writer
	dbPath         string
	policyPath     string
	logLevel       string
	log            *slog.Logger
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	a := &app{stdout: stdout, stderr: stderr}
	defaultDB := os.Getenv("SHADOWSCAN_DB")
	if defaultDB == "" {
		defaultDB = "./shadowscan.db"
	}
	root := &cobra.Command{
		Use:   "shadowscan",
		Short: "Find the AI agents hiding in your SaaS tenants and rate how dangerous each is",
		Long: `shadowscan discovers the non-human identities of your SaaS tenants (GitHub
Apps, tokens and deploy keys; Entra service principals, consents and agent
identities; Okta apps, API tokens and AI agents), records them in a local SQLite
registry with scan history, tells which are AI agents and how risky they are,
and writes reports and exports a security review and an IAM team can use.

Start with the built-in demo (no credentials needed):
  shadowscan demo

Then scan your own tenants ('shadowscan connectors' lists the permissions):
  GITHUB_TOKEN=... shadowscan scan github --org my-org
  ENTRA_ACCESS_TOKEN=... shadowscan scan entra --tenant-id <guid>
  OKTA_API_TOKEN=... shadowscan scan okta --org-url https://my-org.okta.com
  shadowscan agents
  shadowscan report --format html --out report.html`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			var lvl slog.Level
			if err := lvl.UnmarshalText([]byte(a.logLevel)); err != nil {
				return usagef("--log-level %q: use debug, info, warn or error", a.logLevel)
			}
			a.log = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: lvl}))
			return nil
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVar(&a.dbPath, "db", defaultDB, "registry file (env SHADOWSCAN_DB)")
	root.PersistentFlags().StringVar(&a.logLevel, "log-level", "info", "log level on stderr: debug, info, warn, error")
	root.PersistentFlags().StringVar(&a.policyPath, "policy", os.Getenv("SHADOWSCAN_POLICY"), "policy file (YAML): approved agents, suppressions, catalog entries, rule overrides (env SHADOWSCAN_POLICY)")
	root.AddCommand(a.scanCmd(), a.demoCmd(), a.agentsCmd(), a.findingsCmd(), a.reportCmd(), a.connectorsCmd(), a.rulesCmd(), a.killswitchCmd(), a.diffCmd(), a.exportCmd(), a.versionCmd())
	return root
}

func (a *app) openStore(ctx context.Context) (*inventory.Store, error) {
	return inventory.Open(ctx, a.dbPath)
}

// openExisting opens the registry for reading, refusing to create an empty
// one by mistake.
func (a *app) openExisting(ctx context.Context) (*inventory.Store, error) {
	if _, err := os.Stat(a.dbPath); err != nil {
		return nil, fmt.Errorf("no registry at %s: run 'shadowscan scan ...' or 'shadowscan demo' first, or pass --db", a.dbPath)
	}
	return inventory.Open(ctx, a.dbPath)
}

func oneOf(flag, v string, allowed ...string) error {
	for _, x := range allowed {
		if v == x {
			return nil
		}
	}
	return usagef("--%s %q: use one of %s", flag, v, strings.Join(allowed, ", "))
}

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version, report schema, scoring and registry schema versions",
		Example: "  shadowscan version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(a.stdout, "shadowscan %s (report schema %s, scoring %s, registry schema %d)\n", toolVersion(), reportSchema(), scoringVersion(), inventory.SchemaVersion())
			return nil
		},
	}
}
