// Package fake is an in-process Okta management API for tests and the demo.
// It speaks Okta's wire format for what shadowscan reads: Link-header paging
// with `after` cursors and `limit`, X-Rate-Limit-Limit/Remaining/Reset per
// endpoint bucket and 429 E0000047 when a bucket is spent, 403 E0000006 for
// a token without the scope, 404 E0000007 for features the org lacks, SSWS
// and Bearer auth. It serves generated orgs of any size, or Okta's
// documented examples verbatim (Vendor).
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

// Fault makes the next Times requests to a route fail (Times < 0: all).
type Fault struct {
	Status int
	Body   string
	Times  int
}

// Options configures a Server.
type Options struct {
	Token   string // accepted SSWS token or bearer token; "" accepts any
	Latency time.Duration
	// BucketLimit is requests per BucketWindow per endpoint bucket
	// (0 = 600 per minute, Okta's common default for many endpoints).
	BucketLimit  int
	BucketWindow time.Duration
	// LogsLimit is the bucket size of /api/v1/logs (0 = 120 per window).
	LogsLimit int
	// Scopes limits what the token may read (nil = all), as okta.* scopes.
	Scopes []string
	// A service app that may get tokens with private_key_jwt.
	ClientID  string
	ClientKey *rsa.PublicKey
}

type bucket struct {
	start time.Time
	used  int
	limit int
}

// Server is a running fake Okta org.
type Server struct {
	*httptest.Server
	Org  *Org
	opts Options

	mu      sync.Mutex
	buckets map[string]*bucket
	faults  map[string]*Fault
	raw     map[string][]byte

	minted map[string][]string // access token -> granted scopes

	requests  atomic.Int64
	throttled atomic.Int64
	perRoute  sync.Map
	perBucket sync.Map
}

// New starts a fake serving org.
func New(org *Org, opts Options) *Server {
	if opts.BucketLimit == 0 {
		opts.BucketLimit = 600
	}
	if opts.BucketWindow == 0 {
		opts.BucketWindow = time.Minute
	}
	if opts.LogsLimit == 0 {
		opts.LogsLimit = 120
	}
	s := &Server{Org: org, opts: opts, buckets: map[string]*bucket{}, faults: map[string]*Fault{}, raw: map[string][]byte{}, minted: map[string][]string{}}
	s.Server = httptest.NewServer(s.routes())
	return s
}

// OrgURL is the value for --org-url.
func (s *Server) OrgURL() string { return s.Server.URL }

// SetFault installs a fault on a route.
func (s *Server) SetFault(route string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults[route] = &f
}

// SetRaw makes a route answer with body verbatim.
func (s *Server) SetRaw(route string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw[route] = body
}

// Requests served; Throttled is how many were answered 429.
func (s *Server) Requests() int64  { return s.requests.Load() }
func (s *Server) Throttled() int64 { return s.throttled.Load() }

// BucketRequests counts requests charged to one rate-limit bucket.
func (s *Server) BucketRequests(name string) int64 {
	if v, ok := s.perBucket.Load(name); ok {
		return v.(*atomic.Int64).Load()
	}
	return 0
}

// RouteRequests counts requests on one route.
func (s *Server) RouteRequests(route string) int64 {
	if v, ok := s.perRoute.Load(route); ok {
		return v.(*atomic.Int64).Load()
	}
	return 0
}

type handler func(r *http.Request) (any, error)

type oktaError struct {
	status  int
	code    string
	summary string
}

func (e oktaError) Error() string { return e.code + " " + e.summary }

func notFound() error {
	return oktaError{http.StatusNotFound, "E0000007", "Not found: Resource not found"}
}

func writeError(w http.ResponseWriter, e oktaError) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	json.NewEncoder(w).Encode(map[string]any{"errorCode": e.code, "errorSummary": e.summary, "errorLink": e.code, "errorId": "oae" + strconv.Itoa(int(time.Now().UnixNano()%1e6)), "errorCauses": []any{}})
}

type route struct {
	name, pattern, bucket, scope string
	h                            handler
}

func (s *Server) routes() http.Handler {
	o := s.Org
	mux := http.NewServeMux()
	rs := []route{
		{"apps", "GET /api/v1/apps", "apps", "okta.apps.read", func(r *http.Request) (any, error) { return s.page(r, o.Apps) }},
		{"app_grants", "GET /api/v1/apps/{id}/grants", "apps", "okta.appGrants.read", func(r *http.Request) (any, error) {
			a := o.app(r.PathValue("id"))
			if a == nil {
				return nil, notFound()
			}
			return nonNil(a.Grants), nil
		}},
		{"app_secrets", "GET /api/v1/apps/{id}/credentials/secrets", "apps", "okta.apps.read", func(r *http.Request) (any, error) {
			a := o.app(r.PathValue("id"))
			if a == nil {
				return nil, notFound()
			}
			return nonNil(a.Secrets), nil
		}},
		{"app_jwks", "GET /api/v1/apps/{id}/credentials/jwks", "apps", "okta.apps.read", func(r *http.Request) (any, error) {
			a := o.app(r.PathValue("id"))
			if a == nil {
				return nil, notFound()
			}
			return nonNil(a.JWKs), nil
		}},
		{"app_users", "GET /api/v1/apps/{id}/users", "apps", "okta.apps.read", func(r *http.Request) (any, error) {
			a := o.app(r.PathValue("id"))
			if a == nil {
				return nil, notFound()
			}
			return s.page(r, a.Users)
		}},
		{"app_groups", "GET /api/v1/apps/{id}/groups", "apps", "okta.apps.read", func(r *http.Request) (any, error) {
			a := o.app(r.PathValue("id"))
			if a == nil {
				return nil, notFound()
			}
			return s.page(r, a.Groups)
		}},
		{"client_roles", "GET /oauth2/v1/clients/{clientId}/roles", "roles", "okta.roles.read", func(r *http.Request) (any, error) {
			for _, a := range o.Apps {
				if ClientID(a) == r.PathValue("clientId") {
					if x := o.app(fmt.Sprint(a["id"])); x != nil {
						return nonNil(x.Roles), nil
					}
				}
			}
			return nil, notFound()
		}},
		{"api_tokens", "GET /api/v1/api-tokens", "tokens", "okta.apiTokens.read", func(r *http.Request) (any, error) { return s.page(r, o.Tokens) }},
		{"user", "GET /api/v1/users/{id}", "users", "okta.users.read", func(r *http.Request) (any, error) {
			if u := o.user(r.PathValue("id")); u != nil {
				return u, nil
			}
			return nil, notFound()
		}},
		{"user_roles", "GET /api/v1/users/{id}/roles", "roles", "okta.roles.read", func(r *http.Request) (any, error) {
			if u := o.user(r.PathValue("id")); u != nil {
				return o.UserRoles[u["id"].(string)], nil
			}
			return nil, notFound()
		}},
		{"client_privileges", "GET /api/v1/org/settings/clientPrivilegesSetting", "org", "okta.orgs.read", func(r *http.Request) (any, error) {
			return map[string]any{"clientPrivilegesSetting": o.ClientPrivileges}, nil
		}},
		{"ai_agents", "GET /workload-principals/api/v1/ai-agents", "agents", "okta.aiAgents.read", func(r *http.Request) (any, error) {
			if !o.AIAgentsEnabled {
				return nil, notFound()
			}
			return map[string]any{"data": o.AIAgents, "_links": map[string]any{}}, nil
		}},
		{"auth_servers", "GET /api/v1/authorizationServers", "authServers", "okta.authorizationServers.read", func(r *http.Request) (any, error) {
			return s.page(r, o.AuthServers)
		}},
		{"auth_server_policies", "GET /api/v1/authorizationServers/{id}/policies", "authServers", "okta.authorizationServers.read", func(r *http.Request) (any, error) {
			p, found := o.AuthPolicies[r.PathValue("id")]
			if !found {
				return nil, notFound()
			}
			return nonNil(p), nil
		}},
		{"cross_app", "GET /api/v1/apps/{id}/cwo/connections", "apps", "okta.apps.read", func(r *http.Request) (any, error) {
			a := o.app(r.PathValue("id"))
			if a == nil || !o.CrossAppAccess {
				return nil, notFound()
			}
			return nonNil(a.Connections), nil
		}},
		{"logs", "GET /api/v1/logs", "logs", "okta.logs.read", func(r *http.Request) (any, error) { return s.logs(r) }},
	}
	for _, rt := range rs {
		rt := rt
		mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) { s.serve(rt, w, r) })
	}
	mux.HandleFunc("POST /oauth2/v1/token", s.token)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { writeError(w, notFound().(oktaError)) })
	return mux
}

func (s *Server) serve(rt route, w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	v, _ := s.perRoute.LoadOrStore(rt.name, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
	if s.opts.Latency > 0 {
		select {
		case <-time.After(s.opts.Latency):
		case <-r.Context().Done():
			return
		}
	}
	auth := r.Header.Get("Authorization")
	tok := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(auth, "SSWS "), "Bearer "))
	s.mu.Lock()
	granted, isMinted := s.minted[tok]
	s.mu.Unlock()
	switch {
	case isMinted && strings.HasPrefix(auth, "Bearer "):
		if !contains(granted, rt.scope) {
			writeError(w, oktaError{http.StatusForbidden, "E0000006", "You do not have permission to perform the requested action"})
			return
		}
	case strings.HasPrefix(auth, "SSWS ") && tok != "" && (s.opts.Token == "" || tok == s.opts.Token):
	default:
		writeError(w, oktaError{http.StatusUnauthorized, "E0000011", "Invalid token provided"})
		return
	}
	bv, _ := s.perBucket.LoadOrStore(rt.bucket, new(atomic.Int64))
	bv.(*atomic.Int64).Add(1)
	if !s.charge(w, rt.bucket) {
		s.throttled.Add(1)
		writeError(w, oktaError{http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests."})
		return
	}
	if s.opts.Scopes != nil && !contains(s.opts.Scopes, rt.scope) {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer authorization_uri="http://%s/oauth2/v1/authorize", realm="http://%s", scope="%s", error="insufficient_scope", error_description="The access token provided does not contain the required scopes."`, r.Host, r.Host, rt.scope))
		writeError(w, oktaError{http.StatusForbidden, "E0000006", "You do not have permission to perform the requested action"})
		return
	}
	s.mu.Lock()
	f := s.faults[rt.name]
	var fault *Fault
	if f != nil && f.Times != 0 {
		if f.Times > 0 {
			f.Times--
		}
		c := *f
		fault = &c
	}
	raw, isRaw := s.raw[rt.name]
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if fault != nil {
		if fault.Body != "" {
			w.WriteHeader(fault.Status)
			w.Write([]byte(fault.Body))
			return
		}
		writeError(w, oktaError{fault.Status, map[int]string{403: "E0000006", 404: "E0000007", 500: "E0000009"}[fault.Status], http.StatusText(fault.Status)})
		return
	}
	if isRaw {
		w.Write(raw)
		return
	}
	body, err := rt.h(r)
	if err != nil {
		oe, ok := err.(oktaError)
		if !ok {
			oe = oktaError{http.StatusBadRequest, "E0000001", err.Error()}
		}
		writeError(w, oe)
		return
	}
	if lp, ok := body.(linkPage); ok {
		if lp.next != "" {
			w.Header().Add("Link", fmt.Sprintf(`<%s>; rel="self"`, lp.self))
			w.Header().Add("Link", fmt.Sprintf(`<%s>; rel="next"`, lp.next))
		}
		body = lp.items
	}
	json.NewEncoder(w).Encode(body)
}

// charge spends one request from an endpoint bucket and writes Okta's
// rate-limit headers; it reports false when the bucket is empty.
func (s *Server) charge(w http.ResponseWriter, name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := s.opts.BucketLimit
	if name == "logs" {
		limit = s.opts.LogsLimit
	}
	b := s.buckets[name]
	now := time.Now()
	if b == nil || now.Sub(b.start) >= s.opts.BucketWindow {
		b = &bucket{start: now, limit: limit}
		s.buckets[name] = b
	}
	reset := b.start.Add(s.opts.BucketWindow)
	w.Header().Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
	w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(reset.Add(time.Second-1).Unix(), 10))
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	if b.used >= limit {
		w.Header().Set("X-Rate-Limit-Remaining", "0")
		return false
	}
	b.used++
	w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(limit-b.used))
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type linkPage struct {
	items      any
	self, next string
}

// page serves items by `after` cursor (the id of the last item) and `limit`.
func (s *Server) page(r *http.Request, items []map[string]any) (any, error) {
	q := r.URL.Query()
	limit := 20
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, oktaError{http.StatusBadRequest, "E0000001", "Api validation failed: limit"}
		}
		limit = min(n, 200)
	}
	start := 0
	if after := q.Get("after"); after != "" {
		start = len(items)
		for i, it := range items {
			if it["id"] == after {
				start = i + 1
				break
			}
		}
	}
	end := min(start+limit, len(items))
	out := items[start:end]
	lp := linkPage{items: out}
	if lp.items == nil || len(out) == 0 {
		lp.items = []map[string]any{}
	}
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: r.URL.RawQuery}
	lp.self = u.String()
	if end < len(items) {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		nq.Set("after", fmt.Sprint(out[len(out)-1]["id"]))
		nq.Set("limit", strconv.Itoa(limit))
		u.RawQuery = nq.Encode()
		lp.next = u.String()
	}
	return lp, nil
}

// logs serves System Log events between since and until matching a simple
// `eventType eq "..."` filter.
func (s *Server) logs(r *http.Request) (any, error) {
	q := r.URL.Query()
	since, _ := time.Parse(time.RFC3339, q.Get("since"))
	until := time.Now().Add(time.Hour)
	if u := q.Get("until"); u != "" {
		until, _ = time.Parse(time.RFC3339, u)
	}
	filter := q.Get("filter")
	var out []map[string]any
	for _, e := range s.Org.Logs {
		ts, _ := time.Parse(time.RFC3339, fmt.Sprint(e["published"]))
		if ts.Before(since) || ts.After(until) {
			continue
		}
		switch {
		case strings.Contains(filter, "requestApiTokenId pr"):
			tx, _ := e["transaction"].(map[string]any)
			detail, _ := tx["detail"].(map[string]any)
			if detail["requestApiTokenId"] == nil {
				continue
			}
		case filter != "" && !strings.Contains(filter, fmt.Sprintf("%q", e["eventType"])):
			continue
		}
		out = append(out, e)
	}
	return s.page(r, out)
}

// token answers the client-credentials grant for a private_key_jwt assertion.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	w.Header().Set("Content-Type", "application/json")
	fail := func(code, desc string) {
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
	}
	if err := r.ParseForm(); err != nil || r.Form.Get("grant_type") != "client_credentials" {
		fail("unsupported_grant_type", "The authorization grant type is not supported.")
		return
	}
	if s.opts.ClientKey == nil || r.Form.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		fail("invalid_client", "Client authentication failed.")
		return
	}
	claims := jwt.RegisteredClaims{}
	_, err := jwt.ParseWithClaims(r.Form.Get("client_assertion"), &claims, func(t *jwt.Token) (any, error) {
		if _, ok := t.Method.(*jwt.SigningMethodRSA); !ok {
			return nil, fmt.Errorf("alg %v", t.Header["alg"])
		}
		return s.opts.ClientKey, nil
	})
	aud := "http://" + r.Host + "/oauth2/v1/token"
	if err != nil || claims.Issuer != s.opts.ClientID || claims.Subject != s.opts.ClientID || !claims.VerifyAudience(aud, true) {
		fail("invalid_client", "The client_assertion signature is invalid.")
		return
	}
	tok := fmt.Sprintf("eyJfake.%d.%d", time.Now().UnixNano(), s.requests.Load())
	scopes := strings.Fields(r.Form.Get("scope"))
	s.mu.Lock()
	s.minted[tok] = scopes
	s.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3600, "access_token": tok, "scope": strings.Join(scopes, " ")})
}
