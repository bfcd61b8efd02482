-- 继续教育学时 (docs/API-PLATFORM.md, "Continuing-education hours"). Years are school years in the school time zone
-- (+08:00): 1 January 00:00 to 31 December 24:00. Hours are counted in minutes; 1 学时 = 45 minutes.

-- The yearly requirement an admin sets for their subtree; the nearest level above a teacher's school wins, and
-- without any row the default (36 学时, 18 of them required courses) applies.
CREATE TABLE ce_requirements (
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    total_hours     integer NOT NULL CHECK (total_hours BETWEEN 1 AND 500),
    required_hours  integer NOT NULL CHECK (required_hours >= 0),
    updated_by      uuid NOT NULL REFERENCES people (id),
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, year),
    CHECK (required_hours <= total_hours)
);

-- Courses: required ones are pushed by an admin level to the teachers below it by 学段 and 学科 (null = all);
-- electives are offered by a school under a topic it picked, and teachers choose them until 31 December.
CREATE TABLE ce_courses (
    id              uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    kind            text NOT NULL CHECK (kind IN ('required', 'elective')),
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    topic           text CHECK (length(topic) BETWEEN 1 AND 100),
    stage           text CHECK (stage IN ('preschool', 'primary', 'junior', 'senior')),
    subject         text CHECK (length(subject) BETWEEN 1 AND 50),
    hours           integer NOT NULL CHECK (hours BETWEEN 1 AND 100),
    created_by      uuid NOT NULL REFERENCES people (id),
    created_at      timestamptz NOT NULL,
    CHECK ((kind = 'elective') = (topic IS NOT NULL))
);
CREATE INDEX ce_courses_org_idx ON ce_courses (organisation_id, year);

CREATE TABLE ce_enrolments (
    course_id   uuid NOT NULL REFERENCES ce_courses (id) ON DELETE CASCADE,
    person_id   uuid NOT NULL REFERENCES people (id),
    enrolled_at timestamptz NOT NULL,
    PRIMARY KEY (course_id, person_id)
);
CREATE INDEX ce_enrolments_person_idx ON ce_enrolments (person_id);

-- One credit per piece of verified evidence: the unique key is what makes a recompute idempotent and a double
-- credit impossible. Computed credits (created_by NULL) are rewritten by a recompute; school-based training
-- (校本研修) is added by a school admin, names itself as evidence and carries a note.
CREATE TABLE ce_credits (
    id            uuid PRIMARY KEY,
    person_id     uuid NOT NULL REFERENCES people (id),
    year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    kind          text NOT NULL CHECK (kind IN ('live_taught', 'live_assisted', 'research', 'lesson_plan', 'observation', 'library', 'school_training')),
    evidence_id   text NOT NULL CHECK (length(evidence_id) BETWEEN 1 AND 200),
    evidence_date date NOT NULL,
    minutes       integer NOT NULL CHECK (minutes BETWEEN 1 AND 6000),
    note          text CHECK (length(note) BETWEEN 1 AND 500),
    created_by    uuid REFERENCES people (id),
    created_at    timestamptz NOT NULL,
    UNIQUE (person_id, kind, evidence_id),
    CHECK ((kind = 'school_training') = (created_by IS NOT NULL AND note IS NOT NULL))
);
CREATE INDEX ce_credits_person_year_idx ON ce_credits (person_id, year);
