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

-- Rural schools order classes; lead schools of the same county accept; the county confirms (按需点单). Confirmation
-- creates the pairing and its term timetable through the pairing grain; pairing_id names it.
-- open -> accepted -> confirmed, or open -> cancelled.
CREATE TABLE class_orders (
    id                 uuid PRIMARY KEY,
    school_id          uuid NOT NULL REFERENCES organisations (id),
    county_id          uuid NOT NULL REFERENCES organisations (id),
    rural_classroom_id uuid NOT NULL REFERENCES classrooms (id),
    subject            text NOT NULL CHECK (length(subject) BETWEEN 1 AND 50),
    grade              text NOT NULL CHECK (length(grade) BETWEEN 1 AND 50),
    textbook_edition   text NOT NULL CHECK (length(textbook_edition) BETWEEN 1 AND 100),
    term_name          text NOT NULL CHECK (length(term_name) BETWEEN 1 AND 100),
    term_start         date NOT NULL,
    term_end           date NOT NULL,
    slots              jsonb NOT NULL,
    weekly_periods     integer NOT NULL CHECK (weekly_periods BETWEEN 1 AND 20),
    note               text CHECK (length(note) <= 500),
    status             text NOT NULL CHECK (status IN ('open', 'accepted', 'confirmed', 'cancelled')),
    ordered_by         uuid NOT NULL REFERENCES people (id),
    created_at         timestamptz NOT NULL,
    lead_school_id     uuid REFERENCES organisations (id),
    lead_classroom_id  uuid REFERENCES classrooms (id),
    lead_teacher_id    uuid REFERENCES people (id),
    accepted_by        uuid REFERENCES people (id),
    accepted_at        timestamptz,
    confirmed_by       uuid REFERENCES people (id),
    confirmed_at       timestamptz,
    pairing_id         text,
    CHECK (term_end >= term_start),
    CHECK ((status IN ('accepted', 'confirmed')) = (accepted_at IS NOT NULL AND lead_classroom_id IS NOT NULL AND lead_teacher_id IS NOT NULL)),
    CHECK ((status = 'confirmed') = (pairing_id IS NOT NULL))
);
CREATE INDEX class_orders_county_idx ON class_orders (county_id, status);
