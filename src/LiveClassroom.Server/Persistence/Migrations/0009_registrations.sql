-- Real-name registration approved by the level above (docs/API-PLATFORM.md). An applicant's account exists from the
-- moment they register but is 'pending' (or 'rejected') until the admin of the level above decides: such accounts can
-- sign in only to read their own registration. Imported teachers must change their one-time password first.
ALTER TABLE people
    ADD COLUMN account_status       text NOT NULL DEFAULT 'active' CHECK (account_status IN ('active', 'pending', 'rejected')),
    ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
    ADD COLUMN phone                text CHECK (phone ~ '^\+?[0-9]{5,20}$'),
    ADD COLUMN staff_number         text CHECK (length(staff_number) BETWEEN 1 AND 32),
    ADD COLUMN subject              text CHECK (length(subject) BETWEEN 1 AND 50),
    ADD COLUMN stage                text CHECK (stage IN ('preschool', 'primary', 'junior', 'senior'));
CREATE UNIQUE INDEX people_school_staff_number_idx ON people (organisation_id, staff_number) WHERE staff_number IS NOT NULL;

-- Two organisations of one parent never share a name (the tree is picked from by name when registering).
CREATE UNIQUE INDEX organisations_parent_name_idx ON organisations (parent_id, name);

-- teacher: decided by the admin of the school (parent_id); school: by the county; county: by the city; city: by the province.
-- pending -> approved | rejected (with a reason). Approval of an organisation creates it (created_organisation_id).
CREATE TABLE registrations (
    id                      uuid PRIMARY KEY,
    kind                    text NOT NULL CHECK (kind IN ('teacher', 'school', 'county', 'city')),
    applicant_id            uuid NOT NULL REFERENCES people (id),
    parent_id               uuid NOT NULL REFERENCES organisations (id),
    organisation_name       text CHECK (length(organisation_name) BETWEEN 1 AND 200),
    is_rural                boolean NOT NULL DEFAULT false,
    role                    text CHECK (role IN ('lead_teacher', 'assistant_teacher')),
    status                  text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    reason                  text CHECK (length(reason) BETWEEN 1 AND 500),
    client_ip               text NOT NULL,
    created_at              timestamptz NOT NULL,
    decided_at              timestamptz,
    decided_by              uuid REFERENCES people (id),
    created_organisation_id uuid REFERENCES organisations (id),
    CHECK ((kind = 'teacher') = (organisation_name IS NULL)),
    CHECK ((kind = 'teacher') = (role IS NOT NULL)),
    CHECK ((status = 'pending') = (decided_at IS NULL)),
    CHECK ((decided_at IS NULL) = (decided_by IS NULL)),
    CHECK (status <> 'rejected' OR reason IS NOT NULL)
);
CREATE INDEX registrations_queue_idx ON registrations (parent_id, status, created_at);
CREATE INDEX registrations_applicant_idx ON registrations (applicant_id, created_at DESC);
CREATE INDEX registrations_ip_idx ON registrations (client_ip, created_at);
-- One pending application per new organisation name under a parent.
CREATE UNIQUE INDEX registrations_pending_name_idx ON registrations (parent_id, organisation_name)
    WHERE status = 'pending' AND organisation_name IS NOT NULL;
