package okta

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// DefaultScopes are the read scopes a scanning service app needs.
var DefaultScopes = []string{"okta.apps.read", "okta.appGrants.read", "okta.roles.read", "okta.users.read", "okta.apiTokens.read", "okta.orgs.read", "okta.logs.read", "okta.authorizationServers.read"}

// tokenSource gets access tokens for an OAuth 2.0 service app with the
// client-credentials grant and a private_key_jwt client assertion, and
// caches each until shortly before it expires.
type tokenSource struct {
	orgURL   string
	clientID string
	keyID    string
	key      *rsa.PrivateKey
	scopes   []string
	hc       *http.Client

	mu      sync.Mutex
	token   string
	expires time.Time
}

func (ts *tokenSource) Token(ctx context.Context) (string, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.token != "" && time.Now().Before(ts.expires.Add(-time.Minute)) {
		return ts.token, nil
	}
	aud := ts.orgURL + "/oauth2/v1/token"
	jti := make([]byte, 16)
	rand.Read(jti)
	now := time.Now()
	claims := jwt.RegisteredClaims{Issuer: ts.clientID, Subject: ts.clientID, Audience: jwt.ClaimStrings{aud},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(5 * time.Minute)), ID: hex.EncodeToString(jti)}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	if ts.keyID != "" {
		tok.Header["kid"] = ts.keyID
	}
	assertion, err := tok.SignedString(ts.key)
	if err != nil {
		return "", fmt.Errorf("okta: sign client assertion: %w", err)
	}
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {strings.Join(ts.scopes, " ")},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {assertion}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, aud, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := ts.hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("okta: token request: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var out struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	json.Unmarshal(body, &out)
	if resp.StatusCode != http.StatusOK || out.AccessToken == "" {
		return "", &apiError{Status: http.StatusUnauthorized, Code: out.Error, Summary: "service app token request refused: " + out.Description, Path: "/oauth2/v1/token"}
	}
	ts.token = out.AccessToken
	ts.expires = now.Add(time.Duration(out.ExpiresIn) * time.Second)
	return ts.token, nil
}

// authTransport puts the right Authorization on every request, the SDK's
// and ours alike: SSWS for an API token, a fresh Bearer token for a service app.
type authTransport struct {
	next  http.RoundTripper
	ssws  string
	oauth *tokenSource
}

func (t *authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/oauth2/v1/token") {
		return t.next.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	if t.oauth != nil {
		tok, err := t.oauth.Token(r.Context())
		if err != nil {
			return nil, err
		}
		r.Header.Set("Authorization", "Bearer "+tok)
	} else {
		r.Header.Set("Authorization", "SSWS "+t.ssws)
	}
	return t.next.RoundTrip(r)
}
