package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shadowscan/shadowscan/connectors"
	"github.com/shadowscan/shadowscan/findings"
	"github.com/shadowscan/shadowscan/inventory"
	"github.com/shadowscan/shadowscan/report"
)

func reportSchema() string   { return report.SchemaVersion }
func scoringVersion() string { return findings.ScoringVersion() }

// scanOne crawls one tenant into the registry. The scan is always finished,
// so a failure is recorded and nothing earlier is lost.
func (a *app) scanOne(ctx context.Context, store *inventory.Store, c connectors.Connector) (inventory.Scan, error) {
	w, err := store.BeginScan(ctx, c.Tenant())
	if err != nil {
		return inventory.Scan{}, err
	}
	start := time.Now()
	scanErr := c.Scan(ctx, w)
	sc, err := w.Finish(ctx, scanErr)
	if err != nil {
		return sc, fmt.Errorf("record scan of %s: %w", c.Tenant().ID(), err)
	}
	a.log.Info("scan finished", "tenant", c.Tenant().ID(), "scan", sc.ID, "status", sc.Status, "seconds", time.Since(start).Round(time.Millisecond).Seconds())
	for _, cov := range sc.Coverage {
		if cov.Status != inventory.CoverageOK {
			a.log.Warn("coverage gap", "tenant", c.Tenant().ID(), "collector", cov.Collector, "status", cov.Status, "reason", cov.Reason, "needs", cov.Permission)
		}
	}
	if sc.Status == inventory.ScanPartial {
		fmt.Fprintf(a.stderr, "shadowscan: scan of %s was partial: %d collector(s) could not read their data (see the coverage gaps above); what they saw before is kept\n",
			c.Tenant().ID(), countGaps(sc))
	}
	return sc, scanErr
}

func countGaps(sc inventory.Scan) int {
	n := 0
	for _, c := range sc.Coverage {
		if c.Status != inventory.CoverageOK {
			n++
		}
	}
	return n
}

// analyze reads the registry, runs the analysis and, when record is set,
// stores the findings of the given tenants with their history.
func (a *app) analyze(ctx context.Context, store *inventory.Store, f inventory.Filter, recordTenants []string) (*report.Report, error) {
	snap, err := store.Snapshot(ctx, f)
	if err != nil {
		return nil, err
	}
	var pol *findings.Policy
	if a.policyPath != "" {
		if pol, err = findings.LoadPolicy(a.policyPath); err != nil {
			return nil, err
		}
	}
	cat, err := pol.CatalogWith(findings.DefaultCatalog())
	if err != nil {
		return nil, err
	}
	res := findings.Analyze(snap, findings.Options{Catalog: cat, Rules: pol.RulesWith(findings.Rules()), TenantRules: pol.TenantRulesWith(findings.TenantRules())})
	var times map[string]inventory.FindingRecord
	if len(recordTenants) > 0 {
		var recs []inventory.FindingRecord
		want := map[string]bool{}
		for _, t := range recordTenants {
			want[t] = true
		}
		for _, r := range report.FindingRecords(res) {
			if want[r.TenantID] {
				recs = append(recs, r)
			}
		}
		times, err = store.RecordFindings(ctx, recordTenants, recs)
	} else {
		times, err = store.FindingTimes(ctx)
	}
	if err != nil {
		return nil, err
	}
	changes, err := latestChanges(ctx, store, snap)
	if err != nil {
		return nil, err
	}
	return report.Build(snap, res, report.Options{Version: toolVersion(), GeneratedAt: time.Now(), FindingTimes: times, Policy: pol, Changes: changes}), nil
}

// latestChanges diffs each tenant's latest scan against its previous one.
func latestChanges(ctx context.Context, store *inventory.Store, snap *inventory.Snapshot) ([]*inventory.Diff, error) {
	var out []*inventory.Diff
	for _, sc := range snap.Scans {
		prev, err := store.PreviousScan(ctx, sc.ID)
		if errors.Is(err, inventory.ErrNoPreviousScan) {
			continue
		}
		if err != nil {
			return nil, err
		}
		d, err := store.Diff(ctx, prev, sc.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func (a *app) printSummary(r *report.Report) {
	s := r.Summary
	fmt.Fprintf(a.stderr, "%d AI agents (%d shadow, %d sanctioned) across %d identities; findings: %d critical, %d high, %d medium, %d low, %d info; %d checks not assessed\n",
		s.Agents, s.AgentsShadow, s.AgentsSanctioned, s.Identities, s.FindingsBySeverity["critical"], s.FindingsBySeverity["high"], s.FindingsBySeverity["medium"],
		s.FindingsBySeverity["low"], s.FindingsBySeverity["info"], s.NotAssessed)
}
