package fake

import (
	"embed"

	"github.com/shadowscan/shadowscan/connectors/internal/vendorfs"
)

//go:embed vendor/*.json
var vendorFS embed.FS

// vendorRoutes maps each documented example to the route that serves it.
var vendorRoutes = map[string]string{
	"v1.0_servicePrincipals.json":                                                 "service_principals",
	"v1.0_servicePrincipals_microsoft.graph.agentIdentity.json":                   "agent_identities",
	"v1.0_servicePrincipals_microsoft.graph.agentIdentityBlueprintPrincipal.json": "blueprint_principals",
	"v1.0_servicePrincipals_id_owners.json":                                       "sp_owners",
	"v1.0_servicePrincipals_id_appRoleAssignedTo.json":                            "app_role_assigned_to",
	"v1.0_applications.json":                                                      "applications",
	"v1.0_applications_id_owners.json":                                            "app_owners",
	"v1.0_applications_id_federatedIdentityCredentials.json":                      "app_federated",
	"v1.0_oauth2PermissionGrants.json":                                            "oauth2_grants",
	"v1.0_roleManagement_directory_roleDefinitions.json":                          "role_definitions",
	"v1.0_roleManagement_directory_roleAssignments.json":                          "role_assignments",
	"v1.0_policies_authorizationPolicy.json":                                      "authorization_policy",
	"v1.0_policies_adminConsentRequestPolicy.json":                                "admin_consent_policy",
	"v1.0_identityGovernance_appConsent_appConsentRequests.json":                  "consent_requests",
	"beta_reports_servicePrincipalSignInActivities.json":                          "sp_sign_ins",
	"beta_reports_appCredentialSignInActivities.json":                             "cred_sign_ins",
}

// VendorFile returns one of the vendor's documented example bodies.
func VendorFile(name string) ([]byte, error) { return vendorfs.File(vendorFS, name) }

// VendorFiles lists the embedded examples.
func VendorFiles() []string { return vendorfs.Files(vendorFS) }

// NewVendor starts a fake whose routes answer with the documented examples
// byte for byte. The tenant is otherwise empty.
func NewVendor(opts Options) (*Server, error) {
	s := New(&Tenant{ID: "84841066-274d-4ec0-a5c1-276be684bdd3", Name: "Contoso", Assignments: map[string][]AppRoleAssignment{}, PremiumP1: true, AgentID: true}, opts)
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
