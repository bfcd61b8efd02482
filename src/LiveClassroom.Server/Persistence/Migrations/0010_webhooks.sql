-- Webhooks (docs/OPERATIONS.md, "Webhooks"): an admin registers an HTTPS endpoint for their organisation; events of
-- that organisation and of everything below it are delivered there, signed with the hook's secret.
-- The secret signs every delivery, so it is kept as given (it is never returned after creation).
CREATE TABLE webhooks (
    id              uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    url             text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    secret          text NOT NULL CHECK (length(secret) BETWEEN 16 AND 200),
    events          text[] NOT NULL CHECK (cardinality(events) >= 1),
    description     text CHECK (length(description) <= 200),
    enabled         boolean NOT NULL DEFAULT true,
    created_by      uuid NOT NULL REFERENCES people (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_organisation_idx ON webhooks (organisation_id);

-- One event, stored once with the exact body every hook receives. dedupe_key makes publishing an event twice (a
-- retried job, a re-published room event) a no-op.
CREATE TABLE webhook_events (
    id               uuid PRIMARY KEY,
    type             text NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
    dedupe_key       text NOT NULL UNIQUE,
    organisation_ids uuid[] NOT NULL,
    body             text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- One event to one hook. queued -> running -> succeeded | queued again after back-off | failed (attempts used up).
-- Claimed with FOR UPDATE SKIP LOCKED like jobs, so every node may run a delivery worker. A replay is a new row.
CREATE TABLE webhook_deliveries (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id       uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         uuid NOT NULL REFERENCES webhook_events (id),
    status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL CHECK (max_attempts BETWEEN 1 AND 50),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    locked_by        text,
    locked_until     timestamptz,
    last_attempt_at  timestamptz,
    last_status_code integer,
    last_error       text,
    replay_of        bigint REFERENCES webhook_deliveries (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status IN ('queued', 'running');
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, id DESC);

-- Every attempt of a delivery, for the admin's view and the retry schedule (next_attempt_at is null after the last).
CREATE TABLE webhook_attempts (
    delivery_id     bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt         integer NOT NULL,
    attempted_at    timestamptz NOT NULL,
    status_code     integer,
    error           text,
    duration_ms     integer NOT NULL,
    next_attempt_at timestamptz,
    PRIMARY KEY (delivery_id, attempt)
);
