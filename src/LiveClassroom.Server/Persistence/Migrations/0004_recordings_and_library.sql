-- Class recordings, their processing jobs and the resource library they feed (issue 6).

-- Durable background work. A worker claims a due row with FOR UPDATE SKIP LOCKED and holds it by lease
-- (locked_by / locked_until); an expired lease makes the row claimable again, so a dead node's job is retried.
CREATE TABLE jobs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    -- One live job per (kind, dedupe_key): enqueueing the same work twice is a no-op.
    dedupe_key      text NOT NULL,
    payload         jsonb NOT NULL DEFAULT '{}'::jsonb,
    organisation_id uuid REFERENCES organisations (id),
    status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    max_attempts    integer NOT NULL DEFAULT 6 CHECK (max_attempts >= 1),
    next_run_at     timestamptz NOT NULL DEFAULT now(),
    locked_by       text,
    locked_until    timestamptz,
    progress        integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, dedupe_key)
);
CREATE INDEX jobs_due_idx ON jobs (next_run_at) WHERE status IN ('queued', 'running');

-- One recording of one class. Media lives on disk under Recordings:Root/{id}/ (parts p000, p001… of
-- HLS MPEG-TS segments written live; index.m3u8, video.mp4, poster.jpg, chapters.vtt after finalizing).
CREATE TABLE recordings (
    id               uuid PRIMARY KEY,
    room_id          text NOT NULL CHECK (length(room_id) BETWEEN 1 AND 200),
    school_id        uuid NOT NULL REFERENCES organisations (id),
    teacher_id       uuid REFERENCES people (id),
    status           text NOT NULL CHECK (status IN ('recording', 'paused', 'finalizing', 'ready', 'failed')),
    -- The node whose recorder owns the row while recording; its lease lets another node recover it.
    node_id          text NOT NULL,
    lease_until      timestamptz NOT NULL,
    ffmpeg_pid       integer,
    started_at       timestamptz NOT NULL DEFAULT now(),
    ended_at         timestamptz,
    paused_seconds   double precision NOT NULL DEFAULT 0,
    duration_seconds double precision,
    playable         boolean NOT NULL DEFAULT false,
    has_video        boolean NOT NULL DEFAULT false,
    parts            integer NOT NULL DEFAULT 0,
    incidents        integer NOT NULL DEFAULT 0,
    failure_reason   text,
    recovered        boolean NOT NULL DEFAULT false,
    -- Course progress the caller gave at start (学段, 年级, 学科, 教材版本, 章节, title): prefills the resource.
    metadata         jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recordings_active_idx ON recordings (node_id) WHERE status IN ('recording', 'paused');
CREATE INDEX recordings_room_idx ON recordings (room_id, started_at DESC);

-- Chapter marks on the recording's timeline (paused time is cut out of that timeline).
CREATE TABLE recording_chapters (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recording_id   uuid NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
    offset_seconds double precision NOT NULL CHECK (offset_seconds >= 0),
    type           text NOT NULL CHECK (type IN ('class_started', 'classroom_on_stage', 'hand_raised', 'screen_share_started', 'custom')),
    label_zh       text NOT NULL CHECK (length(label_zh) BETWEEN 1 AND 200),
    label_en       text NOT NULL CHECK (length(label_en) BETWEEN 1 AND 200),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recording_chapters_recording_idx ON recording_chapters (recording_id, offset_seconds);

-- pg_trgm backs title search: the default full-text parser does not segment Chinese.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- A finalized recording as a library resource. Visible beyond the author's school only when published.
CREATE TABLE resources (
    id                 uuid PRIMARY KEY,
    recording_id       uuid NOT NULL UNIQUE REFERENCES recordings (id),
    school_id          uuid NOT NULL REFERENCES organisations (id),
    author_id          uuid REFERENCES people (id),
    status             text NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'pending_school', 'pending_county', 'published', 'rejected', 'taken_down')),
    title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    stage              text CHECK (stage IN ('小学', '初中', '高中')),
    grade              text CHECK (length(grade) <= 50),
    subject            text CHECK (length(subject) <= 50),
    textbook_edition   text CHECK (length(textbook_edition) <= 100),
    chapter            text CHECK (length(chapter) <= 200),
    teacher_name       text CHECK (length(teacher_name) <= 100),
    school_name        text CHECK (length(school_name) <= 200),
    duration_seconds   double precision NOT NULL DEFAULT 0,
    last_reason        text,
    submitted_at       timestamptz,
    published_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resources_status_idx ON resources (status, published_at DESC);
CREATE INDEX resources_school_idx ON resources (school_id);
CREATE INDEX resources_facets_idx ON resources (subject, grade, stage) WHERE status = 'published';
CREATE INDEX resources_title_trgm_idx ON resources USING gin (title gin_trgm_ops);

-- Every review decision, in order: the audit trail and the source of reject/takedown reasons.
CREATE TABLE resource_reviews (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resource_id uuid NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    step        text NOT NULL CHECK (step IN ('submit', 'school', 'county', 'takedown')),
    decision    text NOT NULL CHECK (decision IN ('submitted', 'approved', 'rejected', 'taken_down')),
    reason      text CHECK (length(reason) <= 1000),
    reviewer_id uuid NOT NULL REFERENCES people (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resource_reviews_resource_idx ON resource_reviews (resource_id, id);

-- One row per playback session; progress beacons raise max_position_seconds.
CREATE TABLE resource_views (
    id                   uuid PRIMARY KEY,
    resource_id          uuid NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    person_id            uuid NOT NULL REFERENCES people (id),
    started_at           timestamptz NOT NULL DEFAULT now(),
    max_position_seconds double precision NOT NULL DEFAULT 0,
    completion           double precision NOT NULL DEFAULT 0 CHECK (completion BETWEEN 0 AND 1)
);
CREATE INDEX resource_views_resource_idx ON resource_views (resource_id, started_at);

CREATE TABLE resource_ratings (
    resource_id uuid NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    person_id   uuid NOT NULL REFERENCES people (id),
    stars       smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
    rated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (resource_id, person_id)
);
