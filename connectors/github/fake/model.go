package fake

// The types below mirror GitHub's REST response shapes (field names, nesting,
// nullability) for the endpoints shadowscan reads. They are what the fake
// serves for generated orgs; documented vendor examples are served as raw
// bytes instead (see vendor.go).

// User is a simple-user object.
type User struct {
	Login     string `json:"login"`
	ID        int64  `json:"id"`
	NodeID    string `json:"node_id"`
	AvatarURL string `json:"avatar_url"`
	URL       string `json:"url"`
	HTMLURL   string `json:"html_url"`
	Type      string `json:"type"`
	SiteAdmin bool   `json:"site_admin"`
}

// Installation is a GitHub App installation on the org.
type Installation struct {
	ID                  int64             `json:"id"`
	Account             User              `json:"account"`
	RepositorySelection string            `json:"repository_selection"`
	AccessTokensURL     string            `json:"access_tokens_url"`
	RepositoriesURL     string            `json:"repositories_url"`
	HTMLURL             string            `json:"html_url"`
	AppID               int64             `json:"app_id"`
	AppSlug             string            `json:"app_slug"`
	TargetID            int64             `json:"target_id"`
	TargetType          string            `json:"target_type"`
	Permissions         map[string]string `json:"permissions"`
	Events              []string          `json:"events"`
	CreatedAt           string            `json:"created_at"`
	UpdatedAt           string            `json:"updated_at"`
	SingleFileName      *string           `json:"single_file_name"`
	SuspendedAt         *string           `json:"suspended_at"`
	SuspendedBy         *User             `json:"suspended_by"`

	App App `json:"-"`
}

// App is a GitHub App (GET /apps/{slug}).
type App struct {
	ID          int64             `json:"id"`
	Slug        string            `json:"slug"`
	ClientID    string            `json:"client_id"`
	NodeID      string            `json:"node_id"`
	Owner       User              `json:"owner"`
	Name        string            `json:"name"`
	Description string            `json:"description"`
	ExternalURL string            `json:"external_url"`
	HTMLURL     string            `json:"html_url"`
	CreatedAt   string            `json:"created_at"`
	UpdatedAt   string            `json:"updated_at"`
	Permissions map[string]string `json:"permissions"`
	Events      []string          `json:"events"`
}

// PATPermissions is the permissions object of a fine-grained PAT grant.
type PATPermissions struct {
	Organization map[string]string `json:"organization,omitempty"`
	Repository   map[string]string `json:"repository,omitempty"`
	Other        map[string]string `json:"other,omitempty"`
}

// PAT is a fine-grained personal access token granted access to the org, or
// (with Reason and CreatedAt) a pending request for access.
type PAT struct {
	ID                  int64          `json:"id"`
	Reason              *string        `json:"reason,omitempty"`
	Owner               User           `json:"owner"`
	RepositorySelection string         `json:"repository_selection"`
	RepositoriesURL     string         `json:"repositories_url"`
	Permissions         PATPermissions `json:"permissions"`
	AccessGrantedAt     string         `json:"access_granted_at,omitempty"`
	CreatedAt           string         `json:"created_at,omitempty"`
	TokenID             int64          `json:"token_id"`
	TokenName           string         `json:"token_name"`
	TokenExpired        bool           `json:"token_expired"`
	TokenExpiresAt      *string        `json:"token_expires_at"`
	TokenLastUsedAt     *string        `json:"token_last_used_at"`
}

// CredentialAuthorization is a SAML SSO credential authorization (GHEC).
type CredentialAuthorization struct {
	Login                         string   `json:"login"`
	CredentialID                  int64    `json:"credential_id"`
	CredentialType                string   `json:"credential_type"`
	TokenLastEight                string   `json:"token_last_eight,omitempty"`
	CredentialAuthorizedAt        string   `json:"credential_authorized_at"`
	CredentialAccessedAt          *string  `json:"credential_accessed_at"`
	AuthorizedCredentialID        int64    `json:"authorized_credential_id"`
	AuthorizedCredentialExpiresAt *string  `json:"authorized_credential_expires_at,omitempty"`
	Scopes                        []string `json:"scopes,omitempty"`
	Fingerprint                   string   `json:"fingerprint,omitempty"`
	AuthorizedCredentialTitle     string   `json:"authorized_credential_title,omitempty"`
}

// Repo is a minimal-repository object, with the per-repo data the fake serves.
type Repo struct {
	ID         int64  `json:"id"`
	NodeID     string `json:"node_id"`
	Name       string `json:"name"`
	FullName   string `json:"full_name"`
	Owner      User   `json:"owner"`
	Private    bool   `json:"private"`
	HTMLURL    string `json:"html_url"`
	URL        string `json:"url"`
	Fork       bool   `json:"fork"`
	Archived   bool   `json:"archived"`
	Visibility string `json:"visibility"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	PushedAt   string `json:"pushed_at"`

	Keys      []DeployKey `json:"-"`
	Hooks     []Hook      `json:"-"`
	Secrets   []Secret    `json:"-"`
	Variables []Variable  `json:"-"`
}

// DeployKey is a repository deploy key.
type DeployKey struct {
	ID        int64   `json:"id"`
	Key       string  `json:"key"`
	URL       string  `json:"url"`
	Title     string  `json:"title"`
	Verified  bool    `json:"verified"`
	CreatedAt string  `json:"created_at"`
	ReadOnly  bool    `json:"read_only"`
	AddedBy   string  `json:"added_by"`
	LastUsed  *string `json:"last_used"`
	Enabled   bool    `json:"enabled"`
}

// HookConfig is a webhook's config; GitHub masks a set secret as "********".
type HookConfig struct {
	ContentType string `json:"content_type"`
	InsecureSSL string `json:"insecure_ssl"`
	URL         string `json:"url"`
	Secret      string `json:"secret,omitempty"`
}

// Hook is an org or repository webhook.
type Hook struct {
	Type      string     `json:"type"`
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Active    bool       `json:"active"`
	Events    []string   `json:"events"`
	Config    HookConfig `json:"config"`
	UpdatedAt string     `json:"updated_at"`
	CreatedAt string     `json:"created_at"`
	URL       string     `json:"url"`
	PingURL   string     `json:"ping_url"`
}

// Secret is an Actions secret (name and metadata; GitHub never returns values).
type Secret struct {
	Name       string `json:"name"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	Visibility string `json:"visibility,omitempty"`
}

// Variable is an Actions variable; its value is plaintext on the wire.
type Variable struct {
	Name       string `json:"name"`
	Value      string `json:"value"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	Visibility string `json:"visibility,omitempty"`
}

// CopilotBilling is GET /orgs/{org}/copilot/billing.
type CopilotBilling struct {
	SeatBreakdown struct {
		Total             int `json:"total"`
		AddedThisCycle    int `json:"added_this_cycle"`
		PendingInvitation int `json:"pending_invitation"`
		PendingCancel     int `json:"pending_cancellation"`
		ActiveThisCycle   int `json:"active_this_cycle"`
		InactiveThisCycle int `json:"inactive_this_cycle"`
	} `json:"seat_breakdown"`
	SeatManagementSetting string `json:"seat_management_setting"`
	IDEChat               string `json:"ide_chat"`
	PlatformChat          string `json:"platform_chat"`
	CLI                   string `json:"cli"`
	PublicCodeSuggestions string `json:"public_code_suggestions"`
	PlanType              string `json:"plan_type"`
}

// Seat is one Copilot seat.
type Seat struct {
	CreatedAt               string  `json:"created_at"`
	UpdatedAt               string  `json:"updated_at"`
	PendingCancellationDate *string `json:"pending_cancellation_date"`
	LastActivityAt          *string `json:"last_activity_at"`
	LastActivityEditor      *string `json:"last_activity_editor"`
	LastAuthenticatedAt     *string `json:"last_authenticated_at"`
	PlanType                string  `json:"plan_type,omitempty"`
	Assignee                *User   `json:"assignee"`
}

// Alert is an org secret-scanning alert. Secret is the leaked value in
// plaintext, as GitHub returns it.
type Alert struct {
	Number                int     `json:"number"`
	CreatedAt             string  `json:"created_at"`
	UpdatedAt             string  `json:"updated_at"`
	URL                   string  `json:"url"`
	HTMLURL               string  `json:"html_url"`
	LocationsURL          string  `json:"locations_url"`
	State                 string  `json:"state"`
	Resolution            *string `json:"resolution"`
	ResolvedAt            *string `json:"resolved_at"`
	SecretType            string  `json:"secret_type"`
	SecretTypeDisplayName string  `json:"secret_type_display_name"`
	Secret                string  `json:"secret"`
	Repository            Repo    `json:"repository"`
	Validity              string  `json:"validity"`
	PubliclyLeaked        bool    `json:"publicly_leaked"`
	PushProtection        bool    `json:"push_protection_bypassed"`
}

// Org is a whole generated organization.
type Org struct {
	Login string
	ID    int64
	Name  string

	// Plan features; an endpoint whose feature is off answers as GitHub does
	// for an org without it.
	GHEC           bool // credential authorizations (SAML SSO)
	Copilot        bool
	SecretScanning bool

	Members        []User
	Installations  []Installation
	PATs           []PAT
	PATRequests    []PAT
	CredentialAuth []CredentialAuthorization
	Repos          []Repo
	Hooks          []Hook
	Secrets        []Secret
	Variables      []Variable
	CopilotBilling CopilotBilling
	Seats          []Seat
	Alerts         []Alert
}
