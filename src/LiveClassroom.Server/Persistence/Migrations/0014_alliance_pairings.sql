-- Pairings (专递课堂 1+N) an alliance's chief or guiding experts schedule among member schools (docs/API-PLATFORM.md,
-- "Alliance pairings"). Within one county the pairing and its timetable are made at once (status 'confirmed',
-- pairing_id set); across counties the row waits ('pending') for the admin of the rural classrooms' county, as a
-- class order does. The pairing itself lives on the pairing grain; this row is the alliance's record of it.
CREATE TABLE alliance_pairings (
    id                  uuid PRIMARY KEY,
    alliance_id         uuid NOT NULL REFERENCES alliances (id) ON DELETE CASCADE,
    status              text NOT NULL CHECK (status IN ('pending', 'confirmed')),
    lead_classroom_id   uuid NOT NULL REFERENCES classrooms (id),
    lead_teacher_id     uuid NOT NULL REFERENCES people (id),
    rural_classroom_ids uuid[] NOT NULL CHECK (cardinality(rural_classroom_ids) BETWEEN 1 AND 10),
    county_ids          uuid[] NOT NULL,
    subject             text NOT NULL CHECK (length(subject) BETWEEN 1 AND 50),
    grade               text NOT NULL CHECK (length(grade) BETWEEN 1 AND 50),
    textbook_edition    text NOT NULL CHECK (length(textbook_edition) BETWEEN 1 AND 100),
    term_name           text NOT NULL CHECK (length(term_name) BETWEEN 1 AND 100),
    term_start          date NOT NULL,
    term_end            date NOT NULL CHECK (term_end >= term_start),
    slots               jsonb NOT NULL,
    pairing_id          text,
    created_by          uuid NOT NULL REFERENCES people (id),
    created_at          timestamptz NOT NULL,
    confirmed_by        uuid REFERENCES people (id),
    confirmed_at        timestamptz,
    CHECK ((status = 'confirmed') = (pairing_id IS NOT NULL))
);
CREATE INDEX alliance_pairings_alliance_idx ON alliance_pairings (alliance_id, created_at DESC);
