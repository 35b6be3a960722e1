package fake

import (
	"embed"

	"github.com/shadowscan/shadowscan/connectors/internal/vendorfs"
)

//go:embed vendor/*.json
var vendorFS embed.FS

var vendorRoutes = map[string]string{
	"api_v1_apps__ResponseExample1.json":                    "apps",
	"api_v1_apps_appId_grants.json":                         "app_grants",
	"api_v1_apps_appId_credentials_secrets.json":            "app_secrets",
	"api_v1_apps_appId_credentials_jwks.json":               "app_jwks",
	"api_v1_apps_appId_users.json":                          "app_users",
	"api_v1_apps_appId_groups.json":                         "app_groups",
	"oauth2_v1_clients_clientId_roles__Standard_roles.json": "client_roles",
	"api_v1_api_tokens.json":                                "api_tokens",
	"api_v1_users_userId_roles__Standard_roles.json":        "user_roles",
	"api_v1_logs__ListLogs.json":                            "logs",
}

// VendorFile returns one of the vendor's documented example bodies.
func VendorFile(name string) ([]byte, error) { return vendorfs.File(vendorFS, name) }

// VendorFiles lists the embedded examples.
func VendorFiles() []string { return vendorfs.Files(vendorFS) }

// NewVendor starts a fake whose routes answer with Okta's documented
// examples byte for byte. Routes without an example serve an empty org.
func NewVendor(opts Options) (*Server, error) {
	s := New(&Org{Domain: "example.okta.com", Extra: map[string]*AppExtra{}, UserRoles: map[string][]map[string]any{}}, opts)
	for file, route := range vendorRoutes {
		b, err := VendorFile(file)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.SetRaw(route, b)
	}
	return s, nil
}
