package fake

import (
	"fmt"
	"strings"
)

// Org is a generated Okta org. Objects are kept as Okta's JSON (maps), so
// what the fake serves is exactly what the generator wrote.
type Org struct {
	Domain           string
	Apps             []map[string]any
	Extra            map[string]*AppExtra // by app id
	Tokens           []map[string]any
	Users            []map[string]any
	UserRoles        map[string][]map[string]any
	ClientPrivileges bool
	AIAgentsEnabled  bool
	AIAgents         []map[string]any
	Logs             []map[string]any
	AuthServers      []map[string]any
	AuthPolicies     map[string][]map[string]any // auth server id -> policies
	CrossAppAccess   bool                        // Cross App Access (EA) enabled
}

// AppExtra is what hangs off one app.
type AppExtra struct {
	Grants, Secrets, JWKs, Roles, Users, Groups, Connections []map[string]any
}

func (o *Org) app(id string) *AppExtra {
	for _, a := range o.Apps {
		if fmt.Sprint(a["id"]) == id {
			x := o.Extra[id]
			if x == nil {
				x = &AppExtra{}
			}
			return x
		}
	}
	return nil
}

func (o *Org) user(id string) map[string]any {
	for _, u := range o.Users {
		if u["id"] == id {
			return u
		}
	}
	return nil
}

// ClientID is an OAuth app's client id, or "".
func ClientID(app map[string]any) string {
	c, _ := app["credentials"].(map[string]any)
	oc, _ := c["oauthClient"].(map[string]any)
	id, _ := oc["client_id"].(string)
	if id == "" && strings.EqualFold(fmt.Sprint(app["signOnMode"]), "OPENID_CONNECT") {
		id = fmt.Sprint(app["id"])
	}
	return id
}

func nonNil(s []map[string]any) []map[string]any {
	if s == nil {
		return []map[string]any{}
	}
	return s
}
