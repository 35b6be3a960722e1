package entra

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/applications"
	"github.com/microsoftgraph/msgraph-sdk-go/identitygovernance"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/oauth2permissiongrants"
	"github.com/microsoftgraph/msgraph-sdk-go/rolemanagement"
	"github.com/microsoftgraph/msgraph-sdk-go/serviceprincipals"
	"golang.org/x/sync/errgroup"

	"github.com/shadowscan/shadowscan/inventory"
)

// Identity kinds this connector emits.
const (
	KindServicePrincipal = "service_principal"
	KindManagedIdentity  = "managed_identity"
	KindAgentIdentity    = "agent_identity"
	KindAppRegistration  = "app_registration"
	KindConsentRequest   = "app_consent_request"
)

// Microsoft's own tenants: apps they own are first-party.
var microsoftTenants = map[string]bool{"f8cdef31-a31e-4b4a-93e4-5f571e91255a": true, "72f988bf-86f1-41af-91ab-2d7cd011db47": true}

var spSelect = []string{"id", "appId", "displayName", "appDisplayName", "appDescription", "appOwnerOrganizationId", "verifiedPublisher", "publisherName",
	"servicePrincipalType", "accountEnabled", "tags", "signInAudience", "replyUrls", "homepage", "info", "createdDateTime", "appRoles",
	"oauth2PermissionScopes", "keyCredentials", "passwordCredentials", "appRoleAssignmentRequired"}

var appSelect = []string{"id", "appId", "displayName", "publisherDomain", "signInAudience", "createdDateTime", "passwordCredentials", "keyCredentials",
	"requiredResourceAccess", "web"}

// principal is one service principal (or app registration) being assembled.
type principal struct {
	id, appID string
	kind      string
	ident     inventory.Identity
	appObjID  string
	lastSign  *time.Time
}

type crawl struct {
	c    *Connector
	sink inventory.Sink
	ctx  context.Context

	mu       sync.Mutex
	byID     map[string]*principal
	byAppID  map[string]*principal
	appRoles map[string]map[string]string // resource sp id -> app role id -> value
	users    map[string]inventory.Principal
	apps     []*principal // app registrations, by object id order
	appByObj map[string]*principal
	keyUse   map[string]*time.Time // credential key id -> last sign-in

	okCollectors map[string]bool
	consenters   map[string][]*principal // user id -> principals the user consented to
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Scan implements connectors.Connector.
func (c *Connector) Scan(ctx context.Context, sink inventory.Sink) error {
	cr := &crawl{c: c, sink: sink, ctx: ctx, byID: map[string]*principal{}, byAppID: map[string]*principal{}, appRoles: map[string]map[string]string{},
		users: map[string]inventory.Principal{}, appByObj: map[string]*principal{}, keyUse: map[string]*time.Time{}, okCollectors: map[string]bool{}}
	c.log.Info("scanning Entra tenant", "tenant", c.cfg.TenantID)
	// Service principals first: everything else hangs off them. Without
	// them there is nothing to record, so their failure ends the scan.
	if err := cr.servicePrincipals(ctx); err != nil {
		if isStatus(err, http.StatusForbidden) {
			return fmt.Errorf("entra tenant %s: cannot list service principals (403): the app needs Application.Read.All: %w", c.cfg.TenantID, err)
		}
		return c.fatal(err)
	}
	if err := sink.Coverage(ctx, inventory.Coverage{Collector: colServicePrincipals, Status: inventory.CoverageOK}); err != nil {
		return err
	}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{colApplications, cr.applications},
		{colAgentIdentities, cr.agentIdentities},
		{colOwners, cr.owners},
		{colGrants, cr.grants},
		{colConsenters, cr.consentingUsers},
		{colAppRoles, cr.appRoleAssignments},
		{colDirectoryRoles, cr.directoryRoles},
		{colAuthzPolicy, cr.authorizationPolicy},
		{colAdminConsent, cr.adminConsentPolicy},
		{colConsentRequests, cr.consentRequests},
		{colSignIns, cr.signIns},
	}
	for _, st := range steps {
		if err := cr.collect(ctx, st.name, st.fn); err != nil {
			return err
		}
	}
	return cr.emit(ctx)
}

func (c *Connector) fatal(err error) error {
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("entra tenant %s: scan cancelled: %w", c.cfg.TenantID, err)
	case isStatus(err, http.StatusUnauthorized):
		return fmt.Errorf("entra tenant %s: Microsoft Graph rejected the credentials (401): check the app registration, its secret or certificate, or ENTRA_ACCESS_TOKEN: %w", c.cfg.TenantID, err)
	}
	return fmt.Errorf("entra tenant %s: %w", c.cfg.TenantID, err)
}

func (cr *crawl) collect(ctx context.Context, name string, fn func(context.Context) error) error {
	err := fn(ctx)
	if err == nil {
		cr.okCollectors[name] = true
		return cr.sink.Coverage(ctx, inventory.Coverage{Collector: name, Status: inventory.CoverageOK})
	}
	if ctx.Err() != nil {
		return cr.c.fatal(ctx.Err())
	}
	if isStatus(err, http.StatusUnauthorized) {
		return cr.c.fatal(err)
	}
	cov := classify(name, err)
	if cov.Status == inventory.CoverageError {
		cr.sink.Error(ctx, fmt.Errorf("collector %s: %w", name, err))
		cr.c.log.Warn("collector failed", "collector", name, "err", err)
	} else {
		cr.c.log.Info("collector skipped", "collector", name, "reason", cov.Reason)
	}
	return cr.sink.Coverage(ctx, cov)
}

func statusOf(err error) (int, string) {
	var oe *odataerrors.ODataError
	if errors.As(err, &oe) {
		code := ""
		if e := oe.GetErrorEscaped(); e != nil {
			code = str(e.GetCode()) + ": " + str(e.GetMessage())
		}
		return oe.ResponseStatusCode, code
	}
	var ae *abs.ApiError
	if errors.As(err, &ae) {
		return ae.ResponseStatusCode, ae.Message
	}
	var be batchError
	if errors.As(err, &be) {
		return be.status, be.msg
	}
	return 0, ""
}

func isStatus(err error, code int) bool { s, _ := statusOf(err); return s == code }

// classify maps an error to coverage: 403 (missing permission or licence),
// 400 on an optional feature's endpoint and 404 are skips; the rest errors.
func classify(name string, err error) inventory.Coverage {
	st, msg := statusOf(err)
	switch st {
	case http.StatusForbidden, http.StatusNotFound, http.StatusBadRequest:
		return inventory.Coverage{Collector: name, Status: inventory.CoverageSkipped, Reason: fmt.Sprintf("%d %s", st, msg), Permission: permissionsFor(name)}
	}
	return inventory.Coverage{Collector: name, Status: inventory.CoverageError, Reason: err.Error()}
}

type collection[T any] interface {
	GetValue() []T
	GetOdataNextLink() *string
}

// pages walks a Graph collection by its absolute @odata.nextLink.
func pages[T any, P collection[T]](first P, err error, next func(link string) (P, error), each func(T) error) error {
	for {
		if err != nil {
			return err
		}
		for _, v := range first.GetValue() {
			if err := each(v); err != nil {
				return err
			}
		}
		link := first.GetOdataNextLink()
		if link == nil || *link == "" {
			return nil
		}
		first, err = next(*link)
	}
}

func i32(n int32) *int32 { return &n }

func uuidStr(u *uuid.UUID) string {
	if u == nil {
		return ""
	}
	return u.String()
}

func (cr *crawl) servicePrincipals(ctx context.Context) error {
	b := cr.c.client.ServicePrincipals()
	first, err := b.Get(ctx, &serviceprincipals.ServicePrincipalsRequestBuilderGetRequestConfiguration{
		QueryParameters: &serviceprincipals.ServicePrincipalsRequestBuilderGetQueryParameters{Select: spSelect, Top: i32(999)}})
	return pages(first, err, func(link string) (models.ServicePrincipalCollectionResponseable, error) {
		return b.WithUrl(link).Get(ctx, nil)
	},
		func(sp models.ServicePrincipalable) error {
			p := cr.fromServicePrincipal(sp)
			cr.byID[p.id] = p
			if p.appID != "" {
				cr.byAppID[p.appID] = p
			}
			return nil
		})
}

func extra(sp interface{ GetAdditionalData() map[string]any }, key string) string {
	if v, ok := sp.GetAdditionalData()[key]; ok {
		switch s := v.(type) {
		case *string:
			return str(s)
		case string:
			return s
		}
	}
	return ""
}

func (cr *crawl) fromServicePrincipal(sp models.ServicePrincipalable) *principal {
	id := str(sp.GetId())
	missingID := id == ""
	if missingID {
		// Real Graph always sends an id; the documented examples are
		// sometimes truncated. Keep the object under a stable stand-in.
		id = "unidentified:" + str(sp.GetAppId()) + ":" + str(sp.GetDisplayName())
	}
	p := &principal{id: id, appID: str(sp.GetAppId()), kind: KindServicePrincipal}
	switch str(sp.GetServicePrincipalType()) {
	case "ManagedIdentity":
		p.kind = KindManagedIdentity
	case "ServiceIdentity":
		p.kind = KindAgentIdentity
	}
	name := str(sp.GetDisplayName())
	if name == "" {
		name = str(sp.GetAppDisplayName())
	}
	owner := uuidStr(sp.GetAppOwnerOrganizationId())
	origin := "third_party"
	switch {
	case owner == cr.c.cfg.TenantID:
		origin = "internal"
	case microsoftTenants[owner]:
		origin = "first_party"
	case owner == "" && p.kind != KindServicePrincipal:
		origin = "internal"
	}
	publisher := extra(sp, "publisherName")
	var verified *bool
	if vp := sp.GetVerifiedPublisher(); vp != nil {
		v := str(vp.GetVerifiedPublisherId()) != ""
		verified = &v
		if v && str(vp.GetDisplayName()) != "" {
			publisher = str(vp.GetDisplayName())
		}
	}
	homepage := str(sp.GetHomepage())
	if homepage == "" && sp.GetInfo() != nil {
		homepage = str(sp.GetInfo().GetMarketingUrl())
	}
	var replyHosts []string
	for _, u := range sp.GetReplyUrls() {
		if pu, err := url.Parse(u); err == nil && pu.Host != "" {
			replyHosts = append(replyHosts, pu.Hostname())
		}
	}
	if homepage == "" && len(sp.GetReplyUrls()) > 0 {
		if pu, err := url.Parse(sp.GetReplyUrls()[0]); err == nil && pu.Host != "" {
			homepage = pu.Scheme + "://" + pu.Host
		}
	}
	status := "active"
	if en := sp.GetAccountEnabled(); en != nil && !*en {
		status = "disabled"
	}
	roles := map[string]string{}
	for _, r := range sp.GetAppRoles() {
		roles[uuidStr(r.GetId())] = str(r.GetValue())
	}
	if len(roles) > 0 {
		cr.appRoles[id] = roles
	}
	p.ident = inventory.Identity{Kind: p.kind, NativeID: id, Name: name, Description: str(sp.GetAppDescription()), URL: homepage, Publisher: publisher,
		VerifiedPublisher: verified, Origin: origin, Status: status, Collector: colServicePrincipals,
		Attributes: map[string]any{"app_id": p.appID, "service_principal_type": str(sp.GetServicePrincipalType()), "sign_in_audience": str(sp.GetSignInAudience()),
			"app_owner_organization_id": owner, "tags": sp.GetTags(), "reply_url_hosts": replyHosts,
			"app_role_assignment_required": sp.GetAppRoleAssignmentRequired() != nil && *sp.GetAppRoleAssignmentRequired(),
			"multi_tenant":                 strings.Contains(str(sp.GetSignInAudience()), "Multiple")}}
	if missingID {
		p.ident.Attributes["missing_id"] = true
	}
	if created := extra(sp, "createdDateTime"); created != "" {
		if t, ok := parseTime(created); ok {
			p.ident.CreatedAt = &t
		}
	}
	// Credentials on the service principal itself: a third-party app does
	// not need them, so they are a known backdoor pattern.
	for _, pc := range sp.GetPasswordCredentials() {
		p.ident.Credentials = append(p.ident.Credentials, inventory.Credential{Type: "client_secret", ID: uuidStr(pc.GetKeyId()), CreatedAt: pc.GetStartDateTime(),
			ExpiresAt: pc.GetEndDateTime(), Collector: colServicePrincipals})
	}
	for _, kc := range sp.GetKeyCredentials() {
		p.ident.Credentials = append(p.ident.Credentials, inventory.Credential{Type: "certificate", ID: uuidStr(kc.GetKeyId()), CreatedAt: kc.GetStartDateTime(),
			ExpiresAt: kc.GetEndDateTime(), Collector: colServicePrincipals})
	}
	if n := len(sp.GetPasswordCredentials()) + len(sp.GetKeyCredentials()); n > 0 {
		p.ident.Attributes["service_principal_credentials"] = n
	}
	return p
}

func (cr *crawl) applications(ctx context.Context) error {
	b := cr.c.client.Applications()
	first, err := b.Get(ctx, &applications.ApplicationsRequestBuilderGetRequestConfiguration{
		QueryParameters: &applications.ApplicationsRequestBuilderGetQueryParameters{Select: appSelect, Top: i32(999)}})
	return pages(first, err, func(link string) (models.ApplicationCollectionResponseable, error) {
		return b.WithUrl(link).Get(ctx, nil)
	},
		func(app models.Applicationable) error {
			objID, appID := str(app.GetId()), str(app.GetAppId())
			if objID == "" {
				objID = "unidentified:" + appID + ":" + str(app.GetDisplayName())
			}
			p := cr.byAppID[appID]
			if p == nil {
				// Registered here but not instantiated as a service principal.
				p = &principal{id: objID, appID: appID, kind: KindAppRegistration, ident: inventory.Identity{Kind: KindAppRegistration, NativeID: objID,
					Name: str(app.GetDisplayName()), Origin: "internal", Status: "active", Collector: colApplications, CreatedAt: app.GetCreatedDateTime(),
					Attributes: map[string]any{"app_id": appID, "sign_in_audience": str(app.GetSignInAudience())}}}
				cr.byID["app:"+objID] = p
			}
			p.appObjID = objID
			p.ident.Attributes["app_object_id"] = objID
			p.ident.Attributes["publisher_domain"] = str(app.GetPublisherDomain())
			if p.ident.CreatedAt == nil {
				p.ident.CreatedAt = app.GetCreatedDateTime()
			}
			var required []string
			for _, rra := range app.GetRequiredResourceAccess() {
				for _, ra := range rra.GetResourceAccess() {
					required = append(required, str(rra.GetResourceAppId())+"/"+uuidStr(ra.GetId())+"/"+str(ra.GetTypeEscaped()))
				}
			}
			p.ident.Attributes["required_resource_access"] = len(required)
			for _, pc := range app.GetPasswordCredentials() {
				p.ident.Credentials = append(p.ident.Credentials, inventory.Credential{Type: "client_secret", ID: uuidStr(pc.GetKeyId()),
					CreatedAt: pc.GetStartDateTime(), ExpiresAt: pc.GetEndDateTime(), Collector: colApplications})
			}
			for _, kc := range app.GetKeyCredentials() {
				p.ident.Credentials = append(p.ident.Credentials, inventory.Credential{Type: "certificate", ID: uuidStr(kc.GetKeyId()),
					CreatedAt: kc.GetStartDateTime(), ExpiresAt: kc.GetEndDateTime(), Collector: colApplications})
			}
			cr.apps = append(cr.apps, p)
			cr.appByObj[objID] = p
			return nil
		})
}

// agentIdentities reads the Agent ID cast of /servicePrincipals (page size
// at most 100): it marks agent identities and records their blueprint.
func (cr *crawl) agentIdentities(ctx context.Context) error {
	b := cr.c.client.ServicePrincipals()
	first, err := b.WithUrl(cr.c.graph+"/v1.0/servicePrincipals/microsoft.graph.agentIdentity?$top=100").Get(ctx, nil)
	err = pages(first, err, func(link string) (models.ServicePrincipalCollectionResponseable, error) {
		return b.WithUrl(link).Get(ctx, nil)
	},
		func(sp models.ServicePrincipalable) error {
			id := str(sp.GetId())
			p := cr.byID[id]
			if p == nil {
				// Created after the listing: take what the cast returned.
				p = cr.fromServicePrincipal(sp)
				cr.byID[id] = p
			}
			p.kind = KindAgentIdentity
			p.ident.Kind = KindAgentIdentity
			if bp := extra(sp, "agentIdentityBlueprintId"); bp != "" {
				p.ident.Attributes["agent_blueprint_id"] = bp
			}
			if by := extra(sp, "createdByAppId"); by != "" {
				p.ident.Attributes["created_by_app_id"] = by
			}
			p.ident.Attributes["entra_agent_id"] = true
			return nil
		})
	if err != nil {
		return err
	}
	// Blueprints: the principal and the app registration that hold the
	// credentials and permissions every agent of the blueprint uses.
	first, err = b.WithUrl(cr.c.graph+"/v1.0/servicePrincipals/microsoft.graph.agentIdentityBlueprintPrincipal?$top=100").Get(ctx, nil)
	if err := pages(first, err, func(link string) (models.ServicePrincipalCollectionResponseable, error) {
		return b.WithUrl(link).Get(ctx, nil)
	},
		func(sp models.ServicePrincipalable) error {
			id := str(sp.GetId())
			p := cr.byID[id]
			if p == nil {
				p = cr.fromServicePrincipal(sp)
				cr.byID[p.id] = p
			}
			p.ident.Attributes["entra_agent_blueprint"] = true
			return nil
		}); err != nil {
		return err
	}
	ab := cr.c.client.Applications()
	firstApp, err := ab.WithUrl(cr.c.graph+"/v1.0/applications/microsoft.graph.agentIdentityBlueprint?$top=100").Get(ctx, nil)
	return pages(firstApp, err, func(link string) (models.ApplicationCollectionResponseable, error) {
		return ab.WithUrl(link).Get(ctx, nil)
	},
		func(app models.Applicationable) error {
			if p := cr.appByObj[str(app.GetId())]; p != nil {
				p.ident.Attributes["entra_agent_blueprint"] = true
			} else if p := cr.byAppID[str(app.GetAppId())]; p != nil {
				p.ident.Attributes["entra_agent_blueprint"] = true
			}
			return nil
		})
}

func (cr *crawl) grants(ctx context.Context) error {
	b := cr.c.client.Oauth2PermissionGrants()
	first, err := b.Get(ctx, &oauth2permissiongrants.Oauth2PermissionGrantsRequestBuilderGetRequestConfiguration{
		QueryParameters: &oauth2permissiongrants.Oauth2PermissionGrantsRequestBuilderGetQueryParameters{Top: i32(999)}})
	return pages(first, err, func(link string) (models.OAuth2PermissionGrantCollectionResponseable, error) {
		return b.WithUrl(link).Get(ctx, nil)
	},
		func(g models.OAuth2PermissionGrantable) error {
			client := cr.principalFor(str(g.GetClientId()))
			resource := str(g.GetResourceId())
			if r := cr.byID[resource]; r != nil {
				resource = r.ident.Name
			}
			consent, onBehalf := "user", str(g.GetPrincipalId())
			if str(g.GetConsentType()) == "AllPrincipals" {
				consent, onBehalf = "admin", "all"
			}
			for _, scope := range strings.Fields(str(g.GetScope())) {
				client.ident.Grants = append(client.ident.Grants, inventory.Grant{Resource: resource, Permission: scope, Type: inventory.GrantDelegated,
					Consent: consent, OnBehalfOf: onBehalf, Collector: colGrants})
			}
			if consent == "user" {
				n, _ := client.ident.Attributes["consenting_users"].(int)
				client.ident.Attributes["consenting_users"] = n + 1
			}
			return nil
		})
}

// principalFor finds the service principal with this object id, or records
// a placeholder so that nothing a grant says is dropped.
func (cr *crawl) principalFor(id string) *principal {
	if p := cr.byID[id]; p != nil {
		return p
	}
	p := &principal{id: id, kind: KindServicePrincipal, ident: inventory.Identity{Kind: KindServicePrincipal, NativeID: id, Name: id, Status: "unknown",
		Origin: "unknown", Collector: colServicePrincipals, Attributes: map[string]any{"unresolved": true}}}
	cr.byID[id] = p
	return p
}

// appRoleAssignments reads application permissions from every resource
// that defines app roles, with bounded concurrency.
func (cr *crawl) appRoleAssignments(ctx context.Context) error {
	resources := make([]string, 0, len(cr.appRoles))
	for id := range cr.appRoles {
		resources = append(resources, id)
	}
	sort.Strings(resources)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(cr.c.cfg.Concurrency)
	for _, res := range resources {
		g.Go(func() error {
			b := cr.c.client.ServicePrincipals().ByServicePrincipalId(res).AppRoleAssignedTo()
			first, err := b.Get(gctx, &serviceprincipals.ItemAppRoleAssignedToRequestBuilderGetRequestConfiguration{
				QueryParameters: &serviceprincipals.ItemAppRoleAssignedToRequestBuilderGetQueryParameters{Top: i32(999)}})
			err = pages(first, err, func(link string) (models.AppRoleAssignmentCollectionResponseable, error) {
				return b.WithUrl(link).Get(gctx, nil)
			},
				func(a models.AppRoleAssignmentable) error {
					if str(a.GetPrincipalType()) != "ServicePrincipal" {
						return nil
					}
					cr.mu.Lock()
					defer cr.mu.Unlock()
					perm := cr.appRoles[res][uuidStr(a.GetAppRoleId())]
					if perm == "" {
						perm = uuidStr(a.GetAppRoleId())
						if perm == "00000000-0000-0000-0000-000000000000" {
							perm = "default access"
						}
					}
					resName := str(a.GetResourceDisplayName())
					if r := cr.byID[res]; r != nil && resName == "" {
						resName = r.ident.Name
					}
					p := cr.principalFor(uuidStr(a.GetPrincipalId()))
					p.ident.Grants = append(p.ident.Grants, inventory.Grant{Resource: resName, Permission: perm, Type: inventory.GrantApplication,
						Consent: "admin", OnBehalfOf: "", GrantedAt: a.GetCreatedDateTime(), Collector: colAppRoles})
					return nil
				})
			if isStatus(err, http.StatusNotFound) {
				return nil // the resource was deleted mid-scan
			}
			return err
		})
	}
	return g.Wait()
}

func (cr *crawl) directoryRoles(ctx context.Context) error {
	defs := map[string]string{}
	db := cr.c.client.RoleManagement().Directory().RoleDefinitions()
	first, err := db.Get(ctx, &rolemanagement.DirectoryRoleDefinitionsRequestBuilderGetRequestConfiguration{
		QueryParameters: &rolemanagement.DirectoryRoleDefinitionsRequestBuilderGetQueryParameters{Select: []string{"id", "displayName", "templateId"}}})
	if err := pages(first, err, func(link string) (models.UnifiedRoleDefinitionCollectionResponseable, error) {
		return db.WithUrl(link).Get(ctx, nil)
	},
		func(d models.UnifiedRoleDefinitionable) error {
			defs[str(d.GetId())] = str(d.GetDisplayName())
			if t := str(d.GetTemplateId()); t != "" {
				defs[t] = str(d.GetDisplayName())
			}
			return nil
		}); err != nil {
		return err
	}
	ab := cr.c.client.RoleManagement().Directory().RoleAssignments()
	firstA, err := ab.Get(ctx, &rolemanagement.DirectoryRoleAssignmentsRequestBuilderGetRequestConfiguration{
		QueryParameters: &rolemanagement.DirectoryRoleAssignmentsRequestBuilderGetQueryParameters{Select: []string{"id", "principalId", "roleDefinitionId", "directoryScopeId"}}})
	return pages(firstA, err, func(link string) (models.UnifiedRoleAssignmentCollectionResponseable, error) {
		return ab.WithUrl(link).Get(ctx, nil)
	},
		func(a models.UnifiedRoleAssignmentable) error {
			p := cr.byID[str(a.GetPrincipalId())]
			if p == nil {
				return nil // a user or group
			}
			role := defs[str(a.GetRoleDefinitionId())]
			if role == "" {
				role = str(a.GetRoleDefinitionId())
			}
			scope := str(a.GetDirectoryScopeId())
			if scope == "" {
				scope = "/"
			}
			p.ident.Grants = append(p.ident.Grants, inventory.Grant{Resource: "directory" + strings.TrimSuffix(scope, "/"), Permission: role,
				Type: inventory.GrantAdminRole, Consent: "admin", Collector: colDirectoryRoles})
			return nil
		})
}

func (cr *crawl) authorizationPolicy(ctx context.Context) error {
	pol, err := cr.c.client.Policies().AuthorizationPolicy().Get(ctx, nil)
	if err != nil {
		return err
	}
	var assigned []string
	if d := pol.GetDefaultUserRolePermissions(); d != nil {
		assigned = d.GetPermissionGrantPoliciesAssigned()
		if d.GetAllowedToCreateApps() != nil {
			if err := cr.sink.Setting(ctx, inventory.Setting{Key: "entra.users_can_register_apps", Value: *d.GetAllowedToCreateApps()}); err != nil {
				return err
			}
		}
	}
	mode := "off"
	for _, a := range assigned {
		switch {
		case strings.Contains(a, "legacy"):
			mode = "any_app"
		case strings.Contains(a, "low") && mode == "off":
			mode = "low_impact"
		case mode == "off":
			mode = "custom"
		}
	}
	if assigned == nil {
		assigned = []string{}
	}
	if err := cr.sink.Setting(ctx, inventory.Setting{Key: "entra.user_consent_policies", Value: assigned}); err != nil {
		return err
	}
	return cr.sink.Setting(ctx, inventory.Setting{Key: "entra.user_consent", Value: mode})
}

func (cr *crawl) adminConsentPolicy(ctx context.Context) error {
	pol, err := cr.c.client.Policies().AdminConsentRequestPolicy().Get(ctx, nil)
	if err != nil {
		return err
	}
	return cr.sink.Setting(ctx, inventory.Setting{Key: "entra.admin_consent_workflow", Value: pol.GetIsEnabled() != nil && *pol.GetIsEnabled()})
}

func (cr *crawl) consentRequests(ctx context.Context) error {
	b := cr.c.client.IdentityGovernance().AppConsent().AppConsentRequests()
	first, err := b.Get(ctx, &identitygovernance.AppConsentAppConsentRequestsRequestBuilderGetRequestConfiguration{})
	return pages(first, err, func(link string) (models.AppConsentRequestCollectionResponseable, error) {
		return b.WithUrl(link).Get(ctx, nil)
	},
		func(r models.AppConsentRequestable) error {
			var scopes []string
			for _, s := range r.GetPendingScopes() {
				scopes = append(scopes, str(s.GetDisplayName()))
			}
			id := inventory.Identity{Kind: KindConsentRequest, NativeID: str(r.GetId()), Name: str(r.GetAppDisplayName()), Status: "pending",
				Origin: "third_party", Collector: colConsentRequests,
				Attributes: map[string]any{"app_id": str(r.GetAppId()), "pending_scopes": scopes, "user_requests": len(r.GetUserConsentRequests())}}
			return cr.sink.Identity(ctx, id)
		})
}

// signInEntry is one row of the beta sign-in reports, decoded by hand: the
// documented examples use offsets like -8:00, which RFC 3339 parsers reject.
type signInEntry struct {
	AppID              string `json:"appId"`
	KeyID              string `json:"keyId"`
	LastSignInActivity *struct {
		LastSignInDateTime string `json:"lastSignInDateTime"`
	} `json:"lastSignInActivity"`
	SignInActivity *struct {
		LastSignInDateTime string `json:"lastSignInDateTime"`
	} `json:"signInActivity"`
}

var shortOffset = regexp.MustCompile(`([+-])(\d):(\d\d)$`)

func parseTime(s string) (time.Time, bool) {
	s = shortOffset.ReplaceAllString(strings.TrimSpace(s), "${1}0${2}:${3}")
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// getRaw sends a GET through the SDK's adapter (auth, retries, throttling)
// and returns the body, for endpoints the SDK has no model for.
func (cr *crawl) getRaw(ctx context.Context, rawURL string) ([]byte, error) {
	ri := abs.NewRequestInformation()
	ri.Method = abs.GET
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	ri.SetUri(*u)
	ri.Headers.Add("Accept", "application/json")
	v, err := cr.c.client.GetAdapter().SendPrimitive(ctx, ri, "[]byte", abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue})
	if err != nil {
		return nil, err
	}
	b, _ := v.([]byte)
	return b, nil
}

func (cr *crawl) signIns(ctx context.Context) error {
	for _, report := range []string{"servicePrincipalSignInActivities", "appCredentialSignInActivities"} {
		link := cr.c.graph + "/beta/reports/" + report + "?$top=999"
		for link != "" {
			b, err := cr.getRaw(ctx, link)
			if err != nil {
				return err
			}
			var pg struct {
				Value    []signInEntry `json:"value"`
				NextLink string        `json:"@odata.nextLink"`
			}
			if err := json.Unmarshal(b, &pg); err != nil {
				return fmt.Errorf("beta %s: decode: %w", report, err)
			}
			for _, e := range pg.Value {
				act := e.LastSignInActivity
				if act == nil {
					act = e.SignInActivity
				}
				if act == nil || act.LastSignInDateTime == "" {
					continue
				}
				t, ok := parseTime(act.LastSignInDateTime)
				if !ok {
					continue
				}
				if e.KeyID != "" {
					cr.keyUse[e.KeyID] = &t
				} else if p := cr.byAppID[e.AppID]; p != nil {
					p.lastSign = &t
				}
			}
			link = pg.NextLink
		}
	}
	return nil
}

// emit writes every principal with what was collected about it.
func (cr *crawl) emit(ctx context.Context) error {
	ids := make([]string, 0, len(cr.byID))
	for id := range cr.byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	signIns := cr.okCollectors[colSignIns]
	for _, id := range ids {
		p := cr.byID[id]
		p.ident.LastUsedAt = p.lastSign
		if !signIns {
			p.ident.Attributes["sign_in_data"] = "unavailable"
		}
		for i := range p.ident.Credentials {
			if t := cr.keyUse[p.ident.Credentials[i].ID]; t != nil {
				p.ident.Credentials[i].LastUsedAt = t
			}
		}
		if err := cr.sink.Identity(ctx, p.ident); err != nil {
			return err
		}
	}
	return nil
}
