-- A classroom's projector PC is its own principal. Its token is never stored: token_id is the token's jti,
-- checked against revocation on every request.
CREATE TABLE classroom_devices (
    id            uuid PRIMARY KEY,
    classroom_id  uuid NOT NULL REFERENCES classrooms (id),
    school_id     uuid NOT NULL REFERENCES organisations (id),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_id      uuid NOT NULL UNIQUE,
    paired_by     uuid NOT NULL REFERENCES people (id),
    paired_at     timestamptz NOT NULL,
    last_seen_at  timestamptz,
    revoked_at    timestamptz,
    revoked_by    uuid REFERENCES people (id),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX classroom_devices_school_idx ON classroom_devices (school_id);
CREATE INDEX classroom_devices_classroom_idx ON classroom_devices (classroom_id);

-- The projector shows `code`; an admin confirms it; the projector collects its token once with the poll token
-- (only its SHA-256 is stored). pending -> confirmed -> collected, or pending -> expired.
CREATE TABLE device_pairing_requests (
    id              uuid PRIMARY KEY,
    code            text NOT NULL CHECK (code ~ '^[A-Z2-9]{6}$'),
    poll_token_hash bytea NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'confirmed', 'expired', 'collected')),
    client_ip       text NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    confirmed_by    uuid REFERENCES people (id),
    confirmed_at    timestamptz,
    device_id       uuid REFERENCES classroom_devices (id),
    CHECK ((status IN ('confirmed', 'collected')) = (device_id IS NOT NULL))
);
-- A code names one live request; expired and used ones may be reused later.
CREATE UNIQUE INDEX device_pairing_requests_pending_code_idx ON device_pairing_requests (code) WHERE status = 'pending';
CREATE INDEX device_pairing_requests_ip_idx ON device_pairing_requests (client_ip, created_at);

-- Failed and successful logins, for rate limiting across nodes. Old rows are pruned by the server.
CREATE TABLE login_attempts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username     text NOT NULL,
    client_ip    text NOT NULL,
    succeeded    boolean NOT NULL,
    attempted_at timestamptz NOT NULL
);
CREATE INDEX login_attempts_username_idx ON login_attempts (username, attempted_at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (client_ip, attempted_at);

-- Who changed what, for admins. Never holds passwords, tokens or pairing codes.
CREATE TABLE audit_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL,
    actor_id        uuid REFERENCES people (id),
    action          text NOT NULL,
    target_type     text NOT NULL,
    target_id       uuid,
    organisation_id uuid REFERENCES organisations (id),
    details         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_organisation_idx ON audit_log (organisation_id, at DESC);

-- Person tokens issued before this moment are refused: set when an admin changes someone's roles or resets
-- their password, so the old token's claims cannot outlive the change.
ALTER TABLE people ADD COLUMN sessions_valid_after timestamptz;

-- The token signing key the nodes share when Auth:SigningKey is not configured (one row, made by the first node).
CREATE TABLE auth_signing_key (
    id         integer PRIMARY KEY CHECK (id = 1),
    key        bytea NOT NULL CHECK (length(key) >= 32),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Nodes cache the organisation tree and the revoked principals in memory; these counters tell them,
-- with one cheap query every few seconds, when to reload.
CREATE TABLE auth_cache_versions (
    scope   text PRIMARY KEY,
    version bigint NOT NULL
);
INSERT INTO auth_cache_versions (scope, version) VALUES ('organisations', 1), ('principals', 1);

CREATE FUNCTION bump_auth_cache_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE auth_cache_versions SET version = version + 1 WHERE scope = TG_ARGV[0];
    RETURN NULL;
END
$$;

CREATE TRIGGER organisations_bump_cache AFTER INSERT OR UPDATE OR DELETE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_cache_version('organisations');
CREATE TRIGGER classrooms_bump_cache AFTER INSERT OR UPDATE OR DELETE ON classrooms
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_cache_version('organisations');
CREATE TRIGGER classroom_devices_bump_cache AFTER UPDATE OF revoked_at OR DELETE ON classroom_devices
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_cache_version('principals');
CREATE TRIGGER people_bump_cache AFTER UPDATE OF is_active, sessions_valid_after OR DELETE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_cache_version('principals');
