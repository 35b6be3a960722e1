-- 0003: history that diffs need and rows alone do not keep: when findings
-- appeared, were resolved or reopened, and when a principal's status changed.
-- Each event names the tenant's latest finished scan when it happened.
CREATE TABLE finding_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    finding_id TEXT NOT NULL,
    tenant_id  TEXT NOT NULL,
    event      TEXT NOT NULL,           -- new | resolved | reopened
    at         TEXT NOT NULL,
    scan_id    INTEGER
);
CREATE INDEX finding_events_scan ON finding_events(tenant_id, scan_id);

CREATE TRIGGER finding_new AFTER INSERT ON findings BEGIN
    INSERT INTO finding_events(finding_id, tenant_id, event, at, scan_id)
    VALUES (new.id, new.tenant_id, 'new', new.first_seen,
            (SELECT MAX(id) FROM scans WHERE tenant_id = new.tenant_id AND status <> 'running'));
END;

CREATE TRIGGER finding_resolved AFTER UPDATE OF resolved_at ON findings
WHEN old.resolved_at IS NULL AND new.resolved_at IS NOT NULL BEGIN
    INSERT INTO finding_events(finding_id, tenant_id, event, at, scan_id)
    VALUES (new.id, new.tenant_id, 'resolved', new.resolved_at,
            (SELECT MAX(id) FROM scans WHERE tenant_id = new.tenant_id AND status <> 'running'));
END;

CREATE TRIGGER finding_reopened AFTER UPDATE OF resolved_at ON findings
WHEN old.resolved_at IS NOT NULL AND new.resolved_at IS NULL BEGIN
    INSERT INTO finding_events(finding_id, tenant_id, event, at, scan_id)
    VALUES (new.id, new.tenant_id, 'reopened', new.last_seen,
            (SELECT MAX(id) FROM scans WHERE tenant_id = new.tenant_id AND status <> 'running'));
END;

CREATE TABLE principal_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    principal_id TEXT NOT NULL,
    tenant_id    TEXT NOT NULL,
    old_status   TEXT NOT NULL,
    new_status   TEXT NOT NULL,
    at           TEXT NOT NULL,
    scan_id      INTEGER
);
CREATE INDEX principal_events_scan ON principal_events(tenant_id, scan_id);

CREATE TRIGGER principal_status AFTER UPDATE OF status ON principals
WHEN old.status <> new.status BEGIN
    INSERT INTO principal_events(principal_id, tenant_id, old_status, new_status, at, scan_id)
    VALUES (new.id, new.tenant_id, old.status, new.status, new.last_seen, new.last_scan_id);
END;
