package entra

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"golang.org/x/sync/errgroup"

	"github.com/shadowscan/shadowscan/inventory"
)

// batchError is a failed step of a $batch.
type batchError struct {
	status int
	msg    string
}

func (e batchError) Error() string { return fmt.Sprintf("batch step: %d %s", e.status, e.msg) }

// consentingUsers resolves the users behind per-user consent grants, so a
// grant names its user and tells whether that account is still enabled.
func (cr *crawl) consentingUsers(ctx context.Context) error {
	base := cr.c.graph + "/v1.0"
	byUser := map[string][]*principal{}
	for _, p := range cr.byID {
		seen := map[string]bool{}
		for _, g := range p.ident.Grants {
			if g.Type == inventory.GrantDelegated && g.Consent == "user" && g.OnBehalfOf != "" && !seen[g.OnBehalfOf] {
				seen[g.OnBehalfOf] = true
				byUser[g.OnBehalfOf] = append(byUser[g.OnBehalfOf], p)
			}
		}
	}
	ids := make([]string, 0, len(byUser))
	for id := range byUser {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var steps []step
	for _, id := range ids {
		steps = append(steps, step{url: base + "/users/" + url.PathEscape(id) + "?$select=id,displayName,userPrincipalName,mail,accountEnabled", kind: "user", userID: id})
	}
	cr.consenters = byUser
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(cr.c.cfg.Concurrency)
	for i := 0; i < len(steps); i += batchSize {
		chunk := steps[i:min(i+batchSize, len(steps))]
		g.Go(func() error { return cr.runBatch(gctx, chunk, 0) })
	}
	return g.Wait()
}

// step is one GET to run inside a $batch; parse receives the body.
type step struct {
	url    string // absolute
	kind   string // "owners", "sponsors", "federated", "user"
	owner  *principal
	userID string
}

const batchSize = 20

// owners reads owners of every app and service principal, sponsors of agent
// identities and federated credentials of app registrations, 20 requests per
// $batch. Throttled steps (429 inside a batch, which the SDK's retry handler
// cannot see) are retried after their Retry-After.
func (cr *crawl) owners(ctx context.Context) error {
	base := cr.c.graph + "/v1.0"
	var steps []step
	for _, p := range cr.byID {
		if p.kind == KindAppRegistration || p.id == "" || strings.HasPrefix(p.id, "unidentified:") {
			continue
		}
		if str := p.ident.Attributes["unresolved"]; str == true {
			continue
		}
		if p.ident.Origin == "internal" || p.kind == KindAgentIdentity || p.kind == KindManagedIdentity || p.ident.Origin == "third_party" {
			steps = append(steps, step{url: base + "/servicePrincipals/" + url.PathEscape(p.id) + "/owners?$select=id,displayName,userPrincipalName,mail,accountEnabled", kind: "owners", owner: p})
		}
		if p.kind == KindAgentIdentity {
			steps = append(steps, step{url: base + "/servicePrincipals/" + url.PathEscape(p.id) + "/microsoft.graph.agentIdentity/sponsors?$select=id,displayName,userPrincipalName,mail,accountEnabled", kind: "sponsors", owner: p})
		}
	}
	for _, p := range cr.apps {
		if p.appObjID == "" || strings.HasPrefix(p.appObjID, "unidentified:") {
			continue
		}
		steps = append(steps, step{url: base + "/applications/" + url.PathEscape(p.appObjID) + "/owners?$select=id,displayName,userPrincipalName,mail,accountEnabled", kind: "owners", owner: p})
		steps = append(steps, step{url: base + "/applications/" + url.PathEscape(p.appObjID) + "/federatedIdentityCredentials", kind: "federated", owner: p})
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(cr.c.cfg.Concurrency)
	for i := 0; i < len(steps); i += batchSize {
		chunk := steps[i:min(i+batchSize, len(steps))]
		g.Go(func() error { return cr.runBatch(gctx, chunk, 0) })
	}
	return g.Wait()
}

func (cr *crawl) runBatch(ctx context.Context, steps []step, attempt int) error {
	batch := msgraphcore.NewBatchRequest(cr.c.client.GetAdapter())
	ids := make([]string, len(steps))
	for i, st := range steps {
		ri := abs.NewRequestInformation()
		ri.Method = abs.GET
		u, err := url.Parse(st.url)
		if err != nil {
			return err
		}
		ri.SetUri(*u)
		ri.Headers.Add("Accept", "application/json")
		item, err := batch.AddBatchRequestStep(*ri)
		if err != nil {
			return fmt.Errorf("build $batch: %w", err)
		}
		ids[i] = *item.GetId()
	}
	resp, err := sendBatch(ctx, batch, cr)
	if err != nil {
		return fmt.Errorf("$batch: %w", err)
	}
	cr.c.stats.BatchSteps.Add(int64(len(steps)))
	var retry []step
	var wait time.Duration
	for i, st := range steps {
		item := resp.GetResponseById(ids[i])
		if item == nil || item.GetStatus() == nil {
			return batchError{http.StatusBadGateway, "missing response for step " + ids[i]}
		}
		status := int(*item.GetStatus())
		switch {
		case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable:
			cr.c.stats.Throttled.Add(1)
			retry = append(retry, st)
			if ra, err := strconv.Atoi(item.GetHeaders()["Retry-After"]); err == nil {
				wait = max(wait, time.Duration(ra)*time.Second)
			}
			continue
		case status == http.StatusNotFound:
			continue // deleted mid-scan
		case status >= 400:
			return batchError{status, fmt.Sprintf("%s %s", st.kind, stepMessage(item))}
		}
		if err := cr.takeStep(ctx, resp, ids[i], st); err != nil {
			return err
		}
	}
	if len(retry) == 0 {
		return nil
	}
	if attempt >= cr.c.cfg.MaxRetries {
		return batchError{http.StatusTooManyRequests, fmt.Sprintf("%d $batch steps still throttled after %d retries", len(retry), attempt)}
	}
	if wait == 0 {
		wait = time.Duration(1<<attempt) * time.Second
	}
	cr.c.log.Info("Graph throttled $batch steps: waiting", "steps", len(retry), "seconds", wait.Seconds())
	select {
	case <-time.After(wait):
	case <-ctx.Done():
		return ctx.Err()
	}
	return cr.runBatch(ctx, retry, attempt+1)
}

// sendBatch sends a batch. msgraph-sdk-go-core panics when Graph answers a
// $batch with an empty body; that is turned into an error here.
func sendBatch(ctx context.Context, batch msgraphcore.BatchRequest, cr *crawl) (resp msgraphcore.BatchResponse, err error) {
	defer func() {
		if r := recover(); r != nil {
			resp, err = nil, batchError{http.StatusBadGateway, fmt.Sprintf("unreadable $batch response: %v", r)}
		}
	}()
	resp, err = batch.Send(ctx, cr.c.client.GetAdapter())
	if err == nil && resp == nil {
		err = batchError{http.StatusBadGateway, "empty $batch response"}
	}
	return resp, err
}

func stepMessage(item msgraphcore.BatchItem) string {
	if body := item.GetBody(); body != nil {
		if e, ok := body["error"].(map[string]any); ok {
			return fmt.Sprint(e["code"], ": ", e["message"])
		}
	}
	return ""
}

func (cr *crawl) takeStep(ctx context.Context, resp msgraphcore.BatchResponse, id string, st step) error {
	if st.kind == "user" {
		u, err := msgraphcore.GetBatchResponseById[models.Userable](resp, id,
			func(pn serialization.ParseNode) (serialization.Parsable, error) {
				return models.CreateUserFromDiscriminatorValue(pn)
			})
		if err != nil {
			return fmt.Errorf("user %s: %w", st.userID, err)
		}
		pr := userPrincipal(u)
		cr.mu.Lock()
		defer cr.mu.Unlock()
		for _, p := range cr.consenters[st.userID] {
			p.ident.Owners = append(p.ident.Owners, inventory.OwnerRef{Principal: pr, Role: "consenting_user", Collector: colConsenters})
		}
		return nil
	}
	if st.kind == "federated" {
		fc, err := msgraphcore.GetBatchResponseById[models.FederatedIdentityCredentialCollectionResponseable](resp, id,
			func(pn serialization.ParseNode) (serialization.Parsable, error) {
				return models.CreateFederatedIdentityCredentialCollectionResponseFromDiscriminatorValue(pn)
			})
		if err != nil {
			return fmt.Errorf("federated credentials of %s: %w", st.owner.ident.Name, err)
		}
		cr.mu.Lock()
		defer cr.mu.Unlock()
		for _, f := range fc.GetValue() {
			st.owner.ident.Credentials = append(st.owner.ident.Credentials, inventory.Credential{Type: "federated", ID: str(f.GetId()), Collector: colOwners})
			st.owner.ident.Attributes["federated_issuers"] = appendUnique(st.owner.ident.Attributes["federated_issuers"], str(f.GetIssuer()))
		}
		return nil
	}
	objs, err := msgraphcore.GetBatchResponseById[models.DirectoryObjectCollectionResponseable](resp, id,
		func(pn serialization.ParseNode) (serialization.Parsable, error) {
			return models.CreateDirectoryObjectCollectionResponseFromDiscriminatorValue(pn)
		})
	if err != nil {
		return fmt.Errorf("%s of %s: %w", st.kind, st.owner.ident.Name, err)
	}
	role := "owner"
	if st.kind == "sponsors" {
		role = "sponsor"
	}
	cr.mu.Lock()
	defer cr.mu.Unlock()
	for _, o := range objs.GetValue() {
		pr := inventory.Principal{Kind: "user", Native: str(o.GetId()), Name: str(o.GetId()), Status: inventory.PrincipalUnknown}
		if u, ok := o.(models.Userable); ok {
			pr = userPrincipal(u)
		} else if sp, ok := o.(models.ServicePrincipalable); ok {
			pr.Kind, pr.Name = "service_principal", str(sp.GetDisplayName())
		}
		if pr.Name == "" {
			pr.Name = pr.Native
		}
		st.owner.ident.Owners = append(st.owner.ident.Owners, inventory.OwnerRef{Principal: pr, Role: role, Collector: colOwners})
	}
	if st.kind == "sponsors" {
		st.owner.ident.Attributes["sponsors"] = len(objs.GetValue())
	}
	return nil
}

func appendUnique(cur any, v string) []string {
	list, _ := cur.([]string)
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return list
		}
	}
	return append(list, v)
}

func userPrincipal(u models.Userable) inventory.Principal {
	pr := inventory.Principal{Kind: "user", Native: str(u.GetId()), Name: str(u.GetDisplayName()), Status: inventory.PrincipalUnknown}
	pr.Email = str(u.GetMail())
	if pr.Email == "" {
		pr.Email = str(u.GetUserPrincipalName())
	}
	if en := u.GetAccountEnabled(); en != nil {
		pr.Status = inventory.PrincipalActive
		if !*en {
			pr.Status = inventory.PrincipalDisabled
		}
	}
	if pr.Name == "" {
		pr.Name = pr.Native
	}
	return pr
}
