package fake

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// GenOptions sizes a generated org.
type GenOptions struct {
	Domain string // default "acme.okta.example"
	Seed   uint64
	Now    time.Time
	Users  int // default 150
	// Benchmark filler.
	ExtraApps    int
	GrantsPerApp int // END_USER consent grants on each extra app
	ExtraTokens  int
}

func oid(r *rand.Rand, prefix string) string {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := []byte(prefix)
	for len(b) < 20 {
		b = append(b, chars[r.IntN(len(chars))])
	}
	return string(b)
}

// Generate builds an org with a service app holding SUPER_ADMIN, an SSWS
// token created by a deactivated admin, AI assistants with END_USER consent,
// a registered AI agent without an owner, a client-secret app with several
// secrets, an app whose signOnMode the SDK does not know, and ordinary apps.
func Generate(o GenOptions) *Org {
	if o.Domain == "" {
		o.Domain = "acme.okta.example"
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Users == 0 {
		o.Users = 150
	}
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x0c7a))
	ts := func(days int) string {
		return o.Now.Add(-time.Duration(days) * 24 * time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")
	}
	org := &Org{Domain: o.Domain, Extra: map[string]*AppExtra{}, UserRoles: map[string][]map[string]any{}, ClientPrivileges: true, AIAgentsEnabled: true}
	for i := 0; i < o.Users; i++ {
		status := "ACTIVE"
		if i%23 == 7 {
			status = "DEPROVISIONED"
		}
		id := oid(r, "00u")
		org.Users = append(org.Users, map[string]any{"id": id, "status": status, "created": ts(800 - i), "lastLogin": ts(i % 40),
			"profile": map[string]any{"login": fmt.Sprintf("user%03d@acme.example", i), "email": fmt.Sprintf("user%03d@acme.example", i),
				"firstName": "User", "lastName": fmt.Sprintf("%03d", i)}, "_links": map[string]any{}})
	}
	uid := func(i int) string { return org.Users[i%len(org.Users)]["id"].(string) }
	superAdmin, deactivatedAdmin := uid(1), uid(7)
	org.UserRoles[superAdmin] = []map[string]any{{"id": oid(r, "ra1"), "label": "Super Organization Administrator", "type": "SUPER_ADMIN", "status": "ACTIVE", "assignmentType": "USER", "created": ts(700), "lastUpdated": ts(700)}}
	org.UserRoles[deactivatedAdmin] = []map[string]any{{"id": oid(r, "ra2"), "label": "Organization Administrator", "type": "ORG_ADMIN", "status": "ACTIVE", "assignmentType": "USER", "created": ts(600), "lastUpdated": ts(600)}}

	type app struct {
		name, label, mode, appType, auth string
		grantTypes                       []string
		clientURI                        string
		adminScopes                      []string
		userScopes                       []string
		consentUsers                     int
		roles                            []string
		secrets                          int
		assigned                         bool
		lastUseDays                      int // -1 none in the log
	}
	apps := []app{
		{"oidc_client", "Acme Support Agent", "OPENID_CONNECT", "service", "private_key_jwt", []string{"client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"}, "https://agent.acme.example", []string{"okta.users.manage", "okta.groups.read"}, nil, 0, []string{"SUPER_ADMIN"}, 0, false, 1},
		{"chatgpt_enterprise", "ChatGPT Enterprise", "SAML_2_0", "", "", nil, "https://chatgpt.com", nil, nil, 0, nil, 0, true, 2},
		{"oidc_client", "Claude", "OPENID_CONNECT", "web", "client_secret_basic", []string{"authorization_code", "refresh_token"}, "https://claude.ai", nil, []string{"openid", "profile", "email", "offline_access"}, 14, nil, 1, true, 3},
		{"oidc_client", "Otter.ai Assistant", "OPENID_CONNECT", "web", "client_secret_post", []string{"authorization_code", "refresh_token"}, "https://otter.ai", nil, []string{"openid", "email", "offline_access", "okta.users.read.self"}, 8, nil, 1, true, 100},
		{"glean", "Glean", "SAML_2_0", "", "", nil, "https://glean.com", nil, nil, 0, nil, 0, true, 5},
		{"oidc_client", "n8n automations", "OPENID_CONNECT", "service", "client_secret_basic", []string{"client_credentials"}, "https://n8n.acme.example", []string{"okta.apps.manage", "okta.users.read"}, nil, 0, []string{"APP_ADMIN"}, 3, false, 20},
		{"zoomus", "Zoom", "SAML_2_0", "", "", nil, "https://zoom.us", nil, nil, 0, nil, 0, true, 1},
		{"salesforce", "Salesforce", "SAML_2_0", "", "", nil, "https://login.salesforce.com", nil, nil, 0, nil, 0, true, 1},
		{"acme_directory_sync", "Directory sync (legacy)", "AUTO_LOGIN_FUTURE_MODE", "", "", nil, "", nil, nil, 0, nil, 0, true, -1},
		{"oidc_client", "Old reporting tool", "OPENID_CONNECT", "service", "client_secret_basic", []string{"client_credentials"}, "https://reports.acme.example", []string{"okta.logs.read"}, nil, 0, nil, 1, false, -1},
	}
	for i := 0; i < o.ExtraApps; i++ {
		apps = append(apps, app{"oidc_client", fmt.Sprintf("Internal app %d", i), "OPENID_CONNECT", "web", "client_secret_basic", []string{"authorization_code"},
			fmt.Sprintf("https://app%d.acme.example", i), nil, []string{"openid", "profile"}, o.GrantsPerApp, nil, 1, true, i % 60})
	}
	for ai, a := range apps {
		id := oid(r, "0oa")
		j := map[string]any{"id": id, "name": a.name, "label": a.label, "status": "ACTIVE", "created": ts(400 - ai%300), "lastUpdated": ts(30),
			"signOnMode": a.mode, "accessibility": map[string]any{"selfService": false}, "visibility": map[string]any{"autoSubmitToolbar": false},
			"features": []string{}, "_links": map[string]any{"self": map[string]any{"href": "https://" + o.Domain + "/api/v1/apps/" + id}}}
		x := &AppExtra{}
		if a.mode == "OPENID_CONNECT" {
			j["credentials"] = map[string]any{"oauthClient": map[string]any{"client_id": id, "token_endpoint_auth_method": a.auth, "autoKeyRotation": true}}
			j["settings"] = map[string]any{"app": map[string]any{}, "oauthClient": map[string]any{"application_type": a.appType, "grant_types": a.grantTypes,
				"consent_method": "REQUIRED", "client_uri": a.clientURI, "redirect_uris": []string{a.clientURI + "/callback"}}}
			for k := 0; k < a.secrets; k++ {
				age := 30 + k*300
				status := "ACTIVE"
				x.Secrets = append(x.Secrets, map[string]any{"id": oid(r, "ocs"), "status": status, "client_secret": oid(r, "sec") + oid(r, "ret"),
					"secret_hash": oid(r, "h"), "created": ts(age), "lastUpdated": ts(age)})
			}
			if a.auth == "private_key_jwt" {
				x.JWKs = append(x.JWKs, map[string]any{"id": oid(r, "pks"), "kid": oid(r, "kid"), "kty": "RSA", "alg": "RS256", "use": "sig", "e": "AQAB", "n": "xyz", "status": "ACTIVE", "created": ts(50), "lastUpdated": ts(50)})
			}
		} else {
			j["settings"] = map[string]any{"app": map[string]any{"baseUrl": a.clientURI}}
		}
		for _, sc := range a.adminScopes {
			x.Grants = append(x.Grants, map[string]any{"id": oid(r, "oag"), "status": "ACTIVE", "created": ts(100), "createdBy": map[string]any{"id": superAdmin, "type": "User"},
				"lastUpdated": ts(100), "issuer": "https://" + o.Domain, "clientId": id, "scopeId": sc, "source": "ADMIN", "_embedded": map[string]any{"scope": map[string]any{"id": sc}}})
		}
		for u := 0; u < a.consentUsers; u++ {
			for _, sc := range a.userScopes {
				x.Grants = append(x.Grants, map[string]any{"id": oid(r, "oag"), "status": "ACTIVE", "created": ts(20 + u), "createdBy": map[string]any{"id": uid(u + ai), "type": "User"},
					"lastUpdated": ts(20), "issuer": "https://" + o.Domain + "/oauth2/default", "clientId": id, "scopeId": sc, "source": "END_USER", "userId": uid(u + ai)})
			}
		}
		for _, role := range a.roles {
			x.Roles = append(x.Roles, map[string]any{"id": oid(r, "irb"), "label": role, "type": role, "status": "ACTIVE", "assignmentType": "CLIENT", "created": ts(90), "lastUpdated": ts(90)})
		}
		if a.assigned {
			x.Users = append(x.Users, map[string]any{"id": uid(ai), "scope": "USER", "status": "ACTIVE", "created": ts(50)})
			x.Groups = append(x.Groups, map[string]any{"id": oid(r, "00g"), "priority": 0, "lastUpdated": ts(50)})
		}
		if a.lastUseDays >= 0 {
			org.Logs = append(org.Logs, map[string]any{"uuid": oid(r, "log"), "published": o.Now.Add(-time.Duration(a.lastUseDays) * 24 * time.Hour).UTC().Format(time.RFC3339),
				"eventType": "app.oauth2.as.token.grant.access_token", "severity": "INFO", "displayMessage": "OIDC access token is granted",
				"actor": map[string]any{"id": id, "type": "PublicClientApp"}, "client": map[string]any{"id": id, "geographicalContext": map[string]any{"postalCode": 10013}},
				"outcome": map[string]any{"result": "SUCCESS"}, "target": []any{}})
		}
		org.Apps = append(org.Apps, j)
		org.Extra[id] = x
	}
	tok := func(name, user string, created, lastUsedDays int, network string) map[string]any {
		id := oid(r, "00T")
		return map[string]any{"name": name, "userId": user, "tokenWindow": "P30D", "network": map[string]any{"connection": network}, "id": id, "clientName": "Okta API",
			"expiresAt": o.Now.Add(30 * 24 * time.Hour).UTC().Format("2006-01-02T15:04:05.000Z"), "created": ts(created), "lastUpdated": ts(lastUsedDays),
			"_link": map[string]any{"self": map[string]any{"href": "https://" + o.Domain + "/api/v1/api-tokens/" + id}}}
	}
	org.Tokens = []map[string]any{
		tok("terraform", superAdmin, 500, 1, "ANYWHERE"),
		tok("old-sync-script", deactivatedAdmin, 900, 200, "ANYWHERE"),
		tok("siem-export", uid(3), 60, 2, "ZONE"),
	}
	// terraform's calls are in the System Log.
	org.Logs = append(org.Logs, map[string]any{"uuid": oid(r, "log"), "published": o.Now.Add(-3 * time.Hour).UTC().Format(time.RFC3339),
		"eventType": "user.lifecycle.create", "severity": "INFO", "actor": map[string]any{"id": superAdmin, "type": "User"},
		"transaction": map[string]any{"type": "WEB", "id": oid(r, "tx"), "detail": map[string]any{"requestApiTokenId": org.Tokens[0]["id"]}}, "target": []any{}})
	for i := 0; i < o.ExtraTokens; i++ {
		org.Tokens = append(org.Tokens, tok(fmt.Sprintf("token-%d", i), uid(10+i), 100+i%400, i%120, "ANYWHERE"))
	}
	asID := oid(r, "aus")
	org.AuthServers = []map[string]any{{"id": asID, "name": "default", "description": "Default Authorization Server", "audiences": []string{"api://default"},
		"issuer": "https://" + o.Domain + "/oauth2/" + asID, "status": "ACTIVE", "created": ts(900), "lastUpdated": ts(100)}}
	org.AuthPolicies = map[string][]map[string]any{asID: {{"type": "OAUTH_AUTHORIZATION_POLICY", "id": oid(r, "00p"), "status": "ACTIVE", "name": "Default Policy",
		"priority": 1, "system": false, "conditions": map[string]any{"clients": map[string]any{"include": []string{"ALL_CLIENTS"}}}, "created": ts(900), "lastUpdated": ts(100)}}}
	org.CrossAppAccess = true
	org.Extra[org.Apps[0]["id"].(string)].Connections = []map[string]any{{"id": oid(r, "cwo"), "requestingAppInstanceId": org.Apps[0]["id"],
		"resourceAppInstanceId": org.Apps[2]["id"], "status": "ACTIVE", "created": ts(10)}}
	org.AIAgents = []map[string]any{
		{"id": oid(r, "wlp"), "name": "Sales research agent", "status": "ACTIVE", "created": ts(40), "appId": org.Apps[0]["id"], "owners": []any{}},
		{"id": oid(r, "wlp"), "name": "IT helpdesk agent", "status": "ACTIVE", "created": ts(80), "owners": []any{map[string]any{"type": "USER", "id": deactivatedAdmin}}},
	}
	return org
}
