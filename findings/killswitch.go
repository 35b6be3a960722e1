package findings

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/shadowscan/shadowscan/inventory"
)

// Step is one action of a kill-switch plan. shadowscan never performs it:
// the plan is for a person (or their automation) to run.
type Step struct {
	Order        int    `json:"order"`
	IdentityID   string `json:"identity_id"`
	Action       string `json:"action"`
	API          string `json:"api,omitempty"`     // method and path on the vendor's API
	Console      string `json:"console,omitempty"` // where to click instead
	KeepsWorking string `json:"keeps_working,omitempty"`
}

// PlanFor returns the ordered revocation steps for one identity.
func PlanFor(a Assessed) []Step {
	id := a.Identity
	attr := func(k string) string { v, _ := id.Attributes[k].(string); return v }
	org := url.PathEscape(id.TenantKey)
	var steps []Step
	add := func(action, api, console, keeps string) {
		steps = append(steps, Step{IdentityID: id.ID, Action: action, API: api, Console: console, KeepsWorking: keeps})
	}
	has := func(typ string) bool {
		for _, g := range id.Grants {
			if g.Type == typ {
				return true
			}
		}
		return false
	}
	switch id.Kind {
	case "github_app_installation":
		add("Suspend the installation, then uninstall the app if it is not needed",
			"", "https://github.com/organizations/"+id.TenantKey+"/settings/installations/"+id.NativeID,
			"installation access tokens already issued stay valid for up to one hour")
	case "fine_grained_pat":
		grant := fmt.Sprint(id.Attributes["grant_id"])
		add("Revoke the token's access to the organization", "POST /orgs/"+org+"/personal-access-tokens/"+grant+` {"action":"revoke"}`,
			"https://github.com/organizations/"+id.TenantKey+"/settings/personal-access-tokens/active", "nothing: revocation is immediate; the owner can request access again")
	case "fine_grained_pat_request":
		add("Deny the pending request", "POST /orgs/"+org+"/personal-access-token-requests/"+id.NativeID+` {"action":"deny"}`,
			"https://github.com/organizations/"+id.TenantKey+"/settings/personal-access-token-requests", "")
	case "sso_authorized_pat", "sso_authorized_oauth_token", "sso_authorized_app_token", "sso_authorized_ssh_key", "sso_authorized_credential":
		add("Remove the credential's SAML SSO authorization", "DELETE /orgs/"+org+"/credential-authorizations/"+id.NativeID,
			"https://github.com/orgs/"+id.TenantKey+"/people (the member's SAML identity)", "the credential keeps working outside this organization until its owner deletes it")
	case "deploy_key":
		repo, key, _ := strings.Cut(strings.TrimPrefix(id.NativeID, attr("repository")+"/"), "/")
		if key == "" {
			key = repo
		}
		add("Delete the deploy key", "DELETE /repos/"+attr("repository")+"/keys/"+key, "https://github.com/"+attr("repository")+"/settings/keys",
			"open SSH sessions finish; the private key still exists wherever it was copied")
	case "org_webhook":
		add("Delete the webhook", "DELETE /orgs/"+org+"/hooks/"+id.NativeID, "https://github.com/organizations/"+id.TenantKey+"/settings/hooks", "deliveries already queued are sent")
	case "repo_webhook":
		hook := id.NativeID[strings.LastIndex(id.NativeID, "/")+1:]
		add("Delete the webhook", "DELETE /repos/"+attr("repository")+"/hooks/"+hook, "https://github.com/"+attr("repository")+"/settings/hooks", "deliveries already queued are sent")
	case "actions_secret":
		add("Revoke the key at the AI provider, then delete the secret", secretPath(id.TenantKey, attr("scope"), "secrets", id.Name), "", "workflows already running keep the value they read")
	case "actions_variable":
		add("Revoke the key at the AI provider (its value was readable by anyone with repository read access)", "", "the provider's API key console", "")
		add("Delete the variable", secretPath(id.TenantKey, attr("scope"), "variables", id.Name), "", "")
	case "copilot_seat":
		add("Remove the user's Copilot seat", "DELETE /orgs/"+org+`/copilot/billing/selected_users {"selected_usernames":["`+id.NativeID+`"]}`,
			"https://github.com/organizations/"+id.TenantKey+"/settings/copilot/seat_management", "the seat stays usable until the end of the billing cycle (pending cancellation)")
	case "leaked_secret":
		add("Revoke the leaked key at the AI provider now", "", "the provider's API key console", "the key works for anyone who copied it until it is revoked")
		add("Close the alert as revoked", "PATCH /repos/"+attr("repository")+"/secret-scanning/alerts/"+fmt.Sprint(id.Attributes["alert_number"])+` {"state":"resolved","resolution":"revoked"}`, "", "")
	case "service_principal", "agent_identity", "managed_identity":
		add("Disable sign-in for the service principal", "PATCH /v1.0/servicePrincipals/"+id.NativeID+` {"accountEnabled":false}`,
			"Entra admin center > Enterprise applications > "+id.Name+" > Properties > Enabled for users to sign-in: No",
			"access tokens already issued stay valid until they expire (typically 60-90 minutes)")
		if has(inventory.GrantDelegated) {
			add("Remove the delegated consent grants", "GET /v1.0/oauth2PermissionGrants?$filter=clientId eq '"+id.NativeID+"', then DELETE /v1.0/oauth2PermissionGrants/{id} for each",
				"Entra admin center > Enterprise applications > "+id.Name+" > Permissions", "refresh tokens issued under the grants stop working; access tokens run out")
		}
		if has(inventory.GrantApplication) {
			add("Remove the application permissions", "GET /v1.0/servicePrincipals/"+id.NativeID+"/appRoleAssignments, then DELETE /v1.0/servicePrincipals/"+id.NativeID+"/appRoleAssignments/{id} for each", "", "")
		}
		if has(inventory.GrantAdminRole) {
			add("Remove the directory role assignments", "GET /v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '"+id.NativeID+"', then DELETE each", "Entra admin center > Roles and administrators", "")
		}
		for _, c := range id.Credentials {
			if c.Type != "client_secret" && c.Type != "certificate" {
				continue
			}
			target := "/v1.0/servicePrincipals/" + id.NativeID
			if c.Collector == "applications" && attr("app_object_id") != "" {
				target = "/v1.0/applications/" + attr("app_object_id")
			}
			op := "removePassword"
			if c.Type == "certificate" {
				op = "removeKey"
			}
			add("Remove credential "+c.ID, "POST "+target+"/"+op+` {"keyId":"`+c.ID+`"}`, "", "tokens already obtained with it stay valid until they expire")
		}
	case "app_registration":
		add("Delete or disable the app registration's credentials", "POST /v1.0/applications/"+id.NativeID+"/removePassword for each secret", "Entra admin center > App registrations > "+id.Name+" > Certificates & secrets", "")
	case "app_consent_request":
		add("Deny the pending consent request", "", "Entra admin center > Enterprise applications > Admin consent requests", "")
	case "okta_app":
		add("Revoke the app's tokens", "DELETE /api/v1/apps/"+id.NativeID+"/tokens", "", "nothing issued by the org authorization server; custom authorization servers keep theirs until expiry")
		if len(id.Grants) > 0 {
			add("Revoke the scope consent grants", "GET /api/v1/apps/"+id.NativeID+"/grants, then DELETE /api/v1/apps/"+id.NativeID+"/grants/{grantId} for each", "", "")
		}
		if has(inventory.GrantAdminRole) {
			add("Remove the admin roles of the client", "DELETE /oauth2/v1/clients/"+attr("client_id")+"/roles/{roleAssignmentId}", "Security > Administrators > Apps", "")
		}
		add("Deactivate the app", "POST /api/v1/apps/"+id.NativeID+"/lifecycle/deactivate", "Applications > "+id.Name+" > Deactivate", "access tokens already issued stay valid until they expire (default one hour)")
	case "okta_api_token":
		add("Revoke the API token", "DELETE /api/v1/api-tokens/"+id.NativeID, "Security > API > Tokens", "nothing: revocation is immediate")
	case "okta_ai_agent":
		add("Deactivate the AI agent", "", "Directory > AI Agents > "+id.Name, "")
	default:
		add("Remove the identity's access on its platform", "", "", "")
	}
	return steps
}

func secretPath(org, scope, kind, name string) string {
	if scope == "org" || scope == "" {
		return "DELETE /orgs/" + url.PathEscape(org) + "/actions/" + kind + "/" + url.PathEscape(name)
	}
	return "DELETE /repos/" + scope + "/actions/" + kind + "/" + url.PathEscape(name)
}

// Plan is the kill-switch plan of an agent: every foothold's steps, the
// riskiest foothold first.
func Plan(a Agent, byID map[string]Assessed) []Step {
	var out []Step
	for _, f := range a.Footholds {
		as, ok := byID[f.IdentityID]
		if !ok {
			continue
		}
		out = append(out, PlanFor(as)...)
	}
	for i := range out {
		out[i].Order = i + 1
	}
	return out
}
