package fake

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Well-known ids.
const (
	MicrosoftTenant = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
	GraphAppID      = "00000003-0000-0000-c000-000000000000"
)

// graphRoles are Microsoft Graph application permissions with their
// published app role ids.
var graphRoles = []AppRole{
	{ID: "810c84a8-4a9e-49e6-bf7d-12d183f40d01", Value: "Mail.Read"},
	{ID: "e2a3a72e-5f79-4c64-b1b1-878b674786c9", Value: "Mail.ReadWrite"},
	{ID: "b633e1c5-b582-4048-a93e-9f11b44c7e96", Value: "Mail.Send"},
	{ID: "75359482-378d-4052-8f01-80520e7db3cd", Value: "Files.ReadWrite.All"},
	{ID: "01d4889c-1287-42c6-ac1f-5d1e02578ef6", Value: "Files.Read.All"},
	{ID: "a82116e5-55eb-4c41-a434-62fe8a61c773", Value: "Sites.FullControl.All"},
	{ID: "19dbc75e-c2e2-444c-a770-ec69d8559fc7", Value: "Directory.ReadWrite.All"},
	{ID: "7ab1d382-f21e-4acd-a863-ba3e13f7da61", Value: "Directory.Read.All"},
	{ID: "df021288-bdef-4463-88db-98f22de89214", Value: "User.Read.All"},
	{ID: "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", Value: "Application.ReadWrite.All"},
	{ID: "06b708a9-e830-4db3-a914-8e69da51d44f", Value: "AppRoleAssignment.ReadWrite.All"},
	{ID: "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8", Value: "RoleManagement.ReadWrite.Directory"},
	{ID: "798ee544-9d2d-430c-a058-570e29e34338", Value: "Calendars.Read"},
	{ID: "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", Value: "Application.Read.All"},
}

// Directory roles with their template ids.
var roleDefs = []RoleDefinition{
	{ID: "62e90394-69f5-4237-9190-012177145e10", DisplayName: "Global Administrator"},
	{ID: "e8611ab8-c189-46e8-94e1-60213ab1f814", DisplayName: "Privileged Role Administrator"},
	{ID: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", DisplayName: "Application Administrator"},
	{ID: "158c047a-c907-4556-b7ef-446551a6b5f7", DisplayName: "Cloud Application Administrator"},
	{ID: "fe930be7-5e62-47db-91af-98c3a49a38b1", DisplayName: "User Administrator"},
	{ID: "29232cdf-9323-42fd-ade2-1d097af3e4de", DisplayName: "Exchange Administrator"},
	{ID: "729827e3-9c14-49f7-bb1b-9608f156bbb8", DisplayName: "Helpdesk Administrator"},
	{ID: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", DisplayName: "Directory Readers"},
}

// GenOptions sizes a generated tenant.
type GenOptions struct {
	TenantID string
	Seed     uint64
	Now      time.Time
	Users    int // default 200
	// Extra third-party service principals, delegated grants (spread over
	// them) and app role assignments, for benchmarks.
	ExtraServicePrincipals int
	ExtraGrants            int
	ExtraAssignments       int
}

func guid(r *rand.Rand) string {
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", r.Uint32(), r.Uint32()&0xffff, 0x4000|r.Uint32()&0x0fff, 0x8000|r.Uint32()&0x3fff, r.Uint64()&0xffffffffffff)
}

func sp(s string) *string { return &s }

// Generate builds a tenant with realistic shadow AI: a user-consented meeting
// bot with Mail.Read and offline_access, an admin-consented ChatGPT
// connector, an internal Copilot Studio agent identity without a sponsor, a
// third-party app holding Directory.ReadWrite.All, secrets without expiry,
// a credential added on a third-party service principal, and ordinary apps.
func Generate(o GenOptions) *Tenant {
	if o.TenantID == "" {
		o.TenantID = "7f3c2a1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b"
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Users == 0 {
		o.Users = 200
	}
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0xe17a))
	ago := func(d int) string {
		return o.Now.Add(-time.Duration(d) * 24 * time.Hour).UTC().Format("2006-01-02T15:04:05Z")
	}
	in := func(d int) *string {
		s := o.Now.Add(time.Duration(d) * 24 * time.Hour).UTC().Format("2006-01-02T15:04:05Z")
		return &s
	}
	t := &Tenant{ID: o.TenantID, Name: "Contoso", Assignments: map[string][]AppRoleAssignment{}, PremiumP1: true, AgentID: true, RoleDefinitions: roleDefs}
	for i := 0; i < o.Users; i++ {
		name := fmt.Sprintf("user%03d", i)
		t.Users = append(t.Users, User{ODataType: "#microsoft.graph.user", ID: guid(r), DisplayName: strings.ToUpper(name[:1]) + name[1:],
			UserPrincipalName: name + "@contoso.example", Mail: name + "@contoso.example", AccountEnabled: i%17 != 5})
	}
	user := func(i int) string { return t.Users[i%len(t.Users)].ID }
	disabledUser := t.Users[5].ID

	graph := ServicePrincipal{ID: guid(r), AppID: GraphAppID, DisplayName: "Microsoft Graph", AppOwnerOrganizationID: sp(MicrosoftTenant),
		ServicePrincipalType: "Application", AccountEnabled: true, Tags: []string{}, ReplyURLs: []string{}, AppRoles: nil, SignInAudience: "AzureADMultipleOrgs"}
	for _, ar := range graphRoles {
		ar.DisplayName, ar.AllowedMemberTypes, ar.IsEnabled = ar.Value, []string{"Application"}, true
		graph.AppRoles = append(graph.AppRoles, ar)
	}
	roleID := map[string]string{}
	for _, ar := range graphRoles {
		roleID[ar.Value] = ar.ID
	}
	t.ServicePrincipals = append(t.ServicePrincipals, graph)

	type app struct {
		name, publisher, replyHost string
		verified                   bool
		owner                      string // "" third party; "tenant" internal
		spType                     string
		delegated                  string // scopes
		allPrincipals              bool
		users                      int
		appRoles                   []string
		spSecret                   bool
		roles                      []string
		lastSignInDays             int // -1 never
	}
	apps := []app{
		{"Fireflies.ai Notetaker", "Fireflies.AI Corp", "app.fireflies.ai", true, "", "Application", "User.Read Mail.Read Calendars.Read offline_access", false, 37, nil, false, nil, 2},
		{"ChatGPT", "OpenAI", "chatgpt.com", true, "", "Application", "User.Read Files.Read.All Sites.Read.All offline_access", true, 0, nil, false, nil, 1},
		{"Claude", "Anthropic", "claude.ai", true, "", "Application", "User.Read Files.Read.All offline_access", false, 12, nil, false, nil, 4},
		{"Otter.ai", "Otter.ai", "otter.ai", false, "", "Application", "User.Read Mail.Read Calendars.ReadWrite offline_access", false, 9, nil, false, nil, 140},
		{"Read AI Meeting Notes", "Read AI", "app.read.ai", true, "", "Application", "User.Read Mail.ReadWrite Calendars.Read offline_access", false, 5, nil, false, nil, 20},
		{"AI Meeting Summarizer Pro", "Summarizer Labs", "summarizer-pro.example", false, "", "Application", "", false, 0, []string{"Directory.ReadWrite.All", "Mail.Read"}, false, nil, 3},
		{"acme-ai-orchestrator", "Contoso", "orchestrator.contoso.example", false, "tenant", "Application", "", false, 0, []string{"Mail.Read", "Files.ReadWrite.All"}, false, []string{"Application Administrator"}, 1},
		{"ci-deployer", "Contoso", "ci.contoso.example", false, "tenant", "Application", "", false, 0, []string{"Application.Read.All"}, false, nil, 1},
		{"Zoom", "Zoom Video Communications, Inc.", "zoom.us", true, "", "Application", "User.Read Calendars.ReadWrite", false, 60, nil, true, nil, 1},
		{"Salesforce", "Salesforce.com", "login.salesforce.com", true, "", "Application", "User.Read", true, 0, nil, false, nil, 1},
		{"mi-data-pipeline", "", "", false, "tenant", "ManagedIdentity", "", false, 0, []string{"Sites.FullControl.All"}, false, nil, 1},
		{"HR Helper (Copilot Studio)", "", "", false, "tenant", "ServiceIdentity", "", false, 0, []string{"User.Read.All"}, false, []string{"User Administrator"}, 1},
		{"Sales Research Agent", "", "", false, "tenant", "ServiceIdentity", "", false, 0, []string{"Mail.Send"}, false, nil, 200},
	}
	for i := 0; i < o.ExtraServicePrincipals; i++ {
		scopes := "User.Read"
		if i%10 == 0 {
			scopes = "User.Read Mail.Read offline_access"
		}
		apps = append(apps, app{fmt.Sprintf("SaaS Tool %d", i), fmt.Sprintf("Vendor %d", i), fmt.Sprintf("tool%d.example", i), i%3 == 0, "", "Application", scopes, false, 0, nil, false, nil, i % 400})
	}
	grantN := 0
	for ai, a := range apps {
		s := ServicePrincipal{ID: guid(r), AppID: guid(r), DisplayName: a.name, AppDisplayName: a.name, ServicePrincipalType: a.spType, AccountEnabled: true,
			Tags: []string{"WindowsAzureActiveDirectoryIntegratedApp"}, ReplyURLs: []string{}, SignInAudience: "AzureADMultipleOrgs",
			AppRoles: []AppRole{}, OAuth2PermissionScopes: []map[string]any{}, KeyCredentials: []KeyCredential{}, PasswordCredentials: []PasswordCredential{},
			CreatedDateTime: sp(ago(30 + ai*10))}
		if a.publisher != "" {
			s.PublisherName = sp(a.publisher)
		}
		if a.replyHost != "" {
			s.ReplyURLs = []string{"https://" + a.replyHost + "/auth/callback"}
			s.Homepage = sp("https://" + a.replyHost + "/")
		}
		if a.verified {
			s.VerifiedPublisher = &VerifiedPublisher{DisplayName: sp(a.publisher), VerifiedPublisherID: sp(fmt.Sprint(5000000 + ai)), AddedDateTime: sp(ago(900))}
		} else {
			s.VerifiedPublisher = &VerifiedPublisher{}
		}
		switch a.owner {
		case "tenant":
			s.AppOwnerOrganizationID = sp(o.TenantID)
			s.SignInAudience = "AzureADMyOrg"
		default:
			s.AppOwnerOrganizationID = sp(guid(r))
		}
		if a.spType == "ManagedIdentity" {
			s.SignInAudience = ""
			s.AppOwnerOrganizationID = nil
			s.Tags = []string{}
		}
		if a.spType == "ServiceIdentity" {
			// Each agent comes from a blueprint: an app registration holding
			// the credentials its agents use, and the blueprint's principal.
			bpApp := guid(r)
			s.AgentIdentityBlueprintID = sp(bpApp)
			s.CreatedByAppID = s.AgentIdentityBlueprintID
			t.Applications = append(t.Applications, Application{ODataType: "#microsoft.graph.agentIdentityBlueprint", ID: guid(r), AppID: bpApp,
				DisplayName: a.name + " blueprint", PublisherDomain: "contoso.example", SignInAudience: "AzureADMyOrg", CreatedDateTime: ago(90),
				PasswordCredentials: []PasswordCredential{{KeyID: guid(r), DisplayName: sp("agent-runtime"), Hint: sp("Bp~"), StartDateTime: ago(90), EndDateTime: nil}},
				KeyCredentials:      []KeyCredential{}, RequiredResource: []map[string]any{}})
			t.ServicePrincipals = append(t.ServicePrincipals, ServicePrincipal{ODataType: "#microsoft.graph.agentIdentityBlueprintPrincipal", ID: guid(r), AppID: bpApp,
				DisplayName: a.name + " blueprint", AppOwnerOrganizationID: sp(o.TenantID), ServicePrincipalType: "Application", AccountEnabled: true,
				Tags: []string{}, ReplyURLs: []string{}, AppRoles: []AppRole{}, OAuth2PermissionScopes: []map[string]any{}, KeyCredentials: []KeyCredential{},
				PasswordCredentials: []PasswordCredential{}, SignInAudience: "AzureADMyOrg"})
			if a.name == "Sales Research Agent" {
				s.Sponsors = []string{disabledUser}
			}
		}
		if a.spSecret {
			s.PasswordCredentials = []PasswordCredential{{KeyID: guid(r), DisplayName: sp("added-by-script"), Hint: sp("q~X"), StartDateTime: ago(10), EndDateTime: in(720)}}
		}
		if a.owner == "tenant" && a.spType == "Application" {
			appObj := Application{ID: guid(r), AppID: s.AppID, DisplayName: a.name, PublisherDomain: "contoso.example", SignInAudience: "AzureADMyOrg",
				CreatedDateTime: ago(400), PasswordCredentials: []PasswordCredential{}, KeyCredentials: []KeyCredential{}, RequiredResource: []map[string]any{},
				Owners: []string{user(ai)}}
			if a.name == "acme-ai-orchestrator" {
				appObj.PasswordCredentials = []PasswordCredential{
					{KeyID: guid(r), DisplayName: sp("prod"), Hint: sp("8Q~"), StartDateTime: ago(700), EndDateTime: in(3000)},
					{KeyID: guid(r), DisplayName: sp("old"), Hint: sp("aB~"), StartDateTime: ago(900), EndDateTime: sp(ago(30))},
					{KeyID: guid(r), DisplayName: sp("dev"), Hint: sp("zZ~"), StartDateTime: ago(100), EndDateTime: in(265)},
				}
				appObj.Owners = []string{disabledUser}
			} else {
				appObj.Federated = []FederatedCredential{{ID: guid(r), Name: "github-actions", Issuer: "https://token.actions.githubusercontent.com",
					Subject: "repo:contoso/infra:ref:refs/heads/main", Audiences: []string{"api://AzureADTokenExchange"}}}
				appObj.KeyCredentials = []KeyCredential{{KeyID: guid(r), DisplayName: sp("CN=ci-deployer"), Type: "AsymmetricX509Cert", Usage: "Verify", StartDateTime: ago(60), EndDateTime: in(300)}}
			}
			t.Applications = append(t.Applications, appObj)
		} else if a.owner == "" && ai < 12 {
			s.Owners = nil
		}
		if a.delegated != "" {
			if a.allPrincipals {
				t.Grants = append(t.Grants, Grant{ID: guid(r), ClientID: s.ID, ConsentType: "AllPrincipals", ResourceID: graph.ID, Scope: a.delegated})
			}
			for u := 0; u < a.users; u++ {
				t.Grants = append(t.Grants, Grant{ID: guid(r), ClientID: s.ID, ConsentType: "Principal", PrincipalID: sp(user(u + ai)), ResourceID: graph.ID, Scope: a.delegated})
			}
		}
		for _, role := range a.appRoles {
			t.Assignments[graph.ID] = append(t.Assignments[graph.ID], AppRoleAssignment{ID: guid(r), AppRoleID: roleID[role], CreatedDateTime: ago(50 + ai),
				PrincipalDisplayName: a.name, PrincipalID: s.ID, PrincipalType: "ServicePrincipal", ResourceDisplayName: "Microsoft Graph", ResourceID: graph.ID})
		}
		for _, role := range a.roles {
			for _, d := range roleDefs {
				if d.DisplayName == role {
					t.RoleAssignments = append(t.RoleAssignments, RoleAssignment{ID: guid(r), PrincipalID: s.ID, RoleDefinitionID: d.ID, DirectoryScopeID: "/"})
				}
			}
		}
		if a.lastSignInDays >= 0 {
			t.SignIns = append(t.SignIns, SignIn{ID: guid(r), AppID: s.AppID, LastSignInActivity: map[string]any{"lastSignInDateTime": ago(a.lastSignInDays), "lastSignInRequestId": guid(r)}})
		}
		t.ServicePrincipals = append(t.ServicePrincipals, s)
		grantN++
	}
	// Benchmark filler: delegated grants and app role assignments spread
	// over the extra service principals.
	first := len(t.ServicePrincipals) - o.ExtraServicePrincipals
	for i := 0; i < o.ExtraGrants && o.ExtraServicePrincipals > 0; i++ {
		c := t.ServicePrincipals[first+i%o.ExtraServicePrincipals]
		t.Grants = append(t.Grants, Grant{ID: guid(r), ClientID: c.ID, ConsentType: "Principal", PrincipalID: sp(user(i + i/o.ExtraServicePrincipals)), ResourceID: graph.ID, Scope: "User.Read openid profile"})
	}
	for i := 0; i < o.ExtraAssignments && o.ExtraServicePrincipals > 0; i++ {
		c := t.ServicePrincipals[first+i%o.ExtraServicePrincipals]
		role := graphRoles[i%len(graphRoles)]
		t.Assignments[graph.ID] = append(t.Assignments[graph.ID], AppRoleAssignment{ID: guid(r), AppRoleID: role.ID, CreatedDateTime: ago(i % 700),
			PrincipalDisplayName: c.DisplayName, PrincipalID: c.ID, PrincipalType: "ServicePrincipal", ResourceDisplayName: "Microsoft Graph", ResourceID: graph.ID})
	}
	for i := 0; i < 6; i++ {
		t.RoleAssignments = append(t.RoleAssignments, RoleAssignment{ID: guid(r), PrincipalID: user(i), RoleDefinitionID: roleDefs[i%len(roleDefs)].ID, DirectoryScopeID: "/"})
	}
	t.AuthzPolicy = map[string]any{"id": "authorizationPolicy", "displayName": "Authorization Policy", "allowUserConsentForRiskyApps": false,
		"defaultUserRolePermissions": map[string]any{"allowedToCreateApps": true, "permissionGrantPoliciesAssigned": []string{"ManagePermissionGrantsForSelf.microsoft-user-default-legacy"}}}
	t.AdminConsent = map[string]any{"isEnabled": false, "notifyReviewers": false, "remindersEnabled": false, "requestDurationInDays": 0, "reviewers": []any{}}
	t.ConsentRequests = []map[string]any{{"id": guid(r), "appId": guid(r), "appDisplayName": "Perplexity", "pendingScopes": []map[string]string{{"displayName": "Mail.Read"}, {"displayName": "offline_access"}},
		"userConsentRequests": []any{}}}
	return t
}
