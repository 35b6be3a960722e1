// Package github is shadowscan's GitHub connector. It crawls one organization
// with go-github for every non-human identity that can act in it: GitHub App
// installations, fine-grained PATs and their pending requests, SAML SSO
// credential authorizations, deploy keys, webhooks, Actions secrets and
// variables, Copilot seats and leaked AI provider keys, and writes them to an
// inventory sink. It never keeps a secret value: only a hint and metadata.
package github

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	gh "github.com/google/go-github/v60/github"

	"github.com/shadowscan/shadowscan/connectors"
	"github.com/shadowscan/shadowscan/inventory"
)

// DefaultAPIURL is GitHub.com's REST root.
const DefaultAPIURL = "https://api.github.com/"

// Config configures a crawl of one organization.
type Config struct {
	Org    string
	APIURL string // REST root; default DefaultAPIURL; GHES: https://HOST/api/v3/

	// Auth: a token (PAT or installation token), or a GitHub App.
	Token          string
	AppID          int64
	InstallationID int64
	PrivateKeyFile string

	Concurrency int           // parallel per-repository workers; default 8
	MaxRetries  int           // per request; default 6
	MaxWait     time.Duration // longest single wait for a rate limit; default 15m
	Transport   http.RoundTripper
	Logger      *slog.Logger
}

// ErrNoCredentials is returned by New when neither a token nor App
// credentials were given.
var ErrNoCredentials = errors.New("github: no credentials: set GITHUB_TOKEN, or --app-id, --installation-id and --private-key-file")

// Connector crawls one GitHub organization.
type Connector struct {
	cfg    Config
	client *gh.Client
	log    *slog.Logger
	stats  *Stats
}

// New validates cfg and builds the client. It does not contact GitHub.
func New(cfg Config) (*Connector, error) {
	if cfg.Org == "" {
		return nil, errors.New("github: an organization is required (--org)")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		cfg.APIURL += "/"
	}
	base, err := url.Parse(cfg.APIURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("github: --api-url %q is not an http(s) URL", cfg.APIURL)
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = 6
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = 15 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport
	}
	stats := &Stats{}
	var auth http.RoundTripper = cfg.Transport
	switch {
	case cfg.AppID != 0 || cfg.InstallationID != 0 || cfg.PrivateKeyFile != "":
		if cfg.AppID == 0 || cfg.InstallationID == 0 || cfg.PrivateKeyFile == "" {
			return nil, errors.New("github: App auth needs --app-id, --installation-id and --private-key-file together")
		}
		itr, err := ghinstallation.NewKeyFromFile(cfg.Transport, cfg.AppID, cfg.InstallationID, cfg.PrivateKeyFile)
		if err != nil {
			return nil, fmt.Errorf("github: App private key %s: %w", cfg.PrivateKeyFile, err)
		}
		itr.BaseURL = strings.TrimSuffix(cfg.APIURL, "/")
		auth = itr
	case cfg.Token != "":
		auth = tokenTransport{token: cfg.Token, next: cfg.Transport}
	default:
		return nil, ErrNoCredentials
	}
	client := gh.NewClient(newRetryingClient(auth, stats, cfg.Logger, cfg.MaxRetries, cfg.MaxWait))
	client.BaseURL = base
	client.UserAgent = "shadowscan"
	return &Connector{cfg: cfg, client: client, log: cfg.Logger, stats: stats}, nil
}

type tokenTransport struct {
	token string
	next  http.RoundTripper
}

func (t tokenTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+t.token)
	return t.next.RoundTrip(r)
}

// Tenant implements connectors.Connector.
func (c *Connector) Tenant() inventory.Tenant {
	return inventory.Tenant{Platform: inventory.PlatformGitHub, Key: c.cfg.Org}
}

// Stats is what the crawl has cost so far.
func (c *Connector) Stats() *Stats { return c.stats }

// Collector names.
const (
	colMembers        = "members"
	colInstallations  = "installations"
	colPATs           = "fine_grained_pats"
	colPATRequests    = "fine_grained_pat_requests"
	colCredAuth       = "credential_authorizations"
	colOrgHooks       = "org_webhooks"
	colOrgActions     = "org_actions_secrets"
	colOrgVariables   = "org_actions_variables"
	colCopilot        = "copilot_seats"
	colSecretScanning = "secret_scanning"
	colRepos          = "repositories"
	colDeployKeys     = "deploy_keys"
	colRepoHooks      = "repo_webhooks"
	colRepoSecrets    = "repo_actions_secrets"
	colRepoVariables  = "repo_actions_variables"
)

// Info describes the connector and what each collector needs.
func Info() connectors.Info {
	return connectors.Info{
		Platform:    inventory.PlatformGitHub,
		Description: "GitHub organizations (github.com, GHEC, GHES) via the REST API",
		Auth: []string{"GITHUB_TOKEN: a classic PAT of an org owner (scopes read:org, admin:org, repo, admin:org_hook, manage_billing:copilot)",
			"or a GitHub App: --app-id, --installation-id, --private-key-file (read-only permissions listed per collector)"},
		Collectors: collectorInfo,
	}
}

var collectorInfo = []connectors.Collector{
	{Name: colMembers, Description: "org members, to tell whether a credential's owner still belongs to the org", Permissions: []string{"read:org", "App: members:read"}},
	{Name: colInstallations, Description: "GitHub App installations with their full permissions, and each app's publisher", Permissions: []string{"admin:org (org owner)", "App: organization_administration:read"}},
	{Name: colPATs, Description: "fine-grained PATs approved for the org", Permissions: []string{"App only: organization_personal_access_tokens:read"}},
	{Name: colPATRequests, Description: "pending fine-grained PAT requests", Permissions: []string{"App only: organization_personal_access_token_requests:read"}},
	{Name: colCredAuth, Description: "SAML SSO credential authorizations (PATs, OAuth app tokens, SSH keys)", Permissions: []string{"read:org (org owner)"}, Plan: "GitHub Enterprise Cloud with SAML SSO"},
	{Name: colOrgHooks, Description: "org webhooks: target host, secret set, TLS verification", Permissions: []string{"admin:org_hook", "App: organization_hooks:read"}},
	{Name: colOrgActions, Description: "org Actions secret names", Permissions: []string{"admin:org", "App: organization_secrets:read"}},
	{Name: colOrgVariables, Description: "org Actions variables (values scanned for AI keys, never stored)", Permissions: []string{"admin:org", "App: organization_actions_variables:read"}},
	{Name: colCopilot, Description: "Copilot settings and seats with last activity", Permissions: []string{"manage_billing:copilot or read:org", "App: organization_copilot_seat_management:read"}, Plan: "Copilot Business or Enterprise"},
	{Name: colSecretScanning, Description: "secret-scanning alerts for AI provider keys (the secret itself is never stored)", Permissions: []string{"repo or security_events", "App: secret_scanning_alerts:read"}, Plan: "GitHub Advanced Security / Secret Protection for private repos"},
	{Name: colRepos, Description: "repositories of the org", Permissions: []string{"repo", "App: metadata:read"}},
	{Name: colDeployKeys, Description: "deploy keys per repository (read-only or write, added by, last used)", Permissions: []string{"repo", "App: administration:read"}},
	{Name: colRepoHooks, Description: "repository webhooks", Permissions: []string{"admin:repo_hook or repo", "App: repository_hooks:read"}},
	{Name: colRepoSecrets, Description: "repository Actions secret names", Permissions: []string{"repo", "App: secrets:read"}},
	{Name: colRepoVariables, Description: "repository Actions variables (values scanned for AI keys, never stored)", Permissions: []string{"repo", "App: actions_variables:read"}},
}

func permissionsFor(collector string) string { return connectors.Permissions(collectorInfo, collector) }

// Scan implements connectors.Connector.
func (c *Connector) Scan(ctx context.Context, sink inventory.Sink) error {
	org, _, err := c.client.Organizations.Get(ctx, c.cfg.Org)
	if err != nil {
		return c.fatal(err)
	}
	c.log.Info("scanning GitHub organization", "org", org.GetLogin())
	s := &scan{c: c, sink: sink, org: c.cfg.Org}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{colMembers, s.members},
		{colInstallations, s.installations},
		{colPATs, s.pats},
		{colPATRequests, s.patRequests},
		{colCredAuth, s.credentialAuthorizations},
		{colOrgHooks, s.orgHooks},
		{colOrgActions, s.orgSecrets},
		{colOrgVariables, s.orgVariables},
		{colCopilot, s.copilot},
		{colSecretScanning, s.secretScanning},
	}
	for _, st := range steps {
		if err := s.collect(ctx, st.name, st.fn); err != nil {
			return err
		}
	}
	if err := s.collect(ctx, colRepos, s.repos); err != nil {
		return err
	}
	return ctx.Err()
}

// fatal turns an error that stops the whole crawl into a clear message.
func (c *Connector) fatal(err error) error {
	var er *gh.ErrorResponse
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("github org %s: scan cancelled: %w", c.cfg.Org, err)
	case errors.As(err, &er) && er.Response.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("github org %s: GitHub rejected the credentials (401 %s): check GITHUB_TOKEN or the App key", c.cfg.Org, er.Message)
	case errors.As(err, &er) && er.Response.StatusCode == http.StatusNotFound:
		return fmt.Errorf("github org %s: organization not found, or not visible to these credentials (404)", c.cfg.Org)
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return fmt.Errorf("github org %s: cannot reach the GitHub API at %s: %w", c.cfg.Org, c.cfg.APIURL, err)
	}
	return fmt.Errorf("github org %s: %w", c.cfg.Org, err)
}

// scan is the state of one crawl.
type scan struct {
	c         *Connector
	sink      inventory.Sink
	org       string
	memberSet map[string]bool // nil when the member list could not be read
}

// collect runs one collector and records its coverage. It returns an error
// only when the whole crawl must stop.
func (s *scan) collect(ctx context.Context, name string, fn func(context.Context) error) error {
	err := fn(ctx)
	if err == nil {
		return s.sink.Coverage(ctx, inventory.Coverage{Collector: name, Status: inventory.CoverageOK})
	}
	if ctx.Err() != nil {
		return s.c.fatal(ctx.Err())
	}
	cov := classify(name, err)
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response.StatusCode == http.StatusUnauthorized {
		return s.c.fatal(err)
	}
	if cov.Status == inventory.CoverageError {
		s.sink.Error(ctx, fmt.Errorf("collector %s: %w", name, err))
		s.c.log.Warn("collector failed", "collector", name, "err", err)
	} else {
		s.c.log.Info("collector skipped", "collector", name, "reason", cov.Reason)
	}
	return s.sink.Coverage(ctx, cov)
}

// classify maps a collector's error to a coverage entry: 403/404/422 mean
// the token, the App or the plan cannot read this data (skipped, with what
// would fix it); anything else is an error.
func classify(name string, err error) inventory.Coverage {
	var er *gh.ErrorResponse
	var rl *gh.RateLimitError
	var ab *gh.AbuseRateLimitError
	switch {
	case errors.As(err, &rl), errors.As(err, &ab):
		return inventory.Coverage{Collector: name, Status: inventory.CoverageError, Reason: "rate limit not lifted in time: " + err.Error()}
	case errors.As(err, &er):
		code := er.Response.StatusCode
		if code == http.StatusForbidden || code == http.StatusNotFound || code == http.StatusUnprocessableEntity {
			perm := permissionsFor(name)
			if acc := er.Response.Header.Get("X-Accepted-OAuth-Scopes"); acc != "" {
				perm = "token scope " + acc
			} else if acc := er.Response.Header.Get("X-Accepted-GitHub-Permissions"); acc != "" {
				perm = "App permission " + acc
			}
			return inventory.Coverage{Collector: name, Status: inventory.CoverageSkipped,
				Reason: fmt.Sprintf("%d %s", code, er.Message), Permission: perm}
		}
	}
	return inventory.Coverage{Collector: name, Status: inventory.CoverageError, Reason: err.Error()}
}

// isStatus reports whether err is a GitHub error response with that status.
func isStatus(err error, code int) bool {
	var er *gh.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == code
}
