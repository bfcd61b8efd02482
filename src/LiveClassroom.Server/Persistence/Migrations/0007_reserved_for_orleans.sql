-- Placeholder on branch twonode only: number 0007 belongs to the Orleans migration (branch orleans).
-- When merging, DROP this file and keep that branch's 0007 (this one does nothing).
SELECT 1;
