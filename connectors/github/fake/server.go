// Package fake is an in-process GitHub REST API for tests and the demo. It
// speaks GitHub's wire format for the endpoints shadowscan reads: Link-header
// paging with per_page, primary rate-limit headers and exhaustion, secondary
// rate limits, 401/403/404 the way GitHub sends them for bad tokens, missing
// scopes and missing plans, and GitHub App installation token minting. It
// serves a generated org of any size, and GitHub's own documented example
// responses verbatim (Vendor).
package fake

import (
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// Prefix is the REST root the fake serves under, as GitHub Enterprise Server does.
const Prefix = "/api/v3/"

// Fault makes the next Times requests to a route fail.
type Fault struct {
	Status     int
	Body       string            // raw body; a GitHub-style message is used when empty
	Header     map[string]string // extra headers, e.g. Retry-After
	Times      int               // how many requests fail; <0 = all
	Secondary  bool              // a secondary rate limit (403 with Retry-After and the documentation URL)
	TooMany    bool              // a 429 with Retry-After
	RetryAfter int               // seconds for Secondary/TooMany (default 1)
}

// Options configures a Server.
type Options struct {
	Token   string   // the accepted personal access token; "" accepts any token
	Scopes  []string // the token's OAuth scopes; nil = all scopes
	AppID   int64    // GitHub App accepted for installation token minting
	AppKey  *rsa.PublicKey
	Latency time.Duration // added to every request
	// RateLimit is the primary limit per RateWindow (0 = 5000, never exhausted
	// in practice); RateWindow defaults to an hour.
	RateLimit  int
	RateWindow time.Duration
}

// Server is a running fake GitHub.
type Server struct {
	*httptest.Server
	Org  *Org
	opts Options

	mu          sync.Mutex
	faults      map[string]*Fault
	raw         map[string][]byte
	gone        map[string]bool // repos deleted mid-scan: their per-repo routes 404
	vendorOwner string          // an extra owner accepted on per-repo routes
	tokens      map[string]int64
	windowStart time.Time
	used        int

	requests atomic.Int64
	perRoute sync.Map // route -> *atomic.Int64
}

// New starts a fake serving org.
func New(org *Org, opts Options) *Server {
	if opts.RateLimit == 0 {
		opts.RateLimit = 5000
		if opts.RateWindow == 0 {
			opts.RateWindow = time.Hour
		}
	}
	if opts.RateWindow == 0 {
		opts.RateWindow = time.Hour
	}
	s := &Server{Org: org, opts: opts, faults: map[string]*Fault{}, raw: map[string][]byte{}, gone: map[string]bool{}, tokens: map[string]int64{}, windowStart: time.Now()}
	s.Server = httptest.NewServer(s.routes())
	return s
}

// URL of the REST root, for --api-url.
func (s *Server) APIURL() string { return s.Server.URL + Prefix }

// SetFault installs a fault on a route (see the route names in routes).
func (s *Server) SetFault(route string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults[route] = &f
}

// SetRaw makes a route answer with body verbatim (one page, status 200).
func (s *Server) SetRaw(route string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw[route] = body
}

// DeleteRepo makes a repository's own routes answer 404 from now on, as for a
// repo deleted between listing and reading it; it stays in the org's listing.
func (s *Server) DeleteRepo(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gone[name] = true
}

// Requests is the number of API requests served (token minting included).
func (s *Server) Requests() int64 { return s.requests.Load() }

// RouteRequests is the number of requests served on one route.
func (s *Server) RouteRequests(route string) int64 {
	if v, ok := s.perRoute.Load(route); ok {
		return v.(*atomic.Int64).Load()
	}
	return 0
}

type handler func(w http.ResponseWriter, r *http.Request) (any, error)

type route struct {
	name    string
	pattern string
	scope   string // OAuth scope a PAT needs
	h       handler
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	rs := []route{
		{"org", "GET /orgs/{org}", "", s.getOrg},
		{"installations", "GET /orgs/{org}/installations", "admin:org", s.listInstallations},
		{"app", "GET /apps/{slug}", "", s.getApp},
		{"pats", "GET /orgs/{org}/personal-access-tokens", "admin:org", s.listPATs(false)},
		{"pat_requests", "GET /orgs/{org}/personal-access-token-requests", "admin:org", s.listPATs(true)},
		{"credential_authorizations", "GET /orgs/{org}/credential-authorizations", "read:org", s.listCredAuth},
		{"members", "GET /orgs/{org}/members", "read:org", s.listMembers},
		{"repos", "GET /orgs/{org}/repos", "", s.listRepos},
		{"repo_keys", "GET /repos/{owner}/{repo}/keys", "repo", s.perRepo(func(r *Repo) any { return r.Keys })},
		{"repo_hooks", "GET /repos/{owner}/{repo}/hooks", "admin:repo_hook", s.perRepo(func(r *Repo) any { return r.Hooks })},
		{"repo_secrets", "GET /repos/{owner}/{repo}/actions/secrets", "repo", s.perRepoEnvelope("secrets", func(r *Repo) any { return r.Secrets })},
		{"repo_variables", "GET /repos/{owner}/{repo}/actions/variables", "repo", s.perRepoEnvelope("variables", func(r *Repo) any { return r.Variables })},
		{"org_hooks", "GET /orgs/{org}/hooks", "admin:org_hook", s.orgList(func(o *Org) any { return o.Hooks })},
		{"org_secrets", "GET /orgs/{org}/actions/secrets", "admin:org", s.orgEnvelope("secrets", func(o *Org) any { return o.Secrets })},
		{"org_variables", "GET /orgs/{org}/actions/variables", "admin:org", s.orgEnvelope("variables", func(o *Org) any { return o.Variables })},
		{"copilot_billing", "GET /orgs/{org}/copilot/billing", "manage_billing:copilot", s.copilotBilling},
		{"copilot_seats", "GET /orgs/{org}/copilot/billing/seats", "manage_billing:copilot", s.copilotSeats},
		{"secret_scanning", "GET /orgs/{org}/secret-scanning/alerts", "repo", s.listAlerts},
		{"rate_limit", "GET /rate_limit", "", s.rateLimit},
	}
	for _, rt := range rs {
		rt := rt
		mux.HandleFunc(strings.Replace(rt.pattern, " /", " "+Prefix, 1), func(w http.ResponseWriter, r *http.Request) { s.serve(rt, w, r) })
	}
	mux.HandleFunc("POST "+Prefix+"app/installations/{id}/access_tokens", s.mintToken)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "Not Found", "https://docs.github.com/rest")
	})
	return mux
}

func (s *Server) count(route string) {
	s.requests.Add(1)
	v, _ := s.perRoute.LoadOrStore(route, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

func (s *Server) serve(rt route, w http.ResponseWriter, r *http.Request) {
	s.count(rt.name)
	if s.opts.Latency > 0 {
		select {
		case <-time.After(s.opts.Latency):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	fullAccess, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	if !s.spendRate(w) {
		return
	}
	if f := s.takeFault(rt.name); f != nil {
		s.writeFault(w, f)
		return
	}
	if !fullAccess && rt.scope != "" && !s.hasScope(rt.scope) {
		w.Header().Set("X-Accepted-OAuth-Scopes", rt.scope)
		writeError(w, http.StatusForbidden, "Resource not accessible by personal access token", "https://docs.github.com/rest")
		return
	}
	if org := r.PathValue("org"); org != "" && !strings.EqualFold(org, s.Org.Login) {
		writeError(w, http.StatusNotFound, "Not Found", "https://docs.github.com/rest")
		return
	}
	s.mu.Lock()
	raw, isRaw := s.raw[rt.name]
	s.mu.Unlock()
	if isRaw {
		w.Write(raw)
		return
	}
	body, err := rt.h(w, r)
	if err != nil {
		var he httpError
		if e, ok := err.(httpError); ok {
			he = e
		} else {
			he = httpError{http.StatusInternalServerError, err.Error()}
		}
		writeError(w, he.status, he.msg, "https://docs.github.com/rest")
		return
	}
	if body == nil {
		return
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(body)
}

type httpError struct {
	status int
	msg    string
}

func (e httpError) Error() string { return e.msg }

func writeError(w http.ResponseWriter, status int, msg, doc string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"message": msg, "documentation_url": doc})
}

// authenticate checks the Authorization header. It reports whether the
// caller is an App installation (which has the App's permissions, not scopes).
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (installation bool, ok bool) {
	auth := r.Header.Get("Authorization")
	tok := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(auth, "Bearer "), "token "))
	s.mu.Lock()
	_, isInst := s.tokens[tok]
	s.mu.Unlock()
	switch {
	case isInst:
		return true, true
	case tok != "" && (s.opts.Token == "" || tok == s.opts.Token):
		if s.opts.Scopes != nil {
			w.Header().Set("X-OAuth-Scopes", strings.Join(s.opts.Scopes, ", "))
		}
		return false, true
	}
	writeError(w, http.StatusUnauthorized, "Bad credentials", "https://docs.github.com/rest")
	return false, false
}

func (s *Server) hasScope(scope string) bool {
	if s.opts.Scopes == nil {
		return true
	}
	for _, sc := range s.opts.Scopes {
		if sc == scope || (scope == "read:org" && sc == "admin:org") || (scope == "admin:repo_hook" && sc == "repo") {
			return true
		}
	}
	return false
}

// spendRate charges one request to the primary limit and writes its headers.
func (s *Server) spendRate(w http.ResponseWriter) bool {
	s.mu.Lock()
	now := time.Now()
	if now.Sub(s.windowStart) >= s.opts.RateWindow {
		s.windowStart, s.used = now, 0
	}
	reset := s.windowStart.Add(s.opts.RateWindow)
	exhausted := s.used >= s.opts.RateLimit
	if !exhausted {
		s.used++
	}
	remaining := s.opts.RateLimit - s.used
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.opts.RateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(s.opts.RateLimit-remaining))
	// GitHub's reset is whole epoch seconds; round up so a client that waits
	// for it never comes back a moment early.
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Add(time.Second-1).Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	if exhausted {
		writeError(w, http.StatusForbidden, "API rate limit exceeded for user ID 1.", "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting")
		return false
	}
	return true
}

func (s *Server) takeFault(route string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults[route]
	if f == nil || f.Times == 0 {
		return nil
	}
	if f.Times > 0 {
		f.Times--
	}
	c := *f
	return &c
}

func (s *Server) writeFault(w http.ResponseWriter, f *Fault) {
	for k, v := range f.Header {
		w.Header().Set(k, v)
	}
	ra := f.RetryAfter
	if ra == 0 {
		ra = 1
	}
	switch {
	case f.Secondary:
		w.Header().Set("Retry-After", strconv.Itoa(ra))
		writeError(w, http.StatusForbidden, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
			"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits")
	case f.TooMany:
		w.Header().Set("Retry-After", strconv.Itoa(ra))
		writeError(w, http.StatusTooManyRequests, "Too Many Requests", "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api")
	case f.Body != "":
		w.WriteHeader(f.Status)
		w.Write([]byte(f.Body))
	default:
		msg := http.StatusText(f.Status)
		if f.Status >= 500 {
			msg = "Server Error"
		}
		writeError(w, f.Status, msg, "https://docs.github.com/rest")
	}
}

// page serves one page of items with GitHub's Link header.
func page[T any](w http.ResponseWriter, r *http.Request, items []T) []T {
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if per <= 0 {
		per = 30
	}
	if per > 100 {
		per = 100
	}
	pg, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if pg <= 0 {
		pg = 1
	}
	last := (len(items) + per - 1) / per
	if last == 0 {
		last = 1
	}
	link := func(p int, rel string) string {
		u := *r.URL
		u.Scheme, u.Host = "http", r.Host
		q := u.Query()
		q.Set("page", strconv.Itoa(p))
		q.Set("per_page", strconv.Itoa(per))
		u.RawQuery = q.Encode()
		return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
	}
	var links []string
	if pg > 1 {
		links = append(links, link(pg-1, "prev"), link(1, "first"))
	}
	if pg < last {
		links = append(links, link(pg+1, "next"), link(last, "last"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	start := (pg - 1) * per
	if start >= len(items) {
		return []T{}
	}
	end := min(start+per, len(items))
	return items[start:end]
}

func (s *Server) getOrg(w http.ResponseWriter, r *http.Request) (any, error) {
	return map[string]any{"login": s.Org.Login, "id": s.Org.ID, "name": s.Org.Name, "type": "Organization",
		"html_url": "https://github.com/" + s.Org.Login, "public_repos": len(s.Org.Repos)}, nil
}

func (s *Server) listInstallations(w http.ResponseWriter, r *http.Request) (any, error) {
	return map[string]any{"total_count": len(s.Org.Installations), "installations": page(w, r, s.Org.Installations)}, nil
}

func (s *Server) getApp(w http.ResponseWriter, r *http.Request) (any, error) {
	slug := r.PathValue("slug")
	for _, in := range s.Org.Installations {
		if in.AppSlug == slug && in.App.Slug != "" {
			return in.App, nil
		}
	}
	return nil, httpError{http.StatusNotFound, "Not Found"}
}

func (s *Server) listPATs(requests bool) handler {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		if requests {
			return page(w, r, s.Org.PATRequests), nil
		}
		return page(w, r, s.Org.PATs), nil
	}
}

func (s *Server) listCredAuth(w http.ResponseWriter, r *http.Request) (any, error) {
	if !s.Org.GHEC {
		return nil, httpError{http.StatusNotFound, "Not Found"}
	}
	return page(w, r, s.Org.CredentialAuth), nil
}

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) (any, error) {
	return page(w, r, s.Org.Members), nil
}

func (s *Server) listRepos(w http.ResponseWriter, r *http.Request) (any, error) {
	return page(w, r, s.Org.Repos), nil
}

func (s *Server) findRepo(r *http.Request) (*Repo, error) {
	name := r.PathValue("repo")
	s.mu.Lock()
	gone := s.gone[name]
	s.mu.Unlock()
	if owner := r.PathValue("owner"); gone || (!strings.EqualFold(owner, s.Org.Login) && owner != s.vendorOwner) {
		return nil, httpError{http.StatusNotFound, "Not Found"}
	}
	for i := range s.Org.Repos {
		if s.Org.Repos[i].Name == name {
			return &s.Org.Repos[i], nil
		}
	}
	return nil, httpError{http.StatusNotFound, "Not Found"}
}

func (s *Server) perRepo(get func(*Repo) any) handler {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		repo, err := s.findRepo(r)
		if err != nil {
			return nil, err
		}
		return pageAny(w, r, get(repo)), nil
	}
}

func (s *Server) perRepoEnvelope(key string, get func(*Repo) any) handler {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		repo, err := s.findRepo(r)
		if err != nil {
			return nil, err
		}
		items := get(repo)
		return map[string]any{"total_count": lenAny(items), key: pageAny(w, r, items)}, nil
	}
}

func (s *Server) orgList(get func(*Org) any) handler {
	return func(w http.ResponseWriter, r *http.Request) (any, error) { return pageAny(w, r, get(s.Org)), nil }
}

func (s *Server) orgEnvelope(key string, get func(*Org) any) handler {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		items := get(s.Org)
		return map[string]any{"total_count": lenAny(items), key: pageAny(w, r, items)}, nil
	}
}

func pageAny(w http.ResponseWriter, r *http.Request, items any) any {
	switch v := items.(type) {
	case []DeployKey:
		return page(w, r, v)
	case []Hook:
		return page(w, r, v)
	case []Secret:
		return page(w, r, v)
	case []Variable:
		return page(w, r, v)
	}
	panic(fmt.Sprintf("fake: no pager for %T", items))
}

func lenAny(items any) int {
	switch v := items.(type) {
	case []Secret:
		return len(v)
	case []Variable:
		return len(v)
	}
	return 0
}

func (s *Server) copilotBilling(w http.ResponseWriter, r *http.Request) (any, error) {
	if !s.Org.Copilot {
		return nil, httpError{http.StatusNotFound, "Copilot Business is not enabled for this organization"}
	}
	return s.Org.CopilotBilling, nil
}

func (s *Server) copilotSeats(w http.ResponseWriter, r *http.Request) (any, error) {
	if !s.Org.Copilot {
		return nil, httpError{http.StatusNotFound, "Copilot Business is not enabled for this organization"}
	}
	return map[string]any{"total_seats": len(s.Org.Seats), "seats": page(w, r, s.Org.Seats)}, nil
}

func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request) (any, error) {
	if !s.Org.SecretScanning {
		return nil, httpError{http.StatusNotFound, "Secret scanning is disabled on this organization"}
	}
	alerts := s.Org.Alerts
	if types := r.URL.Query().Get("secret_type"); types != "" {
		want := map[string]bool{}
		for _, t := range strings.Split(types, ",") {
			want[t] = true
		}
		var out []Alert
		for _, a := range alerts {
			if want[a.SecretType] {
				out = append(out, a)
			}
		}
		alerts = out
	}
	return page(w, r, alerts), nil
}

func (s *Server) rateLimit(w http.ResponseWriter, r *http.Request) (any, error) {
	rem, _ := strconv.Atoi(w.Header().Get("X-RateLimit-Remaining"))
	reset, _ := strconv.ParseInt(w.Header().Get("X-RateLimit-Reset"), 10, 64)
	core := map[string]any{"limit": s.opts.RateLimit, "used": s.opts.RateLimit - rem, "remaining": rem, "reset": reset}
	return map[string]any{"resources": map[string]any{"core": core}, "rate": core}, nil
}

// mintToken answers POST /app/installations/{id}/access_tokens for a JWT
// signed by the configured App key.
func (s *Server) mintToken(w http.ResponseWriter, r *http.Request) {
	s.count("app_token")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	raw := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if s.opts.AppKey == nil {
		writeError(w, http.StatusUnauthorized, "A JSON web token could not be decoded", "https://docs.github.com/rest")
		return
	}
	claims := jwt.RegisteredClaims{}
	_, err := jwt.ParseWithClaims(raw, &claims, func(t *jwt.Token) (any, error) {
		if _, ok := t.Method.(*jwt.SigningMethodRSA); !ok {
			return nil, fmt.Errorf("unexpected signing method %v", t.Header["alg"])
		}
		return s.opts.AppKey, nil
	})
	if err != nil || claims.Issuer != strconv.FormatInt(s.opts.AppID, 10) {
		writeError(w, http.StatusUnauthorized, "A JSON web token could not be decoded", "https://docs.github.com/rest")
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	tok := fmt.Sprintf("ghs_fake%020d", s.requests.Load())
	s.mu.Lock()
	s.tokens[tok] = id
	s.mu.Unlock()
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{"token": tok, "expires_at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		"permissions": map[string]string{"organization_administration": "read", "members": "read"}, "repository_selection": "all"})
}

// u builds an api.github.com-style URL for generated objects.
func u(parts ...string) string {
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return "https://api.github.com/" + strings.Join(parts, "/")
}
