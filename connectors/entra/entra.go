// Package entra is shadowscan's Microsoft Entra ID connector. It crawls one
// tenant with msgraph-sdk-go for every service principal, app registration,
// managed identity and agent identity, with their delegated consents,
// application permissions, directory roles, credentials, owners and
// sponsors, the tenant's consent posture, and last sign-in where licensed.
// It never stores a secret value; Graph's secret hint (the first characters
// of a client secret) is not kept either.
package entra

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	abs "github.com/microsoft/kiota-abstractions-go"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	auth "github.com/microsoft/kiota-authentication-azure-go"
	khttp "github.com/microsoft/kiota-http-go"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	msgraph "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"

	"github.com/shadowscan/shadowscan/connectors"
	"github.com/shadowscan/shadowscan/inventory"
)

// DefaultGraphURL is the global Microsoft Graph endpoint.
const DefaultGraphURL = "https://graph.microsoft.com"

// ErrNoCredentials is returned when no credential was given.
var ErrNoCredentials = errors.New("entra: no credentials: set AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or a certificate (or use workload/managed identity), or ENTRA_ACCESS_TOKEN")

// Config configures a crawl of one tenant.
type Config struct {
	TenantID string
	GraphURL string // default DefaultGraphURL; national clouds and local servers

	Credential  azcore.TokenCredential // e.g. azidentity.NewDefaultAzureCredential
	AccessToken string                 // a ready bearer token instead

	Concurrency int // parallel batches and per-resource reads; default 4
	MaxRetries  int // kiota retry handler, up to 10; default 8
	Transport   http.RoundTripper
	Logger      *slog.Logger
	Now         func() time.Time
}

// Stats counts what a crawl cost.
type Stats struct {
	Requests   atomic.Int64 // HTTP requests on the wire, retries included
	BatchSteps atomic.Int64 // requests carried inside $batch
	Throttled  atomic.Int64 // 429/503/504 responses
	SlowDowns  atomic.Int64 // pauses for x-ms-throttle-limit-percentage
}

// Connector crawls one Entra tenant.
type Connector struct {
	cfg    Config
	client *msgraph.GraphServiceClient
	graph  string // base URL without version
	log    *slog.Logger
	stats  *Stats
}

type staticToken string

func (t staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(t), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// New validates cfg and builds the Graph client. It does not contact Graph.
func New(cfg Config) (*Connector, error) {
	if cfg.TenantID == "" {
		return nil, errors.New("entra: a tenant id is required (--tenant-id)")
	}
	if cfg.GraphURL == "" {
		cfg.GraphURL = DefaultGraphURL
	}
	cfg.GraphURL = strings.TrimSuffix(cfg.GraphURL, "/")
	u, err := url.Parse(cfg.GraphURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("entra: --graph-url %q must be a scheme and host, such as https://graph.microsoft.us", cfg.GraphURL)
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.MaxRetries <= 0 || cfg.MaxRetries > 10 {
		cfg.MaxRetries = 8
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cred := cfg.Credential
	if cfg.AccessToken != "" {
		cred = staticToken(cfg.AccessToken)
	}
	if cred == nil {
		return nil, ErrNoCredentials
	}
	// The SDK attaches tokens only to hosts it is told about.
	authProv, err := auth.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(cred, []string{cfg.GraphURL + "/.default"}, []string{u.Hostname()})
	if err != nil {
		return nil, fmt.Errorf("entra: auth provider: %w", err)
	}
	stats := &Stats{}
	middlewares, err := khttp.GetDefaultMiddlewaresWithOptions(&khttp.RetryHandlerOptions{MaxRetries: cfg.MaxRetries, DelaySeconds: 2,
		ShouldRetry: func(_ time.Duration, _ int, _ *http.Request, resp *http.Response) bool {
			stats.Throttled.Add(1)
			return true
		}})
	if err != nil {
		return nil, fmt.Errorf("entra: middleware: %w", err)
	}
	parent := &throttleTransport{next: cfg.Transport, stats: stats, log: cfg.Logger}
	httpClient := &http.Client{Transport: khttp.NewCustomTransportWithParentTransport(parent, middlewares...), Timeout: 5 * time.Minute}
	registerSerializers.Do(func() {
		// The $batch helper of msgraph-sdk-go-core parses step bodies with
		// the process-wide registries, which nothing fills by default.
		abs.RegisterDefaultSerializer(func() absser.SerializationWriterFactory { return jsonserialization.NewJsonSerializationWriterFactory() })
		abs.RegisterDefaultDeserializer(func() absser.ParseNodeFactory { return jsonserialization.NewJsonParseNodeFactory() })
		// msgraph-sdk-go-core creates its error registry lazily without a
		// memory barrier on the fast path; create it here, before any
		// concurrent $batch, so the race detector (and the CPU) agree.
		msgraphcore.GetErrorFactoryFromRegistry(msgraphcore.BatchRequestErrorRegistryKey)
	})
	adapter, err := msgraph.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(authProv,
		absser.DefaultParseNodeFactoryInstance, absser.DefaultSerializationWriterFactoryInstance, httpClient)
	if err != nil {
		return nil, fmt.Errorf("entra: request adapter: %w", err)
	}
	adapter.SetBaseUrl(cfg.GraphURL + "/v1.0")
	return &Connector{cfg: cfg, client: msgraph.NewGraphServiceClient(adapter), graph: cfg.GraphURL, log: cfg.Logger, stats: stats}, nil
}

var registerSerializers sync.Once

// throttleTransport counts requests and slows down when Graph reports that
// the tenant is close to its throttling limit.
type throttleTransport struct {
	next  http.RoundTripper
	stats *Stats
	log   *slog.Logger
}

func (t *throttleTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.stats.Requests.Add(1)
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	if p := resp.Header.Get("x-ms-throttle-limit-percentage"); p != "" {
		var pct float64
		if _, err := fmt.Sscanf(p, "%g", &pct); err == nil && pct >= 0.8 {
			t.stats.SlowDowns.Add(1)
			d := time.Duration((pct - 0.75) * float64(2*time.Second))
			t.log.Debug("Graph throttle limit near: slowing down", "percentage", pct, "pause", d)
			select {
			case <-time.After(d):
			case <-r.Context().Done():
			}
		}
	}
	return resp, nil
}

// Tenant implements connectors.Connector.
func (c *Connector) Tenant() inventory.Tenant {
	return inventory.Tenant{Platform: inventory.PlatformEntra, Key: c.cfg.TenantID}
}

// Stats is what the crawl has cost so far.
func (c *Connector) Stats() *Stats { return c.stats }

// Collector names.
const (
	colServicePrincipals = "service_principals"
	colApplications      = "applications"
	colOwners            = "owners"
	colGrants            = "oauth2_grants"
	colAppRoles          = "app_role_assignments"
	colDirectoryRoles    = "directory_roles"
	colAuthzPolicy       = "authorization_policy"
	colAdminConsent      = "admin_consent_policy"
	colConsentRequests   = "consent_requests"
	colAgentIdentities   = "agent_identities"
	colSignIns           = "sign_in_activity"
	colConsenters        = "consenting_users"
)

var collectorInfo = []connectors.Collector{
	{Name: colServicePrincipals, Description: "service principals (enterprise apps, managed identities, agent identities) with publisher, credentials and app roles", Permissions: []string{"Application.Read.All"}},
	{Name: colApplications, Description: "this tenant's app registrations: credentials, federated credentials, required permissions", Permissions: []string{"Application.Read.All"}},
	{Name: colOwners, Description: "owners of apps and service principals, sponsors of agent identities, federated credentials ($batch)", Permissions: []string{"Application.Read.All", "Directory.Read.All"}},
	{Name: colGrants, Description: "delegated consent grants (oauth2PermissionGrants), tenant-wide and per user", Permissions: []string{"Directory.Read.All"}},
	{Name: colConsenters, Description: "the users behind per-user consent grants: name and whether their account is enabled ($batch)", Permissions: []string{"User.Read.All or Directory.Read.All"}},
	{Name: colAppRoles, Description: "application permissions granted to service principals (appRoleAssignedTo)", Permissions: []string{"Application.Read.All"}},
	{Name: colDirectoryRoles, Description: "directory roles held by service principals", Permissions: []string{"RoleManagement.Read.Directory"}},
	{Name: colAuthzPolicy, Description: "user consent settings (authorizationPolicy)", Permissions: []string{"Policy.Read.All"}},
	{Name: colAdminConsent, Description: "admin consent workflow (adminConsentRequestPolicy)", Permissions: []string{"Policy.Read.All"}},
	{Name: colConsentRequests, Description: "pending admin consent requests", Permissions: []string{"ConsentRequest.Read.All (optional)"}},
	{Name: colAgentIdentities, Description: "Microsoft Entra Agent ID agent identities and their blueprints", Permissions: []string{"AgentIdentity.Read.All"}, Plan: "Microsoft Entra Agent ID"},
	{Name: colSignIns, Description: "last sign-in of service principals and credentials (beta reports)", Permissions: []string{"AuditLog.Read.All (optional)"}, Plan: "Microsoft Entra ID P1 or P2"},
}

// Info describes the connector and what each collector needs.
func Info() connectors.Info {
	return connectors.Info{
		Platform:    inventory.PlatformEntra,
		Description: "Microsoft Entra ID tenants via Microsoft Graph (v1.0, beta for sign-in reports)",
		Auth: []string{"azidentity environment chain: AZURE_CLIENT_ID + AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, workload identity, managed identity",
			"or ENTRA_ACCESS_TOKEN: a bearer token for Microsoft Graph",
			"minimum application permissions: Application.Read.All, Directory.Read.All, RoleManagement.Read.Directory, Policy.Read.All, AgentIdentity.Read.All (+ optional AuditLog.Read.All, ConsentRequest.Read.All)"},
		Collectors: collectorInfo,
	}
}

func permissionsFor(collector string) string { return connectors.Permissions(collectorInfo, collector) }
