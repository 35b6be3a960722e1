package inventory

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

// Sink receives what a connector finds. Implementations are safe for
// concurrent use, so a connector may crawl with several workers.
type Sink interface {
	// Identity records an identity with its grants, credentials and owners.
	Identity(ctx context.Context, id Identity) error
	// Setting records one tenant-level setting.
	Setting(ctx context.Context, s Setting) error
	// Coverage records whether a collector could read its data. The last
	// report for a collector wins.
	Coverage(ctx context.Context, c Coverage) error
	// Error records a non-fatal problem worth showing in the scan record.
	Error(ctx context.Context, err error)
}

// flushIdentities and flushGrants bound the size of one write transaction:
// large enough to amortize the commit, small enough to keep memory flat.
const (
	flushIdentities = 500
	flushGrants     = 10000
)

// ScanWriter records one scan of one tenant. It buffers rows and writes them
// in batched transactions. Call Finish exactly once.
type ScanWriter struct {
	store  *Store
	tenant Tenant
	scanID int64
	now    time.Time

	mu       sync.Mutex
	buf      []Identity
	bufRows  int
	coverage map[string]Coverage
	order    []string
	errs     []string
	finished bool
	// principals already written in this scan: one person owns or
	// consented to many identities, and one upsert per scan is enough.
	principals map[string]bool
}

// BeginScan records the tenant and a running scan for it.
func (s *Store) BeginScan(ctx context.Context, t Tenant) (*ScanWriter, error) {
	if t.Platform == "" || t.Key == "" {
		return nil, errors.New("begin scan: tenant needs a platform and a key")
	}
	now := s.now()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin scan of %s: %w", t.ID(), err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO tenants(id,platform,key,name,first_seen,last_seen) VALUES(?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET name=CASE WHEN excluded.name<>'' THEN excluded.name ELSE tenants.name END, last_seen=excluded.last_seen`,
		t.ID(), t.Platform, t.Key, t.Name, ts(now), ts(now)); err != nil {
		return nil, fmt.Errorf("begin scan of %s: record tenant: %w", t.ID(), err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO scans(tenant_id,status,started_at) VALUES(?,?,?)`, t.ID(), ScanRunning, ts(now))
	if err != nil {
		return nil, fmt.Errorf("begin scan of %s: %w", t.ID(), err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("begin scan of %s: %w", t.ID(), err)
	}
	return &ScanWriter{store: s, tenant: t, scanID: id, now: now, coverage: map[string]Coverage{}, principals: map[string]bool{}}, nil
}

// ScanID is the id of the scan being written.
func (w *ScanWriter) ScanID() int64 { return w.scanID }

// Tenant is the tenant being scanned.
func (w *ScanWriter) Tenant() Tenant { return w.tenant }

// Identity implements Sink.
func (w *ScanWriter) Identity(ctx context.Context, id Identity) error {
	if id.Kind == "" || id.NativeID == "" {
		return fmt.Errorf("record identity %q: kind and native id are required", id.Name)
	}
	if id.ID == "" {
		id.ID = MakeID(w.tenant.Platform, w.tenant.Key, id.Kind, id.NativeID)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.finished {
		return fmt.Errorf("record identity %s: scan %d already finished", id.ID, w.scanID)
	}
	w.buf = append(w.buf, id)
	w.bufRows += 1 + len(id.Grants) + len(id.Credentials) + len(id.Owners)
	if len(w.buf) >= flushIdentities || w.bufRows >= flushGrants {
		return w.flushLocked(ctx)
	}
	return nil
}

// Setting implements Sink.
func (w *ScanWriter) Setting(ctx context.Context, st Setting) error {
	v, err := json.Marshal(st.Value)
	if err != nil {
		return fmt.Errorf("record setting %s: %w", st.Key, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	_, err = w.store.db.ExecContext(ctx, `INSERT INTO settings(tenant_id,key,value,first_seen,last_seen,last_scan_id) VALUES(?,?,?,?,?,?)
		ON CONFLICT(tenant_id,key) DO UPDATE SET value=excluded.value,last_seen=excluded.last_seen,last_scan_id=excluded.last_scan_id`,
		w.tenant.ID(), st.Key, string(v), ts(w.now), ts(w.now), w.scanID)
	if err != nil {
		return fmt.Errorf("record setting %s: %w", st.Key, err)
	}
	return nil
}

// Coverage implements Sink.
func (w *ScanWriter) Coverage(_ context.Context, c Coverage) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.coverage[c.Collector]; !ok {
		w.order = append(w.order, c.Collector)
	}
	w.coverage[c.Collector] = c
	return nil
}

// Error implements Sink.
func (w *ScanWriter) Error(_ context.Context, err error) {
	if err == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.errs = append(w.errs, err.Error())
}

func (w *ScanWriter) flushLocked(ctx context.Context) error {
	if len(w.buf) == 0 {
		return nil
	}
	// A flush must land even when the crawl is being cancelled, or rows the
	// scan already saw would be lost; it is short and bounded.
	ctx = context.WithoutCancel(ctx)
	tx, err := w.store.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("scan %d: write batch: %w", w.scanID, err)
	}
	defer tx.Rollback()
	st, err := prepareWrite(ctx, tx)
	if err != nil {
		return fmt.Errorf("scan %d: write batch: %w", w.scanID, err)
	}
	defer st.close()
	now := ts(w.now)
	// Principals written by this batch count as written only once it commits.
	seen := principalSet{done: w.principals, fresh: map[string]bool{}}
	for _, id := range w.buf {
		if err := st.writeIdentity(ctx, w.tenant, w.scanID, now, id, seen); err != nil {
			return fmt.Errorf("scan %d: write identity %s: %w", w.scanID, id.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("scan %d: write batch: %w", w.scanID, err)
	}
	for p := range seen.fresh {
		w.principals[p] = true
	}
	w.buf = w.buf[:0]
	w.bufRows = 0
	return nil
}

type writeStmts struct {
	identity, grant, cred, principal, owner *sql.Stmt
}

func prepareWrite(ctx context.Context, tx *sql.Tx) (*writeStmts, error) {
	var s writeStmts
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = tx.PrepareContext(ctx, q)
		return st
	}
	s.identity = prep(`INSERT INTO identities(id,tenant_id,kind,native_id,name,description,url,publisher,verified_publisher,origin,status,created_at,last_used_at,collector,attributes,first_seen,last_seen,first_scan_id,last_scan_id)
		VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET name=excluded.name,description=excluded.description,url=excluded.url,publisher=excluded.publisher,
		verified_publisher=excluded.verified_publisher,origin=excluded.origin,status=excluded.status,created_at=excluded.created_at,
		last_used_at=COALESCE(excluded.last_used_at,identities.last_used_at),collector=excluded.collector,attributes=excluded.attributes,
		last_seen=excluded.last_seen,last_scan_id=excluded.last_scan_id,removed_at=NULL,removed_scan_id=NULL`)
	s.grant = prep(`INSERT INTO grants(identity_id,grant_key,resource,permission,type,consent,on_behalf_of,granted_at,first_seen,last_seen,last_scan_id,collector)
		VALUES(?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(identity_id,grant_key) DO UPDATE SET consent=excluded.consent,collector=excluded.collector,granted_at=COALESCE(excluded.granted_at,grants.granted_at),
		last_seen=excluded.last_seen,last_scan_id=excluded.last_scan_id,removed_at=NULL`)
	s.cred = prep(`INSERT INTO credentials(identity_id,cred_id,type,hint,created_at,expires_at,last_used_at,first_seen,last_seen,last_scan_id,collector)
		VALUES(?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(identity_id,cred_id) DO UPDATE SET type=excluded.type,collector=excluded.collector,hint=excluded.hint,created_at=excluded.created_at,expires_at=excluded.expires_at,
		last_used_at=COALESCE(excluded.last_used_at,credentials.last_used_at),last_seen=excluded.last_seen,last_scan_id=excluded.last_scan_id,removed_at=NULL`)
	s.principal = prep(`INSERT INTO principals(id,tenant_id,kind,native_id,name,email,status,first_seen,last_seen,last_scan_id)
		VALUES(?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET name=CASE WHEN excluded.name<>'' THEN excluded.name ELSE principals.name END,
		email=CASE WHEN excluded.email<>'' THEN excluded.email ELSE principals.email END,
		status=CASE WHEN excluded.status<>'unknown' THEN excluded.status ELSE principals.status END,
		last_seen=excluded.last_seen,last_scan_id=excluded.last_scan_id`)
	s.owner = prep(`INSERT INTO identity_owners(identity_id,principal_id,role,first_seen,last_seen,last_scan_id,collector) VALUES(?,?,?,?,?,?,?)
		ON CONFLICT(identity_id,principal_id,role) DO UPDATE SET collector=excluded.collector,last_seen=excluded.last_seen,last_scan_id=excluded.last_scan_id,removed_at=NULL`)
	if err != nil {
		s.close()
		return nil, err
	}
	return &s, nil
}

func (s *writeStmts) close() {
	for _, st := range []*sql.Stmt{s.identity, s.grant, s.cred, s.principal, s.owner} {
		if st != nil {
			st.Close()
		}
	}
}

type principalSet struct{ done, fresh map[string]bool }

func (s *writeStmts) writeIdentity(ctx context.Context, t Tenant, scanID int64, now string, id Identity, written principalSet) error {
	attrs := "{}"
	if len(id.Attributes) > 0 {
		b, err := json.Marshal(id.Attributes)
		if err != nil {
			return fmt.Errorf("attributes: %w", err)
		}
		attrs = string(b)
	}
	var verified any
	if id.VerifiedPublisher != nil {
		verified = *id.VerifiedPublisher
	}
	if _, err := s.identity.ExecContext(ctx, id.ID, t.ID(), id.Kind, id.NativeID, id.Name, id.Description, id.URL, id.Publisher, verified,
		id.Origin, id.Status, tsPtr(id.CreatedAt), tsPtr(id.LastUsedAt), id.Collector, attrs, now, now, scanID, scanID); err != nil {
		return err
	}
	for _, g := range id.Grants {
		if _, err := s.grant.ExecContext(ctx, id.ID, g.Key(), g.Resource, g.Permission, g.Type, g.Consent, g.OnBehalfOf, tsPtr(g.GrantedAt), now, now, scanID, g.Collector); err != nil {
			return fmt.Errorf("grant %s: %w", g.Key(), err)
		}
	}
	for _, c := range id.Credentials {
		if c.ID == "" {
			c.ID = c.Type
		}
		if _, err := s.cred.ExecContext(ctx, id.ID, c.ID, c.Type, c.Hint, tsPtr(c.CreatedAt), tsPtr(c.ExpiresAt), tsPtr(c.LastUsedAt), now, now, scanID, c.Collector); err != nil {
			return fmt.Errorf("credential %s: %w", c.ID, err)
		}
	}
	for _, o := range id.Owners {
		p := o.Principal
		if p.Kind == "" {
			p.Kind = "user"
		}
		if p.ID == "" {
			p.ID = MakeID(t.Platform, t.Key, p.Kind, p.Native)
		}
		if p.Status == "" {
			p.Status = PrincipalUnknown
		}
		if !written.done[p.ID] && !written.fresh[p.ID] {
			if _, err := s.principal.ExecContext(ctx, p.ID, t.ID(), p.Kind, p.Native, p.Name, p.Email, p.Status, now, now, scanID); err != nil {
				return fmt.Errorf("principal %s: %w", p.ID, err)
			}
			written.fresh[p.ID] = true
		}
		if _, err := s.owner.ExecContext(ctx, id.ID, p.ID, o.Role, now, now, scanID, o.Collector); err != nil {
			return fmt.Errorf("owner %s: %w", p.ID, err)
		}
	}
	return nil
}

// Finish flushes what is buffered and closes the scan. fatal is the error that
// stopped the crawl, if any: the scan is then recorded as failed and nothing it
// did not see is marked removed. Otherwise the status is complete when every
// collector reported ok, else partial; rows not seen again are marked removed
// only for collectors that reported ok.
func (w *ScanWriter) Finish(ctx context.Context, fatal error) (Scan, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.finished {
		return Scan{}, fmt.Errorf("finish scan %d: already finished", w.scanID)
	}
	w.finished = true
	ctx = context.WithoutCancel(ctx)
	flushErr := w.flushLocked(ctx)
	if flushErr != nil && fatal == nil {
		fatal = flushErr
	}
	status := ScanComplete
	var okCollectors []string
	cov := make([]Coverage, 0, len(w.order))
	for _, name := range w.order {
		c := w.coverage[name]
		cov = append(cov, c)
		if c.Status == CoverageOK {
			okCollectors = append(okCollectors, name)
		} else {
			status = ScanPartial
		}
	}
	errs := append([]string(nil), w.errs...)
	if fatal != nil {
		status = ScanFailed
		errs = append(errs, fatal.Error())
	}
	finished := w.store.now()
	errJSON, _ := json.Marshal(errs)
	covJSON, _ := json.Marshal(cov)

	tx, err := w.store.db.BeginTx(ctx, nil)
	if err != nil {
		return Scan{}, fmt.Errorf("finish scan %d: %w", w.scanID, err)
	}
	defer tx.Rollback()
	if status != ScanFailed && len(okCollectors) > 0 {
		if err := markRemoved(ctx, tx, w.tenant.ID(), w.scanID, ts(finished), okCollectors); err != nil {
			return Scan{}, fmt.Errorf("finish scan %d: %w", w.scanID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE scans SET status=?, finished_at=?, errors=?, coverage=? WHERE id=?`,
		status, ts(finished), string(errJSON), string(covJSON), w.scanID); err != nil {
		return Scan{}, fmt.Errorf("finish scan %d: %w", w.scanID, err)
	}
	if err := tx.Commit(); err != nil {
		return Scan{}, fmt.Errorf("finish scan %d: %w", w.scanID, err)
	}
	sort.SliceStable(cov, func(i, j int) bool { return cov[i].Collector < cov[j].Collector })
	return Scan{ID: w.scanID, TenantID: w.tenant.ID(), Platform: w.tenant.Platform, TenantKey: w.tenant.Key, Status: status,
		StartedAt: w.now, FinishedAt: &finished, Errors: errs, Coverage: cov}, flushErr
}

func markRemoved(ctx context.Context, tx *sql.Tx, tenantID string, scanID int64, now string, collectors []string) error {
	cj, _ := json.Marshal(collectors)
	// Identities this scan's fully-read collectors own but did not see again.
	if _, err := tx.ExecContext(ctx, `UPDATE identities SET removed_at=?, removed_scan_id=?
		WHERE tenant_id=? AND removed_at IS NULL AND last_scan_id<>? AND collector IN (SELECT value FROM json_each(?))`,
		now, scanID, tenantID, scanID, string(cj)); err != nil {
		return fmt.Errorf("mark removed identities: %w", err)
	}
	// Grants, credentials and owners of identities seen in this scan that
	// were not reported with them this time, when the collector that reads
	// them (their own, or else the identity's) read everything.
	for _, table := range []string{"grants", "credentials", "identity_owners"} {
		q := `UPDATE ` + table + ` SET removed_at=? WHERE removed_at IS NULL AND last_scan_id<>? AND identity_id IN
			(SELECT id FROM identities WHERE tenant_id=? AND last_scan_id=?)
			AND (collector='' OR collector IN (SELECT value FROM json_each(?)))`
		if _, err := tx.ExecContext(ctx, q, now, scanID, tenantID, scanID, string(cj)); err != nil {
			return fmt.Errorf("mark removed %s: %w", table, err)
		}
	}
	return nil
}
