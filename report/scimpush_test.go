package report

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/elimity-com/scim"
	scimerrors "github.com/elimity-com/scim/errors"
	"github.com/elimity-com/scim/optional"
	"github.com/elimity-com/scim/schema"
)

// agentStore is an in-memory SCIM resource handler for the Agent resource.
type agentStore struct {
	mu   sync.Mutex
	next int
	data map[string]scim.Resource
}

func (s *agentStore) Create(r *http.Request, attrs scim.ResourceAttributes) (scim.Resource, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	id := fmt.Sprint(s.next)
	res := scim.Resource{ID: id, Attributes: attrs}
	if ext, ok := attrs["externalId"].(string); ok {
		res.ExternalID = optional.NewString(ext)
	}
	s.data[id] = res
	return res, nil
}

func (s *agentStore) Get(r *http.Request, id string) (scim.Resource, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, ok := s.data[id]
	if !ok {
		return scim.Resource{}, scimerrors.ScimErrorResourceNotFound(id)
	}
	return res, nil
}

func (s *agentStore) GetAll(r *http.Request, p scim.ListRequestParams) (scim.Page, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []scim.Resource
	for _, res := range s.data {
		m := map[string]interface{}{}
		for k, v := range res.Attributes {
			m[k] = v
		}
		m["externalId"] = res.ExternalID.Value()
		if p.FilterValidator != nil && p.FilterValidator.PassesFilter(m) != nil {
			continue
		}
		out = append(out, res)
	}
	return scim.Page{TotalResults: len(out), Resources: out}, nil
}

func (s *agentStore) Replace(r *http.Request, id string, attrs scim.ResourceAttributes) (scim.Resource, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.data[id]
	if !ok {
		return scim.Resource{}, scimerrors.ScimErrorResourceNotFound(id)
	}
	res := scim.Resource{ID: id, ExternalID: old.ExternalID, Attributes: attrs}
	s.data[id] = res
	return res, nil
}

func (s *agentStore) Delete(r *http.Request, id string) error { return nil }
func (s *agentStore) Patch(r *http.Request, id string, ops []scim.PatchOperation) (scim.Resource, error) {
	return scim.Resource{}, scimerrors.ScimErrorMutability
}

func str(name string, multi bool) schema.SimpleParams {
	return schema.SimpleStringParams(schema.StringParams{Name: name, MultiValued: multi})
}

func num(name string) schema.SimpleParams {
	return schema.SimpleNumberParams(schema.NumberParams{Name: name, Type: schema.AttributeTypeInteger()})
}

func scimServer(t *testing.T) (*httptest.Server, *agentStore, *atomic.Int64) {
	core := schema.Schema{ID: SCIMAgentSchema, Name: optional.NewString("Agent"), Attributes: []schema.CoreAttribute{
		schema.SimpleCoreAttribute(schema.SimpleStringParams(schema.StringParams{Name: "name", Required: true})),
		schema.SimpleCoreAttribute(str("displayName", false)),
		schema.SimpleCoreAttribute(str("agentType", false)),
		schema.SimpleCoreAttribute(schema.SimpleBooleanParams(schema.BooleanParams{Name: "active"})),
		schema.ComplexCoreAttribute(schema.ComplexParams{Name: "owners", MultiValued: true, SubAttributes: []schema.SimpleParams{str("value", false), str("display", false), str("type", false)}}),
	}}
	ext := schema.Schema{ID: SCIMExtensionSchema, Name: optional.NewString("ShadowscanAgent"), Attributes: []schema.CoreAttribute{
		schema.SimpleCoreAttribute(str("vendor", false)), schema.SimpleCoreAttribute(str("product", false)), schema.SimpleCoreAttribute(str("status", false)),
		schema.SimpleCoreAttribute(num("riskScore")), schema.SimpleCoreAttribute(str("riskLevel", false)), schema.SimpleCoreAttribute(str("riskFactors", true)),
		schema.ComplexCoreAttribute(schema.ComplexParams{Name: "footholds", MultiValued: true, SubAttributes: []schema.SimpleParams{
			str("identityId", false), str("platform", false), str("tenant", false), str("kind", false), str("name", false), str("privilege", false), str("summary", false)}}),
		schema.ComplexCoreAttribute(schema.ComplexParams{Name: "findingsBySeverity", SubAttributes: []schema.SimpleParams{
			num("critical"), num("high"), num("medium"), num("low"), num("info")}}),
	}}
	store := &agentStore{data: map[string]scim.Resource{}}
	srv, err := scim.NewServer(&scim.ServerArgs{ServiceProviderConfig: &scim.ServiceProviderConfig{SupportFiltering: true},
		ResourceTypes: []scim.ResourceType{{ID: optional.NewString("Agent"), Name: "Agent", Endpoint: "/Agents", Schema: core,
			SchemaExtensions: []scim.SchemaExtension{{Schema: ext}}, Handler: store}}})
	if err != nil {
		t.Fatal(err)
	}
	var throttled atomic.Int64
	var first sync.Once
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer scim-token" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		throttle := false
		first.Do(func() { throttle = true })
		if throttle {
			throttled.Add(1)
			w.Header().Set("Retry-After", "0")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		srv.ServeHTTP(w, r)
	})
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return hs, store, &throttled
}

func TestPushSCIMToARealServer(t *testing.T) {
	hs, store, throttled := scimServer(t)
	r := build(t)
	res, err := PushSCIM(context.Background(), hs.URL, "scim-token", r)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res {
		if p.Action != "created" {
			t.Fatalf("first push: %+v", p)
		}
	}
	if len(store.data) != len(r.Agents) || throttled.Load() != 1 {
		t.Fatalf("server holds %d agents for %d (throttled %d)", len(store.data), len(r.Agents), throttled.Load())
	}
	// The second push finds each agent by externalId and replaces it.
	res, err = PushSCIM(context.Background(), hs.URL, "scim-token", r)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res {
		if p.Action != "updated" || p.ID == "" {
			t.Fatalf("second push: %+v", p)
		}
	}
	if len(store.data) != len(r.Agents) {
		t.Fatalf("second push duplicated agents: %d", len(store.data))
	}
	for _, res := range store.data {
		ext, _ := res.Attributes[SCIMExtensionSchema].(map[string]interface{})
		if ext == nil || ext["riskLevel"] == nil || !strings.HasPrefix(res.ExternalID.Value(), "agent:") {
			t.Errorf("stored agent lacks its extension or externalId: %+v", res)
		}
	}
	if _, err := PushSCIM(context.Background(), hs.URL, "wrong", r); err != nil {
		t.Fatal(err)
	} else if res, _ := PushSCIM(context.Background(), hs.URL, "wrong", r); len(res) == 0 || res[0].Action != "failed" {
		t.Errorf("bad token must fail per resource: %+v", res)
	}
	if _, err := PushSCIM(context.Background(), "http://scim.example.com/v2", "t", r); err == nil || !strings.Contains(err.Error(), "use https") {
		t.Errorf("token over plain http to a remote host: %v", err)
	}
}
