package main

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shadowscan/shadowscan/connectors/okta"
)

func (a *app) scanOktaCmd() *cobra.Command {
	var orgURL, failOn, clientID, keyFile, keyID string
	var scopes []string
	var activityDays, concurrency int
	cmd := &cobra.Command{
		Use:   "okta --org-url URL",
		Short: "Scan an Okta org",
		Long: `Scan an Okta org: app integrations (OAuth service apps with their admin roles and
Okta API scopes, AI assistants and their end-user consents), client secrets and
keys, SSWS API tokens and the admin each one acts as, registered AI agents, the
clientPrivilegesSetting, and last use of OAuth clients from the System Log.

Auth: OKTA_API_TOKEN, an SSWS API token (create it as a Read-Only Administrator:
a token acts with exactly its creator's admin roles), or better an OAuth 2.0
service app with private_key_jwt: --client-id and --private-key-file (PEM RSA),
granted the scopes okta.apps.read okta.appGrants.read okta.roles.read
okta.users.read okta.apiTokens.read okta.orgs.read okta.logs.read
okta.authorizationServers.read (add okta.aiAgents.read with --scopes where the
org has Okta for AI Agents). The System Log bucket
is small (about 120 requests a minute); --activity-days 0 skips it.`,
		Example: `  OKTA_API_TOKEN=00a... shadowscan scan okta --org-url https://acme.okta.com
  shadowscan scan okta --org-url https://acme.okta.com --client-id 0oa... --private-key-file scanner.pem
  shadowscan scan okta --org-url https://acme.okta.com --activity-days 0`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if orgURL == "" {
				return usagef("scan okta: --org-url is required")
			}
			if activityDays < 0 || activityDays > 180 {
				return usagef("--activity-days %d: use 0 (off) to 180", activityDays)
			}
			if err := checkGateFlags(cmd, failOn); err != nil {
				return err
			}
			cfg := okta.Config{OrgURL: orgURL, Token: strings.TrimSpace(os.Getenv("OKTA_API_TOKEN")), ActivityDays: activityDays,
				Concurrency: concurrency, Logger: a.log, ClientID: clientID, KeyID: keyID, Scopes: scopes}
			if keyFile != "" {
				key, err := readRSAKey(keyFile)
				if err != nil {
					return err
				}
				cfg.PrivateKey = key
			}
			c, err := okta.New(cfg)
			switch {
			case errors.Is(err, okta.ErrNoCredentials):
				return err
			case err != nil:
				return usageError{err}
			}
			return a.runScans(cmd, []scanTarget{c}, failOn)
		},
	}
	f := cmd.Flags()
	f.StringVar(&orgURL, "org-url", "", "Okta org URL, such as https://acme.okta.com")
	f.IntVar(&activityDays, "activity-days", 30, "days of System Log to read for last use (0 = off)")
	f.IntVar(&concurrency, "concurrency", 4, "parallel per-app requests")
	addGateFlags(cmd, &failOn)
	f.StringVar(&clientID, "client-id", "", "OAuth service app client id (private_key_jwt auth instead of OKTA_API_TOKEN)")
	f.StringVar(&keyFile, "private-key-file", "", "the service app's private key (PEM, RSA)")
	f.StringVar(&keyID, "key-id", "", "kid of the service app's key, if Okta should select it by id")
	f.StringSliceVar(&scopes, "scopes", nil, "OAuth scopes to request (default: the read scopes listed above)")
	return cmd
}

// readRSAKey reads a PEM RSA private key (PKCS#1 or PKCS#8). A key file
// others can read is refused: it is the service app's whole identity.
func readRSAKey(path string) (*rsa.PrivateKey, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("private key %s: %w", path, err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("private key %s is readable by group or others (mode %o): chmod 600 it", path, st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("private key %s: %w", path, err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("private key %s: not PEM", path)
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("private key %s: %w", path, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("private key %s: not an RSA key", path)
	}
	return rk, nil
}
