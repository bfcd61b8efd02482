-- Idempotency-Key of comments (docs/API-RESEARCH.md, "Idempotency-Key"): the client's key for one user action, so a
-- retry after a lost answer (a hung or failed node) returns the comment first stored instead of storing it twice.
-- Unique per author; kept with the comment.
ALTER TABLE research_comments
    ADD COLUMN idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 64);
CREATE UNIQUE INDEX research_comments_idempotency_idx
    ON research_comments (author_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

ALTER TABLE research_lesson_plan_comments
    ADD COLUMN idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 64);
CREATE UNIQUE INDEX research_lesson_plan_comments_idempotency_idx
    ON research_lesson_plan_comments (author_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
