package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/spf13/cobra"

	"github.com/shadowscan/shadowscan/connectors/entra"
)

func (a *app) scanEntraCmd() *cobra.Command {
	var tenantID, graphURL, failOn string
	var concurrency int
	cmd := &cobra.Command{
		Use:   "entra --tenant-id ID",
		Short: "Scan a Microsoft Entra ID tenant",
		Long: `Scan a Microsoft Entra ID tenant through Microsoft Graph: service principals,
app registrations, managed identities and agent identities, with their
delegated consents, application permissions, directory roles, credentials,
owners and sponsors; the tenant's consent posture; pending consent requests;
and last sign-in where the tenant has Entra ID P1/P2.

Auth: ENTRA_ACCESS_TOKEN (a bearer token for Microsoft Graph), or else
azidentity's default chain: AZURE_TENANT_ID/AZURE_CLIENT_ID with
AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, workload identity,
managed identity, Azure CLI. The app needs the application permissions
Application.Read.All, Directory.Read.All, RoleManagement.Read.Directory,
Policy.Read.All, AgentIdentity.Read.All (+ AuditLog.Read.All and
ConsentRequest.Read.All, optional). Missing ones become coverage gaps.`,
		Example: `  AZURE_CLIENT_ID=... AZURE_CLIENT_SECRET=... shadowscan scan entra --tenant-id 00000000-0000-0000-0000-000000000000
  ENTRA_ACCESS_TOKEN=$(az account get-access-token --resource-type ms-graph --query accessToken -o tsv) shadowscan scan entra --tenant-id ID
  shadowscan scan entra --tenant-id ID --graph-url https://graph.microsoft.us`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if tenantID == "" {
				return usagef("scan entra: --tenant-id is required")
			}
			if err := checkGateFlags(cmd, failOn); err != nil {
				return err
			}
			cfg := entra.Config{TenantID: tenantID, GraphURL: graphURL, Concurrency: concurrency, Logger: a.log,
				AccessToken: strings.TrimSpace(os.Getenv("ENTRA_ACCESS_TOKEN"))}
			if cfg.AccessToken == "" {
				cred, err := azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{TenantID: tenantID})
				if err != nil {
					return fmt.Errorf("%w (%v)", entra.ErrNoCredentials, err)
				}
				cfg.Credential = cred
			}
			c, err := entra.New(cfg)
			switch {
			case errors.Is(err, entra.ErrNoCredentials):
				return err
			case err != nil:
				return usageError{err}
			}
			return a.runScans(cmd, []scanTarget{c}, failOn)
		},
	}
	f := cmd.Flags()
	f.StringVar(&tenantID, "tenant-id", "", "Entra tenant id (GUID)")
	f.StringVar(&graphURL, "graph-url", "", "Microsoft Graph root (default https://graph.microsoft.com; national clouds, local servers)")
	f.IntVar(&concurrency, "concurrency", 4, "parallel $batch and per-resource requests")
	addGateFlags(cmd, &failOn)
	return cmd
}
