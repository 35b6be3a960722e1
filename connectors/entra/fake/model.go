package fake

// Types mirroring Microsoft Graph's JSON for the objects shadowscan reads.

// VerifiedPublisher of an app.
type VerifiedPublisher struct {
	DisplayName         *string `json:"displayName"`
	VerifiedPublisherID *string `json:"verifiedPublisherId"`
	AddedDateTime       *string `json:"addedDateTime"`
}

// AppRole is an application permission a resource defines.
type AppRole struct {
	ID                 string   `json:"id"`
	Value              string   `json:"value"`
	DisplayName        string   `json:"displayName"`
	AllowedMemberTypes []string `json:"allowedMemberTypes"`
	IsEnabled          bool     `json:"isEnabled"`
}

// PasswordCredential is a client secret (Graph never returns secretText on reads).
type PasswordCredential struct {
	KeyID         string  `json:"keyId"`
	DisplayName   *string `json:"displayName"`
	Hint          *string `json:"hint"`
	StartDateTime string  `json:"startDateTime"`
	EndDateTime   *string `json:"endDateTime"`
	SecretText    *string `json:"secretText"`
}

// KeyCredential is a certificate.
type KeyCredential struct {
	KeyID         string  `json:"keyId"`
	DisplayName   *string `json:"displayName"`
	Type          string  `json:"type"`
	Usage         string  `json:"usage"`
	StartDateTime string  `json:"startDateTime"`
	EndDateTime   *string `json:"endDateTime"`
}

// ServicePrincipal is an enterprise app, managed identity or agent identity.
type ServicePrincipal struct {
	ODataType                 string               `json:"@odata.type,omitempty"`
	ID                        string               `json:"id"`
	AppID                     string               `json:"appId"`
	DisplayName               string               `json:"displayName"`
	AppDisplayName            string               `json:"appDisplayName,omitempty"`
	AppDescription            *string              `json:"appDescription"`
	AppOwnerOrganizationID    *string              `json:"appOwnerOrganizationId"`
	PublisherName             *string              `json:"publisherName"`
	VerifiedPublisher         *VerifiedPublisher   `json:"verifiedPublisher"`
	ServicePrincipalType      string               `json:"servicePrincipalType"`
	AccountEnabled            bool                 `json:"accountEnabled"`
	Tags                      []string             `json:"tags"`
	SignInAudience            string               `json:"signInAudience,omitempty"`
	ReplyURLs                 []string             `json:"replyUrls"`
	Homepage                  *string              `json:"homepage"`
	Info                      map[string]*string   `json:"info,omitempty"`
	CreatedDateTime           *string              `json:"createdDateTime,omitempty"`
	AppRoles                  []AppRole            `json:"appRoles"`
	OAuth2PermissionScopes    []map[string]any     `json:"oauth2PermissionScopes"`
	KeyCredentials            []KeyCredential      `json:"keyCredentials"`
	PasswordCredentials       []PasswordCredential `json:"passwordCredentials"`
	AppRoleAssignmentRequired bool                 `json:"appRoleAssignmentRequired"`
	AgentIdentityBlueprintID  *string              `json:"agentIdentityBlueprintId,omitempty"`
	CreatedByAppID            *string              `json:"createdByAppId,omitempty"`

	Owners   []string `json:"-"` // user ids
	Sponsors []string `json:"-"`
}

// FederatedCredential is a workload identity federation trust.
type FederatedCredential struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Issuer    string   `json:"issuer"`
	Subject   string   `json:"subject"`
	Audiences []string `json:"audiences"`
}

// Application is an app registration of this tenant.
type Application struct {
	ODataType           string               `json:"@odata.type,omitempty"`
	ID                  string               `json:"id"`
	AppID               string               `json:"appId"`
	DisplayName         string               `json:"displayName"`
	PublisherDomain     string               `json:"publisherDomain"`
	SignInAudience      string               `json:"signInAudience"`
	CreatedDateTime     string               `json:"createdDateTime"`
	PasswordCredentials []PasswordCredential `json:"passwordCredentials"`
	KeyCredentials      []KeyCredential      `json:"keyCredentials"`
	Web                 map[string]any       `json:"web,omitempty"`
	RequiredResource    []map[string]any     `json:"requiredResourceAccess"`

	Owners    []string              `json:"-"`
	Federated []FederatedCredential `json:"-"`
}

// Grant is an oauth2PermissionGrant (delegated consent).
type Grant struct {
	ID          string  `json:"id"`
	ClientID    string  `json:"clientId"`
	ConsentType string  `json:"consentType"`
	PrincipalID *string `json:"principalId"`
	ResourceID  string  `json:"resourceId"`
	Scope       string  `json:"scope"`
}

// AppRoleAssignment grants an app role (application permission).
type AppRoleAssignment struct {
	ID                   string `json:"id"`
	AppRoleID            string `json:"appRoleId"`
	CreatedDateTime      string `json:"createdDateTime"`
	PrincipalDisplayName string `json:"principalDisplayName"`
	PrincipalID          string `json:"principalId"`
	PrincipalType        string `json:"principalType"`
	ResourceDisplayName  string `json:"resourceDisplayName"`
	ResourceID           string `json:"resourceId"`
}

// User is a directory user.
type User struct {
	ODataType         string `json:"@odata.type"`
	ID                string `json:"id"`
	DisplayName       string `json:"displayName"`
	UserPrincipalName string `json:"userPrincipalName"`
	Mail              string `json:"mail"`
	AccountEnabled    bool   `json:"accountEnabled"`
}

// RoleDefinition is a directory role.
type RoleDefinition struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	TemplateID  string `json:"templateId"`
	IsBuiltIn   bool   `json:"isBuiltIn"`
	IsEnabled   bool   `json:"isEnabled"`
}

// RoleAssignment assigns a directory role to a principal.
type RoleAssignment struct {
	ID               string `json:"id"`
	PrincipalID      string `json:"principalId"`
	RoleDefinitionID string `json:"roleDefinitionId"`
	DirectoryScopeID string `json:"directoryScopeId"`
}

// SignIn is one row of the beta servicePrincipalSignInActivities report.
type SignIn struct {
	ID                 string         `json:"id"`
	AppID              string         `json:"appId"`
	LastSignInActivity map[string]any `json:"lastSignInActivity"`
}

// Tenant is a whole generated Entra tenant.
type Tenant struct {
	ID, Name string

	ServicePrincipals []ServicePrincipal
	Applications      []Application
	Grants            []Grant
	Assignments       map[string][]AppRoleAssignment // resource SP id -> assignments
	Users             []User
	RoleDefinitions   []RoleDefinition
	RoleAssignments   []RoleAssignment
	AuthzPolicy       map[string]any
	AdminConsent      map[string]any
	ConsentRequests   []map[string]any
	SignIns           []SignIn

	// Licences and features: off answers as Graph does without them.
	PremiumP1 bool // sign-in activity reports
	AgentID   bool // Microsoft Entra Agent ID endpoints
}
