package inventory

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// IdentityRef names an identity in a diff.
type IdentityRef struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// GrantChange is a grant first seen between two scans.
type GrantChange struct {
	IdentityID string `json:"identity_id"`
	Identity   string `json:"identity_name"`
	Resource   string `json:"resource"`
	Permission string `json:"permission"`
	Type       string `json:"type"`
	// OnExisting is set when the identity existed before: a new grant on it
	// is a scope escalation.
	OnExisting bool `json:"on_existing_identity"`
}

// CredentialChange is a credential first seen between two scans.
type CredentialChange struct {
	IdentityID string `json:"identity_id"`
	Identity   string `json:"identity_name"`
	Type       string `json:"type"`
	ID         string `json:"id"`
}

// OwnerChange is an owner whose status changed between two scans.
type OwnerChange struct {
	PrincipalID string   `json:"principal_id"`
	Name        string   `json:"name"`
	Old         string   `json:"old_status"`
	New         string   `json:"new_status"`
	Identities  []string `json:"identities"`
}

// FindingChange is a finding that appeared, was resolved or reopened.
type FindingChange struct {
	FindingID  string `json:"finding_id"`
	RuleID     string `json:"rule_id"`
	Severity   string `json:"severity"`
	IdentityID string `json:"identity_id"`
	Event      string `json:"event"` // new | resolved | reopened
}

// Diff is what changed in one tenant between two of its scans.
type Diff struct {
	TenantID          string             `json:"tenant"`
	From              int64              `json:"from_scan"`
	To                int64              `json:"to_scan"`
	NewIdentities     []IdentityRef      `json:"new_identities"`
	RemovedIdentities []IdentityRef      `json:"removed_identities"`
	NewGrants         []GrantChange      `json:"new_grants"`
	NewCredentials    []CredentialChange `json:"new_credentials"`
	OwnersChanged     []OwnerChange      `json:"owners_changed"`
	Findings          []FindingChange    `json:"findings"`
	// Removed holds the removed identities' rows, for classification.
	Removed []Identity `json:"-"`
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool {
	return len(d.NewIdentities)+len(d.RemovedIdentities)+len(d.NewGrants)+len(d.NewCredentials)+len(d.OwnersChanged)+len(d.Findings) == 0
}

// ErrNoPreviousScan is returned when a tenant has only one finished scan.
var ErrNoPreviousScan = errors.New("no earlier finished scan of this tenant to compare with")

// PreviousScan returns the finished scan of the same tenant before scanID.
func (s *Store) PreviousScan(ctx context.Context, scanID int64) (int64, error) {
	var prev sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT MAX(p.id) FROM scans p JOIN scans s ON s.tenant_id=p.tenant_id
		WHERE s.id=? AND p.id<? AND p.status<>'running'`, scanID, scanID).Scan(&prev)
	if err != nil {
		return 0, fmt.Errorf("previous scan of %d: %w", scanID, err)
	}
	if !prev.Valid {
		return 0, ErrNoPreviousScan
	}
	return prev.Int64, nil
}

// LatestScans returns each tenant's latest finished scan id.
func (s *Store) LatestScans(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT tenant_id, MAX(id) FROM scans WHERE status<>'running' GROUP BY tenant_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var t string
		var id int64
		if err := rows.Scan(&t, &id); err != nil {
			return nil, err
		}
		out[t] = id
	}
	return out, rows.Err()
}

// Diff compares two finished scans of one tenant, from the registry alone.
func (s *Store) Diff(ctx context.Context, from, to int64) (*Diff, error) {
	var tFrom, tTo string
	var fFrom, fTo sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT tenant_id, finished_at FROM scans WHERE id=?`, from).Scan(&tFrom, &fFrom); err != nil {
		return nil, fmt.Errorf("diff: scan %d: %w", from, err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT tenant_id, finished_at FROM scans WHERE id=?`, to).Scan(&tTo, &fTo); err != nil {
		return nil, fmt.Errorf("diff: scan %d: %w", to, err)
	}
	if tFrom != tTo {
		return nil, fmt.Errorf("diff: scans %d and %d are of different tenants (%s, %s)", from, to, tFrom, tTo)
	}
	if from > to {
		return nil, fmt.Errorf("diff: --from %d is after --to %d", from, to)
	}
	if !fFrom.Valid || !fTo.Valid {
		return nil, fmt.Errorf("diff: scan %d or %d has not finished", from, to)
	}
	d := &Diff{TenantID: tTo, From: from, To: to, NewIdentities: []IdentityRef{}, RemovedIdentities: []IdentityRef{}, NewGrants: []GrantChange{},
		NewCredentials: []CredentialChange{}, OwnersChanged: []OwnerChange{}, Findings: []FindingChange{}}
	if from == to {
		return d, nil
	}
	q := func(query string, args []any, scan func(*sql.Rows) error) error {
		rows, err := s.db.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("diff: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return fmt.Errorf("diff: %w", err)
			}
		}
		return rows.Err()
	}
	if err := q(`SELECT id, kind, name FROM identities WHERE tenant_id=? AND first_scan_id>? AND first_scan_id<=? ORDER BY id`, []any{tTo, from, to},
		func(r *sql.Rows) error {
			var x IdentityRef
			err := r.Scan(&x.ID, &x.Kind, &x.Name)
			d.NewIdentities = append(d.NewIdentities, x)
			return err
		}); err != nil {
		return nil, err
	}
	if err := q(`SELECT i.id, i.kind, i.native_id, i.name, i.description, i.url, i.publisher, i.origin, i.attributes, t.platform, t.key
		FROM identities i JOIN tenants t ON t.id=i.tenant_id WHERE i.tenant_id=? AND i.removed_scan_id>? AND i.removed_scan_id<=? ORDER BY i.id`, []any{tTo, from, to},
		func(r *sql.Rows) error {
			var id Identity
			var attrs string
			if err := r.Scan(&id.ID, &id.Kind, &id.NativeID, &id.Name, &id.Description, &id.URL, &id.Publisher, &id.Origin, &attrs, &id.Platform, &id.TenantKey); err != nil {
				return err
			}
			json.Unmarshal([]byte(attrs), &id.Attributes)
			id.TenantID = tTo
			d.RemovedIdentities = append(d.RemovedIdentities, IdentityRef{ID: id.ID, Kind: id.Kind, Name: id.Name})
			d.Removed = append(d.Removed, id)
			return nil
		}); err != nil {
		return nil, err
	}
	if err := q(`SELECT g.identity_id, i.name, g.resource, g.permission, g.type, i.first_scan_id<=? FROM grants g JOIN identities i ON i.id=g.identity_id
		WHERE i.tenant_id=? AND g.first_seen>? AND g.first_seen<=? ORDER BY g.identity_id, g.grant_key`, []any{from, tTo, fFrom.String, fTo.String},
		func(r *sql.Rows) error {
			var x GrantChange
			err := r.Scan(&x.IdentityID, &x.Identity, &x.Resource, &x.Permission, &x.Type, &x.OnExisting)
			d.NewGrants = append(d.NewGrants, x)
			return err
		}); err != nil {
		return nil, err
	}
	if err := q(`SELECT c.identity_id, i.name, c.type, c.cred_id FROM credentials c JOIN identities i ON i.id=c.identity_id
		WHERE i.tenant_id=? AND c.first_seen>? AND c.first_seen<=? ORDER BY c.identity_id, c.cred_id`, []any{tTo, fFrom.String, fTo.String},
		func(r *sql.Rows) error {
			var x CredentialChange
			err := r.Scan(&x.IdentityID, &x.Identity, &x.Type, &x.ID)
			d.NewCredentials = append(d.NewCredentials, x)
			return err
		}); err != nil {
		return nil, err
	}
	owners := map[string]*OwnerChange{}
	var order []string
	if err := q(`SELECT e.principal_id, p.name, e.old_status, e.new_status, COALESCE(o.identity_id,'') FROM principal_events e JOIN principals p ON p.id=e.principal_id
		LEFT JOIN identity_owners o ON o.principal_id=e.principal_id WHERE e.tenant_id=? AND e.scan_id>? AND e.scan_id<=? ORDER BY e.id, o.identity_id`, []any{tTo, from, to},
		func(r *sql.Rows) error {
			var pid, name, old, nw, iid string
			if err := r.Scan(&pid, &name, &old, &nw, &iid); err != nil {
				return err
			}
			oc := owners[pid]
			if oc == nil {
				oc = &OwnerChange{PrincipalID: pid, Name: name, Old: old, Identities: []string{}}
				owners[pid] = oc
				order = append(order, pid)
			}
			oc.New = nw
			if iid != "" && (len(oc.Identities) == 0 || oc.Identities[len(oc.Identities)-1] != iid) {
				oc.Identities = append(oc.Identities, iid)
			}
			return nil
		}); err != nil {
		return nil, err
	}
	for _, pid := range order {
		if oc := owners[pid]; oc.Old != oc.New {
			d.OwnersChanged = append(d.OwnersChanged, *oc)
		}
	}
	if err := q(`SELECT e.finding_id, f.rule_id, f.severity, f.identity_id, e.event FROM finding_events e JOIN findings f ON f.id=e.finding_id
		WHERE e.tenant_id=? AND e.scan_id>? AND e.scan_id<=? ORDER BY e.id`, []any{tTo, from, to},
		func(r *sql.Rows) error {
			var x FindingChange
			err := r.Scan(&x.FindingID, &x.RuleID, &x.Severity, &x.IdentityID, &x.Event)
			d.Findings = append(d.Findings, x)
			return err
		}); err != nil {
		return nil, err
	}
	return d, nil
}
