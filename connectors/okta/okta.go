// Package okta is shadowscan's Okta connector. It crawls one org with
// okta-sdk-golang v5 for every app integration (OAuth service apps and
// their admin roles and Okta API scopes, AI assistants and their end-user
// consents), SSWS API tokens with the admin they act as, client secrets and
// keys, registered AI agents, the org's client privileges setting, and last
// use from the System Log. Secret values are never kept, only a hint.
package okta

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	oktasdk "github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/shadowscan/shadowscan/connectors"
	"github.com/shadowscan/shadowscan/inventory"
)

// ErrNoCredentials is returned when no token was given.
var ErrNoCredentials = errors.New("okta: no credentials: set OKTA_API_TOKEN (an SSWS API token of a read-only admin), or pass --client-id and --private-key-file of a service app")

// Config configures a crawl of one org.
type Config struct {
	OrgURL string // https://acme.okta.com
	Token  string // SSWS API token, or:
	// an OAuth 2.0 service app with private_key_jwt.
	ClientID   string
	PrivateKey *rsa.PrivateKey
	KeyID      string
	Scopes     []string // default DefaultScopes

	ActivityDays int // System Log window for last use; 0 = off
	Concurrency  int // default 4 (Okta's org-wide concurrency limit is far higher; stay low)
	MaxRetries   int // default 6
	MaxWait      time.Duration
	Transport    http.RoundTripper
	Logger       *slog.Logger
	Now          func() time.Time
}

// Stats counts what a crawl cost.
type Stats struct {
	Requests     atomic.Int64
	RateLimited  atomic.Int64 // 429 responses
	Paced        atomic.Int64 // waits before a bucket ran dry
	WaitedMillis atomic.Int64
}

// Connector crawls one Okta org.
type Connector struct {
	cfg    Config
	sdk    *oktasdk.APIClient
	http   *http.Client
	base   *url.URL
	log    *slog.Logger
	stats  *Stats
	tenant string
}

// New validates cfg and builds the SDK client. It does not contact Okta.
func New(cfg Config) (*Connector, error) {
	u, err := url.Parse(strings.TrimSuffix(cfg.OrgURL, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("okta: --org-url %q must be the org's base URL, such as https://acme.okta.com", cfg.OrgURL)
	}
	if cfg.ClientID != "" || cfg.PrivateKey != nil {
		if cfg.ClientID == "" || cfg.PrivateKey == nil {
			return nil, errors.New("okta: service app auth needs --client-id and --private-key-file together")
		}
		if len(cfg.Scopes) == 0 {
			cfg.Scopes = DefaultScopes
		}
	} else if cfg.Token == "" {
		return nil, ErrNoCredentials
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = 6
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = 2 * time.Minute
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
	stats := &Stats{}
	auth := &authTransport{next: cfg.Transport, ssws: cfg.Token}
	if cfg.PrivateKey != nil {
		auth.oauth = &tokenSource{orgURL: u.String(), clientID: cfg.ClientID, keyID: cfg.KeyID, key: cfg.PrivateKey, scopes: cfg.Scopes,
			hc: &http.Client{Transport: cfg.Transport, Timeout: time.Minute}}
	}
	cfg.Transport = auth
	hc := newHTTPClient(cfg, stats)
	sdkToken, sdkMode := cfg.Token, "SSWS"
	if cfg.PrivateKey != nil {
		// The transport sets the real bearer token on every request.
		sdkToken, sdkMode = "set-by-transport", "Bearer"
	}
	// The SDK reads ~/.okta/okta.yaml, ./.okta.yaml and OKTA_* variables;
	// everything that matters is set explicitly below so a scan does not
	// depend on the machine it runs on.
	sc, err := oktasdk.NewConfiguration(oktasdk.WithOrgUrl(u.String()), oktasdk.WithToken(sdkToken), oktasdk.WithAuthorizationMode(sdkMode),
		oktasdk.WithCache(false), oktasdk.WithHttpClientPtr(hc), oktasdk.WithRequestTimeout(60), oktasdk.WithRateLimitMaxRetries(0),
		oktasdk.WithTestingDisableHttpsCheck(u.Scheme == "http"))
	if err != nil {
		return nil, fmt.Errorf("okta: SDK configuration: %w", err)
	}
	// NewConfiguration keeps only the host name; put the port back.
	sc.Host, sc.Scheme = u.Host, u.Scheme
	sc.Okta.Client.Proxy.Host, sc.Okta.Client.Proxy.Port = "", 0
	return &Connector{cfg: cfg, sdk: oktasdk.NewAPIClient(sc), http: hc, base: u, log: cfg.Logger, stats: stats, tenant: u.Host}, nil
}

// Tenant implements connectors.Connector.
func (c *Connector) Tenant() inventory.Tenant {
	return inventory.Tenant{Platform: inventory.PlatformOkta, Key: c.tenant}
}

// Stats is what the crawl has cost so far.
func (c *Connector) Stats() *Stats { return c.stats }

// Collector names.
const (
	colApps        = "apps"
	colGrants      = "app_grants"
	colClientRoles = "client_roles"
	colAppCreds    = "app_credentials"
	colAssignments = "app_assignments"
	colTokens      = "api_tokens"
	colAdmins      = "token_admins"
	colOrgSettings = "org_settings"
	colAIAgents    = "ai_agents"
	colSystemLog   = "system_log"
	colAuthServers = "authorization_servers"
	colCrossApp    = "cross_app_access"
)

var collectorInfo = []connectors.Collector{
	{Name: colApps, Description: "app integrations: sign-on mode, OAuth client type, grant types, client authentication", Permissions: []string{"okta.apps.read"}},
	{Name: colGrants, Description: "OAuth scope consent grants per app (ADMIN and END_USER), Okta API scopes of service apps", Permissions: []string{"okta.appGrants.read"}},
	{Name: colClientRoles, Description: "admin roles assigned to OAuth clients", Permissions: []string{"okta.roles.read"}},
	{Name: colAppCreds, Description: "client secrets (metadata and a hint only) and JWKs of OAuth apps", Permissions: []string{"okta.apps.read"}},
	{Name: colAssignments, Description: "whether apps have user and group assignments", Permissions: []string{"okta.apps.read"}},
	{Name: colTokens, Description: "SSWS API tokens: creator, network restriction, expiry", Permissions: []string{"okta.apiTokens.read"}},
	{Name: colAdmins, Description: "status and admin roles of the admins API tokens act as", Permissions: []string{"okta.users.read", "okta.roles.read"}},
	{Name: colOrgSettings, Description: "clientPrivilegesSetting (new public clients get Super Admin)", Permissions: []string{"okta.orgs.read"}},
	{Name: colAIAgents, Description: "Okta for AI Agents: registered agents and their owners", Permissions: []string{"okta.aiAgents.read"}, Plan: "Okta for AI Agents"},
	{Name: colAuthServers, Description: "custom authorization servers and which clients their access policies admit", Permissions: []string{"okta.authorizationServers.read"}},
	{Name: colCrossApp, Description: "Cross App Access connections between apps (agents acting in other apps for users)", Permissions: []string{"okta.apps.read"}, Plan: "Cross App Access (early access)"},
	{Name: colSystemLog, Description: "last token grant per client from the System Log (--activity-days)", Permissions: []string{"okta.logs.read"}},
}

// Info describes the connector and what each collector needs.
func Info() connectors.Info {
	return connectors.Info{
		Platform:    inventory.PlatformOkta,
		Description: "Okta orgs via the management API (okta-sdk-golang v5)",
		Auth: []string{"OKTA_API_TOKEN: an SSWS API token of a Read-Only Administrator (it acts with that admin's permissions)",
			"or an OAuth 2.0 service app with private_key_jwt: --client-id, --private-key-file; scopes " + strings.Join(DefaultScopes, " ")},
		Collectors: collectorInfo,
	}
}

func permissionsFor(collector string) string { return connectors.Permissions(collectorInfo, collector) }

// apiError is an Okta error response.
type apiError struct {
	Status  int
	Code    string `json:"errorCode"`
	Summary string `json:"errorSummary"`
	Path    string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("GET %s: %d %s %s", e.Path, e.Status, e.Code, e.Summary)
}

func statusOf(err error) int {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.Status
	}
	var ge *oktasdk.GenericOpenAPIError
	if errors.As(err, &ge) {
		var body struct {
			Code string `json:"errorCode"`
		}
		json.Unmarshal(ge.Body(), &body)
		switch body.Code {
		case "E0000006":
			return http.StatusForbidden
		case "E0000007":
			return http.StatusNotFound
		case "E0000011":
			return http.StatusUnauthorized
		}
	}
	return 0
}

var idSegment = regexp.MustCompile(`/(0o|00|oa|ocs|pks|wlp)[A-Za-z0-9]{8,}`)

// get fetches one page of a path (or absolute URL) through the SDK's HTTP
// client and returns the body and the next-page URL from the Link header.
func (c *Connector) get(ctx context.Context, pathOrURL string, v any) (next string, err error) {
	u := pathOrURL
	if strings.HasPrefix(u, "/") {
		u = c.base.String() + u
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "shadowscan")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return "", fmt.Errorf("GET %s: %w", req.URL.Path, err)
	}
	if resp.StatusCode >= 300 {
		ae := &apiError{Status: resp.StatusCode, Path: req.URL.Path}
		json.Unmarshal(body, ae)
		return "", ae
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			return "", fmt.Errorf("GET %s: decode: %w", req.URL.Path, err)
		}
	}
	for _, l := range resp.Header.Values("Link") {
		for _, part := range strings.Split(l, ",") {
			if strings.Contains(part, `rel="next"`) {
				if s, e := strings.Index(part, "<"), strings.Index(part, ">"); s >= 0 && e > s {
					next = part[s+1 : e]
				}
			}
		}
	}
	return next, nil
}

// newHTTPClient retries 429 (until X-Rate-Limit-Reset, measured against the
// server's Date) and 5xx with backoff, and paces each endpoint bucket: when
// a bucket is nearly spent, callers wait for its reset instead of hitting 429.
func newHTTPClient(cfg Config, stats *Stats) *http.Client {
	p := &pacer{next: cfg.Transport, buckets: map[string]*bucketState{}, stats: stats, maxWait: cfg.MaxWait, log: cfg.Logger}
	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{Transport: p, Timeout: 2 * time.Minute}
	rc.RetryMax = cfg.MaxRetries
	rc.RetryWaitMin = 500 * time.Millisecond
	rc.RetryWaitMax = cfg.MaxWait
	rc.Logger = nil
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	rc.CheckRetry = func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
			stats.RateLimited.Add(1)
			return true, nil
		}
		var ae *apiError
		if errors.As(err, &ae) {
			return false, err // the service app's token was refused: retrying will not help
		}
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	rc.Backoff = func(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
		d := time.Duration(1<<attempt) * min
		if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
			if w := resetWait(resp); w > 0 {
				d = w
			}
		}
		d = minDur(d, max)
		stats.WaitedMillis.Add(d.Milliseconds())
		return d
	}
	return rc.StandardClient()
}

func minDur(a, b time.Duration) time.Duration {
	if a < b {
		return a
	}
	return b
}

// resetWait is the time until X-Rate-Limit-Reset by the server's clock.
func resetWait(resp *http.Response) time.Duration {
	reset, err := strconv.ParseInt(resp.Header.Get("X-Rate-Limit-Reset"), 10, 64)
	if err != nil {
		return 0
	}
	now := time.Now()
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		now = d
	}
	return time.Unix(reset, 0).Sub(now) + 200*time.Millisecond
}

type bucketState struct {
	mu        sync.Mutex
	remaining int
	limit     int
	reset     time.Time
}

type pacer struct {
	next    http.RoundTripper
	mu      sync.Mutex
	buckets map[string]*bucketState
	stats   *Stats
	maxWait time.Duration
	log     *slog.Logger
}

func bucketKey(r *http.Request) string {
	return r.Method + " " + idSegment.ReplaceAllString(r.URL.Path, "/{id}")
}

func (p *pacer) RoundTrip(r *http.Request) (*http.Response, error) {
	p.mu.Lock()
	b := p.buckets[bucketKey(r)]
	if b == nil {
		b = &bucketState{remaining: -1}
		p.buckets[bucketKey(r)] = b
	}
	p.mu.Unlock()
	b.mu.Lock()
	// Keep a reserve of the bucket for other clients of the org.
	reserve := max(2, b.limit/20)
	if b.remaining >= 0 && b.remaining <= reserve && time.Now().Before(b.reset) {
		d := minDur(time.Until(b.reset)+100*time.Millisecond, p.maxWait)
		p.stats.Paced.Add(1)
		p.stats.WaitedMillis.Add(d.Milliseconds())
		p.log.Debug("Okta rate limit: pacing", "bucket", bucketKey(r), "seconds", d.Seconds())
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			b.mu.Unlock()
			return nil, r.Context().Err()
		}
		b.remaining = -1
	}
	if b.remaining > 0 {
		b.remaining--
	}
	b.mu.Unlock()
	p.stats.Requests.Add(1)
	resp, err := p.next.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	rem, e1 := strconv.Atoi(resp.Header.Get("X-Rate-Limit-Remaining"))
	lim, _ := strconv.Atoi(resp.Header.Get("X-Rate-Limit-Limit"))
	if e1 == nil {
		w := resetWait(resp)
		b.mu.Lock()
		b.remaining, b.limit, b.reset = rem, lim, time.Now().Add(w)
		b.mu.Unlock()
	}
	return resp, nil
}
