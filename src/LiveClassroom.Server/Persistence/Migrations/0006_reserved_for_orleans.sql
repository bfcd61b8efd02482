-- Placeholder on branch twonode only: number 0006 belongs to the Orleans migration (branch orleans).
-- When merging, DROP this file and keep that branch's 0006 (this one does nothing).
SELECT 1;
