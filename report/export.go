package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// OCSFVersion is the OCSF release the ocsf export is pinned to.
const OCSFVersion = "1.6.0"

var ocsfSeverity = map[string]struct {
	id   int
	name string
}{"info": {1, "Informational"}, "low": {2, "Low"}, "medium": {3, "Medium"}, "high": {4, "High"}, "critical": {5, "Critical"}}

func epochMS(s *string) any {
	if s == nil {
		return nil
	}
	t, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		return nil
	}
	return t.UnixMilli()
}

// WriteOCSF writes findings as OCSF Detection Finding events (class 2004),
// one JSON object per line, for SIEMs and data lakes.
func WriteOCSF(w io.Writer, r *Report) error {
	ids := map[string]Identity{}
	for _, id := range r.Identities {
		ids[id.ID] = id
	}
	agentOf := map[string]*Agent{}
	for i := range r.Agents {
		for _, f := range r.Agents[i].Footholds {
			agentOf[f.IdentityID] = &r.Agents[i]
		}
	}
	gen, _ := time.Parse(time.RFC3339, r.GeneratedAt)
	enc := json.NewEncoder(w)
	for _, f := range r.Findings {
		sev := ocsfSeverity[f.Severity]
		status, statusID := "New", 1
		if f.Suppressed != nil {
			status, statusID = "Suppressed", 3
		}
		var attacks []map[string]any
		var types []string
		for _, fw := range f.Frameworks {
			if strings.HasPrefix(fw, "T") {
				attacks = append(attacks, map[string]any{"technique": map[string]any{"uid": fw, "src_url": "https://attack.mitre.org/techniques/" + strings.ReplaceAll(fw, ".", "/") + "/"}})
			} else {
				types = append(types, fw)
			}
		}
		id := ids[f.IdentityID]
		resource := map[string]any{"uid": f.IdentityID, "name": f.Identity, "type": id.Kind,
			"data": map[string]any{"platform": f.Platform, "tenant": f.Tenant}}
		unmapped := map[string]any{"evidence": f.Evidence, "rule_id": f.RuleID, "detail": f.Detail}
		if a := agentOf[f.IdentityID]; a != nil {
			unmapped["agent"] = map[string]any{"id": a.ID, "name": a.Name, "vendor": a.Vendor, "product": a.Product, "status": a.Status, "risk_score": a.Risk.Score}
		}
		if f.Suppressed != nil {
			unmapped["suppression"] = f.Suppressed
		}
		ev := map[string]any{
			"class_uid": 2004, "class_name": "Detection Finding", "category_uid": 2, "category_name": "Findings",
			"activity_id": 1, "activity_name": "Create", "type_uid": 200401, "type_name": "Detection Finding: Create",
			"severity_id": sev.id, "severity": sev.name, "status_id": statusID, "status": status,
			"time": gen.UnixMilli(),
			"metadata": map[string]any{"version": OCSFVersion, "uid": f.ID,
				"product": map[string]any{"name": r.Tool.Name, "vendor_name": "shadowscan", "version": r.Tool.Version}},
			"finding_info": map[string]any{"uid": f.ID, "title": f.Title, "desc": f.Description, "types": append([]string{f.RuleID}, types...),
				"first_seen_time": epochMS(f.FirstSeen), "last_seen_time": epochMS(f.LastSeen), "attacks": nonNil(attacks)},
			"resources":   []any{resource},
			"remediation": map[string]any{"desc": f.Remediation, "references": f.References},
			"unmapped":    unmapped,
		}
		if err := enc.Encode(ev); err != nil {
			return fmt.Errorf("write OCSF: %w", err)
		}
	}
	return nil
}

// entitlementID names one grant for IGA imports.
func entitlementID(id Identity, g Grant) string {
	return strings.Join([]string{id.Platform, id.Tenant, g.Resource, g.Permission}, ":")
}

// WriteIGA writes accounts.csv and entitlements.csv into dir, in the
// delimited-file shape IGA tools import (one account per identity, its
// entitlements joined with "|"). Cells are RFC 4180 quoted and
// formula-safe.
func WriteIGA(dir string, r *Report) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("iga-csv: %w", err)
	}
	status := map[string]string{}
	for _, a := range r.Agents {
		for _, f := range a.Footholds {
			status[f.IdentityID] = a.Status
		}
	}
	ents := map[string][]string{}
	var accounts [][]string
	for _, id := range r.Identities {
		var owners, entIDs []string
		for _, o := range id.Owners {
			if o.Email != "" {
				owners = append(owners, o.Email)
			} else {
				owners = append(owners, o.Name)
			}
		}
		for _, g := range id.Grants {
			eid := entitlementID(id, g)
			entIDs = append(entIDs, eid)
			if _, ok := ents[eid]; !ok {
				ents[eid] = []string{eid, g.Permission, g.Permission + " on " + g.Resource, fmt.Sprintf("%s %s permission on %s (%s)", id.Platform, g.Type, g.Resource, id.Tenant),
					fmt.Sprint(g.Privilege == "high" || g.Privilege == "critical"), g.Resource}
			}
		}
		class := "not-ai"
		if id.AI.IsAI {
			class = status[id.ID]
			if class == "" {
				class = "shadow"
			}
		}
		accounts = append(accounts, []string{id.ID, id.Name, id.Kind, id.Platform, id.Tenant, strings.Join(owners, "|"), id.Status, deref(id.CreatedAt),
			deref(id.LastUsedAt), fmt.Sprint(id.Risk.Score), id.Risk.Level, deref(id.AI.Vendor), class, strings.Join(entIDs, "|")})
	}
	var entRows [][]string
	keys := make([]string, 0, len(ents))
	for k := range ents {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		entRows = append(entRows, ents[k])
	}
	if err := writeCSVFile(filepath.Join(dir, "accounts.csv"), []string{"id", "name", "type", "platform", "tenant", "owner_emails", "status", "created", "last_used",
		"risk_score", "risk_level", "ai_vendor", "classification", "entitlements"}, accounts); err != nil {
		return err
	}
	return writeCSVFile(filepath.Join(dir, "entitlements.csv"), []string{"id", "name", "displayName", "description", "privileged", "resource"}, entRows)
}

func writeCSVFile(path string, header []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	cw := csv.NewWriter(f)
	cw.UseCRLF = true // RFC 4180
	cw.Write(header)
	for _, row := range rows {
		for i := range row {
			row[i] = CSVSafe(row[i])
		}
		cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// WriteCSVDir writes identities.csv, grants.csv and findings.csv into dir.
func WriteCSVDir(dir string, r *Report) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	var ids, grants, fs [][]string
	for _, id := range r.Identities {
		ids = append(ids, identityRow(id))
		for _, g := range id.Grants {
			grants = append(grants, []string{id.ID, id.Name, g.Resource, g.Permission, g.Type, deref(g.Consent), deref(g.OnBehalfOf), g.Privilege, deref(g.GrantedAt)})
		}
	}
	for _, f := range r.Findings {
		fs = append(fs, findingRow(f))
	}
	if err := writeCSVFile(filepath.Join(dir, "identities.csv"), identityHeader, ids); err != nil {
		return err
	}
	if err := writeCSVFile(filepath.Join(dir, "grants.csv"), []string{"identity_id", "identity_name", "resource", "permission", "type", "consent", "on_behalf_of", "privilege", "granted_at"}, grants); err != nil {
		return err
	}
	return writeCSVFile(filepath.Join(dir, "findings.csv"), findingHeader, fs)
}

// SCIM schema URNs: the Agent resource of the IETF draft
// draft-abbey-scim-agent-extension, and shadowscan's own extension.
const (
	SCIMAgentSchema     = "urn:ietf:params:scim:schemas:core:2.0:Agent"
	SCIMExtensionSchema = "urn:shadowscan:params:scim:schemas:extension:2.0:Agent"
	SCIMListResponse    = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
)

// SCIMAgents builds SCIM Agent resources for the report's agents.
func SCIMAgents(r *Report) []map[string]any {
	var out []map[string]any
	for _, a := range r.Agents {
		var owners []map[string]any
		if a.Owner != nil {
			owners = append(owners, map[string]any{"value": *a.Owner, "display": *a.Owner, "type": "User"})
		}
		var footholds []map[string]any
		for _, f := range a.Footholds {
			footholds = append(footholds, map[string]any{"identityId": f.IdentityID, "platform": f.Platform, "tenant": f.Tenant, "kind": f.Kind,
				"name": f.Name, "privilege": f.Privilege, "summary": f.Summary})
		}
		out = append(out, map[string]any{
			"schemas":     []string{SCIMAgentSchema, SCIMExtensionSchema},
			"externalId":  a.ID,
			"name":        a.ID,
			"displayName": a.Name,
			"agentType":   a.Category,
			"active":      true,
			"owners":      nonNil(owners),
			SCIMExtensionSchema: map[string]any{"vendor": a.Vendor, "product": a.Product, "status": a.Status, "riskScore": a.Risk.Score,
				"riskLevel": a.Risk.Level, "riskFactors": a.Risk.Factors, "footholds": footholds, "findingsBySeverity": a.FindingsBySeverity},
		})
	}
	return nonNil(out)
}

// WriteSCIM writes the agents as a SCIM ListResponse.
func WriteSCIM(w io.Writer, r *Report) error {
	res := SCIMAgents(r)
	return writeJSONValue(w, map[string]any{"schemas": []string{SCIMListResponse}, "totalResults": len(res), "itemsPerPage": len(res), "startIndex": 1, "Resources": res})
}
