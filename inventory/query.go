package inventory

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Snapshot is the registry's current view: every tenant, its latest finished
// scan, and every identity not marked removed, with what it holds.
type Snapshot struct {
	TakenAt    time.Time
	Tenants    []Tenant
	Scans      []Scan                       // latest finished scan per tenant
	Identities []Identity                   // sorted by id
	Settings   map[string]map[string]string // tenant id -> key -> JSON value
}

// Coverage returns the coverage of collector in the tenant's latest scan, and
// false when that scan has no entry for it.
func (s *Snapshot) Coverage(tenantID, collector string) (Coverage, bool) {
	for _, sc := range s.Scans {
		if sc.TenantID != tenantID {
			continue
		}
		for _, c := range sc.Coverage {
			if c.Collector == collector {
				return c, true
			}
		}
	}
	return Coverage{}, false
}

// Filter narrows a snapshot.
type Filter struct {
	Platform string // "" = all
}

// Snapshot reads the registry's current view.
func (s *Store) Snapshot(ctx context.Context, f Filter) (*Snapshot, error) {
	snap := &Snapshot{TakenAt: s.now(), Settings: map[string]map[string]string{}}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	defer tx.Rollback()

	rows, err := tx.QueryContext(ctx, `SELECT id, platform, key, name FROM tenants WHERE (?='' OR platform=?) ORDER BY id`, f.Platform, f.Platform)
	if err != nil {
		return nil, fmt.Errorf("snapshot tenants: %w", err)
	}
	tenantKey := map[string]Tenant{}
	for rows.Next() {
		var id string
		var t Tenant
		if err := rows.Scan(&id, &t.Platform, &t.Key, &t.Name); err != nil {
			rows.Close()
			return nil, err
		}
		snap.Tenants = append(snap.Tenants, t)
		tenantKey[id] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	scans, err := queryScans(ctx, tx, `WHERE s.id IN (SELECT MAX(id) FROM scans WHERE status<>'running' GROUP BY tenant_id) AND (?='' OR t.platform=?) ORDER BY s.tenant_id`, f.Platform, f.Platform)
	if err != nil {
		return nil, err
	}
	snap.Scans = scans

	idx := map[string]int{}
	rows, err = tx.QueryContext(ctx, `SELECT i.id,i.tenant_id,i.kind,i.native_id,i.name,i.description,i.url,i.publisher,i.verified_publisher,i.origin,i.status,
		i.created_at,i.last_used_at,i.collector,i.attributes,i.first_seen,i.last_seen,i.last_scan_id
		FROM identities i JOIN tenants t ON t.id=i.tenant_id WHERE i.removed_at IS NULL AND (?='' OR t.platform=?) ORDER BY i.id`, f.Platform, f.Platform)
	if err != nil {
		return nil, fmt.Errorf("snapshot identities: %w", err)
	}
	for rows.Next() {
		var id Identity
		var verified sql.NullBool
		var created, used sql.NullString
		var attrs, first, last string
		if err := rows.Scan(&id.ID, &id.TenantID, &id.Kind, &id.NativeID, &id.Name, &id.Description, &id.URL, &id.Publisher, &verified, &id.Origin, &id.Status,
			&created, &used, &id.Collector, &attrs, &first, &last, &id.LastScanID); err != nil {
			rows.Close()
			return nil, fmt.Errorf("snapshot identities: %w", err)
		}
		if verified.Valid {
			v := verified.Bool
			id.VerifiedPublisher = &v
		}
		id.CreatedAt, id.LastUsedAt = parseTSPtr(created), parseTSPtr(used)
		id.FirstSeen, id.LastSeen = parseTS(first), parseTS(last)
		if attrs != "" && attrs != "{}" {
			if err := json.Unmarshal([]byte(attrs), &id.Attributes); err != nil {
				rows.Close()
				return nil, fmt.Errorf("snapshot identity %s attributes: %w", id.ID, err)
			}
		}
		t := tenantKey[id.TenantID]
		id.Platform, id.TenantKey = t.Platform, t.Key
		idx[id.ID] = len(snap.Identities)
		snap.Identities = append(snap.Identities, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = tx.QueryContext(ctx, `SELECT identity_id,resource,permission,type,consent,on_behalf_of,granted_at,collector,first_seen,last_seen FROM grants WHERE removed_at IS NULL ORDER BY identity_id, grant_key`)
	if err != nil {
		return nil, fmt.Errorf("snapshot grants: %w", err)
	}
	for rows.Next() {
		var iid, first, last string
		var granted sql.NullString
		var g Grant
		if err := rows.Scan(&iid, &g.Resource, &g.Permission, &g.Type, &g.Consent, &g.OnBehalfOf, &granted, &g.Collector, &first, &last); err != nil {
			rows.Close()
			return nil, fmt.Errorf("snapshot grants: %w", err)
		}
		i, ok := idx[iid]
		if !ok {
			continue
		}
		g.GrantedAt = parseTSPtr(granted)
		g.FirstSeen, g.LastSeen = parseTS(first), parseTS(last)
		snap.Identities[i].Grants = append(snap.Identities[i].Grants, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = tx.QueryContext(ctx, `SELECT identity_id,cred_id,type,hint,created_at,expires_at,last_used_at,first_seen,last_seen FROM credentials WHERE removed_at IS NULL ORDER BY identity_id, cred_id`)
	if err != nil {
		return nil, fmt.Errorf("snapshot credentials: %w", err)
	}
	for rows.Next() {
		var iid, first, last string
		var created, expires, used sql.NullString
		var c Credential
		if err := rows.Scan(&iid, &c.ID, &c.Type, &c.Hint, &created, &expires, &used, &first, &last); err != nil {
			rows.Close()
			return nil, fmt.Errorf("snapshot credentials: %w", err)
		}
		i, ok := idx[iid]
		if !ok {
			continue
		}
		c.CreatedAt, c.ExpiresAt, c.LastUsedAt = parseTSPtr(created), parseTSPtr(expires), parseTSPtr(used)
		c.FirstSeen, c.LastSeen = parseTS(first), parseTS(last)
		snap.Identities[i].Credentials = append(snap.Identities[i].Credentials, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = tx.QueryContext(ctx, `SELECT o.identity_id,o.role,p.id,p.kind,p.native_id,p.name,p.email,p.status FROM identity_owners o JOIN principals p ON p.id=o.principal_id
		WHERE o.removed_at IS NULL ORDER BY o.identity_id, o.role, p.id`)
	if err != nil {
		return nil, fmt.Errorf("snapshot owners: %w", err)
	}
	for rows.Next() {
		var iid string
		var o OwnerRef
		if err := rows.Scan(&iid, &o.Role, &o.Principal.ID, &o.Principal.Kind, &o.Principal.Native, &o.Principal.Name, &o.Principal.Email, &o.Principal.Status); err != nil {
			rows.Close()
			return nil, fmt.Errorf("snapshot owners: %w", err)
		}
		if i, ok := idx[iid]; ok {
			snap.Identities[i].Owners = append(snap.Identities[i].Owners, o)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = tx.QueryContext(ctx, `SELECT tenant_id,key,value FROM settings ORDER BY tenant_id,key`)
	if err != nil {
		return nil, fmt.Errorf("snapshot settings: %w", err)
	}
	for rows.Next() {
		var tid, k, v string
		if err := rows.Scan(&tid, &k, &v); err != nil {
			rows.Close()
			return nil, err
		}
		if _, ok := tenantKey[tid]; !ok {
			continue
		}
		if snap.Settings[tid] == nil {
			snap.Settings[tid] = map[string]string{}
		}
		snap.Settings[tid][k] = v
	}
	rows.Close()
	return snap, rows.Err()
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func queryScans(ctx context.Context, q querier, where string, args ...any) ([]Scan, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.id,s.tenant_id,t.platform,t.key,s.status,s.started_at,s.finished_at,s.errors,s.coverage
		FROM scans s JOIN tenants t ON t.id=s.tenant_id `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read scans: %w", err)
	}
	defer rows.Close()
	var out []Scan
	for rows.Next() {
		var sc Scan
		var started, errs, cov string
		var finished sql.NullString
		if err := rows.Scan(&sc.ID, &sc.TenantID, &sc.Platform, &sc.TenantKey, &sc.Status, &started, &finished, &errs, &cov); err != nil {
			return nil, fmt.Errorf("read scans: %w", err)
		}
		sc.StartedAt = parseTS(started)
		sc.FinishedAt = parseTSPtr(finished)
		if err := json.Unmarshal([]byte(errs), &sc.Errors); err != nil {
			return nil, fmt.Errorf("scan %d errors: %w", sc.ID, err)
		}
		if err := json.Unmarshal([]byte(cov), &sc.Coverage); err != nil {
			return nil, fmt.Errorf("scan %d coverage: %w", sc.ID, err)
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

// Scans lists every scan, newest first.
func (s *Store) Scans(ctx context.Context) ([]Scan, error) {
	return queryScans(ctx, s.db, `ORDER BY s.id DESC`)
}

// FindingRecord is a finding as the registry keeps it.
type FindingRecord struct {
	ID         string // fingerprint
	TenantID   string
	RuleID     string
	IdentityID string
	Severity   string
	Evidence   map[string]any
	FirstSeen  time.Time
	LastSeen   time.Time
}

// RecordFindings stores the findings of an analysis of the given tenants:
// new fingerprints get first_seen now, known ones keep it and advance
// last_seen, and open findings of those tenants that the analysis no longer
// produced are marked resolved. It returns the stored times for every finding.
func (s *Store) RecordFindings(ctx context.Context, tenantIDs []string, fs []FindingRecord) (map[string]FindingRecord, error) {
	now := ts(s.now())
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("record findings: %w", err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO findings(id,tenant_id,rule_id,identity_id,severity,evidence,first_seen,last_seen) VALUES(?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET severity=excluded.severity,evidence=excluded.evidence,last_seen=excluded.last_seen,resolved_at=NULL`)
	if err != nil {
		return nil, fmt.Errorf("record findings: %w", err)
	}
	defer st.Close()
	for _, f := range fs {
		ev, err := json.Marshal(f.Evidence)
		if err != nil {
			return nil, fmt.Errorf("record finding %s: %w", f.ID, err)
		}
		if _, err := st.ExecContext(ctx, f.ID, f.TenantID, f.RuleID, f.IdentityID, f.Severity, string(ev), now, now); err != nil {
			return nil, fmt.Errorf("record finding %s: %w", f.ID, err)
		}
	}
	if len(tenantIDs) > 0 {
		tj, _ := json.Marshal(tenantIDs)
		if _, err := tx.ExecContext(ctx, `UPDATE findings SET resolved_at=? WHERE resolved_at IS NULL AND last_seen<>? AND tenant_id IN (SELECT value FROM json_each(?))`, now, now, string(tj)); err != nil {
			return nil, fmt.Errorf("record findings: resolve: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("record findings: %w", err)
	}
	return s.FindingTimes(ctx)
}

// FindingTimes returns first and last seen of every open finding by id.
func (s *Store) FindingTimes(ctx context.Context) (map[string]FindingRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id,tenant_id,rule_id,identity_id,severity,first_seen,last_seen FROM findings WHERE resolved_at IS NULL`)
	if err != nil {
		return nil, fmt.Errorf("read findings: %w", err)
	}
	defer rows.Close()
	out := map[string]FindingRecord{}
	for rows.Next() {
		var f FindingRecord
		var first, last string
		if err := rows.Scan(&f.ID, &f.TenantID, &f.RuleID, &f.IdentityID, &f.Severity, &first, &last); err != nil {
			return nil, fmt.Errorf("read findings: %w", err)
		}
		f.FirstSeen, f.LastSeen = parseTS(first), parseTS(last)
		out[f.ID] = f
	}
	return out, rows.Err()
}

// Counts returns row counts per table (diagnostics and tests).
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	tables := []string{"tenants", "scans", "identities", "grants", "credentials", "principals", "identity_owners", "settings", "findings"}
	for _, t := range tables {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		out[t] = n
	}
	return out, nil
}

// IntegrityCheck runs SQLite's integrity and foreign key checks.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	var res string
	if err := s.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	rows, err := s.db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var bad []string
	for rows.Next() {
		var table string
		var rowid sql.NullInt64
		var parent string
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return err
		}
		bad = append(bad, table+"->"+parent)
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return fmt.Errorf("foreign key violations: %s", strings.Join(bad, ", "))
	}
	return rows.Err()
}
