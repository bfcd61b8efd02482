-- Grain state: one JSON document per grain (kind = classroom | pairing | research), the source of truth for rooms.
-- version: optimistic concurrency (each write +1); epoch: the fencing epoch of the lease its writer held —
-- activation raises it to the new owner's epoch, and a write must match it, so a stale owner can never overwrite.
CREATE TABLE grain_state (
    kind       text NOT NULL CHECK (kind ~ '^[a-z]{1,32}$'),
    id         text NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
    version    bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    epoch      bigint NOT NULL DEFAULT 0 CHECK (epoch >= 0),
    state      jsonb,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, id)
);

-- Placement: the node that owns an active grain. Expiry is judged by the database clock; every takeover raises
-- epoch. A released lease keeps its row (expires_at = release time) so epochs only ever rise.
CREATE TABLE room_leases (
    kind        text NOT NULL,
    id          text NOT NULL,
    owner_node  text NOT NULL CHECK (length(owner_node) BETWEEN 1 AND 200),
    owner_url   text NOT NULL CHECK (length(owner_url) BETWEEN 1 AND 500),
    expires_at  timestamptz NOT NULL,
    epoch       bigint NOT NULL CHECK (epoch >= 1),
    acquired_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, id)
);
CREATE INDEX room_leases_owner_idx ON room_leases (owner_node, expires_at);

-- Listing of 1+N pairings for admin pages, written by the server whenever a pairing grain's definition or term
-- changes (the grain state stays the truth). Ids are text as the grains use them; classroom and person ids are
-- checked against classrooms/people by the API that defines a pairing. Lessons are not listed here: they are
-- derived from the pairing's timetable (IRemoteClassPairingGrain.GetLessonsAsync).
CREATE TABLE pairings (
    id                  text PRIMARY KEY,
    name                text NOT NULL,
    lead_classroom_id   text NOT NULL,
    lead_classroom_name text NOT NULL,
    lead_teacher_id     text NOT NULL,
    lead_teacher_name   text NOT NULL,
    subject             text NOT NULL,
    grade               text NOT NULL,
    textbook_edition    text NOT NULL,
    term_name           text,
    term_start          date,
    term_end            date,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pairings_lead_classroom_idx ON pairings (lead_classroom_id);
CREATE INDEX pairings_lead_teacher_idx ON pairings (lead_teacher_id);

-- The rural classrooms of each pairing, in tile order (position 1..N).
CREATE TABLE pairing_classrooms (
    pairing_id     text NOT NULL REFERENCES pairings (id) ON DELETE CASCADE,
    classroom_id   text NOT NULL,
    classroom_name text NOT NULL,
    position       integer NOT NULL CHECK (position >= 1),
    PRIMARY KEY (pairing_id, classroom_id)
);
CREATE INDEX pairing_classrooms_classroom_idx ON pairing_classrooms (classroom_id);
