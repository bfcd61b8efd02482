-- 教研联盟 (docs/API-PLATFORM.md, "Teaching-research alliances"). An alliance belongs to a province, city or county;
-- its lifecycle is applied → certified (or rejected) → assessed yearly → promoted / demoted (organisation_id moves
-- to the parent or a child) or dissolved.
CREATE TABLE alliances (
    id              uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    subject         text NOT NULL CHECK (length(subject) BETWEEN 1 AND 50),
    stage           text NOT NULL CHECK (stage IN ('preschool', 'primary', 'junior', 'senior')),
    plan            text NOT NULL CHECK (length(plan) BETWEEN 1 AND 4000),
    status          text NOT NULL CHECK (status IN ('applied', 'rejected', 'certified', 'assessed', 'dissolved')),
    status_reason   text CHECK (length(status_reason) BETWEEN 1 AND 500),
    applied_by      uuid NOT NULL REFERENCES people (id),
    applied_at      timestamptz NOT NULL,
    certified_by    uuid REFERENCES people (id),
    certified_at    timestamptz
);
CREATE INDEX alliances_org_idx ON alliances (organisation_id, status);

-- One role per person per alliance; exactly one chief is kept by the partial unique index (and the API, which
-- creates the chief with the alliance and never assigns the role afterwards).
CREATE TABLE alliance_members (
    alliance_id uuid NOT NULL REFERENCES alliances (id) ON DELETE CASCADE,
    person_id   uuid NOT NULL REFERENCES people (id),
    role        text NOT NULL CHECK (role IN ('chief', 'expert', 'core', 'member')),
    joined_at   timestamptz NOT NULL,
    PRIMARY KEY (alliance_id, person_id)
);
CREATE UNIQUE INDEX alliance_members_one_chief ON alliance_members (alliance_id) WHERE role = 'chief';
CREATE INDEX alliance_members_person_idx ON alliance_members (person_id);

-- A teacher asks to join; the chief (or the level's admin) accepts or rejects with a reason. One pending at a time.
CREATE TABLE alliance_applications (
    id          uuid PRIMARY KEY,
    alliance_id uuid NOT NULL REFERENCES alliances (id) ON DELETE CASCADE,
    person_id   uuid NOT NULL REFERENCES people (id),
    note        text CHECK (length(note) BETWEEN 1 AND 500),
    status      text NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    reason      text CHECK (length(reason) BETWEEN 1 AND 500),
    created_at  timestamptz NOT NULL,
    decided_by  uuid REFERENCES people (id),
    decided_at  timestamptz,
    CHECK ((status = 'rejected') = (reason IS NOT NULL))
);
CREATE UNIQUE INDEX alliance_applications_one_pending ON alliance_applications (alliance_id, person_id) WHERE status = 'pending';

-- Research sessions an alliance scheduled for its members. A join table rather than a column on research_sessions:
-- the research module stays unaware of alliances, and a session belongs to at most one alliance (the primary key).
CREATE TABLE alliance_sessions (
    session_id  uuid PRIMARY KEY REFERENCES research_sessions (id) ON DELETE CASCADE,
    alliance_id uuid NOT NULL REFERENCES alliances (id) ON DELETE CASCADE
);
CREATE INDEX alliance_sessions_alliance_idx ON alliance_sessions (alliance_id);

-- The yearly assessment: the figures the platform computed are stored as they were shown to the assessor.
CREATE TABLE alliance_assessments (
    id               uuid PRIMARY KEY,
    alliance_id      uuid NOT NULL REFERENCES alliances (id) ON DELETE CASCADE,
    year             integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    score            integer NOT NULL CHECK (score BETWEEN 0 AND 100),
    comment          text NOT NULL CHECK (length(comment) BETWEEN 1 AND 2000),
    decision         text NOT NULL CHECK (decision IN ('keep', 'up', 'down', 'exit')),
    from_organisation_id uuid NOT NULL REFERENCES organisations (id),
    to_organisation_id   uuid REFERENCES organisations (id),
    figures          jsonb NOT NULL,
    assessed_by      uuid NOT NULL REFERENCES people (id),
    assessed_at      timestamptz NOT NULL,
    UNIQUE (alliance_id, year)
);
