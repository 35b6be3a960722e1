package github

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/shadowscan/shadowscan/connectors/aikeys"
	"github.com/shadowscan/shadowscan/inventory"
)

// Identity kinds this connector emits.
const (
	KindInstallation     = "github_app_installation"
	KindPAT              = "fine_grained_pat"
	KindPATRequest       = "fine_grained_pat_request"
	KindSSOPAT           = "sso_authorized_pat"
	KindSSOOAuthToken    = "sso_authorized_oauth_token"
	KindSSOAppToken      = "sso_authorized_app_token"
	KindSSOSSHKey        = "sso_authorized_ssh_key"
	KindSSOOther         = "sso_authorized_credential"
	KindDeployKey        = "deploy_key"
	KindOrgWebhook       = "org_webhook"
	KindRepoWebhook      = "repo_webhook"
	KindActionsSecret    = "actions_secret"
	KindActionsVariable  = "actions_variable"
	KindCopilotSeat      = "copilot_seat"
	KindLeakedSecret     = "leaked_secret"
	perPage              = 100
	resourceOrganization = "organization"
)

func tsp(t *gh.Timestamp) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// listAll pages through an endpoint that go-github has no method for (or
// whose method drops data), decoding each page's array of T.
func listAll[T any](ctx context.Context, s *scan, path string, each func(T) error) error {
	return listEnvelope(ctx, s, path, "", each)
}

// listEnvelope is listAll for endpoints that wrap the array in an object
// under key ("installations", "seats", ...).
func listEnvelope[T any](ctx context.Context, s *scan, path, key string, each func(T) error) error {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	for page := 1; page > 0; {
		req, err := s.c.client.NewRequest("GET", fmt.Sprintf("%s%sper_page=%d&page=%d", path, sep, perPage, page), nil)
		if err != nil {
			return err
		}
		var raw json.RawMessage
		resp, err := s.c.client.Do(ctx, req, &raw)
		if err != nil {
			return err
		}
		if key != "" {
			var env map[string]json.RawMessage
			if err := json.Unmarshal(raw, &env); err != nil {
				return fmt.Errorf("GET %s page %d: decode: %w", path, page, err)
			}
			raw = env[key]
		}
		var items []T
		if len(raw) > 0 && string(raw) != "null" {
			if err := json.Unmarshal(raw, &items); err != nil {
				return fmt.Errorf("GET %s page %d: decode: %w", path, page, err)
			}
		}
		for _, it := range items {
			if err := each(it); err != nil {
				return err
			}
		}
		page = resp.NextPage
	}
	return nil
}

func getJSON(ctx context.Context, s *scan, path string, v any) error {
	req, err := s.c.client.NewRequest("GET", path, nil)
	if err != nil {
		return err
	}
	_, err = s.c.client.Do(ctx, req, v)
	return err
}

type login struct {
	Login string `json:"login"`
	ID    int64  `json:"id"`
	Type  string `json:"type"`
}

func (s *scan) principal(l string) inventory.Principal {
	st := inventory.PrincipalUnknown
	if s.memberSet != nil {
		st = inventory.PrincipalDeleted
		if s.memberSet[strings.ToLower(l)] {
			st = inventory.PrincipalActive
		}
	}
	return inventory.Principal{Kind: "user", Native: l, Name: l, Status: st}
}

func (s *scan) members(ctx context.Context) error {
	set := map[string]bool{}
	opts := &gh.ListMembersOptions{ListOptions: gh.ListOptions{PerPage: perPage}}
	err := eachPage(&opts.ListOptions, func() ([]*gh.User, *gh.Response, error) {
		return s.c.client.Organizations.ListMembers(ctx, s.org, opts)
	}, func(m *gh.User) error {
		set[strings.ToLower(m.GetLogin())] = true
		return nil
	})
	if err != nil {
		return err
	}
	s.memberSet = set
	return s.sink.Setting(ctx, inventory.Setting{Key: "github.members", Value: len(set)})
}

// installation is decoded by hand: go-github v60's InstallationPermissions
// knows a fixed set of keys and silently drops the rest.
type installation struct {
	ID                  int64          `json:"id"`
	AppID               int64          `json:"app_id"`
	AppSlug             string         `json:"app_slug"`
	Account             login          `json:"account"`
	RepositorySelection string         `json:"repository_selection"`
	Permissions         map[string]any `json:"permissions"`
	Events              []string       `json:"events"`
	CreatedAt           *gh.Timestamp  `json:"created_at"`
	UpdatedAt           *gh.Timestamp  `json:"updated_at"`
	SuspendedAt         *gh.Timestamp  `json:"suspended_at"`
	SuspendedBy         *login         `json:"suspended_by"`
	TargetType          string         `json:"target_type"`
	HTMLURL             string         `json:"html_url"`
}

// orgLevel says which permission keys are about the organization rather
// than its repositories.
func orgLevel(key string) bool {
	return strings.HasPrefix(key, "organization_") || key == "members" || key == "team_discussions"
}

func permGrants(perms map[string]any, repoResource string, typ, consent string) []inventory.Grant {
	keys := make([]string, 0, len(perms))
	for k := range perms {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []inventory.Grant
	for _, k := range keys {
		res := repoResource
		if orgLevel(k) {
			res = resourceOrganization
		}
		out = append(out, inventory.Grant{Resource: res, Permission: k + ":" + fmt.Sprint(perms[k]), Type: typ, Consent: consent})
	}
	return out
}

func (s *scan) installations(ctx context.Context) error {
	apps := map[string]*gh.App{}
	return listEnvelope(ctx, s, "orgs/"+url.PathEscape(s.org)+"/installations", "installations", func(in installation) error {
		app, seen := apps[in.AppSlug]
		if !seen && in.AppSlug != "" {
			a, _, err := s.c.client.Apps.Get(ctx, in.AppSlug)
			switch {
			case err == nil:
				app = a
			case isStatus(err, 404):
				// A private app of another account: metadata is not visible.
			case ctx.Err() != nil:
				return ctx.Err()
			default:
				s.sink.Error(ctx, fmt.Errorf("app %s metadata: %w", in.AppSlug, err))
			}
			apps[in.AppSlug] = app
		}
		id := inventory.Identity{Kind: KindInstallation, NativeID: strconv.FormatInt(in.ID, 10), Name: in.AppSlug, Collector: colInstallations,
			Status: "active", CreatedAt: tsp(in.CreatedAt), Origin: "third_party",
			Attributes: map[string]any{"app_slug": in.AppSlug, "app_id": in.AppID, "repository_selection": in.RepositorySelection,
				"events": in.Events, "permissions": in.Permissions, "target_type": in.TargetType, "html_url": in.HTMLURL}}
		if in.UpdatedAt != nil {
			id.Attributes["updated_at"] = tsp(in.UpdatedAt)
		}
		if in.SuspendedAt != nil {
			id.Status = "suspended"
			id.Attributes["suspended_at"] = tsp(in.SuspendedAt)
			if in.SuspendedBy != nil {
				id.Attributes["suspended_by"] = in.SuspendedBy.Login
			}
		}
		if app != nil {
			id.Name = app.GetName()
			id.Description = app.GetDescription()
			id.URL = app.GetExternalURL()
			id.Publisher = app.GetOwner().GetLogin()
			id.Attributes["app_html_url"] = app.GetHTMLURL()
			switch {
			case strings.EqualFold(id.Publisher, s.org):
				id.Origin = "internal"
			case strings.EqualFold(id.Publisher, "github"):
				id.Origin = "first_party"
			}
		}
		sel := in.RepositorySelection
		if sel == "" {
			sel = "unknown"
		}
		id.Grants = permGrants(in.Permissions, "repositories:"+sel, inventory.GrantInstallation, "admin")
		return s.sink.Identity(ctx, id)
	})
}

type patPermissions struct {
	Organization map[string]any `json:"organization"`
	Repository   map[string]any `json:"repository"`
	Other        map[string]any `json:"other"`
}

type pat struct {
	ID                  int64          `json:"id"`
	Reason              *string        `json:"reason"`
	Owner               login          `json:"owner"`
	RepositorySelection string         `json:"repository_selection"`
	Permissions         patPermissions `json:"permissions"`
	AccessGrantedAt     *gh.Timestamp  `json:"access_granted_at"`
	CreatedAt           *gh.Timestamp  `json:"created_at"`
	TokenID             int64          `json:"token_id"`
	TokenName           string         `json:"token_name"`
	TokenExpired        bool           `json:"token_expired"`
	TokenExpiresAt      *gh.Timestamp  `json:"token_expires_at"`
	TokenLastUsedAt     *gh.Timestamp  `json:"token_last_used_at"`
}

func (p pat) grants() []inventory.Grant {
	sel := p.RepositorySelection
	if sel == "" {
		sel = "unknown"
	}
	var out []inventory.Grant
	for _, g := range permGrants(p.Permissions.Repository, "repositories:"+sel, inventory.GrantToken, "user") {
		g.OnBehalfOf = p.Owner.Login
		g.GrantedAt = tsp(p.AccessGrantedAt)
		out = append(out, g)
	}
	for _, perms := range []map[string]any{p.Permissions.Organization, p.Permissions.Other} {
		for _, g := range permGrants(perms, resourceOrganization, inventory.GrantToken, "user") {
			g.Resource = resourceOrganization
			g.OnBehalfOf = p.Owner.Login
			g.GrantedAt = tsp(p.AccessGrantedAt)
			out = append(out, g)
		}
	}
	return out
}

// pats uses NewRequest/Do: go-github v60 has no method for these endpoints.
func (s *scan) pats(ctx context.Context) error {
	return listAll(ctx, s, "orgs/"+url.PathEscape(s.org)+"/personal-access-tokens", func(p pat) error {
		id := inventory.Identity{Kind: KindPAT, NativeID: strconv.FormatInt(p.TokenID, 10), Name: p.TokenName, Collector: colPATs,
			Status: "active", Origin: "internal", LastUsedAt: tsp(p.TokenLastUsedAt),
			Owners: []inventory.OwnerRef{{Role: "owner", Principal: s.principal(p.Owner.Login)}},
			Attributes: map[string]any{"grant_id": p.ID, "repository_selection": p.RepositorySelection, "access_granted_at": tsp(p.AccessGrantedAt),
				"token_expired": p.TokenExpired, "expires": p.TokenExpiresAt != nil, "acts_as_user": p.Owner.Login},
			Credentials: []inventory.Credential{{Type: "fine_grained_pat", ID: strconv.FormatInt(p.TokenID, 10), ExpiresAt: tsp(p.TokenExpiresAt), LastUsedAt: tsp(p.TokenLastUsedAt)}},
			Grants:      p.grants()}
		if p.TokenExpired {
			id.Status = "expired"
		}
		return s.sink.Identity(ctx, id)
	})
}

func (s *scan) patRequests(ctx context.Context) error {
	return listAll(ctx, s, "orgs/"+url.PathEscape(s.org)+"/personal-access-token-requests", func(p pat) error {
		var requested []string
		for _, g := range p.grants() {
			requested = append(requested, g.Resource+" "+g.Permission)
		}
		id := inventory.Identity{Kind: KindPATRequest, NativeID: strconv.FormatInt(p.ID, 10), Name: p.TokenName, Collector: colPATRequests,
			Status: "pending", Origin: "internal", CreatedAt: tsp(p.CreatedAt),
			Owners: []inventory.OwnerRef{{Role: "owner", Principal: s.principal(p.Owner.Login)}},
			Attributes: map[string]any{"token_id": p.TokenID, "repository_selection": p.RepositorySelection, "requested_permissions": requested,
				"expires": p.TokenExpiresAt != nil, "acts_as_user": p.Owner.Login}}
		if p.Reason != nil {
			id.Description = *p.Reason
		}
		return s.sink.Identity(ctx, id)
	})
}

// suffixHint keeps the last 4 characters of an already-partial token suffix.
func suffixHint(s string) string {
	r := []rune(s)
	if len(r) < 4 {
		return ""
	}
	return "…" + string(r[len(r)-4:])
}

func (s *scan) credentialAuthorizations(ctx context.Context) error {
	opts := &gh.ListOptions{PerPage: perPage}
	return eachPage(opts, func() ([]*gh.CredentialAuthorization, *gh.Response, error) {
		return s.c.client.Organizations.ListCredentialAuthorizations(ctx, s.org, opts)
	}, func(ca *gh.CredentialAuthorization) error {
		kind, label := KindSSOOther, ca.GetCredentialType()
		switch ca.GetCredentialType() {
		case "personal access token":
			kind = KindSSOPAT
		case "OAuth app token":
			kind = KindSSOOAuthToken
		case "GitHub app token":
			kind = KindSSOAppToken
		case "SSH key":
			kind = KindSSOSSHKey
		}
		hint := suffixHint(ca.GetTokenLastEight())
		name := fmt.Sprintf("%s of %s", label, ca.GetLogin())
		if t := ca.GetAuthorizedCredentialTitle(); t != "" {
			name += " (" + t + ")"
		} else if hint != "" {
			name += " " + hint
		}
		id := inventory.Identity{Kind: kind, NativeID: strconv.FormatInt(ca.GetCredentialID(), 10), Name: name, Collector: colCredAuth,
			Status: "active", Origin: "internal", CreatedAt: tsp(ca.CredentialAuthorizedAt), LastUsedAt: tsp(ca.CredentialAccessedAt),
			Owners: []inventory.OwnerRef{{Role: "owner", Principal: s.principal(ca.GetLogin())}},
			Attributes: map[string]any{"credential_type": ca.GetCredentialType(), "scopes": ca.Scopes, "authorized_credential_id": ca.GetAuthorizedCredentialID(),
				"fingerprint": ca.GetFingerprint(), "acts_as_user": ca.GetLogin(), "expires": ca.AuthorizedCredentialExpiresAt != nil},
			Credentials: []inventory.Credential{{Type: kind, ID: strconv.FormatInt(ca.GetAuthorizedCredentialID(), 10), Hint: hint,
				CreatedAt: tsp(ca.CredentialAuthorizedAt), ExpiresAt: tsp(ca.AuthorizedCredentialExpiresAt), LastUsedAt: tsp(ca.CredentialAccessedAt)}}}
		for _, sc := range ca.Scopes {
			id.Grants = append(id.Grants, inventory.Grant{Resource: "classic-scopes", Permission: sc, Type: inventory.GrantToken, Consent: "user", OnBehalfOf: ca.GetLogin()})
		}
		return s.sink.Identity(ctx, id)
	})
}

// hookTarget keeps scheme and host of a webhook URL: paths of Slack,
// Zapier and similar hooks are themselves secrets.
func hookTarget(raw string) (target, host string) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", ""
	}
	return u.Scheme + "://" + u.Host, u.Hostname()
}

func hookIdentity(h *gh.Hook, kind, native, repo, collector string) inventory.Identity {
	cfg := h.GetConfig()
	target, host := hookTarget(cfg.GetURL())
	name := host
	if name == "" {
		name = "webhook " + native
	}
	status := "active"
	if !h.GetActive() {
		status = "disabled"
	}
	attrs := map[string]any{"target_host": host, "secret_set": cfg.GetSecret() != "", "insecure_ssl": cfg.GetInsecureSSL() == "1",
		"events": h.Events, "content_type": cfg.GetContentType()}
	if repo != "" {
		attrs["repository"] = repo
	}
	return inventory.Identity{Kind: kind, NativeID: native, Name: name, URL: target, Collector: collector, Status: status,
		Origin: "internal", CreatedAt: tsp(h.CreatedAt), Attributes: attrs}
}

func (s *scan) orgHooks(ctx context.Context) error {
	opts := &gh.ListOptions{PerPage: perPage}
	return eachPage(opts, func() ([]*gh.Hook, *gh.Response, error) {
		return s.c.client.Organizations.ListHooks(ctx, s.org, opts)
	}, func(h *gh.Hook) error {
		return s.sink.Identity(ctx, hookIdentity(h, KindOrgWebhook, strconv.FormatInt(h.GetID(), 10), "", colOrgHooks))
	})
}

func secretIdentity(sec *gh.Secret, scope, collector string) inventory.Identity {
	native := scope + "/" + sec.Name
	return inventory.Identity{Kind: KindActionsSecret, NativeID: native, Name: sec.Name, Collector: collector, Status: "active", Origin: "internal",
		CreatedAt: tsp(&sec.CreatedAt),
		Attributes: map[string]any{"scope": scope, "visibility": sec.Visibility, "updated_at": tsp(&sec.UpdatedAt),
			"name_suggests_ai_key": aikeys.NameSuggestsAIKey(sec.Name)},
		Credentials: []inventory.Credential{{Type: "actions_secret", ID: native, CreatedAt: tsp(&sec.CreatedAt)}}}
}

func (s *scan) orgSecrets(ctx context.Context) error {
	opts := &gh.ListOptions{PerPage: perPage}
	return eachPage(opts, func() ([]*gh.Secret, *gh.Response, error) {
		return secretsPage(s.c.client.Actions.ListOrgSecrets(ctx, s.org, opts))
	}, func(sec *gh.Secret) error {
		return s.sink.Identity(ctx, secretIdentity(sec, "org", colOrgActions))
	})
}

// variable is decoded by hand: values are documented as strings but
// GitHub's own example has a boolean, which go-github cannot decode.
type variable struct {
	Name       string          `json:"name"`
	Value      json.RawMessage `json:"value"`
	CreatedAt  *gh.Timestamp   `json:"created_at"`
	UpdatedAt  *gh.Timestamp   `json:"updated_at"`
	Visibility string          `json:"visibility"`
}

func (v variable) text() string {
	var s string
	if json.Unmarshal(v.Value, &s) == nil {
		return s
	}
	return string(v.Value)
}

// variableIdentity records a variable only when it holds, or is named like,
// an AI provider key. The value is matched and dropped; only the provider
// and a hint are kept.
func variableIdentity(v variable, scope, collector string) (inventory.Identity, bool) {
	val := v.text()
	provider := aikeys.Match(val)
	if provider == "" && !aikeys.NameSuggestsAIKey(v.Name) {
		return inventory.Identity{}, false
	}
	native := scope + "/" + v.Name
	id := inventory.Identity{Kind: KindActionsVariable, NativeID: native, Name: v.Name, Collector: collector, Status: "active", Origin: "internal",
		CreatedAt: tsp(v.CreatedAt),
		Attributes: map[string]any{"scope": scope, "visibility": v.Visibility, "updated_at": tsp(v.UpdatedAt),
			"name_suggests_ai_key": aikeys.NameSuggestsAIKey(v.Name), "plaintext_ai_key": provider}}
	if provider != "" {
		id.Credentials = []inventory.Credential{{Type: "plaintext_variable", ID: native, Hint: inventory.Hint(val), CreatedAt: tsp(v.CreatedAt)}}
	}
	return id, true
}

func (s *scan) orgVariables(ctx context.Context) error {
	return listEnvelope(ctx, s, "orgs/"+url.PathEscape(s.org)+"/actions/variables", "variables", func(v variable) error {
		if id, ok := variableIdentity(v, "org", colOrgVariables); ok {
			return s.sink.Identity(ctx, id)
		}
		return nil
	})
}

type copilotSeat struct {
	CreatedAt               *gh.Timestamp `json:"created_at"`
	UpdatedAt               *gh.Timestamp `json:"updated_at"`
	PendingCancellationDate *string       `json:"pending_cancellation_date"`
	LastActivityAt          *gh.Timestamp `json:"last_activity_at"`
	LastActivityEditor      *string       `json:"last_activity_editor"`
	PlanType                string        `json:"plan_type"`
	Assignee                *login        `json:"assignee"`
}

// copilot uses NewRequest/Do: v60's ListCopilotSeats ignores paging and
// fails on a null assignee.
func (s *scan) copilot(ctx context.Context) error {
	var billing map[string]any
	if err := getJSON(ctx, s, "orgs/"+url.PathEscape(s.org)+"/copilot/billing", &billing); err != nil {
		return err
	}
	for _, k := range []string{"seat_management_setting", "ide_chat", "platform_chat", "cli", "public_code_suggestions", "plan_type"} {
		if v, ok := billing[k]; ok {
			if err := s.sink.Setting(ctx, inventory.Setting{Key: "copilot." + k, Value: v}); err != nil {
				return err
			}
		}
	}
	plan, _ := billing["plan_type"].(string)
	orphaned := 0
	err := listEnvelope(ctx, s, "orgs/"+url.PathEscape(s.org)+"/copilot/billing/seats", "seats", func(seat copilotSeat) error {
		if seat.Assignee == nil || seat.Assignee.Login == "" {
			orphaned++
			return nil
		}
		who := seat.Assignee.Login
		p := plan
		if seat.PlanType != "" {
			p = seat.PlanType
		}
		id := inventory.Identity{Kind: KindCopilotSeat, NativeID: who, Name: "GitHub Copilot for " + who, Collector: colCopilot,
			Publisher: "github", Origin: "first_party", Status: "active", CreatedAt: tsp(seat.CreatedAt), LastUsedAt: tsp(seat.LastActivityAt),
			Owners: []inventory.OwnerRef{{Role: "assignee", Principal: s.principal(who)}},
			Attributes: map[string]any{"plan_type": p, "assignee_type": seat.Assignee.Type, "pending_cancellation_date": seat.PendingCancellationDate,
				"last_activity_editor": seat.LastActivityEditor, "acts_as_user": who},
			Grants: []inventory.Grant{{Resource: "copilot", Permission: "copilot:" + p, Type: inventory.GrantDelegated, Consent: "admin", OnBehalfOf: who}}}
		if seat.PendingCancellationDate != nil {
			id.Status = "pending_cancellation"
		}
		return s.sink.Identity(ctx, id)
	})
	if err != nil {
		return err
	}
	return s.sink.Setting(ctx, inventory.Setting{Key: "copilot.seats_without_assignee", Value: orphaned})
}

// aiSecretWords identify AI providers in GitHub's secret_type names
// (openai_api_key, anthropic_admin_api_key, huggingface_user_access_token,
// google_gemini_api_key, ...). Matching on words, not a fixed list, keeps
// new token types of known providers in.
var aiSecretWords = []string{"openai", "anthropic", "gemini", "huggingface", "hf_", "groq", "xai_", "mistral", "perplexity", "deepseek",
	"cohere", "openrouter", "replicate", "langchain", "langsmith", "together_ai", "fireworks", "elevenlabs", "pinecone", "azure_openai",
	"azure_ai", "stability_ai", "assemblyai", "deepgram", "voyage"}

// IsAISecretType reports whether a secret-scanning type is an AI provider's.
func IsAISecretType(t string) bool {
	t = strings.ToLower(t)
	for _, w := range aiSecretWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

type alert struct {
	Number         int           `json:"number"`
	CreatedAt      *gh.Timestamp `json:"created_at"`
	UpdatedAt      *gh.Timestamp `json:"updated_at"`
	HTMLURL        string        `json:"html_url"`
	State          string        `json:"state"`
	Resolution     *string       `json:"resolution"`
	SecretType     string        `json:"secret_type"`
	Display        string        `json:"secret_type_display_name"`
	Secret         string        `json:"secret"` // plaintext: read for a hint, never kept
	Validity       string        `json:"validity"`
	PubliclyLeaked bool          `json:"publicly_leaked"`
	Repository     struct {
		FullName string `json:"full_name"`
	} `json:"repository"`
}

// secretScanning reads every alert and keeps those of AI provider types.
// NewRequest/Do: v60's alert type lacks validity and publicly_leaked.
func (s *scan) secretScanning(ctx context.Context) error {
	return listAll(ctx, s, "orgs/"+url.PathEscape(s.org)+"/secret-scanning/alerts", func(a alert) error {
		hint := inventory.Hint(a.Secret)
		a.Secret = ""
		if !IsAISecretType(a.SecretType) {
			return nil
		}
		native := fmt.Sprintf("%s#%d", a.Repository.FullName, a.Number)
		status := "active"
		if a.State != "open" {
			status = "resolved"
		}
		id := inventory.Identity{Kind: KindLeakedSecret, NativeID: native, Name: fmt.Sprintf("%s in %s", a.Display, a.Repository.FullName),
			Collector: colSecretScanning, Status: status, Origin: "internal", CreatedAt: tsp(a.CreatedAt), URL: a.HTMLURL,
			Attributes: map[string]any{"secret_type": a.SecretType, "state": a.State, "resolution": a.Resolution, "validity": a.Validity,
				"publicly_leaked": a.PubliclyLeaked, "repository": a.Repository.FullName, "alert_number": a.Number},
			Credentials: []inventory.Credential{{Type: "leaked_key", ID: native, Hint: hint, CreatedAt: tsp(a.CreatedAt)}}}
		return s.sink.Identity(ctx, id)
	})
}
