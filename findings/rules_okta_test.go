package findings

import (
	"testing"

	"github.com/shadowscan/shadowscan/inventory"
)

func oktaID(kind, name string, attrs map[string]any, grants ...eg) inventory.Identity {
	id := entraID(kind, name, "internal", attrs, grants...)
	id.Platform, id.ID = "okta", "okta:t:"+kind+":"+name
	for i := range id.Grants {
		id.Grants[i].Resource = "okta"
	}
	return id
}

func TestOktaRules(t *testing.T) {
	owner := func(id inventory.Identity, st string) inventory.Identity {
		id.Owners = []inventory.OwnerRef{{Role: "creator", Principal: inventory.Principal{ID: "u", Name: "u", Status: st}}}
		return id
	}
	used := func(id inventory.Identity, days int) inventory.Identity { id.LastUsedAt = ago(days); return id }
	creds := func(id inventory.Identity, c ...inventory.Credential) inventory.Identity {
		id.Credentials = c
		return id
	}
	assigned := func(u, g bool) map[string]any {
		return map[string]any{"has_user_assignments": u, "has_group_assignments": g}
	}
	cases := map[string]ruleCase{
		"SS-OK-001": {oktaID("okta_app", "agent", nil, eg{"admin_role", "SUPER_ADMIN", "admin", ""}), oktaID("okta_app", "agent", nil, eg{"application", "okta.users.read", "admin", ""})},
		"SS-OK-002": {oktaID("okta_api_token", "tf", map[string]any{"acts_as_user": "u"}, eg{"admin_role", "SUPER_ADMIN", "admin", "u"}),
			oktaID("okta_api_token", "tf", map[string]any{"acts_as_user": "u"}, eg{"admin_role", "READ_ONLY_ADMIN", "admin", "u"})},
		"SS-OK-003": {owner(oktaID("okta_api_token", "t", nil), inventory.PrincipalDisabled), owner(oktaID("okta_api_token", "t", nil), inventory.PrincipalActive)},
		"SS-OK-004": {oktaID("okta_api_token", "t", map[string]any{"network": "ANYWHERE"}), oktaID("okta_api_token", "t", map[string]any{"network": "ZONE"})},
		"SS-OK-005": {used(oktaID("okta_api_token", "t", nil), 120), used(oktaID("okta_api_token", "t", nil), 3)},
		"SS-OK-006": {oktaID("okta_app", "svc", map[string]any{"application_type": "service", "token_endpoint_auth_method": "client_secret_basic"}),
			oktaID("okta_app", "svc", map[string]any{"application_type": "service", "token_endpoint_auth_method": "private_key_jwt"})},
		"SS-OK-007": {creds(oktaID("okta_app", "a", nil), inventory.Credential{Type: "client_secret", ID: "1", CreatedAt: ago(400)}),
			creds(oktaID("okta_app", "a", map[string]any{"active_secrets": float64(1)}), inventory.Credential{Type: "client_secret", ID: "1", CreatedAt: ago(40)})},
		"SS-OK-008": {oktaID("okta_app", "Claude", nil, eg{"delegated", "offline_access", "user", "u1"}), oktaID("okta_app", "Claude", nil, eg{"application", "openid", "admin", ""})},
		"SS-OK-009": {oktaID("okta_ai_agent", "agent", nil), owner(oktaID("okta_ai_agent", "agent", nil), inventory.PrincipalActive)},
		"SS-OK-010": {oktaID("okta_app", "idle", assigned(false, false)), oktaID("okta_app", "idle", assigned(true, false))},
	}
	checkRuleCases(t, "okta", cases)
	on := &TenantSubject{Tenant: inventory.Tenant{Platform: "okta", Key: "t"}, Settings: map[string]string{"okta.client_privileges_setting": "true"}}
	off := &TenantSubject{Tenant: inventory.Tenant{Platform: "okta", Key: "t"}, Settings: map[string]string{"okta.client_privileges_setting": "false"}}
	if len(ruleOktaClientPrivileges.Check(on)) != 1 || len(ruleOktaClientPrivileges.Check(off)) != 0 {
		t.Error("clientPrivilegesSetting rule")
	}
	if GrantPrivilege("okta", inventory.Grant{Type: "admin_role", Permission: "SUPER_ADMIN"}) != LevelCritical ||
		GrantPrivilege("okta", inventory.Grant{Type: "application", Permission: "okta.foo.manage"}) != LevelHigh {
		t.Error("okta tiers")
	}
}
