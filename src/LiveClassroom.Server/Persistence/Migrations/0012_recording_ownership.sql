-- A recording follows its class from node to node (issue 11): when the node recording a live class dies, the node the
-- class moves to records a further part of the same recording. node_id is the one node allowed to write the row and
-- its parts; owned_since is when that node took it (a compare-and-set version: a recovery sweep claims a row only in
-- the ownership it examined, so a continuation that took the row in between wins); continuations counts the moves.
ALTER TABLE recordings ADD COLUMN owned_since timestamptz;
UPDATE recordings SET owned_since = started_at;
ALTER TABLE recordings ALTER COLUMN owned_since SET NOT NULL, ALTER COLUMN owned_since SET DEFAULT now();
ALTER TABLE recordings ADD COLUMN continuations integer NOT NULL DEFAULT 0;
