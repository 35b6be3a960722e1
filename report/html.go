package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"sort"

	"github.com/shadowscan/shadowscan/templates"
)

var htmlTmpl = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"clean":   cleanHTML,
	"deref":   deref,
	"anchor":  anchor,
	"sevrank": func(s string) int { return riskRank[s] },
}).ParseFS(templates.FS, "report.html.tmpl"))

// cleanHTML strips control characters (html/template escapes the rest).
func cleanHTML(s string) string {
	out := []rune{}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

// anchor turns an id into a safe HTML id.
func anchor(id string) string {
	h := sha256.Sum256([]byte(id))
	return "i-" + hex.EncodeToString(h[:8])
}

type gap struct{ Tenant, Collector, Status, Reason, Permission string }

type vendorBar struct {
	Name                          string
	Count, Y, BarY, Width, LabelX int
}

type htmlView struct {
	Report            *Report
	Severities        []string
	Agents            []Identity
	Gaps              []gap
	Vendors           []vendorBar
	VendorChartHeight int
}

// WriteHTML writes the self-contained HTML report.
func WriteHTML(w io.Writer, r *Report) error {
	v := htmlView{Report: r, Severities: []string{"critical", "high", "medium", "low", "info"}}
	for _, id := range r.Identities {
		if id.AI.IsAI {
			v.Agents = append(v.Agents, id)
		}
	}
	for _, sc := range r.Scans {
		for _, c := range sc.Coverage {
			if c.Status != "ok" {
				v.Gaps = append(v.Gaps, gap{sc.Platform + ":" + sc.Tenant, c.Collector, c.Status, c.Reason, c.Permission})
			}
		}
	}
	type kv struct {
		k string
		n int
	}
	var vs []kv
	maxN := 0
	for k, n := range r.Summary.AIByVendor {
		vs = append(vs, kv{k, n})
		maxN = max(maxN, n)
	}
	sort.Slice(vs, func(i, j int) bool {
		if vs[i].n != vs[j].n {
			return vs[i].n > vs[j].n
		}
		return vs[i].k < vs[j].k
	})
	for i, e := range vs {
		width := 0
		if maxN > 0 {
			width = max(2, e.n*400/maxN)
		}
		name := cleanHTML(e.k)
		if len([]rune(name)) > 26 {
			name = string([]rune(name)[:25]) + "…"
		}
		v.Vendors = append(v.Vendors, vendorBar{Name: name, Count: e.n, Y: 16 + i*20, BarY: 5 + i*20, Width: width, LabelX: 176 + width})
	}
	v.VendorChartHeight = 20*len(v.Vendors) + 8
	if err := htmlTmpl.Execute(w, v); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}
