-- A pending alliance pairing (migration 0014) may end without ever defining a pairing (docs/API-PLATFORM.md,
-- "Alliance pairings"): the rural classrooms' county admin rejects it with a reason ('rejected'), or whoever may
-- withdraw it cancels it ('cancelled'). The row stays as the alliance's record of what was proposed and why it did
-- not happen; pairing_id stays null, so no pairing or timetable exists for it (the 0014 CHECK keeps that true).
ALTER TABLE alliance_pairings DROP CONSTRAINT alliance_pairings_status_check;
ALTER TABLE alliance_pairings ADD CONSTRAINT alliance_pairings_status_check
    CHECK (status IN ('pending', 'confirmed', 'rejected', 'cancelled'));
ALTER TABLE alliance_pairings
    ADD COLUMN decided_by uuid REFERENCES people (id),
    ADD COLUMN decided_at timestamptz,
    ADD COLUMN reason     text CHECK (length(reason) BETWEEN 1 AND 500),
    ADD CONSTRAINT alliance_pairings_ended_by_someone CHECK ((status IN ('rejected', 'cancelled')) = (decided_at IS NOT NULL AND decided_by IS NOT NULL)),
    ADD CONSTRAINT alliance_pairings_rejected_with_reason CHECK ((status = 'rejected') = (reason IS NOT NULL));
