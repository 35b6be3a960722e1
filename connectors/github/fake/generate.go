package fake

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// GenOptions sizes a generated org.
type GenOptions struct {
	Login string    // default "acme-corp"
	Repos int       // default 300
	Seed  uint64    // same seed, same org
	Now   time.Time // ages count back from here; default time.Now()
	// Extra installations of generic apps, to reach realistic sizes in
	// benchmarks (default 0).
	ExtraInstallations int
}

type genApp struct {
	slug, name, owner, desc, url, selection string
	perms                                   map[string]string
	suspended                               bool
	ageDays                                 int
}

// demoApps mixes AI agents, ordinary integrations and internal automations,
// as a real org would have them. The last one is named by an attacker.
var demoApps = []genApp{
	{"claude", "Claude", "anthropics", "Claude Code GitHub App: tag @claude in issues and PRs.", "https://www.anthropic.com/claude-code", "all",
		map[string]string{"contents": "write", "pull_requests": "write", "issues": "write", "workflows": "write", "metadata": "read", "actions": "read"}, false, 120},
	{"chatgpt-codex-connector", "ChatGPT Codex Connector", "openai", "Connect ChatGPT and Codex to your repositories.", "https://chatgpt.com/codex", "selected",
		map[string]string{"contents": "write", "pull_requests": "write", "metadata": "read", "checks": "read"}, false, 60},
	{"coderabbitai", "CodeRabbit", "coderabbitai", "AI-first pull request reviewer.", "https://coderabbit.ai", "all",
		map[string]string{"pull_requests": "write", "contents": "read", "issues": "write", "metadata": "read", "checks": "write"}, false, 400},
	{"devin-ai-integration", "Devin.ai Integration", "CognitionAI", "Devin, the AI software engineer.", "https://devin.ai", "all",
		map[string]string{"contents": "write", "pull_requests": "write", "workflows": "write", "administration": "write", "metadata": "read"}, false, 200},
	{"cursor", "Cursor", "anysphere", "Cursor background agents and Bugbot.", "https://cursor.com", "selected",
		map[string]string{"contents": "write", "pull_requests": "write", "metadata": "read"}, false, 90},
	{"google-labs-jules", "Jules", "google-labs-code", "Jules, an asynchronous coding agent from Google.", "https://jules.google", "selected",
		map[string]string{"contents": "write", "pull_requests": "write", "issues": "read", "metadata": "read"}, false, 45},
	{"sourcery-ai", "Sourcery AI", "sourcery-ai", "Instant AI code reviews.", "https://sourcery.ai", "all",
		map[string]string{"contents": "write", "pull_requests": "write", "metadata": "read"}, true, 700},
	{"greptile-apps", "Greptile", "greptileai", "AI code review with full codebase context.", "https://greptile.com", "selected",
		map[string]string{"pull_requests": "write", "contents": "read", "metadata": "read"}, false, 30},
	{"renovate", "Renovate", "renovatebot", "Automated dependency updates.", "https://github.com/renovatebot/renovate", "all",
		map[string]string{"contents": "write", "pull_requests": "write", "workflows": "write", "metadata": "read", "issues": "write"}, false, 1500},
	{"slack", "Slack", "integrations", "Bring your code to the conversations you care about.", "https://slack.com", "all",
		map[string]string{"issues": "read", "pull_requests": "read", "metadata": "read", "deployments": "read"}, false, 1900},
	{"netlify", "Netlify", "netlify", "Deploy previews and continuous deployment.", "https://www.netlify.com", "selected",
		map[string]string{"deployments": "write", "statuses": "write", "contents": "read", "metadata": "read"}, false, 1100},
	{"codecov", "Codecov", "codecov", "Code coverage reports.", "https://codecov.io", "all",
		map[string]string{"checks": "write", "pull_requests": "write", "statuses": "write", "metadata": "read"}, false, 1300},
	{"acme-release-bot", "acme-release-bot", "", "Internal release automation.", "https://releases.acme.example", "all",
		map[string]string{"contents": "write", "administration": "write", "secrets": "write", "metadata": "read"}, false, 800},
	{"acme-llm-triage", "Acme LLM triage <script>alert(1)</script>\x1b[31mPWNED\x1b[0m", "", "Triage bot built on GPT-4o. <img src=x onerror=alert(2)>", "javascript:alert(3)", "all",
		map[string]string{"issues": "write", "pull_requests": "write", "contents": "read", "metadata": "read"}, false, 20},
}

var words = []string{"api", "web", "billing", "auth", "search", "payments", "infra", "docs", "mobile", "ios", "android", "ml", "data",
	"pipeline", "gateway", "portal", "admin", "worker", "events", "ledger", "notify", "catalog", "checkout", "ui", "sdk", "cli", "terraform", "helm"}

var firstNames = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yasmin"}

// Generate builds a realistic org: members, a few hundred repositories with
// deploy keys, webhooks and Actions secrets, a dozen App installations mixing
// AI and ordinary apps, fine-grained PATs, Copilot seats and leaked AI keys.
func Generate(o GenOptions) *Org {
	if o.Login == "" {
		o.Login = "acme-corp"
	}
	if o.Repos == 0 {
		o.Repos = 300
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x5eed))
	ago := func(days int) string {
		return o.Now.Add(-time.Duration(days) * 24 * time.Hour).UTC().Format(time.RFC3339)
	}
	agoPtr := func(days int) *string { s := ago(days); return &s }
	inDays := func(days int) *string {
		s := o.Now.Add(time.Duration(days) * 24 * time.Hour).UTC().Format(time.RFC3339)
		return &s
	}
	user := func(login string, id int64) User {
		return User{Login: login, ID: id, NodeID: fmt.Sprintf("U_%d", id), AvatarURL: "https://avatars.githubusercontent.com/u/" + fmt.Sprint(id),
			URL: u("users", login), HTMLURL: "https://github.com/" + login, Type: "User"}
	}
	org := &Org{Login: o.Login, ID: 90000001, Name: strings.ToUpper(o.Login[:1]) + o.Login[1:], GHEC: true, Copilot: true, SecretScanning: true}
	orgUser := User{Login: o.Login, ID: org.ID, NodeID: "O_1", URL: u("users", o.Login), HTMLURL: "https://github.com/" + o.Login, Type: "Organization"}

	nMembers := max(20, o.Repos/4)
	for i := 0; i < nMembers; i++ {
		login := fmt.Sprintf("%s-%03d", firstNames[i%len(firstNames)], i)
		org.Members = append(org.Members, user(login, int64(1000+i)))
	}
	// People who have left the org but still own credentials.
	former := []User{user("mallory-left", 990), user("oscar-contractor", 991)}
	member := func() User { return org.Members[r.IntN(len(org.Members))] }

	for i := 0; i < o.Repos; i++ {
		name := fmt.Sprintf("%s-%s-%d", words[r.IntN(len(words))], words[r.IntN(len(words))], i)
		repo := Repo{ID: int64(5000000 + i), NodeID: fmt.Sprintf("R_%d", i), Name: name, FullName: o.Login + "/" + name, Owner: orgUser,
			Private: r.IntN(10) > 1, HTMLURL: "https://github.com/" + o.Login + "/" + name, URL: u("repos", o.Login, name),
			Archived: r.IntN(25) == 0, CreatedAt: ago(200 + r.IntN(2000)), UpdatedAt: ago(r.IntN(60)), PushedAt: ago(r.IntN(90))}
		repo.Visibility = "private"
		if !repo.Private {
			repo.Visibility = "public"
		}
		if r.IntN(8) == 0 {
			for k := 0; k < 1+r.IntN(2); k++ {
				last := agoPtr(r.IntN(400))
				if r.IntN(4) == 0 {
					last = nil
				}
				titles := []string{"ci-deploy", "argocd", "backup-sync", "devin-agent", "mirror-bot", "claude-runner"}
				repo.Keys = append(repo.Keys, DeployKey{ID: int64(700000 + i*10 + k), Key: fmt.Sprintf("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%040d", r.Int64()),
					URL: u("repos", o.Login, name, "keys", fmt.Sprint(700000+i*10+k)), Title: titles[r.IntN(len(titles))], Verified: true,
					CreatedAt: ago(100 + r.IntN(1500)), ReadOnly: r.IntN(3) != 0, AddedBy: member().Login, LastUsed: last, Enabled: true})
			}
		}
		if r.IntN(15) == 0 {
			targets := []string{"https://hooks.zapier.com/hooks/catch/123/abc/", "https://api.devin.ai/webhooks/github", "https://ci.acme.example/github",
				"https://n8n.acme.example/webhook/ai-review", "https://hooks.slack.com/services/T000/B000"}
			h := Hook{Type: "Repository", ID: int64(800000 + i), Name: "web", Active: true, Events: []string{"push", "pull_request"},
				Config: HookConfig{ContentType: "json", InsecureSSL: "0", URL: targets[r.IntN(len(targets))]}, CreatedAt: ago(300), UpdatedAt: ago(100),
				URL: u("repos", o.Login, name, "hooks", fmt.Sprint(800000+i))}
			if r.IntN(2) == 0 {
				h.Config.Secret = "********"
			}
			if r.IntN(6) == 0 {
				h.Config.InsecureSSL = "1"
			}
			repo.Hooks = append(repo.Hooks, h)
		}
		if r.IntN(5) == 0 {
			names := []string{"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "NPM_TOKEN", "AWS_SECRET_ACCESS_KEY", "GEMINI_API_KEY", "SENTRY_AUTH_TOKEN"}
			repo.Secrets = append(repo.Secrets, Secret{Name: names[r.IntN(len(names))], CreatedAt: ago(400), UpdatedAt: ago(200)})
		}
		if r.IntN(40) == 0 {
			repo.Variables = append(repo.Variables, Variable{Name: "LLM_KEY", Value: "sk-proj-" + randKey(r, 48), CreatedAt: ago(90), UpdatedAt: ago(90)})
		}
		org.Repos = append(org.Repos, repo)
	}

	apps := append([]genApp(nil), demoApps...)
	for i := 0; i < o.ExtraInstallations; i++ {
		apps = append(apps, genApp{fmt.Sprintf("tool-%d", i), fmt.Sprintf("Tool %d", i), fmt.Sprintf("vendor-%d", i), "A generic integration.", "https://example.com", "selected",
			map[string]string{"metadata": "read", "checks": "write"}, false, 100 + i%500})
	}
	for i, a := range apps {
		id := int64(40000000 + i)
		appID := int64(300000 + i)
		owner := orgUser
		if a.owner != "" {
			owner = User{Login: a.owner, ID: int64(60000 + i), NodeID: fmt.Sprintf("O_%d", 60000+i), URL: u("users", a.owner), HTMLURL: "https://github.com/" + a.owner, Type: "Organization"}
		}
		in := Installation{ID: id, Account: orgUser, RepositorySelection: a.selection, AccessTokensURL: u("app", "installations", fmt.Sprint(id), "access_tokens"),
			RepositoriesURL: u("installation", "repositories"), HTMLURL: fmt.Sprintf("https://github.com/organizations/%s/settings/installations/%d", o.Login, id),
			AppID: appID, AppSlug: a.slug, TargetID: org.ID, TargetType: "Organization", Permissions: a.perms,
			Events: []string{"pull_request", "push", "issues"}, CreatedAt: ago(a.ageDays), UpdatedAt: ago(a.ageDays / 2)}
		if a.suspended {
			s := member()
			in.SuspendedAt, in.SuspendedBy = agoPtr(a.ageDays/3), &s
		}
		in.App = App{ID: appID, Slug: a.slug, ClientID: fmt.Sprintf("Iv1.%016x", appID), NodeID: fmt.Sprintf("A_%d", appID), Owner: owner, Name: a.name,
			Description: a.desc, ExternalURL: a.url, HTMLURL: "https://github.com/apps/" + a.slug, CreatedAt: ago(a.ageDays + 300), UpdatedAt: ago(a.ageDays),
			Permissions: a.perms, Events: in.Events}
		org.Installations = append(org.Installations, in)
	}

	type genPAT struct {
		name      string
		expires   *string
		lastUsed  *string
		selection string
		repo      map[string]string
		orgPerms  map[string]string
		owner     *User
	}
	pats := []genPAT{
		{"cursor-agent", nil, agoPtr(1), "all", map[string]string{"contents": "write", "pull_requests": "write", "metadata": "read"}, nil, nil},
		{"claude-code-local", inDays(500), agoPtr(2), "all", map[string]string{"contents": "write", "workflows": "write", "metadata": "read"}, nil, nil},
		{"openai-assistant-sync", inDays(30), agoPtr(150), "selected", map[string]string{"issues": "write", "metadata": "read"}, nil, nil},
		{"aider-bot", nil, nil, "all", map[string]string{"contents": "write", "metadata": "read"}, nil, &former[0]},
		{"release-tooling", inDays(60), agoPtr(3), "selected", map[string]string{"contents": "read", "metadata": "read"}, nil, nil},
		{"org-admin-script", inDays(400), agoPtr(200), "all", map[string]string{"administration": "write", "metadata": "read"}, map[string]string{"members": "write", "organization_administration": "write"}, &former[1]},
		{"terraform-github", inDays(80), agoPtr(5), "all", map[string]string{"administration": "write", "metadata": "read"}, map[string]string{"members": "read"}, nil},
	}
	for i := 0; i < max(8, o.Repos/20); i++ {
		pats = append(pats, genPAT{fmt.Sprintf("dev-token-%d", i), inDays(10 + r.IntN(300)), agoPtr(r.IntN(60)), "selected", map[string]string{"contents": "read", "metadata": "read"}, nil, nil})
	}
	for i, p := range pats {
		owner := member()
		if p.owner != nil {
			owner = *p.owner
		}
		pat := PAT{ID: int64(25000 + i), Owner: owner, RepositorySelection: p.selection,
			RepositoriesURL: fmt.Sprintf("https://api.github.com/organizations/%d/personal-access-tokens/%d/repositories", org.ID, 25000+i),
			Permissions:     PATPermissions{Repository: p.repo, Organization: p.orgPerms}, AccessGrantedAt: ago(30 + r.IntN(300)),
			TokenID: int64(98000 + i), TokenName: p.name, TokenExpiresAt: p.expires, TokenLastUsedAt: p.lastUsed}
		org.PATs = append(org.PATs, pat)
	}
	for i, name := range []string{"copilot-extension-dev", "windsurf-agent", "ci-readonly"} {
		reason := "I need API access for " + name
		org.PATRequests = append(org.PATRequests, PAT{ID: int64(26000 + i), Reason: &reason, Owner: member(), RepositorySelection: "all",
			RepositoriesURL: fmt.Sprintf("https://api.github.com/organizations/%d/personal-access-token-requests/%d/repositories", org.ID, 26000+i),
			Permissions:     PATPermissions{Repository: map[string]string{"contents": "write", "metadata": "read"}}, CreatedAt: ago(2 + i),
			TokenID: int64(99000 + i), TokenName: name, TokenExpiresAt: nil})
	}
	for i := 0; i < 10; i++ {
		m := member()
		ca := CredentialAuthorization{Login: m.Login, CredentialID: int64(161000 + i), CredentialType: "personal access token",
			TokenLastEight: randKey(r, 8), CredentialAuthorizedAt: ago(100 + i*30), CredentialAccessedAt: agoPtr(i * 12),
			AuthorizedCredentialID: int64(12345000 + i), Scopes: []string{"repo", "read:org"}}
		switch i % 4 {
		case 1:
			ca.CredentialType, ca.Scopes = "OAuth app token", []string{"repo", "workflow"}
		case 2:
			ca.CredentialType, ca.TokenLastEight, ca.Scopes = "SSH key", "", nil
			ca.Fingerprint, ca.AuthorizedCredentialTitle = fmt.Sprintf("SHA256:%s", randKey(r, 20)), "laptop"
		case 3:
			ca.Scopes = []string{"repo", "admin:org", "delete_repo"}
		}
		if i%3 == 0 {
			ca.AuthorizedCredentialExpiresAt = inDays(20)
		}
		org.CredentialAuth = append(org.CredentialAuth, ca)
	}
	org.Hooks = []Hook{
		{Type: "Organization", ID: 1, Name: "web", Active: true, Events: []string{"push", "pull_request", "issues"}, Config: HookConfig{ContentType: "json", InsecureSSL: "0", URL: "https://hooks.zapier.com/hooks/catch/998/ai-summarize/"}, CreatedAt: ago(500), UpdatedAt: ago(100), URL: u("orgs", o.Login, "hooks", "1")},
		{Type: "Organization", ID: 2, Name: "web", Active: true, Events: []string{"*"}, Config: HookConfig{ContentType: "json", InsecureSSL: "0", URL: "https://api.openai.com/v1/hooks/acme-agent", Secret: "********"}, CreatedAt: ago(50), UpdatedAt: ago(10), URL: u("orgs", o.Login, "hooks", "2")},
		{Type: "Organization", ID: 3, Name: "web", Active: true, Events: []string{"push"}, Config: HookConfig{ContentType: "json", InsecureSSL: "0", URL: "https://ci.acme.example/hooks/github", Secret: "********"}, CreatedAt: ago(900), UpdatedAt: ago(300), URL: u("orgs", o.Login, "hooks", "3")},
	}
	org.Secrets = []Secret{
		{Name: "OPENAI_API_KEY", CreatedAt: ago(600), UpdatedAt: ago(500), Visibility: "all"},
		{Name: "ANTHROPIC_API_KEY", CreatedAt: ago(100), UpdatedAt: ago(100), Visibility: "selected"},
		{Name: "NPM_TOKEN", CreatedAt: ago(900), UpdatedAt: ago(30), Visibility: "private"},
	}
	org.Variables = []Variable{
		{Name: "OPENAI_BASE_URL", Value: "https://api.openai.com/v1", CreatedAt: ago(200), UpdatedAt: ago(200), Visibility: "all"},
		{Name: "CLAUDE_KEY", Value: "sk-ant-api03-" + randKey(r, 93), CreatedAt: ago(40), UpdatedAt: ago(40), Visibility: "all"},
		{Name: "USERNAME", Value: "octocat", CreatedAt: ago(900), UpdatedAt: ago(900), Visibility: "private"},
	}
	org.CopilotBilling.SeatManagementSetting = "assign_selected"
	org.CopilotBilling.IDEChat, org.CopilotBilling.PlatformChat, org.CopilotBilling.CLI = "enabled", "enabled", "enabled"
	org.CopilotBilling.PublicCodeSuggestions, org.CopilotBilling.PlanType = "allow", "business"
	nSeats := len(org.Members) / 2
	for i := 0; i < nSeats; i++ {
		m := org.Members[i]
		seat := Seat{CreatedAt: ago(300), UpdatedAt: ago(30), PlanType: "business", Assignee: &m}
		editor := "vscode/1.95.0/copilot/1.250.0"
		switch i % 5 {
		case 0:
			// never used
		case 1:
			seat.LastActivityAt, seat.LastActivityEditor = agoPtr(120+i), &editor
		default:
			seat.LastActivityAt, seat.LastActivityEditor = agoPtr(i%10), &editor
		}
		org.Seats = append(org.Seats, seat)
	}
	org.CopilotBilling.SeatBreakdown.Total = nSeats
	minRepo := func(i int) Repo {
		rp := org.Repos[i%len(org.Repos)]
		return Repo{ID: rp.ID, NodeID: rp.NodeID, Name: rp.Name, FullName: rp.FullName, Owner: rp.Owner, Private: rp.Private, HTMLURL: rp.HTMLURL, URL: rp.URL}
	}
	revoked := "revoked"
	alerts := []struct {
		typ, display, secret, state, validity string
		public                                bool
	}{
		{"openai_api_key", "OpenAI API Key", "sk-proj-" + randKey(r, 40) + "T3BlbkFJ" + randKey(r, 20), "open", "active", false},
		{"anthropic_api_key", "Anthropic API Key", "sk-ant-api03-" + randKey(r, 93), "open", "unknown", false},
		{"huggingface_user_access_token", "Hugging Face User Access Token", "hf_" + randKey(r, 34), "open", "active", true},
		{"google_gemini_api_key", "Google Gemini API Key", "AIza" + randKey(r, 35), "resolved", "inactive", false},
		{"slack_api_token", "Slack API Token", "xoxb-" + randKey(r, 40), "open", "active", false},
	}
	for i, a := range alerts {
		al := Alert{Number: i + 1, CreatedAt: ago(10 + i*5), UpdatedAt: ago(i), URL: u("repos", o.Login, minRepo(i*7).Name, "secret-scanning", "alerts", fmt.Sprint(i+1)),
			HTMLURL: fmt.Sprintf("https://github.com/%s/security/secret-scanning/%d", minRepo(i*7).FullName, i+1), State: a.state,
			SecretType: a.typ, SecretTypeDisplayName: a.display, Secret: a.secret, Repository: minRepo(i * 7), Validity: a.validity, PubliclyLeaked: a.public}
		if a.state == "resolved" {
			al.Resolution, al.ResolvedAt = &revoked, agoPtr(1)
		}
		org.Alerts = append(org.Alerts, al)
	}
	return org
}

const keyChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randKey(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = keyChars[r.IntN(len(keyChars))]
	}
	return string(b)
}
