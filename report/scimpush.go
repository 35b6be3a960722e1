package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// PushResult is what happened to one agent on the SCIM server.
type PushResult struct {
	ExternalID string `json:"externalId"`
	ID         string `json:"id,omitempty"`
	Action     string `json:"action"` // created | updated | failed
	Error      string `json:"error,omitempty"`
}

// PushSCIM creates or replaces each agent on a SCIM 2.0 server, found by
// externalId, so that pushing twice updates instead of duplicating. 429 and
// 5xx are retried. base is the SCIM root (the /Agents endpoint hangs off it);
// the token goes only over https, or plain http to loopback.
func PushSCIM(ctx context.Context, base, token string, r *Report) ([]PushResult, error) {
	u, err := url.Parse(strings.TrimSuffix(base, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("scim push: %q is not a URL", base)
	}
	if u.Scheme != "https" {
		host := u.Hostname()
		ip := net.ParseIP(host)
		if u.Scheme != "http" || !(host == "localhost" || (ip != nil && ip.IsLoopback())) {
			return nil, fmt.Errorf("scim push: refusing to send the token to %s: use https (plain http only to loopback)", u.Redacted())
		}
	}
	if token == "" {
		return nil, errors.New("scim push: no token: set SHADOWSCAN_SCIM_TOKEN")
	}
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	rc.RetryMax = 5
	rc.RetryWaitMin = 200 * time.Millisecond
	rc.RetryWaitMax = 10 * time.Second
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	hc := rc.StandardClient()
	do := func(method, path string, body any) (int, []byte, error) {
		var rd io.Reader
		if body != nil {
			b, err := json.Marshal(body)
			if err != nil {
				return 0, nil, err
			}
			rd = bytes.NewReader(b)
		}
		req, err := http.NewRequestWithContext(ctx, method, u.String()+path, rd)
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept", "application/scim+json")
		if body != nil {
			req.Header.Set("Content-Type", "application/scim+json")
		}
		resp, err := hc.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
		return resp.StatusCode, b, nil
	}
	var out []PushResult
	for _, res := range SCIMAgents(r) {
		ext := fmt.Sprint(res["externalId"])
		pr := PushResult{ExternalID: ext}
		filter := url.QueryEscape(fmt.Sprintf("externalId eq %q", ext))
		st, body, err := do(http.MethodGet, "/Agents?filter="+filter, nil)
		if err != nil || st != http.StatusOK {
			pr.Action, pr.Error = "failed", fmt.Sprintf("look up: %v %d %s", err, st, trim(body))
			out = append(out, pr)
			continue
		}
		var list struct {
			Total     int              `json:"totalResults"`
			Resources []map[string]any `json:"Resources"`
		}
		json.Unmarshal(body, &list)
		if list.Total > 0 && len(list.Resources) > 0 {
			pr.ID = fmt.Sprint(list.Resources[0]["id"])
			st, body, err = do(http.MethodPut, "/Agents/"+url.PathEscape(pr.ID), res)
			pr.Action = "updated"
		} else {
			st, body, err = do(http.MethodPost, "/Agents", res)
			pr.Action = "created"
			var created map[string]any
			if json.Unmarshal(body, &created) == nil && created["id"] != nil {
				pr.ID = fmt.Sprint(created["id"])
			}
		}
		if err != nil || st >= 300 {
			pr.Action, pr.Error = "failed", fmt.Sprintf("%v %d %s", err, st, trim(body))
		}
		out = append(out, pr)
	}
	return out, ctx.Err()
}

func trim(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
