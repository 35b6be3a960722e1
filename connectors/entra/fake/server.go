// Package fake is an in-process Microsoft Graph for tests and the demo. It
// speaks Graph's wire format for what shadowscan reads: absolute
// @odata.nextLink paging with $top and $skiptoken, $select projection,
// $batch (gzip bodies accepted), @odata.type on directory objects, Graph
// error bodies (403 Authorization_RequestDenied, licence errors), 429 with
// Retry-After and x-ms-throttle-limit-percentage. It serves a generated
// tenant of any size, or Microsoft's documented examples verbatim (Vendor).
package fake

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Fault makes the next Times requests to a route fail (Times < 0: all).
type Fault struct {
	Status     int
	Code       string // Graph error code
	Body       string // raw body instead of a Graph error
	Times      int
	RetryAfter int // seconds, with 429/503
}

// Options configures a Server.
type Options struct {
	Token           string        // accepted bearer token; "" accepts any
	Latency         time.Duration // per HTTP request (a $batch counts once)
	ThrottlePercent float64       // x-ms-throttle-limit-percentage on every response when > 0
}

// Server is a running fake Graph.
type Server struct {
	*httptest.Server
	Tenant *Tenant
	opts   Options
	mux    *http.ServeMux

	mu     sync.Mutex
	faults map[string]*Fault
	raw    map[string][]byte
	index  map[string]*ServicePrincipal
	apps   map[string]*Application

	requests   atomic.Int64 // HTTP requests
	batchSteps atomic.Int64 // requests carried inside $batch
	perRoute   sync.Map
}

// New starts a fake serving t.
func New(t *Tenant, opts Options) *Server {
	s := &Server{Tenant: t, opts: opts, faults: map[string]*Fault{}, raw: map[string][]byte{}}
	s.reindex()
	s.mux = s.routes()
	s.Server = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

func (s *Server) reindex() {
	s.index, s.apps = map[string]*ServicePrincipal{}, map[string]*Application{}
	for i := range s.Tenant.ServicePrincipals {
		s.index[s.Tenant.ServicePrincipals[i].ID] = &s.Tenant.ServicePrincipals[i]
	}
	for i := range s.Tenant.Applications {
		s.apps[s.Tenant.Applications[i].ID] = &s.Tenant.Applications[i]
	}
}

// GraphURL is the value for --graph-url.
func (s *Server) GraphURL() string { return s.Server.URL }

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

// Requests is the number of HTTP requests served; BatchSteps the number of
// requests carried inside $batch.
func (s *Server) Requests() int64   { return s.requests.Load() }
func (s *Server) BatchSteps() int64 { return s.batchSteps.Load() }

// RouteRequests counts requests (batch steps included) on one route.
func (s *Server) RouteRequests(route string) int64 {
	if v, ok := s.perRoute.Load(route); ok {
		return v.(*atomic.Int64).Load()
	}
	return 0
}

type handler func(r *http.Request) (any, error)

type graphError struct {
	status     int
	code, msg  string
	retryAfter int
}

func (e graphError) Error() string { return e.code + ": " + e.msg }

func notFound(what string) error {
	return graphError{http.StatusNotFound, "Request_ResourceNotFound", fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", what), 0}
}

func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	add := func(name, pattern string, h handler) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) { s.serveRoute(name, h, w, r) })
	}
	t := s.Tenant
	add("service_principals", "GET /v1.0/servicePrincipals", func(r *http.Request) (any, error) {
		return list(r, t.ServicePrincipals, 999)
	})
	add("agent_identities", "GET /v1.0/servicePrincipals/microsoft.graph.agentIdentity", func(r *http.Request) (any, error) {
		if !t.AgentID {
			return nil, graphError{http.StatusBadRequest, "BadRequest", "Resource not found for the segment 'microsoft.graph.agentIdentity'.", 0}
		}
		var out []ServicePrincipal
		for _, sp := range t.ServicePrincipals {
			if sp.ServicePrincipalType == "ServiceIdentity" {
				sp.ODataType = "#microsoft.graph.agentIdentity"
				out = append(out, sp)
			}
		}
		return list(r, out, 100)
	})
	add("blueprint_principals", "GET /v1.0/servicePrincipals/microsoft.graph.agentIdentityBlueprintPrincipal", func(r *http.Request) (any, error) {
		if !t.AgentID {
			return nil, graphError{http.StatusBadRequest, "BadRequest", "Resource not found for the segment 'microsoft.graph.agentIdentityBlueprintPrincipal'.", 0}
		}
		var out []ServicePrincipal
		for _, sp := range t.ServicePrincipals {
			if sp.ODataType == "#microsoft.graph.agentIdentityBlueprintPrincipal" {
				out = append(out, sp)
			}
		}
		return list(r, out, 100)
	})
	add("blueprint_apps", "GET /v1.0/applications/microsoft.graph.agentIdentityBlueprint", func(r *http.Request) (any, error) {
		if !t.AgentID {
			return nil, graphError{http.StatusBadRequest, "BadRequest", "Resource not found for the segment 'microsoft.graph.agentIdentityBlueprint'.", 0}
		}
		var out []Application
		for _, a := range t.Applications {
			if a.ODataType == "#microsoft.graph.agentIdentityBlueprint" {
				out = append(out, a)
			}
		}
		return list(r, out, 100)
	})
	add("sp_owners", "GET /v1.0/servicePrincipals/{id}/owners", func(r *http.Request) (any, error) {
		sp := s.index[r.PathValue("id")]
		if sp == nil {
			return nil, notFound(r.PathValue("id"))
		}
		return list(r, s.users(sp.Owners), 999)
	})
	add("sp_sponsors", "GET /v1.0/servicePrincipals/{id}/microsoft.graph.agentIdentity/sponsors", func(r *http.Request) (any, error) {
		sp := s.index[r.PathValue("id")]
		if sp == nil || sp.ServicePrincipalType != "ServiceIdentity" {
			return nil, notFound(r.PathValue("id"))
		}
		return list(r, s.users(sp.Sponsors), 999)
	})
	add("app_role_assigned_to", "GET /v1.0/servicePrincipals/{id}/appRoleAssignedTo", func(r *http.Request) (any, error) {
		if s.index[r.PathValue("id")] == nil {
			return nil, notFound(r.PathValue("id"))
		}
		return list(r, t.Assignments[r.PathValue("id")], 999)
	})
	add("user", "GET /v1.0/users/{id}", func(r *http.Request) (any, error) {
		for _, u := range t.Users {
			if u.ID == r.PathValue("id") {
				return u, nil
			}
		}
		return nil, notFound(r.PathValue("id"))
	})
	add("applications", "GET /v1.0/applications", func(r *http.Request) (any, error) { return list(r, t.Applications, 999) })
	add("app_owners", "GET /v1.0/applications/{id}/owners", func(r *http.Request) (any, error) {
		app := s.apps[r.PathValue("id")]
		if app == nil {
			return nil, notFound(r.PathValue("id"))
		}
		return list(r, s.users(app.Owners), 999)
	})
	add("app_federated", "GET /v1.0/applications/{id}/federatedIdentityCredentials", func(r *http.Request) (any, error) {
		app := s.apps[r.PathValue("id")]
		if app == nil {
			return nil, notFound(r.PathValue("id"))
		}
		return list(r, app.Federated, 999)
	})
	add("oauth2_grants", "GET /v1.0/oauth2PermissionGrants", func(r *http.Request) (any, error) { return list(r, t.Grants, 999) })
	add("role_definitions", "GET /v1.0/roleManagement/directory/roleDefinitions", func(r *http.Request) (any, error) {
		return list(r, t.RoleDefinitions, 999)
	})
	add("role_assignments", "GET /v1.0/roleManagement/directory/roleAssignments", func(r *http.Request) (any, error) {
		return list(r, t.RoleAssignments, 999)
	})
	add("authorization_policy", "GET /v1.0/policies/authorizationPolicy", func(r *http.Request) (any, error) { return t.AuthzPolicy, nil })
	add("admin_consent_policy", "GET /v1.0/policies/adminConsentRequestPolicy", func(r *http.Request) (any, error) { return t.AdminConsent, nil })
	add("consent_requests", "GET /v1.0/identityGovernance/appConsent/appConsentRequests", func(r *http.Request) (any, error) {
		return list(r, t.ConsentRequests, 999)
	})
	add("sp_sign_ins", "GET /beta/reports/servicePrincipalSignInActivities", func(r *http.Request) (any, error) {
		if !t.PremiumP1 {
			return nil, graphError{http.StatusForbidden, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
				"Neither tenant is B2C or tenant doesn't have premium license", 0}
		}
		return list(r, t.SignIns, 999)
	})
	add("cred_sign_ins", "GET /beta/reports/appCredentialSignInActivities", func(r *http.Request) (any, error) {
		if !t.PremiumP1 {
			return nil, graphError{http.StatusForbidden, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
				"Neither tenant is B2C or tenant doesn't have premium license", 0}
		}
		return list(r, []map[string]any{}, 999)
	})
	mux.HandleFunc("POST /v1.0/$batch", s.batch)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, graphError{http.StatusNotFound, "UnknownError", "No route for " + r.URL.Path, 0})
	})
	return mux
}

func (s *Server) users(ids []string) []User {
	var out []User
	for _, id := range ids {
		for _, u := range s.Tenant.Users {
			if u.ID == id {
				out = append(out, u)
			}
		}
	}
	return out
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if s.opts.Latency > 0 {
		select {
		case <-time.After(s.opts.Latency):
		case <-r.Context().Done():
			return
		}
	}
	if s.opts.ThrottlePercent > 0 {
		w.Header().Set("x-ms-throttle-limit-percentage", strconv.FormatFloat(s.opts.ThrottlePercent, 'f', 2, 64))
	}
	auth := r.Header.Get("Authorization")
	tok := strings.TrimPrefix(auth, "Bearer ")
	if tok == "" || tok == auth || (s.opts.Token != "" && tok != s.opts.Token) {
		writeError(w, graphError{http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or invalid.", 0})
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) serveRoute(name string, h handler, w http.ResponseWriter, r *http.Request) {
	v, _ := s.perRoute.LoadOrStore(name, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.Header().Set("request-id", fmt.Sprintf("%08d-0000-0000-0000-000000000000", s.requests.Load()))
	if f := s.takeFault(name); f != nil {
		if f.Body != "" {
			w.WriteHeader(f.Status)
			io.WriteString(w, f.Body)
			return
		}
		code := f.Code
		if code == "" {
			code = map[int]string{403: "Authorization_RequestDenied", 429: "TooManyRequests", 503: "ServiceUnavailable"}[f.Status]
		}
		msg := "Insufficient privileges to complete the operation."
		if f.Status == 429 {
			msg = "Too many requests."
		} else if f.Status >= 500 {
			msg = "Service unavailable."
		}
		writeError(w, graphError{f.Status, code, msg, f.RetryAfter})
		return
	}
	s.mu.Lock()
	raw, isRaw := s.raw[name]
	s.mu.Unlock()
	if isRaw {
		w.Write(raw)
		return
	}
	body, err := h(r)
	if err != nil {
		ge, ok := err.(graphError)
		if !ok {
			ge = graphError{http.StatusBadRequest, "BadRequest", err.Error(), 0}
		}
		writeError(w, ge)
		return
	}
	b, err := json.Marshal(body)
	if err != nil {
		writeError(w, graphError{500, "InternalServerError", err.Error(), 0})
		return
	}
	if sel := r.URL.Query().Get("$select"); sel != "" {
		b = project(b, strings.Split(sel, ","))
	}
	w.Write(b)
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

func writeError(w http.ResponseWriter, e graphError) {
	w.Header().Set("Content-Type", "application/json")
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	w.WriteHeader(e.status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": e.code, "message": e.msg,
		"innerError": map[string]any{"date": time.Now().UTC().Format("2006-01-02T15:04:05"), "request-id": "00000000-0000-0000-0000-000000000001"}}})
}

// list serves one page of items with an absolute @odata.nextLink.
func list[T any](r *http.Request, items []T, maxTop int) (any, error) {
	q := r.URL.Query()
	top := 100
	if v := q.Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, graphError{http.StatusBadRequest, "Request_BadRequest", "Invalid value for $top.", 0}
		}
		if n > maxTop {
			return nil, graphError{http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("The value of $top must be between 1 and %d.", maxTop), 0}
		}
		top = n
	}
	skip := 0
	if v := q.Get("$skiptoken"); v != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(v, "X'"))
		if err != nil || n < 0 {
			return nil, graphError{http.StatusBadRequest, "Request_BadRequest", "Invalid $skiptoken.", 0}
		}
		skip = n
	}
	end := min(skip+top, len(items))
	page := []T{}
	if skip < len(items) {
		page = items[skip:end]
	}
	out := map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#" + strings.TrimPrefix(r.URL.Path, "/v1.0/"), "value": page}
	if end < len(items) {
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path}
		nq := url.Values{}
		for k, v := range q {
			if k != "$skiptoken" {
				nq[k] = v
			}
		}
		nq.Set("$skiptoken", "X'"+strconv.Itoa(end))
		u.RawQuery = nq.Encode()
		out["@odata.nextLink"] = u.String()
	}
	return out, nil
}

// project applies $select to a collection or an object.
func project(b []byte, fields []string) []byte {
	keep := map[string]bool{"id": true, "@odata.type": true}
	for _, f := range fields {
		keep[strings.TrimSpace(f)] = true
	}
	pick := func(m map[string]any) {
		for k := range m {
			if !keep[k] {
				delete(m, k)
			}
		}
	}
	var doc map[string]any
	if json.Unmarshal(b, &doc) != nil {
		return b
	}
	if vals, ok := doc["value"].([]any); ok {
		for _, v := range vals {
			if m, ok := v.(map[string]any); ok {
				pick(m)
			}
		}
	} else {
		ctx, next := doc["@odata.context"], doc["@odata.nextLink"]
		pick(doc)
		if ctx != nil {
			doc["@odata.context"] = ctx
		}
		_ = next
	}
	out, _ := json.Marshal(doc)
	return out
}

type batchReq struct {
	Requests []struct {
		ID      string            `json:"id"`
		Method  string            `json:"method"`
		URL     string            `json:"url"`
		Headers map[string]string `json:"headers"`
	} `json:"requests"`
}

// batch answers POST /$batch by running each step through the router.
func (s *Server) batch(w http.ResponseWriter, r *http.Request) {
	var body io.Reader = r.Body
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			writeError(w, graphError{400, "BadRequest", "invalid gzip body", 0})
			return
		}
		body = zr
	}
	var req batchReq
	if err := json.NewDecoder(body).Decode(&req); err != nil {
		writeError(w, graphError{400, "BadRequest", "Invalid batch payload: " + err.Error(), 0})
		return
	}
	if len(req.Requests) > 20 {
		writeError(w, graphError{400, "BadRequest", "The number of batch requests exceeds the limit of 20.", 0})
		return
	}
	type stepResp struct {
		ID      string            `json:"id"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body,omitempty"`
	}
	var resps []stepResp
	for _, st := range req.Requests {
		s.batchSteps.Add(1)
		path := st.URL
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		sub := httptest.NewRequest(strings.ToUpper(st.Method), "/v1.0"+path, nil)
		sub.Host = r.Host
		sub.Header.Set("Authorization", r.Header.Get("Authorization"))
		rec := httptest.NewRecorder()
		s.mux.ServeHTTP(rec, sub)
		h := map[string]string{"Content-Type": "application/json"}
		if ra := rec.Header().Get("Retry-After"); ra != "" {
			h["Retry-After"] = ra
		}
		body := bytes.TrimSpace(rec.Body.Bytes())
		if !json.Valid(body) {
			body = nil
		}
		resps = append(resps, stepResp{ID: st.ID, Status: rec.Code, Headers: h, Body: body})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"responses": resps})
}
