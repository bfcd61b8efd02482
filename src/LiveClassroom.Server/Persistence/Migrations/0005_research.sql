-- Teaching research (网络教研): sessions with a timed agenda, rubric scoring of lessons, timestamped
-- comments, 集体备课 lesson plans with versions, and the participation record that 继续教育学时 is credited from.
-- Recordings live in the library (0004); lessons refer to them by id without a foreign key so this
-- migration does not depend on that branch's table shape: the server checks them through a port.

CREATE TABLE research_rubric_templates (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '',
    scale_min   integer NOT NULL,
    scale_max   integer NOT NULL,
    -- [{ "key": "goals", "name": "教学目标", "description": "…", "weight": 15 }, …]
    criteria    jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (scale_min >= 0 AND scale_max > scale_min AND scale_max <= 100)
);

CREATE TABLE research_sessions (
    id                uuid PRIMARY KEY,
    organisation_id   uuid NOT NULL REFERENCES organisations (id),
    title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    kind              text NOT NULL CHECK (kind IN ('lesson_talk', 'lesson_review', 'same_lesson', 'co_prepare', 'mixed')),
    subject           text NOT NULL CHECK (length(subject) BETWEEN 1 AND 50),
    stage             text NOT NULL CHECK (stage IN ('primary', 'junior', 'senior')),
    grade             text NOT NULL DEFAULT '',
    chapter           text NOT NULL DEFAULT '',
    scheduled_start   timestamptz NOT NULL,
    host_id           uuid NOT NULL REFERENCES people (id),
    created_by        uuid NOT NULL REFERENCES people (id),
    status            text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'ended', 'cancelled')),
    speaker_turn_seconds integer NOT NULL DEFAULT 300 CHECK (speaker_turn_seconds BETWEEN 10 AND 7200),
    -- Copied from a template at scheduling; editable while scheduled, frozen once live.
    rubric_template_id uuid REFERENCES research_rubric_templates (id),
    rubric_name       text NOT NULL,
    rubric_scale_min  integer NOT NULL,
    rubric_scale_max  integer NOT NULL,
    rubric_criteria   jsonb NOT NULL,
    started_at        timestamptz,
    ended_at          timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX research_sessions_org_idx ON research_sessions (organisation_id, scheduled_start);

-- An invitation names a person or a whole school; role decides what the invitee does in the session.
CREATE TABLE research_invitations (
    session_id uuid NOT NULL REFERENCES research_sessions (id) ON DELETE CASCADE,
    person_id  uuid REFERENCES people (id),
    school_id  uuid REFERENCES organisations (id),
    role       text NOT NULL CHECK (role IN ('participant', 'observer')),
    CHECK ((person_id IS NULL) <> (school_id IS NULL))
);
CREATE UNIQUE INDEX research_invitations_person_idx ON research_invitations (session_id, person_id) WHERE person_id IS NOT NULL;
CREATE UNIQUE INDEX research_invitations_school_idx ON research_invitations (session_id, school_id) WHERE school_id IS NOT NULL;

CREATE TABLE research_segments (
    session_id      uuid NOT NULL REFERENCES research_sessions (id) ON DELETE CASCADE,
    position        integer NOT NULL CHECK (position >= 0),
    kind            text NOT NULL CHECK (kind IN ('lesson_talk', 'observe', 'review', 'summary', 'co_prepare', 'free')),
    title           text NOT NULL DEFAULT '',
    planned_seconds integer NOT NULL CHECK (planned_seconds BETWEEN 60 AND 28800),
    -- Actual run, written as the host advances: the participation record is intersected with these.
    started_at      timestamptz,
    ended_at        timestamptz,
    PRIMARY KEY (session_id, position)
);

-- A lesson under observation: a library recording, or a live class (recording attached when it exists).
CREATE TABLE research_lessons (
    id            uuid PRIMARY KEY,
    session_id    uuid NOT NULL REFERENCES research_sessions (id) ON DELETE CASCADE,
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    chapter       text NOT NULL DEFAULT '',
    teacher_name  text NOT NULL DEFAULT '',
    teacher_id    uuid REFERENCES people (id),
    recording_id  uuid,
    live_class_id uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (recording_id IS NOT NULL OR live_class_id IS NOT NULL)
);
CREATE INDEX research_lessons_session_idx ON research_lessons (session_id);

-- One score sheet per observer per lesson = these rows; an autosave upserts only the criteria it carries.
CREATE TABLE research_scores (
    lesson_id     uuid NOT NULL REFERENCES research_lessons (id) ON DELETE CASCADE,
    observer_id   uuid NOT NULL REFERENCES people (id),
    criterion_key text NOT NULL,
    score         numeric(6, 2) NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (lesson_id, observer_id, criterion_key)
);

CREATE TABLE research_comments (
    id             uuid PRIMARY KEY,
    lesson_id      uuid NOT NULL REFERENCES research_lessons (id) ON DELETE CASCADE,
    author_id      uuid NOT NULL REFERENCES people (id),
    offset_seconds integer NOT NULL CHECK (offset_seconds >= 0),
    criterion_key  text,
    body           text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX research_comments_lesson_idx ON research_comments (lesson_id, offset_seconds);

-- Presence intervals: a reconnect within one interval does not open a new one (the live session decides).
CREATE TABLE research_attendance (
    id         bigserial PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES research_sessions (id) ON DELETE CASCADE,
    person_id  uuid NOT NULL REFERENCES people (id),
    role       text NOT NULL CHECK (role IN ('host', 'participant', 'observer')),
    joined_at  timestamptz NOT NULL,
    left_at    timestamptz,
    CHECK (left_at IS NULL OR left_at >= joined_at)
);
CREATE INDEX research_attendance_person_idx ON research_attendance (person_id, joined_at);
CREATE INDEX research_attendance_session_idx ON research_attendance (session_id);

CREATE TABLE research_speaking_turns (
    id         bigserial PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES research_sessions (id) ON DELETE CASCADE,
    person_id  uuid NOT NULL REFERENCES people (id),
    started_at timestamptz NOT NULL,
    ended_at   timestamptz NOT NULL,
    ended_by   text NOT NULL CHECK (ended_by IN ('host', 'speaker', 'timer', 'session_end')),
    CHECK (ended_at >= started_at)
);
CREATE INDEX research_speaking_turns_session_idx ON research_speaking_turns (session_id);

-- 集体备课: a lesson plan per chapter with its four fixes (主备人, 内容, 时间, 地点).
CREATE TABLE research_lesson_plans (
    id               uuid PRIMARY KEY,
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    subject          text NOT NULL CHECK (length(subject) BETWEEN 1 AND 50),
    stage            text NOT NULL CHECK (stage IN ('primary', 'junior', 'senior')),
    grade            text NOT NULL DEFAULT '',
    chapter          text NOT NULL CHECK (length(chapter) BETWEEN 1 AND 200),
    main_preparer_id uuid NOT NULL REFERENCES people (id),
    prepare_at       timestamptz,
    place            text NOT NULL DEFAULT '',
    session_id       uuid REFERENCES research_sessions (id) ON DELETE SET NULL,
    recording_id     uuid,
    created_by       uuid NOT NULL REFERENCES people (id),
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE research_lesson_plan_members (
    plan_id   uuid NOT NULL REFERENCES research_lesson_plans (id) ON DELETE CASCADE,
    person_id uuid NOT NULL REFERENCES people (id),
    PRIMARY KEY (plan_id, person_id)
);

CREATE TABLE research_lesson_plan_versions (
    plan_id    uuid NOT NULL REFERENCES research_lesson_plans (id) ON DELETE CASCADE,
    version    integer NOT NULL CHECK (version >= 1),
    body       text NOT NULL CHECK (length(body) <= 200000),
    summary    text NOT NULL DEFAULT '',
    author_id  uuid NOT NULL REFERENCES people (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (plan_id, version)
);

CREATE TABLE research_lesson_plan_comments (
    id         uuid PRIMARY KEY,
    plan_id    uuid NOT NULL,
    version    integer NOT NULL,
    paragraph  integer CHECK (paragraph >= 0),
    author_id  uuid NOT NULL REFERENCES people (id),
    body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (plan_id, version) REFERENCES research_lesson_plan_versions (plan_id, version) ON DELETE CASCADE
);

-- Seed rubrics (fixed ids so documentation and clients can name them).
INSERT INTO research_rubric_templates (id, name, description, scale_min, scale_max, criteria) VALUES
('00000000-0000-7000-8000-00000000a001', '课堂教学评价表（通用）', '五维度通用课堂评价，每项 1–5 分', 1, 5,
 '[{"key":"goals","name":"教学目标","description":"目标明确、具体，符合课程标准与学情","weight":15},
   {"key":"process","name":"教学过程","description":"环节清晰，重难点突出，时间分配合理","weight":30},
   {"key":"engagement","name":"学生参与","description":"学生主动思考、积极参与，远端教室互动充分","weight":25},
   {"key":"technology","name":"技术运用","description":"信息技术与教学融合恰当，音视频清晰流畅","weight":10},
   {"key":"outcome","name":"教学效果","description":"目标达成度高，学生有收获","weight":20}]'),
('00000000-0000-7000-8000-00000000a002', '专递课堂评价表', '面向主讲与辅教协同的专递课堂，每项 0–10 分', 0, 10,
 '[{"key":"design","name":"教学设计","description":"兼顾主讲与远端学生的学情差异","weight":20},
   {"key":"collaboration","name":"双师协同","description":"主讲与辅教分工明确、配合默契","weight":25},
   {"key":"remote_interaction","name":"远端互动","description":"远端学生发言、展示与反馈的机会","weight":25},
   {"key":"media_quality","name":"音视频质量","description":"画面、声音、板书清晰，切换及时","weight":10},
   {"key":"outcome","name":"教学效果","description":"两端学生的目标达成情况","weight":20}]'),
('00000000-0000-7000-8000-00000000a003', '说课评价表', '说教材、说学情、说教法学法、说教学过程，每项 1–5 分', 1, 5,
 '[{"key":"materials","name":"说教材","description":"对教材地位、目标、重难点的分析准确","weight":25},
   {"key":"learners","name":"说学情","description":"学情分析具体，有依据","weight":20},
   {"key":"methods","name":"说教法学法","description":"方法选择恰当，理由充分","weight":25},
   {"key":"process","name":"说教学过程","description":"过程设计完整，意图清楚","weight":20},
   {"key":"delivery","name":"表达与素养","description":"语言规范，时间控制得当","weight":10}]');
