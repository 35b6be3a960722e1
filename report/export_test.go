package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOCSFExport(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteOCSF(&buf, build(t)); err != nil {
		t.Fatal(err)
	}
	golden(t, "export.golden.ocsf.jsonl", buf.Bytes())
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != len(build(t).Findings) {
		t.Fatalf("%d lines for %d findings", len(lines), len(build(t).Findings))
	}
	for _, l := range lines {
		var ev map[string]any
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatal(err)
		}
		md := ev["metadata"].(map[string]any)
		fi := ev["finding_info"].(map[string]any)
		sev := ev["severity_id"].(float64)
		if ev["class_uid"].(float64) != 2004 || ev["type_uid"].(float64) != 200401 || md["version"] != OCSFVersion || sev < 1 || sev > 5 ||
			!strings.HasPrefix(fi["uid"].(string), "ssf-") || len(ev["resources"].([]any)) != 1 {
			t.Errorf("not a Detection Finding: %s", l)
		}
	}
	if !strings.Contains(buf.String(), `"uid":"T1552.001"`) {
		t.Error("ATT&CK techniques missing from finding_info.attacks")
	}
	if strings.Contains(buf.String(), "<script>") {
		t.Error("tenant strings must be JSON-escaped")
	}
}

func TestIGAExport(t *testing.T) {
	dir := t.TempDir()
	if err := WriteIGA(dir, build(t)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"accounts.csv", "entitlements.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "export.golden."+name, b)
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("%s: %v (%d rows)", name, err, len(rows))
		}
		for _, row := range rows {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
					t.Errorf("%s: formula cell %q", name, cell)
				}
			}
		}
		if !bytes.Contains(b, []byte("\r\n")) {
			t.Errorf("%s: not RFC 4180 line endings", name)
		}
	}
}

func TestSCIMExport(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSCIM(&buf, build(t)); err != nil {
		t.Fatal(err)
	}
	golden(t, "export.golden.scim.json", buf.Bytes())
	var doc struct {
		Schemas   []string         `json:"schemas"`
		Total     int              `json:"totalResults"`
		Resources []map[string]any `json:"Resources"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schemas[0] != SCIMListResponse || doc.Total != len(doc.Resources) || doc.Total == 0 {
		t.Fatalf("ListResponse: %+v", doc)
	}
	for _, r := range doc.Resources {
		if r["externalId"] == "" || r["displayName"] == "" || r[SCIMExtensionSchema] == nil {
			t.Errorf("resource %+v", r)
		}
	}
}

func TestCSVDirExport(t *testing.T) {
	dir := t.TempDir()
	if err := WriteCSVDir(dir, build(t)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"identities.csv", "grants.csv", "findings.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || len(b) == 0 {
			t.Fatalf("%s: %v", name, err)
		}
		golden(t, "export.golden."+name, b)
	}
}
