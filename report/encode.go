package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
)

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}

// Clean strips control characters (terminal escape sequences included) and
// bounds the length, for text shown in a terminal table cell.
func Clean(s string) string {
	out := Strip(s)
	if len([]rune(out)) > 80 {
		out = string([]rune(out)[:79]) + "…"
	}
	return out
}

// Strip removes control, line-separator and bidi-override characters without
// shortening, so tenant text (names, URLs, vendor error messages) cannot move
// the cursor, retitle the terminal or reorder what the reader sees.
func Strip(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, s)
}

// CSVSafe neutralizes a cell that a spreadsheet would run as a formula.
func CSVSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	if s != "" && strings.ContainsRune("=+-@|%", rune(s[0])) {
		return "'" + s
	}
	return s
}

// AgentFilter selects identities for listings.
type AgentFilter struct {
	AIOnly   bool
	MinRisk  string
	Platform string
}

var riskRank = map[string]int{"info": 1, "low": 2, "medium": 3, "high": 4, "critical": 5}

// SelectIdentities applies a filter.
func SelectIdentities(r *Report, f AgentFilter) []Identity {
	var out []Identity
	for _, id := range r.Identities {
		if f.AIOnly && !id.AI.IsAI {
			continue
		}
		if f.Platform != "" && id.Platform != f.Platform {
			continue
		}
		if f.MinRisk != "" && riskRank[id.Risk.Level] < riskRank[f.MinRisk] {
			continue
		}
		out = append(out, id)
	}
	return out
}

// SelectFindings keeps findings at or above a severity.
func SelectFindings(r *Report, minSeverity string) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if minSeverity == "" || riskRank[f.Severity] >= riskRank[minSeverity] {
			out = append(out, f)
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func ownersText(os []Owner) string {
	var parts []string
	for _, o := range os {
		p := o.Name
		if o.Status != "active" {
			p += " (" + o.Status + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

var identityHeader = []string{"risk", "score", "name", "kind", "platform", "tenant", "ai_vendor", "ai_product", "category", "privilege", "status", "owners", "last_used", "id"}

func identityRow(id Identity) []string {
	return []string{id.Risk.Level, fmt.Sprint(id.Risk.Score), id.Name, id.Kind, id.Platform, id.Tenant, deref(id.AI.Vendor), deref(id.AI.Product),
		deref(id.AI.Category), id.Privilege.Level, id.Status, ownersText(id.Owners), deref(id.LastUsedAt), id.ID}
}

var findingHeader = []string{"severity", "rule_id", "title", "identity", "platform", "tenant", "detail", "remediation", "first_seen", "id"}

func findingRow(f Finding) []string {
	return []string{f.Severity, f.RuleID, f.Title, f.Identity, f.Platform, f.Tenant, f.Detail, f.Remediation, deref(f.FirstSeen), f.ID}
}

func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	for _, row := range rows {
		for i := range row {
			row[i] = CSVSafe(row[i])
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

func writeTable(w io.Writer, header []string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(header, "\t")))
	for _, row := range rows {
		for i := range row {
			row[i] = Clean(row[i])
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	return tw.Flush()
}

// WriteIdentities writes identities as "table", "csv" or "json".
func WriteIdentities(w io.Writer, format string, ids []Identity) error {
	rows := make([][]string, 0, len(ids))
	for _, id := range ids {
		rows = append(rows, identityRow(id))
	}
	switch format {
	case "csv":
		return writeCSV(w, identityHeader, rows)
	case "json":
		return writeJSONValue(w, nonNil(ids))
	default:
		cols := []int{0, 1, 2, 3, 4, 6, 8, 9, 11}
		return writeTable(w, pick(identityHeader, cols), pickRows(rows, cols))
	}
}

// WriteFindings writes findings as "table", "csv" or "json".
func WriteFindings(w io.Writer, format string, fs []Finding) error {
	rows := make([][]string, 0, len(fs))
	for _, f := range fs {
		rows = append(rows, findingRow(f))
	}
	switch format {
	case "csv":
		return writeCSV(w, findingHeader, rows)
	case "json":
		return writeJSONValue(w, nonNil(fs))
	default:
		cols := []int{0, 1, 2, 3, 5, 6}
		return writeTable(w, pick(findingHeader, cols), pickRows(rows, cols))
	}
}

func writeJSONValue(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func pick(row []string, cols []int) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = row[c]
	}
	return out
}

func pickRows(rows [][]string, cols []int) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = pick(r, cols)
	}
	return out
}

// CountGated counts open (unsuppressed) findings at or above a severity;
// with newOnly, only those first seen in their tenant's latest scan.
func CountGated(r *Report, minSeverity string, newOnly bool) int {
	started := map[string]time.Time{}
	for _, sc := range r.Scans {
		started[sc.Platform+":"+sc.Tenant] = sc.started
	}
	n := 0
	for _, f := range SelectFindings(r, minSeverity) {
		if f.Suppressed != nil {
			continue
		}
		if newOnly {
			st, ok := started[f.Platform+":"+f.Tenant]
			if !ok || f.firstSeen.Before(st) {
				continue
			}
		}
		n++
	}
	return n
}

// AgentSelect filters agents.
type AgentSelect struct {
	MinRisk  string
	Platform string
	Status   string // sanctioned | shadow | ""
}

// SelectAgents applies a filter.
func SelectAgents(r *Report, f AgentSelect) []Agent {
	var out []Agent
	for _, a := range r.Agents {
		if f.MinRisk != "" && riskRank[a.Risk.Level] < riskRank[f.MinRisk] {
			continue
		}
		if f.Status != "" && a.Status != f.Status {
			continue
		}
		if f.Platform != "" {
			found := false
			for _, fh := range a.Footholds {
				found = found || fh.Platform == f.Platform
			}
			if !found {
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

var agentHeader = []string{"risk", "score", "agent", "vendor", "category", "status", "owner", "footholds", "platforms", "critical", "high", "id"}

// WriteAgents writes agents as "table", "csv" or "json".
func WriteAgents(w io.Writer, format string, agents []Agent) error {
	rows := make([][]string, 0, len(agents))
	for _, a := range agents {
		plats := map[string]bool{}
		var pl []string
		for _, f := range a.Footholds {
			if !plats[f.Platform] {
				plats[f.Platform] = true
				pl = append(pl, f.Platform)
			}
		}
		rows = append(rows, []string{a.Risk.Level, fmt.Sprint(a.Risk.Score), a.Name, a.Vendor, a.Category, a.Status, deref(a.Owner),
			fmt.Sprint(len(a.Footholds)), strings.Join(pl, ","), fmt.Sprint(a.FindingsBySeverity["critical"]), fmt.Sprint(a.FindingsBySeverity["high"]), a.ID})
	}
	switch format {
	case "csv":
		return writeCSV(w, agentHeader, rows)
	case "json":
		return writeJSONValue(w, nonNil(agents))
	default:
		cols := []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 10}
		return writeTable(w, pick(agentHeader, cols), pickRows(rows, cols))
	}
}
