package fake

import (
	"embed"

	"github.com/shadowscan/shadowscan/connectors/internal/vendorfs"
)

//go:embed vendor/*.json
var vendorFS embed.FS

// vendorRoutes maps each documented example to the route that serves it.
var vendorRoutes = map[string]string{
	"orgs_org_installations.json":                  "installations",
	"apps_app_slug.json":                           "app",
	"orgs_org_personal_access_tokens.json":         "pats",
	"orgs_org_personal_access_token_requests.json": "pat_requests",
	"orgs_org_credential_authorizations.json":      "credential_authorizations",
	"orgs_org_members.json":                        "members",
	"orgs_org_repos.json":                          "repos",
	"repos_owner_repo_keys.json":                   "repo_keys",
	"repos_owner_repo_hooks.json":                  "repo_hooks",
	"orgs_org_hooks.json":                          "org_hooks",
	"orgs_org_actions_secrets.json":                "org_secrets",
	"orgs_org_actions_variables.json":              "org_variables",
	"orgs_org_copilot_billing.json":                "copilot_billing",
	"orgs_org_copilot_billing_seats.json":          "copilot_seats",
	"orgs_org_secret_scanning_alerts.json":         "secret_scanning",
	"rate_limit.json":                              "rate_limit",
}

// VendorFile returns one of the vendor's documented example bodies.
func VendorFile(name string) ([]byte, error) { return vendorfs.File(vendorFS, name) }

// VendorFiles lists the embedded examples.
func VendorFiles() []string { return vendorfs.Files(vendorFS) }

// NewVendor starts a fake whose routes answer with GitHub's documented
// example responses byte for byte. The org is "octo-org", as in the examples;
// the repository in the examples' repo listing is owned by octocat, so the
// per-repo routes answer for any owner. Routes without an example (and the
// repo-level Actions secrets and variables) serve an empty org.
func NewVendor(opts Options) (*Server, error) {
	org := &Org{Login: "octo-org", ID: 6811672, Name: "Octo Org", GHEC: true, Copilot: true, SecretScanning: true}
	s := New(org, opts)
	for file, route := range vendorRoutes {
		b, err := VendorFile(file)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.SetRaw(route, b)
	}
	// The examples' repository belongs to octocat, not the org.
	org.Repos = []Repo{{Name: "Hello-World", Owner: User{Login: "octocat"}}}
	s.vendorOwner = "octocat"
	return s, nil
}
