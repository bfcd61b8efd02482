-- Placement is Orleans' now (membership + grain directory): the home-made lease table goes.
DROP TABLE room_leases;

-- Rows left behind by calls for ids nobody created (any signed-in caller could activate a room by probing a made-up
-- class id, which wrote an empty state row). A real grain always has state: its creator wrote it.
DELETE FROM grain_state WHERE state IS NULL OR version = 0;
