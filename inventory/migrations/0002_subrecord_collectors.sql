-- 0002: grants, credentials and owners may come from a collector other than
-- their identity's (Entra reads consent grants apart from service
-- principals). A finished scan marks such a row removed only when its own
-- collector read everything; '' means "the identity's collector".
ALTER TABLE grants ADD COLUMN collector TEXT NOT NULL DEFAULT '';
ALTER TABLE credentials ADD COLUMN collector TEXT NOT NULL DEFAULT '';
ALTER TABLE identity_owners ADD COLUMN collector TEXT NOT NULL DEFAULT '';
