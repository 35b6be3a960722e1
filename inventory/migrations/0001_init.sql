-- 0001: the registry's first schema.
CREATE TABLE tenants (
    id         TEXT PRIMARY KEY,          -- <platform>:<key>
    platform   TEXT NOT NULL,
    key        TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);

CREATE TABLE scans (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    status      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    errors      TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    coverage    TEXT NOT NULL DEFAULT '[]'   -- JSON array of Coverage
);
CREATE INDEX scans_tenant ON scans(tenant_id, id);

CREATE TABLE identities (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants(id),
    kind               TEXT NOT NULL,
    native_id          TEXT NOT NULL,
    name               TEXT NOT NULL DEFAULT '',
    description        TEXT NOT NULL DEFAULT '',
    url                TEXT NOT NULL DEFAULT '',
    publisher          TEXT NOT NULL DEFAULT '',
    verified_publisher INTEGER,               -- NULL = unknown
    origin             TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL DEFAULT '',
    created_at         TEXT,
    last_used_at       TEXT,
    collector          TEXT NOT NULL DEFAULT '',
    attributes         TEXT NOT NULL DEFAULT '{}',
    first_seen         TEXT NOT NULL,
    last_seen          TEXT NOT NULL,
    first_scan_id      INTEGER NOT NULL REFERENCES scans(id),
    last_scan_id       INTEGER NOT NULL REFERENCES scans(id),
    removed_at         TEXT,                  -- set when a finished scan no longer saw it
    removed_scan_id    INTEGER REFERENCES scans(id)
);
CREATE INDEX identities_tenant ON identities(tenant_id, removed_at);

CREATE TABLE grants (
    identity_id     TEXT NOT NULL REFERENCES identities(id),
    grant_key       TEXT NOT NULL,
    resource        TEXT NOT NULL,
    permission      TEXT NOT NULL,
    type            TEXT NOT NULL,
    consent         TEXT NOT NULL DEFAULT '',
    on_behalf_of    TEXT NOT NULL DEFAULT '',
    granted_at      TEXT,
    first_seen      TEXT NOT NULL,
    last_seen       TEXT NOT NULL,
    last_scan_id    INTEGER NOT NULL REFERENCES scans(id),
    removed_at      TEXT,
    PRIMARY KEY (identity_id, grant_key)
) WITHOUT ROWID;

CREATE TABLE credentials (
    identity_id   TEXT NOT NULL REFERENCES identities(id),
    cred_id       TEXT NOT NULL,
    type          TEXT NOT NULL,
    hint          TEXT NOT NULL DEFAULT '',
    created_at    TEXT,
    expires_at    TEXT,
    last_used_at  TEXT,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    last_scan_id  INTEGER NOT NULL REFERENCES scans(id),
    removed_at    TEXT,
    PRIMARY KEY (identity_id, cred_id)
) WITHOUT ROWID;

CREATE TABLE principals (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    kind         TEXT NOT NULL,
    native_id    TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'unknown',
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    last_scan_id INTEGER NOT NULL REFERENCES scans(id)
);

CREATE TABLE identity_owners (
    identity_id  TEXT NOT NULL REFERENCES identities(id),
    principal_id TEXT NOT NULL REFERENCES principals(id),
    role         TEXT NOT NULL,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    last_scan_id INTEGER NOT NULL REFERENCES scans(id),
    removed_at   TEXT,
    PRIMARY KEY (identity_id, principal_id, role)
) WITHOUT ROWID;

CREATE TABLE settings (
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    key          TEXT NOT NULL,
    value        TEXT NOT NULL,              -- JSON
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    last_scan_id INTEGER NOT NULL REFERENCES scans(id),
    PRIMARY KEY (tenant_id, key)
) WITHOUT ROWID;

CREATE TABLE findings (
    id          TEXT PRIMARY KEY,            -- stable fingerprint
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    rule_id     TEXT NOT NULL,
    identity_id TEXT NOT NULL,
    severity    TEXT NOT NULL,
    evidence    TEXT NOT NULL DEFAULT '{}',
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    resolved_at TEXT                         -- set when an analysis no longer produces it
);
CREATE INDEX findings_tenant ON findings(tenant_id);
