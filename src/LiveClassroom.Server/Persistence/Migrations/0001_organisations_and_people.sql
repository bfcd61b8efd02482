-- Organisations form one tree: province -> city -> county -> school.
CREATE TABLE organisations (
    id          uuid PRIMARY KEY,
    parent_id   uuid REFERENCES organisations (id),
    kind        text NOT NULL CHECK (kind IN ('province', 'city', 'county', 'school')),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    is_rural    boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'province') = (parent_id IS NULL))
);
CREATE INDEX organisations_parent_idx ON organisations (parent_id);

CREATE TABLE people (
    id              uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    username        text NOT NULL CHECK (username ~ '^[a-z0-9_.-]{3,64}$'),
    display_name    text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    password_hash   text NOT NULL,
    is_active       boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX people_username_idx ON people (username);
CREATE INDEX people_organisation_idx ON people (organisation_id);

-- A role is held within an organisation: a county admin administers that county and everything below it.
CREATE TABLE person_roles (
    person_id       uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role            text NOT NULL CHECK (role IN ('lead_teacher', 'assistant_teacher', 'researcher',
                        'school_admin', 'county_admin', 'city_admin', 'province_admin')),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (person_id, role, organisation_id)
);

-- A physical room in a school: the lead classroom or a rural classroom with its projector PC.
CREATE TABLE classrooms (
    id         uuid PRIMARY KEY,
    school_id  uuid NOT NULL REFERENCES organisations (id),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX classrooms_school_idx ON classrooms (school_id);
