package okta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	oktasdk "github.com/okta/okta-sdk-golang/v5/okta"
	"golang.org/x/sync/errgroup"

	"github.com/shadowscan/shadowscan/inventory"
)

// Identity kinds this connector emits.
const (
	KindApp      = "okta_app"
	KindAPIToken = "okta_api_token"
	KindAIAgent  = "okta_ai_agent"
)

// Okta integration-network names of custom (org-built) apps.
var customAppNames = map[string]bool{"oidc_client": true, "bookmark": true, "template_swa": true, "template_basic_auth": true}

type app struct {
	raw    map[string]any
	ident  inventory.Identity
	client string
}

type crawl struct {
	c    *Connector
	sink inventory.Sink
	now  time.Time

	mu       sync.Mutex
	apps     []*app
	users    map[string]inventory.Principal
	roles    map[string][]string
	lastUse  map[string]time.Time
	tokenUse map[string]time.Time
	ok       map[string]bool
}

func s(m map[string]any, keys ...string) string {
	var cur any = m
	for _, k := range keys {
		mm, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = mm[k]
	}
	v, _ := cur.(string)
	return v
}

func list(m map[string]any, keys ...string) []string {
	var cur any = m
	for _, k := range keys {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[k]
	}
	raw, _ := cur.([]any)
	var out []string
	for _, v := range raw {
		if str, ok := v.(string); ok {
			out = append(out, str)
		}
	}
	return out
}

func parseTime(v string) *time.Time {
	if v == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}

// Scan implements connectors.Connector.
func (c *Connector) Scan(ctx context.Context, sink inventory.Sink) error {
	cr := &crawl{c: c, sink: sink, now: c.cfg.Now(), users: map[string]inventory.Principal{}, roles: map[string][]string{}, lastUse: map[string]time.Time{}, tokenUse: map[string]time.Time{}, ok: map[string]bool{}}
	c.log.Info("scanning Okta org", "org", c.tenant)
	if err := cr.listApps(ctx); err != nil {
		return c.fatal(err)
	}
	if err := sink.Coverage(ctx, inventory.Coverage{Collector: colApps, Status: inventory.CoverageOK}); err != nil {
		return err
	}
	type step struct {
		name string
		fn   func(context.Context) error
	}
	// Okta limits each endpoint bucket on its own, so collectors that spend
	// different buckets run side by side: the per-app reads (apps bucket) in
	// one lane, the System Log, client roles, tokens and agents in another.
	// The System Log comes first in its lane: tokens read what it found.
	lanes := [][]step{
		{
			{colGrants, cr.perApp(cr.grants, func(a *app) bool { return true })},
			{colAppCreds, cr.perApp(cr.credentials, func(a *app) bool { return a.client != "" })},
			{colAssignments, cr.perApp(cr.assignments, func(a *app) bool { return true })},
			{colCrossApp, cr.crossAppAccess},
			{colAuthServers, cr.authServers},
			{colOrgSettings, cr.orgSettings},
		},
		{
			{colSystemLog, cr.systemLog},
			{colClientRoles, cr.perApp(cr.clientRoles, func(a *app) bool { return a.client != "" })},
			{colTokens, cr.tokens},
			{colAIAgents, cr.aiAgents},
		},
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, lane := range lanes {
		g.Go(func() error {
			for _, st := range lane {
				if err := cr.collect(gctx, st.name, st.fn); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, a := range cr.apps {
		if t, ok := cr.lastUse[a.client]; ok && a.client != "" {
			tt := t
			a.ident.LastUsedAt = &tt
		}
		if !cr.isOK(colSystemLog) {
			a.ident.Attributes["activity_data"] = "unavailable"
		}
		if err := sink.Identity(ctx, a.ident); err != nil {
			return err
		}
	}
	return ctx.Err()
}

func (cr *crawl) isOK(name string) bool {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	return cr.ok[name]
}

func (c *Connector) fatal(err error) error {
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("okta org %s: scan cancelled: %w", c.tenant, err)
	case statusOf(err) == http.StatusUnauthorized:
		return fmt.Errorf("okta org %s: Okta rejected the API token (401): check OKTA_API_TOKEN: %w", c.tenant, err)
	case statusOf(err) == http.StatusForbidden:
		return fmt.Errorf("okta org %s: the token cannot list apps (403): it needs okta.apps.read (a read-only admin): %w", c.tenant, err)
	}
	return fmt.Errorf("okta org %s: %w", c.tenant, err)
}

func (cr *crawl) collect(ctx context.Context, name string, fn func(context.Context) error) error {
	err := fn(ctx)
	if err == nil {
		cr.mu.Lock()
		cr.ok[name] = true
		cr.mu.Unlock()
		return cr.sink.Coverage(ctx, inventory.Coverage{Collector: name, Status: inventory.CoverageOK})
	}
	if ctx.Err() != nil {
		return cr.c.fatal(ctx.Err())
	}
	if statusOf(err) == http.StatusUnauthorized {
		return cr.c.fatal(err)
	}
	cov := inventory.Coverage{Collector: name, Status: inventory.CoverageError, Reason: err.Error()}
	switch st := statusOf(err); st {
	case http.StatusForbidden, http.StatusNotFound:
		cov = inventory.Coverage{Collector: name, Status: inventory.CoverageSkipped, Reason: fmt.Sprintf("%d: %v", st, err), Permission: permissionsFor(name)}
		cr.c.log.Info("collector skipped", "collector", name, "reason", cov.Reason)
	default:
		cr.sink.Error(ctx, fmt.Errorf("collector %s: %w", name, err))
		cr.c.log.Warn("collector failed", "collector", name, "err", err)
	}
	return cr.sink.Coverage(ctx, cov)
}

// listApps pages /api/v1/apps with the after cursor and decodes each app
// by hand: the SDK returns an empty object for a signOnMode it does not know.
func (cr *crawl) listApps(ctx context.Context) error {
	next := "/api/v1/apps?limit=200"
	for next != "" {
		var page []map[string]any
		n, err := cr.c.get(ctx, next, &page)
		if err != nil {
			return err
		}
		for _, raw := range page {
			cr.apps = append(cr.apps, cr.newApp(raw))
		}
		next = n
	}
	return nil
}

func (cr *crawl) newApp(raw map[string]any) *app {
	id := s(raw, "id")
	name := s(raw, "name")
	label := s(raw, "label")
	if label == "" {
		label = name
	}
	status := strings.ToLower(s(raw, "status"))
	if status == "" {
		status = "unknown"
	}
	origin := "third_party"
	if customAppNames[name] || strings.HasPrefix(name, cr.c.tenant) {
		origin = "internal"
	}
	homepage := s(raw, "settings", "oauthClient", "client_uri")
	if homepage == "" {
		homepage = s(raw, "settings", "app", "baseUrl")
	}
	var redirectHosts []string
	for _, ru := range list(raw, "settings", "oauthClient", "redirect_uris") {
		if u, err := url.Parse(ru); err == nil && u.Host != "" {
			redirectHosts = append(redirectHosts, u.Hostname())
		}
	}
	a := &app{raw: raw, client: s(raw, "credentials", "oauthClient", "client_id")}
	if a.client == "" && s(raw, "signOnMode") == "OPENID_CONNECT" {
		a.client = id
	}
	a.ident = inventory.Identity{Kind: KindApp, NativeID: id, Name: label, URL: homepage, Origin: origin, Status: status, Collector: colApps,
		CreatedAt: parseTime(s(raw, "created")),
		Attributes: map[string]any{"app_name": name, "sign_on_mode": s(raw, "signOnMode"), "application_type": s(raw, "settings", "oauthClient", "application_type"),
			"grant_types": list(raw, "settings", "oauthClient", "grant_types"), "consent_method": s(raw, "settings", "oauthClient", "consent_method"),
			"token_endpoint_auth_method": s(raw, "credentials", "oauthClient", "token_endpoint_auth_method"), "client_id": a.client,
			"reply_url_hosts": redirectHosts}}
	if id == "" {
		a.ident.NativeID = "unidentified:" + name + ":" + label
	}
	return a
}

// perApp runs fn for every app that wants it, with bounded concurrency.
func (cr *crawl) perApp(fn func(context.Context, *app) error, want func(*app) bool) func(context.Context) error {
	return func(ctx context.Context) error {
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(cr.c.cfg.Concurrency)
		for _, a := range cr.apps {
			if !want(a) || strings.HasPrefix(a.ident.NativeID, "unidentified:") {
				continue
			}
			g.Go(func() error {
				err := fn(gctx, a)
				if statusOf(err) == http.StatusNotFound {
					return nil // deleted mid-scan, or no such sub-resource for this app
				}
				return err
			})
		}
		return g.Wait()
	}
}

func (cr *crawl) grants(ctx context.Context, a *app) error {
	grants, _, err := cr.c.sdk.ApplicationGrantsAPI.ListScopeConsentGrants(ctx, a.ident.NativeID).Expand("scope").Execute()
	if err != nil {
		return err
	}
	cr.mu.Lock()
	defer cr.mu.Unlock()
	users := map[string]bool{}
	for _, g := range grants {
		if g.Status != nil && *g.Status != "ACTIVE" {
			continue
		}
		consent, typ, who := "admin", inventory.GrantApplication, ""
		if g.Source != nil && *g.Source == "END_USER" {
			consent, typ = "user", inventory.GrantDelegated
			if g.UserId != nil {
				who = *g.UserId
				users[who] = true
			}
		}
		res := "okta"
		if !strings.HasPrefix(g.ScopeId, "okta.") {
			res = g.Issuer
		}
		a.ident.Grants = append(a.ident.Grants, inventory.Grant{Resource: res, Permission: g.ScopeId, Type: typ, Consent: consent, OnBehalfOf: who,
			GrantedAt: g.Created, Collector: colGrants})
	}
	if len(users) > 0 {
		a.ident.Attributes["consenting_users"] = len(users)
	}
	return nil
}

// clientRoles calls /oauth2/v1/clients/{id}/roles directly: v5's
// ListRolesForClient expects an object where Okta returns an array.
func (cr *crawl) clientRoles(ctx context.Context, a *app) error {
	var roles []map[string]any
	if _, err := cr.c.get(ctx, "/oauth2/v1/clients/"+url.PathEscape(a.client)+"/roles", &roles); err != nil {
		return err
	}
	cr.mu.Lock()
	defer cr.mu.Unlock()
	for _, r := range roles {
		if st := s(r, "status"); st != "" && st != "ACTIVE" {
			continue
		}
		role := s(r, "type")
		if role == "CUSTOM" || role == "" {
			role = "CUSTOM:" + s(r, "label")
		}
		a.ident.Grants = append(a.ident.Grants, inventory.Grant{Resource: "okta-org", Permission: role, Type: inventory.GrantAdminRole, Consent: "admin", Collector: colClientRoles})
	}
	return nil
}

// credentials reads client secrets (the response carries them in
// plaintext: only id, status, dates and a hint are kept) and JWKs.
func (cr *crawl) credentials(ctx context.Context, a *app) error {
	var secrets []map[string]any
	if _, err := cr.c.get(ctx, "/api/v1/apps/"+url.PathEscape(a.ident.NativeID)+"/credentials/secrets", &secrets); err != nil && statusOf(err) != http.StatusNotFound {
		return err
	}
	var raw json.RawMessage
	if _, err := cr.c.get(ctx, "/api/v1/apps/"+url.PathEscape(a.ident.NativeID)+"/credentials/jwks", &raw); err != nil && statusOf(err) != http.StatusNotFound {
		return err
	}
	// The schema says an array; the documented example wraps it as {"jwks":{"keys":[...]}}.
	var keys []map[string]any
	if json.Unmarshal(raw, &keys) != nil {
		var wrapped struct {
			JWKS struct {
				Keys []map[string]any `json:"keys"`
			} `json:"jwks"`
		}
		json.Unmarshal(raw, &wrapped)
		keys = wrapped.JWKS.Keys
	}
	cr.mu.Lock()
	defer cr.mu.Unlock()
	for _, sec := range secrets {
		hint := inventory.Hint(s(sec, "client_secret"))
		delete(sec, "client_secret")
		a.ident.Credentials = append(a.ident.Credentials, inventory.Credential{Type: "client_secret", ID: s(sec, "id"), Hint: hint,
			CreatedAt: parseTime(s(sec, "created")), Collector: colAppCreds})
		if s(sec, "status") == "ACTIVE" {
			n, _ := a.ident.Attributes["active_secrets"].(int)
			a.ident.Attributes["active_secrets"] = n + 1
		}
	}
	for _, k := range keys {
		if s(k, "status") == "INACTIVE" {
			continue
		}
		a.ident.Credentials = append(a.ident.Credentials, inventory.Credential{Type: "jwk", ID: s(k, "kid"), CreatedAt: parseTime(s(k, "created")), Collector: colAppCreds})
	}
	return nil
}

// assignments counts an app's user and group assignments from one page of
// each (up to 200; "at least" beyond, to keep the apps bucket for the rest).
func (cr *crawl) assignments(ctx context.Context, a *app) error {
	var users, groups []map[string]any
	moreUsers, err := cr.c.get(ctx, "/api/v1/apps/"+url.PathEscape(a.ident.NativeID)+"/users?limit=200", &users)
	if err != nil {
		return err
	}
	moreGroups, err := cr.c.get(ctx, "/api/v1/apps/"+url.PathEscape(a.ident.NativeID)+"/groups?limit=200", &groups)
	if err != nil {
		return err
	}
	cr.mu.Lock()
	defer cr.mu.Unlock()
	a.ident.Attributes["has_user_assignments"] = len(users) > 0
	a.ident.Attributes["has_group_assignments"] = len(groups) > 0
	a.ident.Attributes["assigned_users"] = len(users)
	a.ident.Attributes["assigned_groups"] = len(groups)
	if moreUsers != "" || moreGroups != "" {
		a.ident.Attributes["assignments_at_least"] = true
	}
	return nil
}

// systemLog reads token grants of the last ActivityDays days, tolerantly
// (the SDK's LogEvent rejects real payloads), and keeps the last per client.
func (cr *crawl) systemLog(ctx context.Context) error {
	if cr.c.cfg.ActivityDays <= 0 {
		return &apiError{Status: http.StatusNotFound, Code: "disabled", Summary: "--activity-days 0: last use is not read", Path: "/api/v1/logs"}
	}
	q := url.Values{}
	q.Set("since", cr.now.Add(-time.Duration(cr.c.cfg.ActivityDays)*24*time.Hour).UTC().Format(time.RFC3339))
	q.Set("until", cr.now.UTC().Format(time.RFC3339))
	q.Set("filter", `eventType eq "app.oauth2.as.token.grant.access_token"`)
	q.Set("limit", "1000")
	next := "/api/v1/logs?" + q.Encode()
	for pages := 0; next != "" && pages < 50; pages++ {
		var events []map[string]any
		n, err := cr.c.get(ctx, next, &events)
		if err != nil {
			return err
		}
		for _, e := range events {
			t := parseTime(s(e, "published"))
			client := s(e, "client", "id")
			if client == "" {
				client = s(e, "actor", "id")
			}
			if t == nil || client == "" {
				continue
			}
			if cur, ok := cr.lastUse[client]; !ok || t.After(cur) {
				cr.lastUse[client] = *t
			}
		}
		// An empty page with a next link is the log's live tail: stop.
		if len(events) == 0 {
			break
		}
		next = n
	}
	// API tokens leave their id on every request they make.
	q.Set("filter", "transaction.detail.requestApiTokenId pr")
	next = "/api/v1/logs?" + q.Encode()
	for pages := 0; next != "" && pages < 20; pages++ {
		var events []map[string]any
		n, err := cr.c.get(ctx, next, &events)
		if err != nil {
			return err
		}
		for _, e := range events {
			t := parseTime(s(e, "published"))
			tok := s(e, "transaction", "detail", "requestApiTokenId")
			if t == nil || tok == "" {
				continue
			}
			if cur, ok := cr.tokenUse[tok]; !ok || t.After(cur) {
				cr.tokenUse[tok] = *t
			}
		}
		if len(events) == 0 {
			break
		}
		next = n
	}
	return nil
}

func (cr *crawl) orgSettings(ctx context.Context) error {
	var v map[string]any
	if _, err := cr.c.get(ctx, "/api/v1/org/settings/clientPrivilegesSetting", &v); err != nil {
		return err
	}
	on, _ := v["clientPrivilegesSetting"].(bool)
	return cr.sink.Setting(ctx, inventory.Setting{Key: "okta.client_privileges_setting", Value: on})
}

// admin resolves a user's status and admin roles once (SDK calls).
func (cr *crawl) admin(ctx context.Context, id string) (inventory.Principal, []string, error) {
	cr.mu.Lock()
	if p, ok := cr.users[id]; ok {
		r := cr.roles[id]
		cr.mu.Unlock()
		return p, r, nil
	}
	cr.mu.Unlock()
	p := inventory.Principal{Kind: "user", Native: id, Name: id, Status: inventory.PrincipalUnknown}
	u, _, err := cr.c.sdk.UserAPI.GetUser(ctx, id).Execute()
	switch {
	case statusOf(err) == http.StatusNotFound:
		p.Status = inventory.PrincipalDeleted
	case err != nil:
		return p, nil, err
	default:
		switch st := strings.ToUpper(deref(u.Status)); st {
		case "ACTIVE", "PASSWORD_EXPIRED", "LOCKED_OUT", "RECOVERY":
			p.Status = inventory.PrincipalActive
		case "DEPROVISIONED", "SUSPENDED":
			p.Status = inventory.PrincipalDisabled
		}
		if u.Profile != nil {
			if u.Profile.Login != nil {
				p.Name = *u.Profile.Login
			}
			if u.Profile.Email != nil {
				p.Email = *u.Profile.Email
			}
		}
	}
	var roles []string
	if p.Status != inventory.PrincipalDeleted {
		rs, _, err := cr.c.sdk.RoleAssignmentAPI.ListAssignedRolesForUser(ctx, id).Execute()
		if err != nil && statusOf(err) != http.StatusNotFound {
			return p, nil, err
		}
		for _, r := range rs {
			if t := deref(r.Type); t != "" {
				roles = append(roles, t)
			}
		}
	}
	sort.Strings(roles)
	cr.mu.Lock()
	cr.users[id], cr.roles[id] = p, roles
	cr.mu.Unlock()
	return p, roles, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// tokens lists SSWS API tokens (decoded with the SDK's model) and the admin
// each acts as: a token carries exactly its creator's admin roles.
func (cr *crawl) tokens(ctx context.Context) error {
	next := "/api/v1/api-tokens?limit=200"
	var all []oktasdk.ApiToken
	for next != "" {
		var page []oktasdk.ApiToken
		n, err := cr.c.get(ctx, next, &page)
		if err != nil {
			return err
		}
		all = append(all, page...)
		next = n
	}
	adminsOK := true
	for _, t := range all {
		id := inventory.Identity{Kind: KindAPIToken, NativeID: deref(t.Id), Name: t.Name, Origin: "internal", Status: "active", Collector: colTokens,
			CreatedAt: t.Created, LastUsedAt: nil,
			Attributes:  map[string]any{"client_name": deref(t.ClientName), "token_window": deref(t.TokenWindow), "acts_as_user": deref(t.UserId)},
			Credentials: []inventory.Credential{{Type: "api_token", ID: deref(t.Id), CreatedAt: t.Created, ExpiresAt: t.ExpiresAt}}}
		if t.Network != nil {
			id.Attributes["network"] = deref(t.Network.Connection)
		}
		if t.ExpiresAt != nil && t.ExpiresAt.Before(cr.now) {
			id.Status = "expired"
		}
		// Last use: the System Log when it shows the token; otherwise
		// lastUpdated, which Okta moves when the token is used.
		if lu, ok := cr.tokenUse[deref(t.Id)]; ok {
			id.LastUsedAt = &lu
			id.Attributes["last_used_source"] = "system_log"
		} else if t.LastUpdated != nil {
			lu := t.LastUpdated.UTC()
			id.LastUsedAt = &lu
			id.Attributes["last_used_source"] = "lastUpdated"
		}
		if uid := deref(t.UserId); uid != "" {
			p, roles, err := cr.admin(ctx, uid)
			if err != nil {
				adminsOK = false
				cr.sink.Error(ctx, fmt.Errorf("token %s creator %s: %w", t.Name, uid, err))
			}
			id.Owners = []inventory.OwnerRef{{Role: "creator", Principal: p}}
			for _, r := range roles {
				id.Grants = append(id.Grants, inventory.Grant{Resource: "okta-org", Permission: r, Type: inventory.GrantAdminRole, Consent: "admin", OnBehalfOf: uid, Collector: colAdmins})
			}
		}
		if id.NativeID == "" {
			id.NativeID = "unidentified:" + t.Name
		}
		if err := cr.sink.Identity(ctx, id); err != nil {
			return err
		}
	}
	cov := inventory.Coverage{Collector: colAdmins, Status: inventory.CoverageOK}
	if !adminsOK {
		cov = inventory.Coverage{Collector: colAdmins, Status: inventory.CoverageError, Reason: "some token creators could not be read", Permission: permissionsFor(colAdmins)}
	}
	return cr.sink.Coverage(ctx, cov)
}

// aiAgents reads Okta for AI Agents (a {data:[...]} envelope).
func (cr *crawl) aiAgents(ctx context.Context) error {
	next := "/workload-principals/api/v1/ai-agents"
	for next != "" {
		var env struct {
			Data  []map[string]any `json:"data"`
			Links map[string]any   `json:"_links"`
		}
		n, err := cr.c.get(ctx, next, &env)
		if err != nil {
			return err
		}
		for _, ag := range env.Data {
			id := inventory.Identity{Kind: KindAIAgent, NativeID: s(ag, "id"), Name: s(ag, "name"), Origin: "internal", Status: strings.ToLower(s(ag, "status")),
				Collector: colAIAgents, CreatedAt: parseTime(s(ag, "created")), Attributes: map[string]any{"linked_app_id": s(ag, "appId"), "okta_ai_agent": true}}
			owners, _ := ag["owners"].([]any)
			for _, o := range owners {
				om, _ := o.(map[string]any)
				if uid := s(om, "id"); uid != "" {
					p, _, err := cr.admin(ctx, uid)
					if err != nil {
						return err
					}
					id.Owners = append(id.Owners, inventory.OwnerRef{Role: "owner", Principal: p})
				}
			}
			id.Attributes["owners"] = len(id.Owners)
			if id.NativeID == "" {
				id.NativeID = "unidentified:" + id.Name
			}
			if err := cr.sink.Identity(ctx, id); err != nil {
				return err
			}
		}
		next = n
		if next == "" {
			if nl, ok := env.Links["next"].(map[string]any); ok {
				next = s(nl, "href")
			}
		}
	}
	return nil
}

// crossAppAccess probes one OAuth app first: an org without the feature
// answers 401/403/404, a coverage gap, and the other apps are not asked.
func (cr *crawl) crossAppAccess(ctx context.Context) error {
	var oidc []*app
	for _, a := range cr.apps {
		if a.client != "" && !strings.HasPrefix(a.ident.NativeID, "unidentified:") {
			oidc = append(oidc, a)
		}
	}
	if len(oidc) == 0 {
		return nil
	}
	fetch := func(ctx context.Context, a *app) error {
		var conns []map[string]any
		if _, err := cr.c.get(ctx, "/api/v1/apps/"+url.PathEscape(a.ident.NativeID)+"/cwo/connections", &conns); err != nil {
			return err
		}
		var targets []string
		for _, c := range conns {
			if t := s(c, "resourceAppInstanceId"); t != "" && s(c, "status") != "INACTIVE" {
				targets = append(targets, t)
			}
		}
		cr.mu.Lock()
		defer cr.mu.Unlock()
		if len(targets) > 0 {
			a.ident.Attributes["cross_app_access_to"] = targets
		}
		return nil
	}
	if err := fetch(ctx, oidc[0]); err != nil {
		if st := statusOf(err); st == http.StatusUnauthorized {
			return &apiError{Status: http.StatusForbidden, Code: "E0000006", Summary: "Cross App Access is not available to this token", Path: "/api/v1/apps/{id}/cwo/connections"}
		}
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(cr.c.cfg.Concurrency)
	for _, a := range oidc[1:] {
		g.Go(func() error {
			if err := fetch(gctx, a); err != nil && statusOf(err) != http.StatusNotFound {
				return err
			}
			return nil
		})
	}
	return g.Wait()
}

// authServers records custom authorization servers and whether their
// access policies admit every client (cheap: one request per server).
func (cr *crawl) authServers(ctx context.Context) error {
	next := "/api/v1/authorizationServers?limit=200"
	var out []map[string]any
	for next != "" {
		var page []map[string]any
		n, err := cr.c.get(ctx, next, &page)
		if err != nil {
			return err
		}
		for _, as := range page {
			entry := map[string]any{"id": s(as, "id"), "name": s(as, "name"), "status": s(as, "status"), "audiences": list(as, "audiences")}
			var pols []map[string]any
			if _, err := cr.c.get(ctx, "/api/v1/authorizationServers/"+url.PathEscape(s(as, "id"))+"/policies", &pols); err != nil && statusOf(err) != http.StatusNotFound {
				return err
			}
			allClients := false
			for _, p := range pols {
				for _, c := range list(p, "conditions", "clients", "include") {
					allClients = allClients || c == "ALL_CLIENTS"
				}
			}
			entry["policies"] = len(pols)
			entry["policy_admits_all_clients"] = allClients
			out = append(out, entry)
		}
		next = n
	}
	if out == nil {
		out = []map[string]any{}
	}
	return cr.sink.Setting(ctx, inventory.Setting{Key: "okta.authorization_servers", Value: out})
}
